"""Delete in every phase of a resize, local delete, compute crash/restart, periodic healing.

Reference §3.10 (probes a-d, bug 1848343), §3.11 (bug 1836369), §4.2, bug 1679750.
"""

import testtools

from harness import sim
from tests.unit.nova import helpers

TWO_HOSTS = {"host1": "FakeDriver", "host2": "FakeDriver"}


class DeleteDuringResizeTest(testtools.TestCase):

    def _run(self, stall=None, wait_for=None, revert=False, after_delete=(), computes=TWO_HOSTS,
             reintroduce=(), release=True, before_delete=None):
        cloud = helpers.make_cloud(computes, reintroduce=reintroduce)
        if stall:
            cloud.faults.add(stall[0], host=stall[1], action="stall")
        seen = {}

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            seen["instance"] = cloud.instances["vm1"].uuid
            yield from cloud.api.resize("vm1", "m1.small")
            if revert:
                yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1",
                                                                       "VERIFY_RESIZE"))
                yield from cloud.api.revert_resize("vm1")
            yield from helpers.wait_until(cloud, wait_for(cloud))
            seen["migration"] = cloud.migrations_of("vm1")[-1].uuid
            if before_delete:
                before_delete(cloud)
            self.assertEqual(204, (yield from cloud.api.delete("vm1")))
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].deleted)
            if stall and release:
                cloud.release(stall[0], stall[1])
            for step in after_delete:
                yield from step(cloud)
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        return cloud, seen

    def _leftovers(self, cloud, seen):
        return (helpers.allocations(cloud, seen["instance"]),
                helpers.allocations(cloud, seen["migration"]))

    @staticmethod
    def _periodics(cloud):
        for host in cloud.hosts:
            yield from cloud.run_periodic(host)

    def test_delete_in_verify_resize_confirms_first(self):
        cloud, seen = self._run(wait_for=lambda c: helpers.status_is(c, "vm1", "VERIFY_RESIZE"))
        self.assertEqual(({}, {}), self._leftovers(cloud, seen))
        self.assertEqual("confirmed", cloud.migrations[-1].status)
        for host in cloud.hosts:
            self.assertEqual({}, helpers.usage(cloud, host))

    def test_probe_a_delete_during_migrate_disk_and_power_off(self):
        cloud, seen = self._run(
            stall=("driver.migrate_disk_and_power_off", "host1"),
            wait_for=lambda c: lambda: c.instances["vm1"].task_state == "resize_migrating",
            after_delete=(lambda c: helpers.wait_until(
                c, helpers.migration_is(c, "vm1", "error")),))
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        # Bug 1848343 (open): the revert re-creates the deleted instance's source allocation.
        self.assertEqual(({"host1": tiny}, {}), self._leftovers(cloud, seen))

    def test_probe_a_healed_by_the_source_periodic(self):
        cloud, seen = self._run(
            stall=("driver.migrate_disk_and_power_off", "host1"),
            wait_for=lambda c: lambda: c.instances["vm1"].task_state == "resize_migrating",
            after_delete=(lambda c: helpers.wait_until(
                c, helpers.migration_is(c, "vm1", "error")), self._periodics))
        self.assertEqual(({}, {}), self._leftovers(cloud, seen))

    def test_probe_b_delete_during_finish_migration_is_clean(self):
        cloud, seen = self._run(
            stall=("driver.finish_migration", "host2"),
            wait_for=lambda c: lambda: c.instances["vm1"].task_state == "resize_finish",
            after_delete=(lambda c: helpers.wait_until(
                c, helpers.migration_is(c, "vm1", "error")),))
        self.assertEqual(({}, {}), self._leftovers(cloud, seen))

    def test_probe_c_delete_before_dest_revert_leaks_m_for_good(self):
        cloud, seen = self._run(
            stall=("compute.revert_resize", "host2"), revert=True,
            wait_for=lambda c: lambda: c.instances["vm1"].status == "REVERT_RESIZE",
            after_delete=(lambda c: helpers.wait_until(
                c, helpers.migration_is(c, "vm1", "error")), self._periodics))
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(({}, {"host1": tiny}), self._leftovers(cloud, seen))
        self.assertEqual(tiny, helpers.usage(cloud, "host1"))

    def test_probe_d_delete_during_finish_revert_migration_is_clean(self):
        cloud, seen = self._run(
            stall=("driver.finish_revert_migration", "host1"), revert=True,
            wait_for=lambda c: lambda: c.instances["vm1"].host == "host1" and (
                c.migrations[-1].status == "reverted"),
            after_delete=(lambda c: helpers.wait_until(
                c, lambda: c.migrations[-1].status == "error"),))
        self.assertEqual(({}, {}), self._leftovers(cloud, seen))

    def test_local_delete_with_compute_down_leaks_m(self):
        cloud, seen = self._run(
            stall=("driver.finish_migration", "host2"), release=False,
            wait_for=lambda c: lambda: c.instances["vm1"].task_state == "resize_finish",
            before_delete=lambda c: c.crash_compute("host2"))
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(({}, {"host1": tiny}), self._leftovers(cloud, seen))
        self.assertEqual({}, helpers.usage(cloud, "host2"))


