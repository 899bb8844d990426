"""Boot (with reschedule and abort), the periodic task's healing, and bug 1848343's rollback."""

import testtools

from harness import sim
from tests.unit.nova import helpers


class BootTest(testtools.TestCase):

    def _boot(self, computes, host=None, until="ACTIVE"):
        cloud = helpers.make_cloud(computes)

        def steps():
            yield from cloud.api.boot("vm1", "m1.tiny", host=host)
            yield from helpers.wait_until(cloud, lambda: (
                cloud.instances["vm1"].status == until
                and cloud.instances["vm1"].task_state is None))
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        return cloud

    def test_boot_on_forced_host(self):
        cloud = self._boot({"host1": "FakeDriver", "host2": "FakeDriver"}, host="host2")
        vm = cloud.instances["vm1"]
        self.assertEqual(("host2", "ACTIVE"), (vm.host, vm.status))
        self.assertEqual({"host2": helpers.flavor_resources(cloud, "m1.tiny")},
                         helpers.allocations(cloud, vm.uuid))

    def test_reschedule_driver_moves_the_build_to_an_alternate(self):
        cloud = self._boot({"host1": "FakeRescheduleDriver", "host2": "FakeRescheduleDriver"})
        vm = cloud.instances["vm1"]
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual("ACTIVE", vm.status)
        self.assertEqual({vm.host: tiny}, helpers.allocations(cloud, vm.uuid))
        other = "host1" if vm.host == "host2" else "host2"
        self.assertEqual({}, helpers.usage(cloud, other))
        self.assertIn("FakeRescheduleDriver", vm.fault.message)

    def test_reschedule_driver_on_a_forced_host_errors_out(self):
        cloud = self._boot({"host1": "FakeRescheduleDriver"}, host="host1", until="ERROR")
        vm = cloud.instances["vm1"]
        self.assertIsNone(vm.host)
        self.assertEqual({}, helpers.allocations(cloud, vm.uuid))

    def test_build_abort_driver(self):
        cloud = self._boot({"host1": "FakeBuildAbortDriver"}, until="ERROR")
        vm = cloud.instances["vm1"]
        self.assertIn("aborted: FakeBuildAbortDriver", vm.fault.message)
        self.assertEqual({}, helpers.usage(cloud, "host1"))

    def test_no_valid_host(self):
        cloud = helpers.make_cloud({"host1": "FakeDriver"})
        cloud.add_flavor("huge", vcpus=1, ram_mb=10 ** 7, disk_gb=1)

        def steps():
            yield from cloud.api.boot("vm1", "huge")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "ERROR"))
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].fault)
        helpers.run(cloud, steps())
        self.assertIn("No valid host", cloud.instances["vm1"].fault.message)


