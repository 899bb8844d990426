"""Tests of harness.testing: scenario files as testtools tests, and the fixtures."""
import os
import textwrap
import unittest

import fixtures
import testtools

from harness import sim
from harness.testing import load_scenario_tests
from harness.testing import PlacementFixture
from harness.testing import SimulationFixture

GOOD = textwrap.dedent('''\
    scenarios:
      - name: resize confirmed
        computes: {host1: , host2: }
        steps:
          - boot:    {server: vm1, flavor: m1.tiny, host: host1}
          - wait:    {server: vm1, status: ACTIVE}
          - resize:  {server: vm1, flavor: m1.small, host: host2}
          - wait:    {server: vm1, status: VERIFY_RESIZE}
          - confirm: vm1
          - wait:    {server: vm1, status: ACTIVE, migration: confirmed}
        expect:
          usages: {host1: {VCPU: 0, MEMORY_MB: 0, DISK_GB: 0}}
      - name: wrong expectation
        computes: {host1: }
        steps:
          - boot: {server: vm1, flavor: m1.tiny, host: host1}
        expect:
          usages: {host1: {VCPU: 2}}
      - name: known wrong
        xfail: {bug: 1, reason: the expectation is wrong on purpose}
        computes: {host1: }
        steps:
          - boot: {server: vm1, flavor: m1.tiny, host: host1}
        expect:
          usages: {host1: {VCPU: 2}}
      - name: xfail that passes
        xfail: {reason: nothing is wrong}
        computes: {host1: }
        steps:
          - boot: {server: vm1, flavor: m1.tiny, host: host1}
    ''')


class _Result(testtools.TestResult):
    """Collects outcomes by test id, with the details of each."""

    def __init__(self):
        super().__init__()
        self.outcomes = {}
        self.details = {}

    def _note(self, test, outcome, details):
        self.outcomes[test.id()] = outcome
        self.details[test.id()] = dict((k, v.as_text()) for k, v in (details or {}).items())

    def addSuccess(self, test, details=None):
        self._note(test, 'success', details)

    def addFailure(self, test, err=None, details=None):
        self._note(test, 'failure', details)

    def addError(self, test, err=None, details=None):
        self._note(test, 'error', details)

    def addExpectedFailure(self, test, err=None, details=None):
        self._note(test, 'xfail', details)

    def addUnexpectedSuccess(self, test, details=None):
        self._note(test, 'uxsuccess', details)


class LoadTestsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path

    def write(self, name, text):
        with open(os.path.join(self.dir, name), 'w') as f:
            f.write(text)

    def run_suite(self):
        suite = load_scenario_tests(self.dir)
        result = _Result()
        suite.run(result)
        return suite, result

    def test_outcomes_and_details(self):
        self.write('lib.yaml', GOOD)
        suite, result = self.run_suite()
        self.assertEqual(4, suite.countTestCases())
        self.assertEqual({
            'tests.scenarios.lib.resize_confirmed': 'success',
            'tests.scenarios.lib.wrong_expectation': 'failure',
            'tests.scenarios.lib.known_wrong': 'xfail',
            'tests.scenarios.lib.xfail_that_passes': 'uxsuccess',
        }, result.outcomes)
        details = result.details['tests.scenarios.lib.wrong_expectation']
        self.assertIn("resize-harness run", details['replay'])
        self.assertIn("--scenario 'wrong expectation'", details['replay'])
        self.assertIn('expect-usage', details['usage difference'])
        self.assertIn('host1: nothing -> DISK_GB=1 MEMORY_MB=512 VCPU=1',
                      details['usage difference'])
        self.assertIn('strategy: fifo', details['schedule'])
        self.assertIn('api.boot vm1', details['trace'])
        self.assertIn('expect-usage', details['findings'])

    def test_broken_file_is_one_failing_test_and_the_rest_runs(self):
        self.write('lib.yaml', GOOD)
        self.write('broken.yaml', 'scenarios:\n  - name: x\n    computes: {h: }\n'
                   '    stepz: []\n')
        suite, result = self.run_suite()
        self.assertEqual('failure', result.outcomes['tests.scenarios.broken'])
        self.assertEqual('success', result.outcomes['tests.scenarios.lib.resize_confirmed'])
        self.assertEqual(5, len(result.outcomes))

    def test_ids_are_stable_between_loads(self):
        self.write('lib.yaml', GOOD)
        first = [t.id() for t in load_scenario_tests(self.dir)]
        second = [t.id() for t in load_scenario_tests(self.dir)]
        self.assertEqual(first, second)
        self.assertEqual(len(first), len(set(first)))

    def test_runs_under_unittest_runner(self):
        self.write('lib.yaml', GOOD.split('  - name: wrong expectation')[0])
        result = unittest.TestResult()
        load_scenario_tests(self.dir).run(result)
        self.assertEqual((1, [], []), (result.testsRun, result.failures, result.errors))


class FixturesTest(testtools.TestCase):

    def test_simulation_fixture(self):
        fx = self.useFixture(SimulationFixture(hosts=('host1', 'host2')))
        cloud = fx.cloud

        def steps():
            yield from cloud.api.boot('vm1', 'm1.tiny', host='host1')
            while cloud.instances['vm1'].status != 'ACTIVE':
                yield sim.Wait(cloud.changed)

        fx.spawn(steps(), name='steps')
        result = fx.run()
        self.assertEqual({}, result.failures)
        self.assertEqual('ACTIVE', cloud.instances['vm1'].status)
        self.assertEqual([], fx.findings())
        usages = fx.placement.get_usages(cloud.compute_rp('host1'))
        self.assertEqual(512, usages['MEMORY_MB'])

    def test_simulation_fixture_cleans_up(self):
        fx = SimulationFixture(hosts=('host1',))
        with fx:
            self.assertIsNotNone(fx.cloud)
        self.assertIsNone(fx.cloud)

    def test_placement_fixture(self):
        fx = self.useFixture(PlacementFixture())
        rp = fx.placement.create_provider('cn1')
        self.assertEqual('cn1', fx.placement.get_provider(rp['uuid'])['name'])
        self.assertTrue(callable(fx.app))

    def test_placement_fixture_over_http(self):
        import requests
        fx = self.useFixture(PlacementFixture(intercept=True))
        fx.placement.create_provider('cn1')
        headers = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39'}
        reply = requests.get(fx.url + '/resource_providers', headers=headers)
        self.assertEqual(200, reply.status_code)
        self.assertEqual(['cn1'], [rp['name'] for rp in reply.json()['resource_providers']])