class LocalDeleteTest(testtools.TestCase):

    def _run(self, reintroduce=()):
        cloud = helpers.make_cloud(TWO_HOSTS, reintroduce=reintroduce)
        marks = {}

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            cloud.stop_compute("host1")
            yield from cloud.api.delete("vm1")
            marks["deleted"] = cloud.instances["vm1"].deleted
            marks["before_start"] = helpers.usage(cloud, "host1")
            yield sim.Join(cloud.start_compute("host1"))
        helpers.run(cloud, steps())
        return cloud, marks

    def test_local_delete_deletes_allocations(self):
        cloud, marks = self._run()
        self.assertTrue(marks["deleted"])
        self.assertEqual({}, marks["before_start"])

    def test_bug_1679750_allocations_stay_until_restart(self):
        cloud, marks = self._run(reintroduce=("1679750",))
        self.assertEqual(helpers.flavor_resources(cloud, "m1.tiny"), marks["before_start"])
        self.assertEqual({}, helpers.usage(cloud, "host1"))


class RestartTest(testtools.TestCase):

    def test_bug_1836369_crash_during_migrate_disk_and_power_off(self):
        cloud = helpers.make_cloud(TWO_HOSTS)
        cloud.faults.add("driver.migrate_disk_and_power_off", host="host1", action="crash")

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(
                cloud, lambda: cloud.instances["vm1"].task_state == "resize_migrating")
            yield sim.Sleep(1)
            self.assertFalse(cloud.services["host1"].running)
            yield sim.Join(cloud.start_compute("host1"))
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        vm = cloud.instances["vm1"]
        mig = cloud.migrations[-1]
        tiny, small = (helpers.flavor_resources(cloud, f) for f in ("m1.tiny", "m1.small"))
        self.assertEqual(("ACTIVE", None, "host1"), (vm.status, vm.task_state, vm.host))
        self.assertEqual("migrating", mig.status)
        self.assertEqual({"host2": small}, helpers.allocations(cloud, vm.uuid))
        self.assertEqual({"host1": tiny}, helpers.allocations(cloud, mig.uuid))
        self.assertEqual("m1.small", vm.new_flavor.name)
        self.assertEqual("active", vm.system_metadata.get("old_vm_state"))
        self.assertEqual(mig.uuid, vm.migration_context)
        self.assertEqual([], cloud.instances["vm1"].faults)

    def test_crash_cancels_the_running_handler(self):
        cloud = helpers.make_cloud(TWO_HOSTS)
        cloud.faults.add("driver.finish_migration", host="host2", action="stall")

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(
                cloud, lambda: cloud.instances["vm1"].task_state == "resize_finish")
            cloud.crash_compute("host2")
            cloud.release("driver.finish_migration", "host2")
            yield sim.Sleep(5)
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        vm = cloud.instances["vm1"]
        self.assertEqual(("active", "resize_finish"), (vm.vm_state, vm.task_state))
        self.assertEqual("post-migrating", cloud.migrations[-1].status)
        self.assertEqual({}, cloud.services["host2"].tasks)
