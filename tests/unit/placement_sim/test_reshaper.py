"""The reshaper: moving inventory and allocations to a child provider in one atomic step."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import INST, RP1, RP2


class TestReshape(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1, inventory={'VCPU': {'total': 8}, 'VGPU': {'total': 4}})
        self.p.create_provider('gpu', uuid=RP2, parent_provider_uuid=RP1)
        self.put(INST, RP1, {'VCPU': 2, 'VGPU': 1})

    def request(self, gen1=2, gen2=0, consumer_gen=1):
        inventories = {RP1: {'resource_provider_generation': gen1,
                             'inventories': {'VCPU': {'total': 8}}},
                       RP2: {'resource_provider_generation': gen2,
                             'inventories': {'VGPU': {'total': 4}}}}
        allocations = {INST: {'allocations': {RP1: {'resources': {'VCPU': 2}},
                                              RP2: {'resources': {'VGPU': 1}}},
                              'project_id': 'proj', 'user_id': 'user',
                              'consumer_generation': consumer_gen}}
        return inventories, allocations

    def test_vgpu_moves_to_the_child(self):
        self.p.reshape(*self.request())
        self.assertEqual({'VCPU': 2}, self.p.get_usages(RP1))
        self.assertEqual({'VGPU': 1}, self.p.get_usages(RP2))
        # interim inventory, allocations, final inventory: three bumps each
        self.assertEqual((5, 3), (self.gen(RP1), self.gen(RP2)))
        self.assertEqual(2, self.p.get_consumer_generation(INST))

    def test_stale_provider_generation(self):
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE, 'resource provider generation conflict for provider '
            '%s: actual: 2, given: 1' % RP1, self.p.reshape, *self.request(gen1=1))

    def test_failure_in_final_inventory_rolls_everything_back(self):
        inventories, allocations = self.request()
        allocations[INST]['allocations'] = {RP1: {'resources': {'VCPU': 2, 'VGPU': 1}}}
        err = self.assertRaises(exc.Conflict, self.p.reshape, inventories, allocations)
        self.assertEqual(exc.INVENTORY_INUSE, err.code)
        self.assertEqual({'VCPU': 2, 'VGPU': 1}, self.p.get_usages(RP1))
        self.assertEqual({}, self.p.get_usages(RP2))
        self.assertEqual((2, 0), (self.gen(RP1), self.gen(RP2)))
        self.assertEqual(1, self.p.get_consumer_generation(INST))
        self.assertEqual({INST: {'resources': {'VCPU': 2, 'VGPU': 1},
                                 'consumer_generation': 1}},
                         self.p.get_provider_allocations(RP1))

    def test_unknown_provider(self):
        err = self.assertRaises(exc.BadRequest, self.p.reshape,
                                {base.OTHER: {'resource_provider_generation': 0,
                                              'inventories': {}}}, {})
        self.assertEqual(exc.RESOURCE_PROVIDER_NOT_FOUND, err.code)
