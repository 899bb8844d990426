"""Tests of scenario validation: every problem at once, with file:line:col and suggestions."""
import textwrap

import testtools

import harness.scenario as hs

GOOD = textwrap.dedent('''\
    flavors:
      m1.custom: {vcpus: 1, ram_mb: 256, disk_gb: 1}
    scenarios:
      - name: finish_resize fails on the destination
        bug: 1825537
        computes:
          host1: {}
          host2: {driver: FakeFinishMigrationFailDriver}
        steps:
          - boot:   {server: vm1, flavor: m1.custom, host: host1}
          - resize: {server: vm1, flavor: m1.small, host: host2}
          - wait:   {server: vm1, status: ERROR, migration: error}
        expect:
          server: {vm1: {status: ERROR, host: host2, fault: Virtual Interface creation failed}}
          usages:
            host1: {VCPU: 0, MEMORY_MB: 0, DISK_GB: 0}
          allocations: {vm1: {host2: m1.small}}
    ''')


def problems(text):
    """The problem lines that loading `text` gives (empty when it loads)."""
    try:
        hs.load_text(text, 's.yaml')
    except hs.ScenarioError as exc:
        return [str(p) for p in exc.problems]
    return []


class SchemaTest(testtools.TestCase):

    def test_good_file_loads(self):
        suite = hs.load_text(GOOD, 's.yaml')
        self.assertEqual(1, len(suite.scenarios))
        scenario = suite.scenarios[0]
        self.assertEqual(['boot', 'resize', 'wait'], [s.kind for s in scenario.steps])
        self.assertEqual([10, 11, 12], [s.line for s in scenario.steps])
        self.assertEqual(['host1', 'host2'], scenario.host_names())
        self.assertEqual('FakeFinishMigrationFailDriver', scenario.computes[1].driver)
        self.assertEqual({'VCPU': 1, 'MEMORY_MB': 256, 'DISK_GB': 1},
                         suite.flavors['m1.custom'].resources())

    def test_unknown_keys_get_suggestions_at_the_key(self):
        text = GOOD.replace('    bug: 1825537', '    bugg: 1825537').replace(
            '- resize:', '- rezise:').replace('status: ERROR, migration', 'status: EROR, migration')
        found = problems(text)
        self.assertEqual(3, len(found), found)
        self.assertTrue(found[0].startswith(
            "s.yaml:5:5: scenarios[0].bugg: unknown key 'bugg'; did you mean 'bug'?"), found[0])
        self.assertTrue(found[1].startswith(
            "s.yaml:11:9: scenarios[0].steps[1].rezise: unknown step or action 'rezise'; "
            "did you mean 'resize'?"), found[1])
        self.assertIn("s.yaml:12:39: scenarios[0].steps[2].wait.status: a string 'EROR' is not "
                      "allowed; did you mean 'ERROR'?", found[2])

    def test_types_and_required_keys(self):
        text = GOOD.replace("{server: vm1, flavor: m1.small, host: host2}",
                            "{server: vm1, host: 7}")
        found = problems(text)
        self.assertIn("s.yaml:11:17: scenarios[0].steps[1].resize: missing required key "
                      "'flavor'", found)
        self.assertIn('s.yaml:11:37: scenarios[0].steps[1].resize.host: expected a string, got an '
                      'integer 7', found)

    def test_two_kinds_in_one_step(self):
        text = GOOD.replace("      - wait:   {server: vm1, status: ERROR, migration: error}",
                            "      - {wait: {server: vm1, status: ERROR}, confirm: vm1}")
        found = problems(text)
        self.assertEqual(['s.yaml:12:9: scenarios[0].steps[2]: one entry per list item, found 2 '
                          '(confirm, wait); start each with "- "'], found)

    def test_short_forms_and_bad_short_forms(self):
        text = GOOD.replace("      - wait:   {server: vm1, status: ERROR, migration: error}",
                            "      - confirm: vm1\n      - restart: host1\n      - delete: 3")
        found = problems(text)
        self.assertEqual(['s.yaml:14:17: scenarios[0].steps[4].delete: expected a string or a '
                          'mapping, got an integer 3'], found)

    def test_resource_class_case(self):
        text = GOOD.replace('host1: {VCPU: 0, MEMORY_MB: 0', 'host1: {VCPU: 0, memory_mb: 0')
        found = problems(text)
        self.assertEqual(1, len(found))
        self.assertIn("invalid resource class 'memory_mb'; did you mean 'MEMORY_MB'?", found[0])

    def test_top_level_problems(self):
        self.assertEqual(["s.yaml:1:1: missing required key 'scenarios'"],
                         problems('flavors: {}\n'))
        self.assertEqual(['s.yaml:1:1: expected a mapping, got a list'], problems('- a\n'))

    def test_one_bad_scenario_does_not_hide_name_errors_in_another(self):
        text = GOOD + textwrap.indent(textwrap.dedent('''\
              - name: second
                computes: {h1: }
                steps:
                  - boot: {server: a, flavor: m1.tiyn, host: h1}
              - name: third
                computes: {h1: }
                steps: [{boot: {server: a, flavor: m1.tiny, hots: h1}}]
            '''), '  ')
        found = problems(text)
        self.assertEqual(2, len(found), found)
        self.assertIn("unknown flavor 'm1.tiyn'; did you mean 'm1.tiny'?", found[0])
        self.assertIn("unknown key 'hots'; did you mean 'host'?", found[1])


