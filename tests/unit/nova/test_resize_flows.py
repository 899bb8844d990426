"""Resize, cold migrate, confirm and revert: allocations and states per reference §0, §3, §8."""

import testtools

from harness import sim
from tests.unit.nova import helpers

TWO_HOSTS = {"host1": "FakeDriver", "host2": "FakeDriver"}


class ResizeFlowTest(testtools.TestCase):

    def _verify_resize(self, computes=TWO_HOSTS, extra=(), **options):
        """Boot vm1 (m1.tiny) on host1, resize to m1.small, wait for VERIFY_RESIZE."""
        cloud = helpers.make_cloud(computes, **options)
        self.m_emptied = helpers.when_emptied(
            cloud, lambda: helpers.latest_migration_uuid(cloud, "vm1"))

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
            for step in extra:
                yield from step(cloud)
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        return cloud

    def _assert_allocs(self, cloud, instance_allocs, migration_allocs):
        vm = cloud.instances["vm1"]
        mig = cloud.migrations_of("vm1")[-1]
        self.assertEqual(instance_allocs, helpers.allocations(cloud, vm.uuid))
        self.assertEqual(migration_allocs, helpers.allocations(cloud, mig.uuid))

    def test_verify_resize_state(self):
        cloud = self._verify_resize()
        tiny, small = (helpers.flavor_resources(cloud, f) for f in ("m1.tiny", "m1.small"))
        vm = cloud.instances["vm1"]
        mig = cloud.migrations_of("vm1")[-1]
        self.assertEqual(("resized", None, "host2"), (vm.vm_state, vm.task_state, vm.host))
        self.assertEqual(("finished", "resize", "host1", "host2"), (
            mig.status, mig.migration_type, mig.source_compute, mig.dest_compute))
        self._assert_allocs(cloud, {"host2": small}, {"host1": tiny})
        self.assertEqual("m1.small", vm.flavor.name)
        self.assertEqual("m1.tiny", vm.old_flavor.name)

    def test_periodics_do_not_change_verify_resize(self):
        def periodics(cloud):
            yield from cloud.run_periodic("host1")
            yield from cloud.run_periodic("host2")
        cloud = self._verify_resize(extra=(periodics,))
        tiny, small = (helpers.flavor_resources(cloud, f) for f in ("m1.tiny", "m1.small"))
        self._assert_allocs(cloud, {"host2": small}, {"host1": tiny})

    def test_confirm(self):
        def confirm(cloud):
            self.assertEqual(204, (yield from cloud.api.confirm_resize("vm1")))
            yield from helpers.wait_until(cloud, lambda: not helpers.allocations(
                cloud, cloud.migrations_of("vm1")[-1].uuid))
        cloud = self._verify_resize(extra=(confirm,))
        small = helpers.flavor_resources(cloud, "m1.small")
        vm = cloud.instances["vm1"]
        self.assertEqual(("ACTIVE", "host2"), (vm.status, vm.host))
        self.assertEqual("confirmed", cloud.migrations_of("vm1")[-1].status)
        self._assert_allocs(cloud, {"host2": small}, {})
        self.assertEqual({}, helpers.usage(cloud, "host1"))
        self.assertIsNone(vm.old_flavor)
        # §8.4: M is deleted after the migration is confirmed and the vm is active.
        transitions = list(cloud.transitions)
        confirmed = [i for i, t in enumerate(transitions) if t.after == "confirmed"]
        active = [i for i, t in enumerate(transitions) if t.after == ("active", None)]
        self.assertEqual(1, len(confirmed))
        self.assertEqual(1, len(self.m_emptied))
        self.assertLess(confirmed[0], self.m_emptied[0])
        self.assertLess(active[-1], self.m_emptied[0])

    def test_revert(self):
        seen = []

        def revert(cloud):
            mig = cloud.migrations_of("vm1")[-1]

            def watch():
                yield from helpers.wait_until(cloud, lambda: mig.status == "reverted")
                seen.append(helpers.allocations(cloud, mig.uuid))
            cloud.sim.spawn(watch(), name="watch")
            self.assertEqual(202, (yield from cloud.api.revert_resize("vm1")))
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "ACTIVE"))
        cloud = self._verify_resize(extra=(revert,))
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        vm = cloud.instances["vm1"]
        self.assertEqual(("ACTIVE", "host1", "m1.tiny"), (vm.status, vm.host, vm.flavor.name))
        self.assertEqual("reverted", cloud.migrations_of("vm1")[-1].status)
        self._assert_allocs(cloud, {"host1": tiny}, {})
        self.assertEqual({}, helpers.usage(cloud, "host2"))
        # §8.4: 'reverted' is set on the dest before the source swaps the allocations back.
        self.assertEqual([{"host1": tiny}], seen)

    def test_same_host_resize_holds_old_plus_new(self):
        cloud = self._verify_resize(computes={"host1": "FakeDriver"},
                                    allow_resize_to_same_host=True)
        tiny, small = (helpers.flavor_resources(cloud, f) for f in ("m1.tiny", "m1.small"))
        both = {rc: tiny.get(rc, 0) + small.get(rc, 0) for rc in small}
        self.assertEqual(both, helpers.usage(cloud, "host1"))
        self._assert_allocs(cloud, {"host1": small}, {"host1": tiny})

    def test_same_host_resize_confirm_and_revert(self):
        for action, flavor in (("confirm_resize", "m1.small"), ("revert_resize", "m1.tiny")):
            def finish(cloud, action=action):
                yield from getattr(cloud.api, action)("vm1")
                yield from helpers.wait_until(cloud, lambda: not helpers.allocations(
                    cloud, cloud.migrations_of("vm1")[-1].uuid) and
                    cloud.instances["vm1"].status == "ACTIVE")
            cloud = self._verify_resize(computes={"host1": "FakeDriver"},
                                        allow_resize_to_same_host=True, extra=(finish,))
            expected = helpers.flavor_resources(cloud, flavor)
            self.assertEqual(expected, helpers.usage(cloud, "host1"), action)
            self._assert_allocs(cloud, {"host1": expected}, {})

    def test_bug_1790204_same_host_needs_room_for_old_plus_new(self):
        """Still open: the new flavor alone fits, old + new does not: NoValidHost."""
        cloud = helpers.make_cloud({}, allow_resize_to_same_host=True)
        cloud.add_compute("host1", inventory={"DISK_GB": 30})
        cloud.add_flavor("disk20", vcpus=1, ram_mb=512, disk_gb=20)
        cloud.add_flavor("disk25", vcpus=1, ram_mb=512, disk_gb=25)

        def steps():
            yield from helpers.boot(cloud, "vm1", "disk20", "host1")
            yield from cloud.api.resize("vm1", "disk25")
            yield from helpers.wait_until(cloud, helpers.migration_is(cloud, "vm1", "error"))
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].fault)
        helpers.run(cloud, steps())
        vm = cloud.instances["vm1"]
        self.assertEqual(("ACTIVE", "host1"), (vm.status, vm.host))
        self.assertEqual("No valid host was found. ", vm.fault.message)
        self.assertEqual({"host1": helpers.flavor_resources(cloud, "disk20")},
                         helpers.allocations(cloud, vm.uuid))

    def test_same_host_not_allowed_means_no_valid_host(self):
        cloud = self._verify_resize_fails_to_schedule()
        vm = cloud.instances["vm1"]
        mig = cloud.migrations_of("vm1")[-1]
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self.assertEqual(("ACTIVE", None), (vm.status, vm.task_state))
        self.assertEqual("error", mig.status)
        self.assertIn("No valid host", vm.fault.message)
        self._assert_allocs(cloud, {"host1": tiny}, {})

    def _verify_resize_fails_to_schedule(self):
        cloud = helpers.make_cloud({"host1": "FakeDriver"})

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.migration_is(cloud, "vm1", "error"))
            yield from helpers.wait_until(cloud, lambda: cloud.instances["vm1"].fault)
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        return cloud

    def test_cold_migrate_targeted(self):
        cloud = helpers.make_cloud({"host1": "FakeDriver", "host2": "FakeDriver",
                                    "host3": "FakeDriver"})

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.migrate("vm1", host="host3")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
        helpers.run(cloud, steps())
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        mig = cloud.migrations_of("vm1")[-1]
        self.assertEqual(("migration", "host3"), (mig.migration_type, mig.dest_compute))
        self._assert_allocs(cloud, {"host3": tiny}, {"host1": tiny})

    def test_same_host_cold_migrate_with_capable_driver(self):
        cloud = helpers.make_cloud({"host1": "SameHostColdMigrateDriver"})

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.migrate("vm1")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
        helpers.run(cloud, steps())
        tiny = helpers.flavor_resources(cloud, "m1.tiny")
        self._assert_allocs(cloud, {"host1": tiny}, {"host1": tiny})

    def test_resize_of_a_stopped_source_is_refused_when_service_down(self):
        cloud = helpers.make_cloud(TWO_HOSTS)
        errors = []

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            cloud.stop_compute("host1")
            try:
                yield from cloud.api.resize("vm1", "m1.small")
            except Exception as error:
                errors.append(error)
        helpers.run(cloud, steps())
        self.assertEqual([409], [e.status for e in errors])
        self.assertEqual("Service is unavailable at this time.", errors[0].message)
        self.assertEqual([], cloud.migrations)
        self.assertIsNone(cloud.instances["vm1"].task_state)


