"""A stopped server's resize keeps it stopped: old_vm_state through finish, confirm, revert."""

import testtools

from tests.unit.nova import helpers

TWO_HOSTS = {"host1": "FakeDriver", "host2": "FakeDriver"}


class StoppedServerTest(testtools.TestCase):

    def _run(self, finish):
        cloud = helpers.make_cloud(TWO_HOSTS)
        marks = {}

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            self.assertEqual(202, (yield from cloud.api.stop("vm1")))
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "SHUTOFF"))
            yield from cloud.api.resize("vm1", "m1.small")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "VERIFY_RESIZE"))
            marks["power_state"] = cloud.instances["vm1"].power_state
            yield from getattr(cloud.api, finish)("vm1")
            yield from helpers.wait_until(cloud, lambda: (
                cloud.instances["vm1"].status == "SHUTOFF"
                and cloud.migrations[-1].status in ("confirmed", "reverted")
                and not helpers.allocations(cloud, cloud.migrations[-1].uuid)))
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        return cloud, marks

    def test_confirm_keeps_it_stopped(self):
        cloud, marks = self._run("confirm_resize")
        vm = cloud.instances["vm1"]
        self.assertEqual(4, marks["power_state"])     # SHUTDOWN
        self.assertEqual(("stopped", None, "host2"), (vm.vm_state, vm.task_state, vm.host))
        self.assertEqual({"host2": helpers.flavor_resources(cloud, "m1.small")},
                         helpers.allocations(cloud, vm.uuid))

    def test_revert_powers_it_off_again(self):
        cloud, _ = self._run("revert_resize")
        vm = cloud.instances["vm1"]
        self.assertEqual(("stopped", None, "host1"), (vm.vm_state, vm.task_state, vm.host))
        afters = [t.after for t in cloud.transitions if t.kind == "instance"]
        self.assertIn(("resized", "powering-off"), afters)   # then stop_instance
        self.assertEqual({"host1": helpers.flavor_resources(cloud, "m1.tiny")},
                         helpers.allocations(cloud, vm.uuid))

    def test_start_after_stop(self):
        cloud = helpers.make_cloud(TWO_HOSTS)

        def steps():
            yield from helpers.boot(cloud, "vm1", "m1.tiny", "host1")
            yield from cloud.api.stop("vm1")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "SHUTOFF"))
            yield from cloud.api.start("vm1")
            yield from helpers.wait_until(cloud, helpers.status_is(cloud, "vm1", "ACTIVE"))
        result, _ = helpers.run(cloud, steps())
        self.assertEqual({}, result.failures)
        self.assertEqual(1, cloud.instances["vm1"].power_state)