class NamesTest(testtools.TestCase):

    def test_unknown_names_all_at_once(self):
        text = GOOD.replace('FakeFinishMigrationFailDriver', 'FakeFinishMigrationFailDrivr')
        text = text.replace('{server: vm1, flavor: m1.small, host: host2}',
                            '{server: vm2, flavor: m1.smal, host: hots2}')
        found = problems(text)
        self.assertEqual(4, len(found), found)
        self.assertIn("unknown driver 'FakeFinishMigrationFailDrivr'; did you mean "
                      "'FakeFinishMigrationFailDriver'?", found[0])
        self.assertIn("s.yaml:11:26: scenarios[0].steps[1].resize.server: unknown server 'vm2': "
                      "no step boots it; did you mean 'vm1'?", found[1])
        self.assertIn("unknown flavor 'm1.smal'; did you mean 'm1.small'?", found[2])
        self.assertIn("unknown host 'hots2'; did you mean 'host2'?", found[3])

    def test_server_used_before_its_boot(self):
        text = GOOD.replace(
            "      - boot:   {server: vm1, flavor: m1.custom, host: host1}\n"
            "      - resize: {server: vm1, flavor: m1.small, host: host2}\n",
            "      - resize: {server: vm1, flavor: m1.small, host: host2}\n"
            "      - boot:   {server: vm1, flavor: m1.custom, host: host1}\n")
        found = problems(text)
        self.assertEqual(1, len(found), found)
        self.assertIn("unknown server 'vm1': it is booted by step 2, which comes later", found[0])

    def test_default_flavor_cannot_be_redefined(self):
        found = problems(GOOD.replace('m1.custom: {', 'm1.tiny: {'))
        self.assertIn("flavor 'm1.tiny' is one of Nova's default flavors (vcpus 1, ram_mb 512, "
                      "disk_gb 1)", found[0])

    def test_default_flavor_may_be_repeated_unchanged(self):
        text = GOOD.replace('flavors:\n', 'flavors:\n  m1.tiny: {vcpus: 1, ram_mb: 512, '
                            'disk_gb: 1}\n')
        self.assertEqual([], problems(text))

    def test_faults(self):
        text = GOOD.replace('    steps:\n', textwrap.indent(textwrap.dedent('''\
            faults:
              - {point: driver.finish_migraton, exception: VirtualInterfaceCreateExcepton}
              - {point: driver.spawn, action: stall, exception: ResizeError}
              - {operation: put_allocation, kind: consumer_generation_conflict}
              - {operation: delete_allocations, kind: consumer_generation_conflict}
              - {operation: put_allocations, kind: unavailable, host: host1}
              - {nth: 2}
            steps:
            '''), '    '))
        found = problems(text)
        self.assertEqual(7, len(found), '\n'.join(found))
        self.assertIn("unknown fault point 'driver.finish_migraton'; did you mean "
                      "'driver.finish_migration'?", found[0])
        self.assertIn("unknown exception 'VirtualInterfaceCreateExcepton'; did you mean "
                      "'VirtualInterfaceCreateException'?", found[1])
        self.assertIn("an exception only goes with action: raise, not 'stall'", found[2])
        self.assertIn("unknown Placement operation 'put_allocation'; did you mean "
                      "'put_allocations'?", found[3])
        self.assertIn("fault kind 'consumer_generation_conflict' does not apply to "
                      "delete_allocations", found[4])
        self.assertIn("'host' is for driver faults", found[5])
        self.assertIn('a fault needs point', found[6])

    def test_release_needs_a_stall(self):
        text = GOOD.replace("      - wait:   {server: vm1, status: ERROR, migration: error}",
                            "      - release: driver.spawn")
        found = problems(text)
        self.assertEqual(1, len(found))
        self.assertIn("no stall fault at 'driver.spawn' to release", found[0])

    def test_unknown_bug_and_api_error(self):
        text = GOOD.replace('    computes:', '    reintroduce: [1825538]\n    computes:')
        text = text.replace('host: host2}\n      - wait', 'host: host2, error: NoValidHst}\n'
                            '      - wait')
        found = problems(text)
        self.assertEqual(2, len(found), found)
        self.assertIn("bug 1825538 has no switch in the model; did you mean '1825537'?",
                      found[0])
        self.assertIn("unknown exception 'NoValidHst'; did you mean 'NoValidHost'?", found[1])

    def test_concurrent_after_must_follow_the_boot(self):
        text = GOOD + '    concurrent:\n      - delete: {server: vm1, after: 0}\n' \
            '      - periodic: {host: host1, after: 9}\n'
        found = problems(text)
        self.assertEqual(2, len(found), found)
        self.assertIn("'vm1' is booted by step 1; start this after: 1 or later", found[0])
        self.assertIn('after: 9 is past the last step (3 steps)', found[1])

    def test_duplicate_scenario_names(self):
        text = GOOD + '  - name: Finish_resize fails on the destination!\n' \
            '    computes: {h: }\n    steps: [{sleep: 1}]\n'
        found = problems(text)
        self.assertEqual(1, len(found))
        self.assertIn('is used twice (first at line 4)', found[0])

    def test_catches_and_xfail_do_not_mix(self):
        text = GOOD + '    catches: [1825537]\n    xfail: {reason: known}\n'
        found = problems(text)
        self.assertEqual(1, len(found), found)
        self.assertIn('catches: needs a scenario that passes, but this one is xfail', found[0])

    def test_fifo_exploration_is_refused(self):
        text = GOOD + '    explore: {strategy: fifo, schedules: 10}\n'
        found = problems(text)
        self.assertIn('fifo always takes the same schedule', found[0])