class ApiPreconditionTest(testtools.TestCase):

    def _error(self, action, *args, prepare=None):
        cloud = helpers.make_cloud(TWO_HOSTS)
        errors = []

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            if prepare:
                yield from prepare(cloud)
            try:
                yield from getattr(cloud.api, action)(*args)
            except Exception as error:
                errors.append(error)
        helpers.run(cloud, steps())
        self.assertEqual(1, len(errors))
        return errors[0]

    def test_same_flavor(self):
        error = self._error("resize", "vm1", "m1.tiny")
        self.assertEqual((400, "When resizing, instances must change flavor!"),
                         (error.status, error.message))

    def test_unknown_server(self):
        self.assertEqual(404, self._error("resize", "vm9", "m1.small").status)

    def test_confirm_when_not_resized(self):
        error = self._error("confirm_resize", "vm1")
        self.assertEqual(409, error.status)
        self.assertIn("vm_state active", error.message)

    def test_revert_when_not_resized(self):
        self.assertEqual(409, self._error("revert_resize", "vm1").status)

    def test_migrate_to_own_host(self):
        self.assertEqual(400, self._error("migrate", "vm1", "host1").status)

    def test_resize_while_resizing(self):
        def start_resize(cloud):
            yield from cloud.api.resize("vm1", "m1.small")
        error = self._error("resize", "vm1", "m1.medium", prepare=start_resize)
        self.assertEqual(409, error.status)
        self.assertIn("task_state resize_prep", error.message)

    def test_unknown_flavor_has_suggestion(self):
        cloud = helpers.make_cloud(TWO_HOSTS)
        error = self.assertRaises(ValueError, cloud.flavor, "m1.smal")
        self.assertIn("m1.small", str(error))

    def test_unknown_bug_number(self):
        error = self.assertRaises(ValueError, helpers.make_cloud, TWO_HOSTS,
                                  reintroduce=("1825538",))
        self.assertIn("1825537", str(error))


