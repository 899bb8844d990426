"""Tests of the resize-harness command: exit codes, messages, formats, replay and report."""
import io
import json
import os
import shlex
import textwrap

import fixtures
import subunit
import testtools

from harness.cmd import main

BUG = textwrap.dedent('''\
    scenarios:
      - name: finish_resize fails
        catches: [1825537]
        computes:
          host1: {driver: FakeFinishMigrationFailDriver}
          host2: {driver: FakeFinishMigrationFailDriver}
        steps:
          - boot:   {server: vm1, flavor: m1.tiny, host: host1}
          - wait:   {server: vm1, status: ACTIVE}
          - resize: {server: vm1, flavor: m1.small, host: host2}
          - wait:   {server: vm1, status: ERROR, migration: error}
        expect:
          usages:
            host1: {VCPU: 0, MEMORY_MB: 0, DISK_GB: 0}
            host2: {VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20}
      - name: known bad
        xfail: {bug: 1790204, reason: wrong on purpose}
        computes: {host1: }
        steps: [{boot: {server: vm1, flavor: m1.tiny, host: host1}}]
        expect: {usages: {host1: {VCPU: 3}}}
    ''')

RACE = textwrap.dedent('''\
    scenarios:
      - name: revert racing a delete
        computes: {host1: , host2: }
        explore: {strategy: random, seeds: 1, schedules: 20}
        steps:
          - boot:   {server: vm1, flavor: m1.tiny, host: host1}
          - wait:   {server: vm1, status: ACTIVE}
          - resize: {server: vm1, flavor: m1.small, host: host2}
          - wait:   {server: vm1, status: VERIFY_RESIZE}
        concurrent:
          - revert: {server: vm1}
          - delete: {server: vm1}
    ''')


class CommandTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.MonkeyPatch('os.getcwd', os.getcwd))

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def run_cmd(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        code = main.main(list(argv), stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    def test_validate_good_and_bad(self):
        good = self.write('good.yaml', BUG)
        code, out, err = self.run_cmd('validate', good)
        self.assertEqual((0, '1 file(s) valid with 2 scenario(s)\n', ''), (code, out, err))
        bad = self.write('bad.yaml', BUG.replace('resize:', 'rezise:').replace(
            'flavor: m1.tiny, host: host1}', 'flavor: m1.tiyn, host: host1}', 1))
        code, out, err = self.run_cmd('validate', good, bad)
        self.assertEqual(2, code)
        lines = err.splitlines()
        self.assertEqual(3, len(lines), err)
        self.assertTrue(lines[0].startswith(bad + ":8:39: scenarios[0].steps[0].boot.flavor: "
                                            "unknown flavor 'm1.tiyn'; did you mean "
                                            "'m1.tiny'?"), lines[0])
        self.assertTrue(lines[1].startswith(bad + ":10:9: scenarios[0].steps[2].rezise: "
                                            "unknown step or action 'rezise'; did you mean "
                                            "'resize'?"), lines[1])
        self.assertIn('2 problem(s); 1 file(s) valid', lines[-1])
        self.assertNotIn('Traceback', err)

    def test_validate_missing_path(self):
        code, out, err = self.run_cmd('validate', os.path.join(self.dir, 'nope.yaml'))
        self.assertEqual(2, code)
        self.assertIn('nope.yaml:1:1: no such file or folder', err)

    def test_list(self):
        self.write('lib.yaml', BUG)
        code, out, err = self.run_cmd('list', self.dir)
        self.assertEqual(0, code)
        self.assertEqual(['scenarios.lib.finish_resize_fails',
                          'scenarios.lib.finish_resize_fails[reintroduce=1825537]',
                          'scenarios.lib.known_bad (xfail: bug 1790204)'], out.splitlines())

    def test_run_passes_with_xfail_counted_as_expected(self):
        self.write('lib.yaml', BUG)
        code, out, err = self.run_cmd('run', self.dir)
        self.assertEqual(0, code, out + err)
        self.assertIn('PASS   scenarios.lib.finish_resize_fails\n', out)
        self.assertIn('XFAIL  scenarios.lib.known_bad  (bug 1790204: wrong on purpose)', out)
        self.assertIn('2 passed, 0 failed, 1 expected failures', out)

    def test_reintroduced_bug_fails_with_replay_command(self):
        path = self.write('lib.yaml', BUG)
        code, out, err = self.run_cmd('run', path, '--reintroduce', '1825537',
                                      '--scenario', 'finish_resize fails')
        self.assertEqual(1, code)
        self.assertIn('FAIL   scenarios.lib.finish_resize_fails', out)
        self.assertIn('expect-usage: usage on host1: expected VCPU=0 MEMORY_MB=0 DISK_GB=0, got '
                      'VCPU=1 MEMORY_MB=512 DISK_GB=1', out)
        self.assertIn("replay: resize-harness run %s --scenario 'finish_resize fails' "
                      "--reintroduce 1825537" % path, out)

    def test_bad_flags_are_bad_input(self):
        path = self.write('lib.yaml', BUG)
        code, out, err = self.run_cmd('run', path, '--reintroduce', '1825538')
        self.assertEqual(2, code)
        self.assertIn("no historical bug 1825538 in the model; did you mean '1825537'?", err)
        code, out, err = self.run_cmd('run', path, '--scenario', 'finish_resize fail')
        self.assertEqual(2, code)
        self.assertIn("did you mean 'finish_resize fails'?", err)
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', io.StringIO()))
        self.assertEqual(2, self.assertRaises(SystemExit, self.run_cmd, 'run', path,
                                              '--strategy', 'fiffo').code)

    def test_bad_config_file(self):
        path = self.write('lib.yaml', BUG)
        conf = self.write('h.conf', '[simulation]\nstrategy = sideways\n')
        code, out, err = self.run_cmd('run', path, '--config-file', conf)
        self.assertEqual(2, code)
        self.assertIn('configuration:', err)
        self.assertIn('sideways', err)

    def test_json_output(self):
        path = self.write('lib.yaml', BUG)
        code, out, err = self.run_cmd('run', path, '--format', 'json')
        doc = json.loads(out)
        self.assertEqual({'pass': 2, 'fail': 0, 'xfail': 1, 'uxsuccess': 0, 'error': 0},
                         doc['summary'])
        self.assertEqual(['pass', 'pass', 'xfail'], [r['status'] for r in doc['results']])

    def test_subunit_output(self):
        path = self.write('lib.yaml', BUG)
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding='utf-8')
        code = main.main(['run', path, '--format', 'subunit'], stdout=stream,
                         stderr=io.StringIO())
        stream.flush()
        self.assertEqual(0, code)
        summary = testtools.StreamSummary()
        case = subunit.ByteStreamToStreamResult(io.BytesIO(raw.getvalue()))
        summary.startTestRun()
        case.run(summary)
        summary.stopTestRun()
        self.assertEqual(3, summary.testsRun)
        self.assertTrue(summary.wasSuccessful())
        self.assertEqual(1, len(summary.expectedFailures))

    def test_explore_replay_and_json_replay(self):
        path = self.write('race.yaml', RACE)
        code, out, err = self.run_cmd('explore', path, '--schedules', '20', '--format', 'json')
        self.assertEqual(1, code)
        verdict = json.loads(out)['results'][0]['verdict']
        command = shlex.split(verdict['replay_command'])
        self.assertEqual(['resize-harness', 'replay', path], command[:3])
        code, out, err = self.run_cmd(*command[1:])
        self.assertEqual(1, code)
        self.assertIn('allocation-leak', out)
        saved = self.write('result.json', json.dumps({'results': [{'verdict': verdict}]}))
        code, again, err = self.run_cmd('replay', saved)
        self.assertEqual((1, out), (code, again))

    def test_replay_bad_choices(self):
        path = self.write('race.yaml', RACE)
        code, out, err = self.run_cmd('replay', path, '--scenario', 'revert racing a delete',
                                      '--choices', '1,x')
        self.assertEqual(2, code)
        self.assertIn('--choices must be comma-separated task ids', err)

    def test_report_is_self_contained_html(self):
        path = self.write('lib.yaml', BUG)
        page = os.path.join(self.dir, 'report.html')
        code, out, err = self.run_cmd('report', path, '--reintroduce', '1825537', '-o', page)
        self.assertEqual(1, code)
        with open(page) as f:
            text = f.read()
        self.assertIn('<svg', text)
        self.assertIn('<polyline', text)
        self.assertIn('MEMORY_MB', text)
        self.assertIn('resize-harness run', text)
        self.assertNotIn('<script', text)
        self.assertNotIn('src="http', text)
        self.assertNotIn('href="http', text)
