"""Finding: text, CWE classes, identity."""

import testtools

from harness.oracle import findings as fnd


class TestFinding(testtools.TestCase):

    def make(self, **kw):
        args = dict(invariant=fnd.ALLOCATION_LEAK, message='allocation leak: x',
                    consumer='c', provider='p', expected={}, actual={'VCPU': 1, 'MEMORY_MB': 8},
                    step=3, cwe=fnd.CWE_LEAK, details={'role': 'migration'})
        args.update(kw)
        return fnd.Finding(**args)

    def test_format(self):
        f = self.make(replay_command='resize-harness replay x.yaml --choices 0,1')
        text = f.format()
        self.assertEqual([
            'allocation-leak: allocation leak: x',
            '  first broken at step 3',
            '  expected: {}',
            '  actual:   VCPU=1 MEMORY_MB=8',
            '  weakness: CWE-404 (Improper Resource Shutdown or Release), CWE-664 (Improper '
            'Control of a Resource Through its Lifetime)',
            '  replay: resize-harness replay x.yaml --choices 0,1'], text.splitlines())

    def test_cwe_marks(self):
        f = self.make()
        self.assertEqual(('CWE-404', 'CWE-664'), f.cwe)
        f.mark_failure_path().mark_interleaving().mark_interleaving()
        self.assertEqual(('CWE-362', 'CWE-404', 'CWE-664', 'CWE-703'), f.cwe)
        self.assertIn('CWE-362 (Concurrent Execution', f.format())

    def test_identity_and_signature(self):
        self.assertEqual(self.make(), self.make(step=9))
        self.assertNotEqual(self.make(), self.make(consumer='d'))
        self.assertEqual(1, len({self.make(), self.make(step=1)}))
        self.assertEqual('allocation-leak:migration', self.make().signature())
        self.assertEqual('allocation-leak:c', self.make(details={}).signature())

    def test_as_dict_and_report(self):
        d = self.make().as_dict()
        self.assertEqual(['CWE-404', 'CWE-664'], d['cwe'])
        self.assertEqual(3, d['step'])
        self.assertEqual('', fnd.report([]))
        self.assertEqual(2, fnd.report([self.make(), self.make()]).count('allocation-leak:'))

    def test_format_resources(self):
        self.assertEqual('VCPU=1 MEMORY_MB=512 DISK_GB=1 CUSTOM_X=2', fnd.format_resources(
            {'CUSTOM_X': 2, 'DISK_GB': 1, 'MEMORY_MB': 512, 'VCPU': 1}))
        self.assertEqual('nothing', fnd.format_resources({}))
