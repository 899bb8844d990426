"""Tests of harness.runner on the simulated Nova: verdicts, findings, replay, exploration."""
import textwrap

import testtools

import harness.scenario as hs
from harness import runner
from harness.testing import cases

BUG = textwrap.dedent('''\
    scenarios:
      - name: finish_resize fails
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
          allocations: {vm1: {host2: m1.small}}
    ''')


def scenario(text, index=0):
    return hs.load_text(text, 'scenarios/t.yaml').scenarios[index]


class RunTest(testtools.TestCase):

    def test_current_behaviour_passes(self):
        verdict = runner.run(scenario(BUG))
        self.assertTrue(verdict.passed, verdict.summary())
        self.assertEqual([], verdict.findings)
        self.assertEqual("resize-harness run scenarios/t.yaml --scenario 'finish_resize fails'",
                         verdict.replay_command)
        self.assertEqual('end', verdict.timeline[-1][1])
        end_usage = dict(verdict.timeline[-1][2])
        self.assertEqual((('DISK_GB', 20), ('MEMORY_MB', 2048), ('VCPU', 1)),
                         end_usage['host2'])

    def test_reintroduced_bug_fails_naming_the_leak(self):
        verdict = runner.run(scenario(BUG), reintroduce=('1825537',))
        self.assertFalse(verdict.passed)
        invariants = set(f.invariant for f in verdict.findings)
        self.assertIn('expect-allocation', invariants)
        self.assertIn('expect-usage', invariants)
        text = verdict.report()
        self.assertIn('MEMORY_MB=512', text)
        self.assertIn('host1', text)
        self.assertIn('CWE-404', text)

    def test_runs_are_deterministic(self):
        first = runner.run(scenario(BUG))
        second = runner.run(scenario(BUG))
        self.assertEqual(first.trace, second.trace)
        self.assertEqual(first.steps, second.steps)

    def test_expected_api_error(self):
        text = BUG.replace("      - wait:   {server: vm1, status: ERROR, migration: error}\n",
                           "      - wait:   {server: vm1, status: ERROR, migration: error}\n"
                           "      - confirm: {server: vm1, error: 409}\n")
        self.assertTrue(runner.run(scenario(text)).passed)
        verdict = runner.run(scenario(text.replace('error: 409', 'error: 404')))
        self.assertFalse(verdict.passed)
        self.assertEqual('step-failed', verdict.findings[0].invariant)
        self.assertIn('(expected 404)', verdict.findings[0].message)
        self.assertIn('5 (confirm error=404 server=vm1, line 11)', verdict.findings[0].step)
        unexpected = text.replace('{server: vm1, error: 409}', 'vm1')
        verdict = runner.run(scenario(unexpected))
        self.assertIn('the request failed: ApiError', verdict.findings[0].message)

    def test_wait_timeout_is_a_finding(self):
        text = BUG.replace('status: ERROR, migration: error}',
                           'status: VERIFY_RESIZE, timeout: 30}')
        verdict = runner.run(scenario(text))
        self.assertFalse(verdict.passed)
        finding = verdict.findings[0]
        self.assertEqual('step-failed', finding.invariant)
        self.assertIn('timed out after 30 virtual seconds; status is ERROR, wanted '
                      'VERIFY_RESIZE', finding.message)


RACE = textwrap.dedent('''\
    scenarios:
      - name: revert racing a delete
        computes: {host1: , host2: }
        explore: {strategy: random, seeds: 1, schedules: 100}
        steps:
          - boot:   {server: vm1, flavor: m1.tiny, host: host1}
          - wait:   {server: vm1, status: ACTIVE}
          - resize: {server: vm1, flavor: m1.small, host: host2}
          - wait:   {server: vm1, status: VERIFY_RESIZE}
        concurrent:
          - revert: {server: vm1}
          - delete: {server: vm1}
        expect:
          usages:
            host1: {VCPU: 0, MEMORY_MB: 0, DISK_GB: 0}
            host2: {VCPU: 0, MEMORY_MB: 0, DISK_GB: 0}
    ''')


class ExploreTest(testtools.TestCase):

    def test_failing_schedule_is_shrunk_and_replays(self):
        race = scenario(RACE)
        settings = cases.Settings()
        verdict = runner.run_case(race, 'tests.scenarios.t.revert_racing_a_delete[seed=0]', 0,
                                  settings)
        self.assertFalse(verdict.passed)
        self.assertEqual('random', verdict.strategy)
        self.assertLessEqual(len(verdict.choices), len(verdict.original_choices))
        self.assertIn('resize-harness replay scenarios/t.yaml', verdict.replay_command)
        self.assertIn('--choices ' + ','.join(str(c) for c in verdict.choices),
                      verdict.replay_command)
        again = runner.run(race, 'random', verdict.seed, choices=verdict.choices)
        self.assertEqual([f.key() for f in verdict.findings],
                         [f.key() for f in again.findings])
        self.assertEqual(verdict.trace, again.trace)
        self.assertIn('CWE-362', verdict.findings[0].cwe)

    def test_fifo_order_leaks_the_migration_allocation(self):
        # fifo: the revert request is cast first, the delete terminates the instance on the
        # destination before revert_resize runs there (probe (c) of the flow reference).
        verdict = runner.run(scenario(RACE), 'fifo')
        self.assertFalse(verdict.passed)
        leaks = [f for f in verdict.findings if f.invariant == 'allocation-leak']
        self.assertEqual(1, len(leaks), verdict.report())
        self.assertIn('migration of vm1', leaks[0].message)
        self.assertNotIn('CWE-362', leaks[0].cwe)


