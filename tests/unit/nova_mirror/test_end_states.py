"""The end states of reference §8.1 (current code) and §8.2 (open leaks) on the model.

§8.1 rows must leave no oracle finding; §8.2 rows must show the known-bad state that current
Nova produces, and the oracle must name it.  The delete-during-a-step rows replay the probes of
reference Appendix A.2 (a)-(d): a stall at the step, a delete, then the release.
"""

from harness.oracle import findings as fnd
from tests.unit.nova_mirror import base
from tests.unit.nova_mirror.base import ZERO

TINY, SMALL = 'm1.tiny', 'm1.small'


class CurrentCodeEndStatesTest(base.MirrorTestCase):
    """§8.1: two MediumFakeDriver hosts, m1.tiny on host1 resized to m1.small."""

    def _resize(self, hosts=('host1', 'host2'), then=None, faults=(), **options):
        self.make(hosts=hosts, **options)
        for fault in faults:
            self.cloud.faults.add(**fault)

        def steps():
            yield from self.boot_and_check_allocations(TINY, 'host1')
            yield from self.cloud.api.resize('vm1', SMALL)
            yield from self.settle()
            if then is not None:
                yield from then()
        self.run_script(steps())

    def test_verify_resize(self):
        self._resize()
        self.assert_end_state({
            'server': {'vm1': {'status': 'VERIFY_RESIZE', 'host': 'host2'}},
            'allocations': {'vm1': {'host2': SMALL}, 'vm1/migration': {'host1': TINY}},
            'usages': {'host1': self.resources(TINY), 'host2': self.resources(SMALL)},
            'migration': {'vm1': 'finished'}})

    def test_confirmed(self):
        self._resize(then=self.confirm_resize)
        self.assert_end_state({
            'server': {'vm1': {'status': 'ACTIVE', 'host': 'host2', 'flavor': SMALL}},
            'allocations': {'vm1': {'host2': SMALL}, 'vm1/migration': {}},
            'usages': {'host1': ZERO}, 'migration': {'vm1': 'confirmed'}})

    def test_reverted(self):
        self._resize(then=self.revert_resize)
        self.assert_end_state({
            'server': {'vm1': {'status': 'ACTIVE', 'host': 'host1', 'flavor': TINY}},
            'allocations': {'vm1': {'host1': TINY}, 'vm1/migration': {}},
            'usages': {'host2': ZERO}, 'migration': {'vm1': 'reverted'}})

    def test_no_valid_host(self):
        self.make()
        self.cloud.stop_compute('host2')

        def steps():
            yield from self.boot_and_check_allocations(TINY, 'host1')
            yield from self.cloud.api.resize('vm1', SMALL)
            yield from self.settle()
        self.run_script(steps())
        self.assert_end_state({
            'server': {'vm1': {'status': 'ACTIVE', 'host': 'host1', 'task_state': None}},
            'allocations': {'vm1': {'host1': TINY}, 'vm1/migration': {}},
            'migration': {'vm1': 'error'}})

    def test_prep_resize_failure_without_reschedule(self):
        self._resize(faults=[{'point': 'compute.prep_resize', 'host': 'host2'}])
        self.assert_end_state({
            'server': {'vm1': {'status': 'ERROR', 'host': 'host1'}},
            'allocations': {'vm1': {'host1': TINY}, 'vm1/migration': {}},
            'usages': {'host2': ZERO}, 'migration': {'vm1': 'error'}})

    def test_prep_resize_failure_rescheduled(self):
        self._resize(hosts=('host1', 'host2', 'host3'),
                     faults=[{'point': 'compute.prep_resize', 'nth': 1}])
        tried = self.cloud.faults.fired[0][1]
        dest = self.server().host
        self.assertNotIn(dest, ('host1', tried))
        self.assert_end_state({
            'server': {'vm1': {'status': 'VERIFY_RESIZE'}},
            'allocations': {'vm1': {dest: SMALL}, 'vm1/migration': {'host1': TINY}},
            'usages': {tried: ZERO},
            'migration': {'vm1': {'status': 'finished', 'count': 1, 'dest': dest}}})

    def test_resize_instance_failure(self):
        self._resize(faults=[{'point': 'compute.resize_instance', 'host': 'host1'}])
        self.assert_end_state({
            'server': {'vm1': {'status': 'ERROR', 'host': 'host1',
                               'fault': 'Simulated resize failure.'}},
            'allocations': {'vm1': {'host1': TINY}, 'vm1/migration': {}},
            'usages': {'host2': ZERO}, 'migration': {'vm1': 'error'}})

    def test_finish_resize_failure(self):
        self._resize(faults=[{'point': 'compute.finish_resize', 'host': 'host2'}])
        self.assert_end_state({
            'server': {'vm1': {'status': 'ERROR', 'host': 'host2', 'flavor': TINY}},
            'allocations': {'vm1': {'host2': SMALL}, 'vm1/migration': {}},
            'usages': {'host1': ZERO}, 'migration': {'vm1': 'error'}})

    def test_confirm_failure(self):
        def confirm():
            yield from self.cloud.api.confirm_resize('vm1')
            yield from self.settle()
        self._resize(then=confirm, faults=[{'point': 'driver.confirm_migration'}])
        self.assert_end_state({
            'server': {'vm1': {'status': 'ERROR', 'host': 'host2'}},
            'allocations': {'vm1': {'host2': SMALL}, 'vm1/migration': {}},
            'usages': {'host1': ZERO}, 'migration': {'vm1': 'error'}})