class MatrixTest(testtools.TestCase):

    TEXT = textwrap.dedent('''\
        scenarios:
          - name: fault during a resize
            matrix: {point: [driver.migrate_disk_and_power_off, driver.finish_migration]}
            computes: {host1: , host2: }
            faults: [{point: "${point}"}]
            steps:
              - boot: {server: vm1, flavor: m1.tiny, host: host1}
              - resize: {server: vm1, flavor: m1.small, host: host2}
        ''')

    def test_one_scenario_per_value(self):
        suite = hs.load_text(self.TEXT, 's.yaml')
        self.assertEqual(['fault during a resize[point=driver.migrate_disk_and_power_off]',
                          'fault during a resize[point=driver.finish_migration]'],
                         [s.variant_name for s in suite.scenarios])
        self.assertEqual(['driver.migrate_disk_and_power_off', 'driver.finish_migration'],
                         [s.faults[0].args['point'] for s in suite.scenarios])

    def test_bad_value_names_the_variant(self):
        found = problems(self.TEXT.replace('driver.finish_migration]', 'driver.finish_migraton]'))
        self.assertEqual(1, len(found), found)
        self.assertIn("s.yaml:5:22: scenarios[0].faults[0].point: unknown fault point "
                      "'driver.finish_migraton'", found[0])
        self.assertIn('(matrix point=driver.finish_migraton)', found[0])

    def test_unknown_and_unused_variables(self):
        text = self.TEXT.replace('"${point}"', '"${pont}"')
        found = problems(text)
        self.assertEqual(2, len(found), found)
        self.assertIn("unknown matrix variable '${pont}'; did you mean 'point'?", found[1])
        self.assertIn("matrix variable 'point' is not used", found[0])


class OddFilesTest(testtools.TestCase):

    def test_empty_and_non_mapping_files(self):
        self.assertEqual(['s.yaml:1:1: the file is empty; it needs a scenarios: list (see '
                          'doc/scenario-format.md)'], problems(''))
        self.assertEqual(["s.yaml:1:1: expected a mapping, got a string 'hello'"],
                         problems('hello\n'))
        self.assertEqual(['s.yaml:1:13: scenarios[0]: expected a mapping, got null'],
                         problems('scenarios: [null]\n'))

    def test_tabs_get_a_hint(self):
        found = problems('scenarios:\n\t- name: x\n')
        self.assertEqual(1, len(found))
        self.assertIn('s.yaml:2:1: invalid YAML', found[0])
        self.assertIn('(indent with spaces, not tabs)', found[0])
