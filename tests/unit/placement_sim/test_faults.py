"""Fault points: planned conflicts, outages and timeouts, and their bookkeeping."""

from placement_sim import exceptions as exc
from placement_sim import faults
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import FLAVOR, INST, MIGR, RP1


class TestFaultPlan(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1)

    def test_off_by_default(self):
        self.assertFalse(self.p.faults.active)
        self.assertEqual([], self.p.faults.planned)

    def test_unknown_names_suggest_the_right_one(self):
        err = self.assertRaises(ValueError, self.p.faults.add, 'put_allocation', 'unavailable')
        self.assertIn("Did you mean 'put_allocations'?", str(err))
        self.assertIn('post_allocations', str(err))
        err = self.assertRaises(ValueError, self.p.faults.add, 'put_allocations', 'unavailble')
        self.assertIn("Did you mean 'unavailable'?", str(err))
        err = self.assertRaises(ValueError, self.p.faults.add, 'get_usages',
                                'consumer_generation_conflict')
        self.assertIn('does not apply', str(err))
        self.assertRaises(ValueError, self.p.faults.add, 'put_allocations', 'unavailable',
                          nth=0)
        self.assertFalse(self.p.faults.active)

    def test_unavailable_on_the_nth_call_only(self):
        self.p.faults.add('put_allocations', 'unavailable', nth=2)
        self.put(INST, RP1)
        err = self.assertRaises(exc.ServiceUnavailable, self.put, INST, RP1, generation=1)
        self.assertEqual(503, err.status)
        self.assertEqual(1, self.p.get_consumer_generation(INST))
        self.put(INST, RP1, generation=1)
        self.assertEqual(2, self.p.get_consumer_generation(INST))
        self.assertEqual([('put_allocations', 'unavailable', (INST,))], self.p.faults.fired)

    def test_every_call_when_nth_is_none_and_clear(self):
        self.p.faults.add('get_usages', 'unavailable')
        self.assertRaises(exc.ServiceUnavailable, self.p.get_usages, RP1)
        self.assertRaises(exc.ServiceUnavailable, self.p.get_usages, RP1)
        self.p.faults.clear()
        self.assertFalse(self.p.faults.active)
        self.assertEqual(0, self.p.get_usages(RP1)['VCPU'])

    def test_consumer_filter(self):
        fault = self.p.faults.add('put_allocations', 'timeout_before_write', consumer=MIGR)
        self.put(INST, RP1)
        err = self.assertRaises(exc.Timeout, self.put, MIGR, RP1)
        self.assertFalse(err.applied)
        self.assertIsNone(self.p.get_consumer_generation(MIGR))
        self.assertEqual((1, 1), (fault.calls, fault.fired))
        self.p.faults.remove(fault)
        self.assertFalse(self.p.faults.active)

    def test_timeout_after_write_applies_the_write(self):
        self.p.faults.add('put_allocations', 'timeout_after_write')
        err = self.assertRaises(exc.Timeout, self.put, INST, RP1)
        self.assertTrue(err.applied)
        self.assertEqual(FLAVOR, self.p.get_usages(RP1))

    def test_timeout_after_a_failed_write_reports_not_applied(self):
        self.p.faults.add('put_allocations', 'timeout_after_write')
        err = self.assertRaises(exc.Timeout, self.put, INST, RP1, {'VCPU': 99})
        self.assertFalse(err.applied)
        self.assertEqual(0, self.p.get_usages(RP1)['VCPU'])

    def test_consumer_generation_conflict_looks_like_nova_expects(self):
        self.put(INST, RP1)
        self.p.faults.add('post_allocations', 'consumer_generation_conflict', nth=1)
        src = self.p.get_allocations(INST)['allocations']
        request = {INST: {'allocations': {}, 'project_id': 'p', 'user_id': 'u',
                          'consumer_generation': 1},
                   MIGR: {'allocations': src, 'project_id': 'p', 'user_id': 'u',
                          'consumer_generation': None}}
        err = self.assertRaises(exc.Conflict, self.p.post_allocations, request)
        self.assertEqual(exc.CONCURRENT_UPDATE, err.code)
        self.assertIn('consumer generation conflict', err.message)
        self.assertEqual(1, self.p.get_consumer_generation(INST))
        self.assertNotIn(MIGR, self.p.consumers())
        self.p.post_allocations(request)     # nth=1 only: the retry goes through
        self.assertNotIn(INST, self.p.consumers())

    def test_provider_generation_conflict(self):
        self.p.faults.add('put_allocations', 'provider_generation_conflict')
        err = self.assertRaises(exc.Conflict, self.put, INST, RP1)
        self.assertEqual(exc.CONCURRENT_UPDATE, err.code)
        self.assertNotIn('consumer generation conflict', err.message)
        self.assertTrue(err.message.startswith('Inventory and/or allocations changed'))
        self.p.faults.clear()
        self.p.faults.add('set_inventories', 'provider_generation_conflict')
        err = self.assertRaises(exc.Conflict, self.p.set_inventories, RP1, 1, {})
        self.assertEqual('resource provider generation conflict', err.message)
        self.assertEqual(1, self.gen(RP1))

    def test_all_listed_operations_accept_their_kinds(self):
        for operation, kinds in faults.OPERATIONS.items():
            for kind in kinds:
                plan = faults.FaultPlan()
                self.assertEqual(operation, plan.add(operation, kind).operation)


class TestReadFaults(base.PlacementTestCase):

    def test_reads_can_time_out_or_be_unavailable(self):
        self.compute(RP1)
        self.p.faults.add('allocation_candidates', 'timeout_before_write', nth=1)
        self.p.faults.add('get_allocations', 'unavailable', consumer=INST)
        err = self.assertRaises(exc.Timeout, self.p.allocation_candidates,
                                {'': {'resources': {'VCPU': 1}}})
        self.assertFalse(err.applied)
        self.assertEqual(1, len(self.p.allocation_candidates(
            {'': {'resources': {'VCPU': 1}}})['allocation_requests']))
        self.assertRaises(exc.ServiceUnavailable, self.p.get_allocations, INST)
        self.assertEqual({'allocations': {}}, self.p.get_allocations(MIGR))
        # introspection is never faulted
        self.assertEqual({}, self.p.consumers())

    def test_consumer_filter_only_on_consumer_operations(self):
        err = self.assertRaises(ValueError, self.p.faults.add, 'set_inventories', 'unavailable',
                                consumer=INST)
        self.assertIn('put_allocations', str(err))
        self.assertFalse(self.p.faults.active)
