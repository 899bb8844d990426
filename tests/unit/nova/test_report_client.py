"""The report client's handling of Placement answers (reference §6.2)."""

import testtools

from harness import sim
from harness.nova import exceptions as exc
from harness.nova.report_client import ReportClient
from placement_sim import Placement

RP = "33333333-0000-4000-8000-000000000001"
INST = "11111111-0000-4000-8000-000000000001"
M = "22222222-0000-4000-8000-000000000001"
TINY = {"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 1}


class ReportClientTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.placement = Placement()
        self.placement.create_provider("host1", uuid=RP)
        self.placement.set_inventories(RP, 0, {rc: {"total": 100000} for rc in TINY})
        self.logs = []
        self.client = ReportClient(self.placement, lambda level, msg: self.logs.append(msg))

    def _run(self, gen):
        scheduler = sim.Scheduler(strategy=sim.Fifo(), max_steps=10_000)
        out = {}

        def task():
            try:
                out["value"] = yield from gen
            except Exception as error:
                out["error"] = error
        scheduler.spawn(task(), name="client")
        result = scheduler.run()
        out["now"] = result.now
        return out

    def _claim(self):
        return self.client.claim_resources(INST, {"allocations": {RP: {"resources": TINY}}},
                                           "project", "user")

    def _held(self, consumer):
        return self.placement.get_allocations(consumer).get("allocations") or {}

    def test_claim_and_move(self):
        self.assertTrue(self._run(self._claim())["value"])
        self.assertTrue(self._run(self.client.move_allocations(INST, M))["value"])
        self.assertEqual({}, self._held(INST))
        self.assertEqual(TINY, self._held(M)[RP]["resources"])

    def test_move_when_already_moved_is_a_success(self):
        self._run(self._claim())
        self._run(self.client.move_allocations(INST, M))
        self.assertTrue(self._run(self.client.move_allocations(INST, M))["value"])
        self.assertIn("assuming they were already moved", self.logs[-1])

    def test_provider_conflict_every_time_is_retried_four_times(self):
        self.placement.faults.add("put_allocations", "provider_generation_conflict")
        out = self._run(self._claim())
        self.assertIs(False, out["value"])
        self.assertEqual(6.0, out["now"])        # back-off 1 + 2 + 3 virtual seconds
        self.assertIn("out of retries", self.logs[-1])

    def test_consumer_conflict_is_not_retried(self):
        self._run(self._claim())
        self.placement.faults.add("post_allocations", "consumer_generation_conflict")
        out = self._run(self.client.move_allocations(INST, M))
        self.assertIsInstance(out["error"], exc.AllocationMoveFailed)
        self.assertEqual(0.0, out["now"])
        self.assertEqual(TINY, self._held(INST)[RP]["resources"])

    def test_capacity_refusal_is_false(self):
        big = {"allocations": {RP: {"resources": {"VCPU": 10 ** 6}}}}
        out = self._run(self.client.claim_resources(INST, big, "project", "user"))
        self.assertIs(False, out["value"])

    def test_timeout_after_write_returns_none_but_the_write_happened(self):
        self.placement.faults.add("put_allocations", "timeout_after_write")
        out = self._run(self._claim())
        self.assertIsNone(out["value"])
        self.assertEqual(TINY, self._held(INST)[RP]["resources"])

    def test_delete_without_force_uses_the_generation(self):
        self._run(self._claim())
        self.placement.faults.add("put_allocations", "consumer_generation_conflict")
        out = self._run(self.client.delete_allocation_for_instance(INST, force=False))
        self.assertIsInstance(out["error"], exc.AllocationDeleteFailed)
        out = self._run(self.client.delete_allocation_for_instance(INST, force=True))
        self.assertIs(True, out["value"])
        self.assertEqual({}, self._held(INST))

    def test_delete_of_nothing_is_false(self):
        self.assertIs(False, self._run(
            self.client.delete_allocation_for_instance(INST, force=True))["value"])
        self.assertIs(False, self._run(
            self.client.delete_allocation_for_instance(INST, force=False))["value"])

    def test_get_failure_is_an_empty_dict_for_the_legacy_getter(self):
        self._run(self._claim())
        self.placement.faults.add("get_allocations", "unavailable")
        out = self._run(self.client.get_allocations_for_consumer(INST))
        self.assertEqual({}, out["value"])
