"""Failure paths of a resize, with Nova's clean-up (reference §3.2-§3.8, §6.3, §8.1-§8.3)."""

import testtools

from tests.unit.nova import helpers

THREE_HOSTS = {"host1": "FakeDriver", "host2": "FakeDriver", "host3": "FakeDriver"}
TWO_HOSTS = {"host1": "FakeDriver", "host2": "FakeDriver"}


def migration_uuid(n=1):
    return "22222222-0000-4000-8000-%012d" % n


class FailureTest(testtools.TestCase):

    def _resize(self, computes, prepare=None, until=None, after=(), flavor="m1.small",
                **options):
        cloud = helpers.make_cloud(computes, **options)
        if prepare:
            prepare(cloud)

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", flavor)
            yield from helpers.wait_until(cloud, until(cloud))
            for step in after:
                yield from step(cloud)
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        return cloud, result

    def _error_state(self, cloud):
        return lambda: (helpers.migration_is(cloud, "vm1", "error")()
                        and cloud.instances["vm1"].task_state is None)

    def _state(self, cloud):
        vm = cloud.instances["vm1"]
        mig = cloud.migrations_of("vm1")[-1]
        return (vm.status, vm.host, mig.status, helpers.allocations(cloud, vm.uuid),
                helpers.allocations(cloud, mig.uuid))

    def test_prep_resize_failure_reschedules_to_an_alternate(self):
        def prepare(cloud):
            cloud.faults.add("compute.prep_resize", host="host2")
        cloud, result = self._resize(
            THREE_HOSTS, prepare, lambda c: helpers.status_is(c, "vm1", "VERIFY_RESIZE"))
        tiny, small = (helpers.flavor_resources(cloud, f) for f in ("m1.tiny", "m1.small"))
        self.assertEqual(("VERIFY_RESIZE", "host3", "finished", {"host3": small},
                          {"host1": tiny}), self._state(cloud))
        self.assertEqual({}, helpers.usage(cloud, "host2"))
        self.assertEqual(1, len(cloud.migrations))
        # §3.3: the M -> I revert on host2 precedes its synchronous reschedule call.
        labels = [step.label for step in result.trace.steps]
        revert = labels.index("placement.post_allocations", labels.index(
            "compute.prep_resize host2"))
        self.assertLess(revert, labels.index("rpc.call conductor.migrate_server"))

    def test_resize_claim_failure_reschedules(self):
        """regressions/test_bug_1843090: the first dest's resize_claim fails -> next host."""
        def prepare(cloud):
            cloud.faults.add("compute.resize_claim", host="host2")
        cloud, _ = self._resize(
            THREE_HOSTS, prepare, lambda c: helpers.status_is(c, "vm1", "VERIFY_RESIZE"))
        tiny, small = (helpers.flavor_resources(cloud, f) for f in ("m1.tiny", "m1.small"))
        self.assertEqual(("VERIFY_RESIZE", "host3", "finished", {"host3": small},
                          {"host1": tiny}), self._state(cloud))
        self.assertIn("Simulated claim failure", cloud.instances["vm1"].fault.message)
        self.assertEqual(1, len(cloud.migrations))

    def test_prep_resize_failure_without_alternates(self):
        def prepare(cloud):
            cloud.faults.add("compute.prep_resize", host="host2")
        cloud, _ = self._resize(TWO_HOSTS, prepare, self._error_state)
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(("ERROR", "host1", "error", {"host1": tiny}, {}), self._state(cloud))
        self.assertEqual({}, helpers.usage(cloud, "host2"))

    def test_prep_resize_failure_every_host_max_attempts(self):
        def prepare(cloud):
            cloud.faults.add("compute.prep_resize", every=True)
        computes = dict(THREE_HOSTS, host4="FakeDriver")
        cloud, _ = self._resize(computes, prepare, self._error_state)
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(("ERROR", "host1", "error", {"host1": tiny}, {}), self._state(cloud))
        for host in ("host2", "host3", "host4"):
            self.assertEqual({}, helpers.usage(cloud, host))
        tried = [f for f in cloud.faults.fired if f[0] == "compute.prep_resize"]
        self.assertEqual(3, len(tried))   # max_attempts

    def test_bug_1741125_late_revert_clobbers_the_reschedule(self):
        def prepare(cloud):
            cloud.faults.add("compute.prep_resize", host="host2")
        cloud = helpers.make_cloud(THREE_HOSTS, reintroduce=("1741125",))
        prepare(cloud)

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].status in (
                "VERIFY_RESIZE", "ERROR") and cloud.instances["vm1"].task_state is None)
        helpers.run(cloud, steps())
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        # The late M -> I swap put the old flavor back on host1 although the resize went on to
        # VERIFY_RESIZE on host3: host3 holds nothing and the migration holds nothing.
        self.assertEqual(("VERIFY_RESIZE", "host3", "finished", {"host1": tiny}, {}),
                         self._state(cloud))
        self.assertEqual({}, helpers.usage(cloud, "host3"))

    def test_resize_instance_failure(self):
        def prepare(cloud):
            cloud.faults.add("driver.migrate_disk_and_power_off", host="host1")
        cloud, _ = self._resize(TWO_HOSTS, prepare, self._error_state)
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(("ERROR", "host1", "error", {"host1": tiny}, {}), self._state(cloud))
        self.assertEqual("Simulated migrate_disk_and_power_off failure.",
                         cloud.instances["vm1"].fault.message)

    def test_same_host_failures(self):
        """_test_resize_to_same_host_instance_fails: old flavor after prep/resize, new after
        finish."""
        for point, flavor in (("compute.prep_resize", "m1.tiny"),
                              ("compute.resize_instance", "m1.tiny"),
                              ("compute.finish_resize", "m1.small")):
            def prepare(cloud, point=point):
                cloud.faults.add(point)
            cloud, _ = self._resize({"host1": "FakeDriver"}, prepare, self._error_state,
                                    allow_resize_to_same_host=True)
            self.assertEqual(helpers.flavor_resources(cloud, flavor),
                             helpers.usage(cloud, "host1"), point)

    def test_conductor_move_conflict(self):
        """ConsumerGenerationConflictTest.test_migrate_move_allocation_fails_due_to_conflict."""
        def prepare(cloud):
            cloud.placement.faults.add("post_allocations", "consumer_generation_conflict", nth=1)
        cloud, _ = self._resize(TWO_HOSTS, prepare, self._error_state)
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(("ACTIVE", "host1", "error", {"host1": tiny}, {}), self._state(cloud))
        self.assertIn("Failed to move allocations", cloud.instances["vm1"].fault.message)

    def test_scheduler_claim_conflict(self):
        """ConsumerGenerationConflictTest.test_migrate_claim_on_dest_fails."""
        def prepare(cloud):
            # The 1st PUT is the boot claim; the 2nd the resize's claim on the dest.
            cloud.placement.faults.add("put_allocations", "consumer_generation_conflict", nth=2)
        cloud, _ = self._resize(TWO_HOSTS, prepare, self._error_state)
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(("ACTIVE", "host1", "error", {"host1": tiny}, {}), self._state(cloud))

    def test_confirm_driver_failure_still_deletes_m(self):
        def prepare(cloud):
            cloud.faults.add("driver.confirm_migration", exception="MigrationPreCheckError",
                             message="test_migration_confirm_resize_error")

        def confirm(cloud):
            yield from cloud.api.confirm_resize("vm1")
            yield from helpers.wait_until(cloud, self._error_state(cloud))
        cloud, _ = self._resize(TWO_HOSTS, prepare,
                                lambda c: helpers.status_is(c, "vm1", "VERIFY_RESIZE"),
                                after=(confirm,))
        small = helpers.flavor_resources(cloud, "m1.small")
        self.assertEqual(("ERROR", "host2", "error", {"host2": small}, {}), self._state(cloud))

    def test_bug_1821594_confirm_failure_leaks_m(self):
        cloud = helpers.make_cloud(TWO_HOSTS, reintroduce=("1821594",))
        cloud.faults.add("driver.confirm_migration")

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
            yield from cloud.api.confirm_resize("vm1")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "ERROR"))
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].fault)
        helpers.run(cloud, steps())
        tiny, small = (helpers.flavor_resources(cloud, f) for f in ("m1.tiny", "m1.small"))
        self.assertEqual(("ERROR", "host2", "confirming", {"host2": small}, {"host1": tiny}),
                         self._state(cloud))

    def test_confirm_delete_conflict_leaks_m(self):
        """§6.3 test_confirm_migrate_delete_alloc_on_source_fails (still open)."""
        def prepare(cloud):
            cloud.placement.faults.add("put_allocations", "consumer_generation_conflict",
                                       consumer=migration_uuid())

        def confirm_then_delete(cloud):
            yield from cloud.api.confirm_resize("vm1")
            yield from helpers.wait_until(cloud, self._error_state(cloud))
            self.assertIn("Failed to delete allocations",
                          cloud.instances["vm1"].fault.message)
            yield from cloud.api.delete("vm1")
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].deleted)
        cloud, _ = self._resize(TWO_HOSTS, prepare,
                                lambda c: helpers.status_is(c, "vm1", "VERIFY_RESIZE"),
                                after=(confirm_then_delete,))
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        vm = cloud.instances["vm1"]
        self.assertEqual({}, helpers.allocations(cloud, vm.uuid))
        self.assertEqual({"host1": tiny}, helpers.allocations(cloud, migration_uuid()))

    def test_revert_move_conflict_leaks_m(self):
        """§6.3 test_revert_migrate_delete_dest_allocation_fails_due_to_conflict."""
        def prepare(cloud):
            cloud.placement.faults.add("post_allocations", "consumer_generation_conflict",
                                       nth=2)   # the 1st POST is the conductor's I -> M

        def revert_then_delete(cloud):
            yield from cloud.api.revert_resize("vm1")
            yield from helpers.wait_until(cloud, self._error_state(cloud))
            yield from cloud.api.delete("vm1")
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].deleted)
            for host in cloud.hosts:
                yield from cloud.run_periodic(host)
        cloud, _ = self._resize(TWO_HOSTS, prepare,
                                lambda c: helpers.status_is(c, "vm1", "VERIFY_RESIZE"),
                                after=(revert_then_delete,))
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual({"host1": tiny}, helpers.allocations(cloud, migration_uuid()))
        self.assertEqual({}, helpers.usage(cloud, "host2"))

    def test_provider_conflict_is_retried(self):
        def prepare(cloud):
            cloud.placement.faults.add("post_allocations", "provider_generation_conflict",
                                       nth=1)
        cloud, result = self._resize(TWO_HOSTS, prepare,
                                     lambda c: helpers.status_is(c, "vm1", "VERIFY_RESIZE"))
        self.assertEqual("finished", cloud.migrations_of("vm1")[-1].status)
        self.assertEqual(1.0, result.now)   # one retry after a 1 s back-off