class PeriodicTest(testtools.TestCase):

    def test_bug_1848343_rollback_after_delete_healed_by_periodic(self):
        """test_bug_1848343.test_migration_task_rollback: delete while conductor schedules."""
        cloud = helpers.make_cloud({"host1": "FakeDriver"})
        cloud.faults.add("scheduler.select_destinations", nth=2, action="stall")
        marks = {}

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            vm = cloud.instances["vm1"]
            yield from cloud.api.resize("vm1", "m1.small")   # no other host: NoValidHost
            yield from helpers.wait_until(cloud, lambda: cloud.migrations)
            yield from cloud.api.delete("vm1")
            yield from helpers.wait_until(cloud, lambda: vm.deleted)
            cloud.release("scheduler.select_destinations")
            yield from helpers.wait_until(cloud, helpers.migration_is(cloud, "vm1", "error"))
            yield sim.Sleep(1)
            marks["before"] = helpers.allocations(cloud, vm.uuid)
            yield from cloud.run_periodic("host1")
            marks["after"] = helpers.allocations(cloud, vm.uuid)
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        self.assertEqual({"host1": helpers.flavor_resources(cloud, "m1.tiny")}, marks["before"])
        self.assertEqual({}, marks["after"])

    def test_automatic_periodic_interval(self):
        cloud = helpers.make_cloud({"host1": "FakeDriver"}, reintroduce=("1679750",),
                                   update_resources_interval=60)
        marks = {}

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            cloud.stop_compute("host1")
            yield from cloud.api.delete("vm1")
            yield sim.Join(cloud.start_compute("host1"))
            marks["after_start"] = helpers.usage(cloud, "host1")
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, marks["after_start"])

    def test_inventory_change_reaches_placement_at_the_next_periodic(self):
        cloud = helpers.make_cloud({"host1": "FakeDriver"})
        rp = cloud.compute_rp("host1")
        marks = {}

        def steps():
            cloud.set_compute_inventory("host1", {"VCPU": 8})
            marks["before"] = cloud.placement.get_inventories(rp)["inventories"]["VCPU"]["total"]
            yield from cloud.run_periodic("host1")
            marks["after"] = cloud.placement.get_inventories(rp)["inventories"]["VCPU"]["total"]
        helpers.run(cloud, steps())
        self.assertEqual({"before": 1000, "after": 8}, marks)

    def test_periodic_never_touches_migration_consumers(self):
        cloud = helpers.make_cloud({"host1": "FakeDriver", "host2": "FakeDriver"})
        cloud.placement.faults.add("post_allocations", "consumer_generation_conflict", nth=2)

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
            yield from cloud.api.revert_resize("vm1")
            yield from helpers.wait_until(cloud, helpers.migration_is(cloud, "vm1", "error"))
            for _ in range(2):
                for host in cloud.hosts:
                    yield from cloud.run_periodic(host)
        helpers.run(cloud, steps())
        migration = cloud.migrations[-1]
        self.assertEqual({"host1": helpers.flavor_resources(cloud, "m1.tiny")},
                         helpers.allocations(cloud, migration.uuid))

    def test_in_memory_usage_tracks_the_incoming_migration(self):
        cloud = helpers.make_cloud({"host1": "FakeDriver", "host2": "FakeDriver"})
        cloud.faults.add("driver.migrate_disk_and_power_off", host="host1", action="stall")
        marks = {}

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(
                cloud, lambda: cloud.instances["vm1"].task_state == "resize_migrating")
            yield from cloud.run_periodic("host2")
            yield from cloud.run_periodic("host1")
            marks["host2"] = cloud.compute_nodes["host2"].memory_mb_used
            marks["host1"] = cloud.compute_nodes["host1"].memory_mb_used
            cloud.release("driver.migrate_disk_and_power_off", "host1")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
        helpers.run(cloud, steps())
        self.assertEqual({"host1": 512, "host2": 2048}, marks)


class AutoConfirmTest(testtools.TestCase):
    """_poll_unconfirmed_resizes with resize_confirm_window (PollUnconfirmedResizesTest)."""

    def _run(self, stop_source=False):
        cloud = helpers.make_cloud({"host1": "FakeDriver", "host2": "FakeDriver"},
                                   resize_confirm_window=60)

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
            yield from cloud.poll_unconfirmed_resizes("host2")     # too early
            self.assertEqual("finished", cloud.migrations[-1].status)
            yield sim.Sleep(60)
            if stop_source:
                cloud.stop_compute("host1")
            yield from cloud.poll_unconfirmed_resizes("host2")
            yield sim.Sleep(1)
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        return cloud

    def test_auto_confirm(self):
        cloud = self._run()
        self.assertEqual("confirmed", cloud.migrations[-1].status)
        self.assertEqual({}, helpers.allocations(cloud, cloud.migrations[-1].uuid))
        self.assertEqual("ACTIVE", cloud.instances["vm1"].status)

    def test_source_down_is_retried_later(self):
        cloud = self._run(stop_source=True)
        self.assertEqual("finished", cloud.migrations[-1].status)
        self.assertEqual("VERIFY_RESIZE", cloud.instances["vm1"].status)
        self.assertTrue(any("Service is unavailable" in record.message
                            for record in cloud.logs))


class ExplorationTest(testtools.TestCase):

    def test_exhaustive_exploration_of_the_1825537_scenario_terminates(self):
        def world(scheduler):
            from harness.nova.cloud import Cloud
            from placement_sim import Placement
            cloud = Cloud(scheduler, placement=Placement())
            cloud.add_compute("host1")
            cloud.add_compute("host2", driver="FakeFinishMigrationFailDriver")

            def steps():
                yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
                yield from cloud.api.resize("vm1", "m1.small")
                yield from helpers.wait_until(cloud, helpers.migration_is(cloud, "vm1", "error"))

            def periodic():
                yield from cloud.run_periodic("host1")
            scheduler.spawn(steps(), name="steps")
            scheduler.spawn(periodic(), name="periodic")

            def check(result):
                leaked = helpers.usage(cloud, "host1")
                return "host1 usage %r" % (leaked,) if leaked else None
            return check
        result = sim.explore(world, "exhaustive", schedules=40, seed=0, bound=None)
        self.assertEqual([], result.failures)
        self.assertGreater(result.schedules, 1)
