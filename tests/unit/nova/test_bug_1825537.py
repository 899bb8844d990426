"""The vertical slice: bug 1825537's scenario (finish_resize fails on the destination)."""

import testtools

from tests.unit.nova import helpers


class FinishResizeFailureTest(testtools.TestCase):
    """Reference §1 and §8.1: resize m1.tiny -> m1.small onto a host whose finish fails."""

    def _run(self, reintroduce=()):
        cloud = helpers.make_cloud({"host1": "FakeDriver",
                                    "host2": "FakeFinishMigrationFailDriver"},
                                   reintroduce=reintroduce)
        self.m_emptied = helpers.when_emptied(
            cloud, lambda: helpers.latest_migration_uuid(cloud, "vm1"))

        def scenario():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            status = yield from cloud.api.resize("vm1", "m1.small", host="host2")
            self.assertEqual(202, status)
            yield from helpers.wait_until(cloud, helpers.migration_is(cloud, "vm1", "error"))
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "ERROR"))
        result, _ = helpers.run(cloud, scenario())
        self.assertEqual({}, result.failures)
        self.assertEqual([], result.deadlocked)
        return cloud

    def test_current_behaviour(self):
        cloud = self._run()
        vm = cloud.instances["vm1"]
        migration = cloud.migrations_of("vm1")[-1]
        self.assertEqual("ERROR", vm.status)
        self.assertEqual(("error", None), (vm.vm_state, vm.task_state))
        self.assertEqual("host2", vm.host)
        self.assertIn("Virtual Interface creation failed", vm.fault.message)
        self.assertEqual("error", migration.status)
        small = helpers.flavor_resources(cloud, "m1.small")
        self.assertEqual({}, helpers.usage(cloud, "host1"))
        self.assertEqual(small, helpers.usage(cloud, "host2"))
        self.assertEqual({"host2": small}, helpers.allocations(cloud, vm.uuid))
        self.assertEqual({}, helpers.allocations(cloud, migration.uuid))
        # §1.6: the record's flavor is reset to the old one while Placement holds the new one.
        self.assertEqual("m1.tiny", vm.flavor.name)
        self.assertEqual("m1.small", vm.new_flavor.name)
        self.assertEqual(1, len(cloud.migrations))

    def test_order_of_failure_side_effects(self):
        """§1.5: vm_state error, then M deleted, then the fault, migration error, task None."""
        cloud = self._run()
        vm = cloud.instances["vm1"]
        transitions = list(cloud.transitions)
        tail = [(t.kind, t.after) for t in transitions[-3:]]
        self.assertEqual([("instance", ("error", "resize_finish")),
                          ("migration", "error"),
                          ("instance", ("error", None))], tail)
        self.assertEqual(1, len(vm.faults))
        # M is gone after vm_state error and before the migration goes to error (§8.4).
        self.assertEqual([len(transitions) - 2], self.m_emptied)

    def test_bug_1825537_reintroduced(self):
        cloud = self._run(reintroduce=("1825537",))
        vm = cloud.instances["vm1"]
        migration = cloud.migrations_of("vm1")[-1]
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual("host2", vm.host)
        self.assertEqual("ERROR", vm.status)
        self.assertEqual("error", migration.status)
        self.assertEqual(tiny, helpers.usage(cloud, "host1"))
        self.assertEqual({}, helpers.usage(cloud, "host2"))
        self.assertEqual({"host1": tiny}, helpers.allocations(cloud, vm.uuid))
        self.assertEqual({}, helpers.allocations(cloud, migration.uuid))

    def test_bug_1749215_reintroduced_leaks_both(self):
        cloud = self._run(reintroduce=("1749215",))
        vm = cloud.instances["vm1"]
        migration = cloud.migrations_of("vm1")[-1]
        self.assertEqual({"host2": helpers.flavor_resources(cloud, "m1.small")},
                         helpers.allocations(cloud, vm.uuid))
        self.assertEqual({"host1": helpers.flavor_resources(cloud, "m1.tiny")},
                         helpers.allocations(cloud, migration.uuid))