class DeleteDuringResizeProbeTest(base.MirrorTestCase):
    """§3.10 / Appendix A.2: delete the server while one resize step is held."""

    def _probe(self, point, host, revert=False):
        self.make()
        self.cloud.faults.add(point, host=host, action='stall')
        out = {}

        def steps():
            yield from self.boot_and_check_allocations(TINY, 'host1')
            yield from self.cloud.api.resize('vm1', SMALL)
            if revert:
                yield from self.wait_for_state_change('vm1', 'VERIFY_RESIZE')
                yield from self.cloud.api.revert_resize('vm1')
            yield from self.settle()
            inst, mig = self.server(), self.migration()
            self.assertEqual(1, len(self.cloud.faults.fired), 'the step is held')
            yield from self.cloud.api.delete('vm1')
            yield from self.wait_for(lambda: inst.deleted, 'vm1 deleted')
            yield from self.settle()
            self.cloud.release(point, host)
            yield from self.settle()
            out['before'] = ({h: a for h, a in self.allocations(inst.uuid).items()},
                             self.allocations(mig.uuid), self.quiescence_findings())
            yield from self.run_periodics()
            out['after'] = (self.allocations(inst.uuid), self.allocations(mig.uuid),
                            self.quiescence_findings())
        self.run_script(steps())
        return out

    def test_a_delete_during_migrate_disk_and_power_off(self):
        """Probe (a): the deleted server holds m1.tiny on host1 until the periodic on host1
        (bug 1848343's shape)."""
        out = self._probe('driver.migrate_disk_and_power_off', 'host1')
        inst_allocs, mig_allocs, found = out['before']
        self.assertEqual({'host1': self.resources(TINY)}, inst_allocs)
        self.assertEqual({}, mig_allocs)
        self.assertEqual([fnd.ALLOCATION_LEAK], [f.invariant for f in found])
        self.assertIn('(vm1) holds VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 (m1.tiny) after the '
                      'server was deleted', found[0].message)
        self.assertEqual(({}, {}, []), out['after'])

    def test_b_delete_during_finish_migration(self):
        """Probe (b): clean."""
        out = self._probe('driver.finish_migration', 'host2')
        self.assertEqual(({}, {}, []), out['before'])
        self.assertEqual(({}, {}, []), out['after'])

    def test_c_delete_before_dest_revert_resize(self):
        """Probe (c): M keeps m1.tiny on host1 for good; periodics do not heal it (open)."""
        out = self._probe('compute.revert_resize', 'host2', revert=True)
        for when in ('before', 'after'):
            inst_allocs, mig_allocs, found = out[when]
            self.assertEqual({}, inst_allocs)
            self.assertEqual({'host1': self.resources(TINY)}, mig_allocs)
            self.assertEqual([fnd.ALLOCATION_LEAK], [f.invariant for f in found])
            self.assertIn('(migration of vm1) holds VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 '
                          '(m1.tiny) after the server was deleted', found[0].message)

    def test_d_delete_during_finish_revert_migration(self):
        """Probe (d): clean."""
        out = self._probe('driver.finish_revert_migration', 'host1', revert=True)
        self.assertEqual(({}, {}, []), out['before'])
        self.assertEqual(({}, {}, []), out['after'])