MISC = textwrap.dedent('''\
    scenarios:
      - name: inventory shrinks before a resize
        computes: {host1: , host2: }
        concurrent:
          - periodic: {host: host1, interval: 30}
        steps:
          - boot:   {server: vm1, flavor: m1.tiny, host: host1}
          - wait:   {server: vm1, status: ACTIVE}
          - set_inventory: {host: host2, inventory: {MEMORY_MB: 1024}}
          - resize: {server: vm1, flavor: m1.small, host: host2}
          - wait:   {server: vm1, migration: error}
          - sleep:  100
        expect:
          server: {vm1: {status: ACTIVE, host: host1}}
          usages: {host2: {MEMORY_MB: 0}}
    ''')


class ActionsTest(testtools.TestCase):

    def test_inventory_edit_and_periodic_work(self):
        verdict = runner.run(scenario(MISC))
        self.assertTrue(verdict.passed, verdict.report())
        before_liveness = verdict.trace.split('liveness.begin')[0]
        periodic_runs = [line.split()[1] for line in before_liveness.splitlines()
                         if 'periodic update_available_resource host1: start' in line
                         and '-> sleep' not in line]     # not the daemon's own first step
        self.assertEqual(['@30', '@60', '@90'], periodic_runs)
        self.assertNotIn('update_available_resource host2', before_liveness)

    def test_without_the_inventory_edit_the_resize_succeeds(self):
        text = MISC.replace('      - set_inventory: {host: host2, inventory: {MEMORY_MB: 1024}}\n',
                            '')
        verdict = runner.run(scenario(text))
        self.assertFalse(verdict.passed)
        self.assertIn('step-failed', [f.invariant for f in verdict.findings])


DESIGN_EXAMPLE = textwrap.dedent('''\
    flavors:
      m1.tiny:  {vcpus: 1, ram_mb: 512,  disk_gb: 1}
    scenarios:
      - name: finish_resize fails on the destination
        bug: 1825537
        computes:
          host1: {}
          host2: {driver: FakeFinishMigrationFailDriver}
        steps:
          - boot:   {server: vm1, flavor: m1.tiny, host: host1}
          - resize: {server: vm1, flavor: m1.small, host: host2}
          - wait:   {server: vm1, status: ERROR, migration: error}
        expect:
          server: {vm1: {status: ERROR, host: host2, fault: Virtual Interface creation failed}}
          usages:
            host1: {VCPU: 0, MEMORY_MB: 0, DISK_GB: 0}
            host2: {VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20}
          allocations: {vm1: {host2: m1.small}}
    ''')


class BootTest(testtools.TestCase):

    def test_design_example_passes_because_boot_waits_for_the_build(self):
        verdict = runner.run(scenario(DESIGN_EXAMPLE))
        self.assertTrue(verdict.passed, verdict.report())

    def test_boot_without_waiting_races_the_build(self):
        text = DESIGN_EXAMPLE.replace('host: host1}', 'host: host1, wait: false}')
        verdict = runner.run(scenario(text))
        self.assertFalse(verdict.passed)
        self.assertIn("while it is in vm_state building", verdict.findings[0].message)


STOPPED = textwrap.dedent('''\
    scenarios:
      - name: resize a stopped server onto a host that shrank
        computes: {host1: , host2: }
        steps:
          - boot:   {server: vm1, flavor: m1.tiny, host: host1}
          - stop_server: vm1
          - wait:   {server: vm1, status: SHUTOFF}
          - driver_inventory: {host: host2, inventory: {MEMORY_MB: 1024}}
          - run_periodic: host2
          - resize: {server: vm1, flavor: m1.small, host: host2}
          - wait:   {server: vm1, migration: error}
        expect:
          server: {vm1: {status: SHUTOFF, host: host1}}
    ''')


class ServerAndDriverStepsTest(testtools.TestCase):

    def test_driver_inventory_reaches_placement_at_the_periodic(self):
        verdict = runner.run(scenario(STOPPED))
        self.assertTrue(verdict.passed, verdict.report())

    def test_without_the_periodic_placement_keeps_the_old_inventory(self):
        text = STOPPED.replace('      - run_periodic: host2\n', '')
        verdict = runner.run(scenario(text))
        self.assertFalse(verdict.passed)
        self.assertIn('migration is finished, wanted error', verdict.report())