class MessagingTest(testtools.TestCase):

    def test_cast_to_stopped_compute_waits_for_start(self):
        cloud = helpers.make_cloud(TWO_HOSTS)
        marks = {}

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
            cloud.stop_compute("host1")
            # confirm is refused while the source is down; revert goes to host2 and its
            # finish_revert_resize cast to host1 waits in host1's queue.
            yield from cloud.api.revert_resize("vm1")
            yield from helpers.wait_until(
                cloud, lambda: cloud.migrations_of("vm1")[-1].status == "reverted")
            yield sim.Sleep(100)
            marks["while_down"] = cloud.instances["vm1"].status
            yield sim.Join(cloud.start_compute("host1"))
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "ACTIVE"))
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        self.assertEqual("REVERT_RESIZE", marks["while_down"])
        self.assertEqual("host1", cloud.instances["vm1"].host)

    def test_call_to_stopped_compute_times_out(self):
        """Delete in VERIFY_RESIZE calls confirm_resize on the (stopped) source: a 500."""
        cloud = helpers.make_cloud(TWO_HOSTS)
        errors = []

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
            cloud.stop_compute("host1")
            start = cloud.sim.now
            try:
                yield from cloud.api.delete("vm1")
            except Exception as error:
                errors.append((error, cloud.sim.now - start))
        helpers.run(cloud, steps())
        self.assertEqual(1, len(errors))
        error, waited = errors[0]
        self.assertEqual(500, error.status)
        self.assertIn("MessagingTimeout", error.message)
        self.assertEqual(60.0, waited)
        self.assertEqual("deleting", cloud.instances["vm1"].task_state)
