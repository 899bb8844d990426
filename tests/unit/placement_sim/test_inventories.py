"""Inventories: defaults, generations, capacity validation, in-use rules, single-class routes."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import INST, RP1

DEFAULTS = {'reserved': 0, 'min_unit': 1, 'max_unit': 2147483647, 'step_size': 1,
            'allocation_ratio': 1.0}


class TestSetInventories(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.p.create_provider('cn1', uuid=RP1)

    def test_defaults_and_generation_bump(self):
        body = self.p.set_inventories(RP1, 0, {'VCPU': {'total': 8}})
        self.assertEqual({'resource_provider_generation': 1,
                          'inventories': {'VCPU': dict(DEFAULTS, total=8)}}, body)
        self.assertEqual(body, self.p.get_inventories(RP1))

    def test_every_put_bumps_even_when_unchanged(self):
        self.p.set_inventories(RP1, 0, {'VCPU': {'total': 8}})
        self.p.set_inventories(RP1, 1, {'VCPU': {'total': 8}})
        self.assertEqual(2, self.gen(RP1))

    def test_stale_generation_is_409_and_changes_nothing(self):
        self.p.set_inventories(RP1, 0, {'VCPU': {'total': 8}})
        self.assertRaisesPlacement(409, exc.CONCURRENT_UPDATE,
                                   'resource provider generation conflict',
                                   self.p.set_inventories, RP1, 0, {'VCPU': {'total': 1}})
        self.assertEqual(8, self.p.get_inventories(RP1)['inventories']['VCPU']['total'])
        self.assertEqual(1, self.gen(RP1))

    def test_reserved_above_total_is_400_equal_allowed(self):
        msg = ("Unable to update inventory for resource provider %s: Invalid inventory for "
               "'VCPU' on resource provider '%s'. The reserved value is greater than total."
               % (RP1, RP1))
        self.assertRaisesPlacement(400, exc.UNDEFINED, msg, self.p.set_inventories, RP1, 0,
                                   {'VCPU': {'total': 4, 'reserved': 5}})
        self.p.set_inventories(RP1, 0, {'VCPU': {'total': 4, 'reserved': 4}})
        self.assertEqual(1, self.gen(RP1))

    def test_reserved_equal_total_refused_before_1_26(self):
        err = self.assertRaises(exc.BadRequest, self.p.set_inventories, RP1, 0,
                                {'VCPU': {'total': 4, 'reserved': 4}},
                                reserved_can_be_total=False)
        self.assertIn('The reserved value is greater than or equal to total.', err.message)

    def test_unknown_class_is_400(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Unknown resource class in inventory for resource provider %s: No such resource '
            'class CUSTOM_NOPE.' % RP1,
            self.p.set_inventories, RP1, 0, {'CUSTOM_NOPE': {'total': 1}})
        self.assertEqual(0, self.gen(RP1))

    def test_removing_a_class_in_use_is_409_inventory_inuse(self):
        self.compute(base.RP2)
        self.put(INST, base.RP2)
        msg = ("update conflict: Inventory for 'MEMORY_MB, DISK_GB' on resource provider "
               "'%s' in use." % base.RP2)
        self.assertRaisesPlacement(409, exc.INVENTORY_INUSE, msg, self.p.set_inventories,
                                   base.RP2, self.gen(base.RP2), {'VCPU': {'total': 8}})
        self.assertEqual(3, len(self.p.get_inventories(base.RP2)['inventories']))

    def test_shrinking_below_usage_is_allowed(self):
        self.compute(base.RP2)
        self.put(INST, base.RP2)
        inv = dict(base.COMPUTE, VCPU={'total': 1})
        self.p.set_inventories(base.RP2, self.gen(base.RP2), inv)
        self.assertEqual(2, self.p.get_usages(base.RP2)['VCPU'])

    def test_min_unit_above_max_unit_is_accepted(self):
        body = self.p.set_inventories(RP1, 0, {'VCPU': {'total': 8, 'min_unit': 4,
                                                        'max_unit': 2}})
        self.assertEqual(4, body['inventories']['VCPU']['min_unit'])

    def test_bad_field_values_are_refused_with_a_hint(self):
        err = self.assertRaises(exc.BadRequest, self.p.set_inventories, RP1, 0,
                                {'VCPU': {'total': 0}})
        self.assertIn('total', err.message)
        err = self.assertRaises(exc.BadRequest, self.p.set_inventories, RP1, 0,
                                {'VCPU': {'total': 1, 'bogus': 1}})
        self.assertIn('valid fields', err.message)

    def test_unknown_provider_is_404(self):
        err = self.assertRaises(exc.NotFound, self.p.set_inventories, INST, 0, {})
        self.assertEqual('No resource provider with uuid %s found' % INST, err.message)

    def test_returned_records_are_copies(self):
        body = self.p.set_inventories(RP1, 0, {'VCPU': {'total': 8}})
        body['inventories']['VCPU']['total'] = 1
        self.p.get_inventories(RP1)['inventories']['VCPU']['total'] = 2
        self.assertEqual(8, self.p.get_inventory(RP1, 'VCPU')['total'])


class TestSingleClass(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1)

    def test_put_replaces_the_record_with_defaults(self):
        self.p.set_inventory(RP1, 'VCPU', 1, {'total': 8, 'allocation_ratio': 4.0})
        body = self.p.set_inventory(RP1, 'VCPU', 2, {'total': 1})
        self.assertEqual(dict(DEFAULTS, total=1, resource_provider_generation=3), body)

    def test_put_errors(self):
        self.assertRaisesPlacement(409, exc.CONCURRENT_UPDATE,
                                   'resource provider generation conflict',
                                   self.p.set_inventory, RP1, 'VCPU', 0, {'total': 1})
        self.assertRaisesPlacement(404, exc.UNDEFINED, 'No such resource class CUSTOM_NOPE.',
                                   self.p.set_inventory, RP1, 'CUSTOM_NOPE', 1, {'total': 1})
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'No inventory record with resource class for resource provider %s: No inventory '
            'of class VGPU found.' % RP1, self.p.set_inventory, RP1, 'VGPU', 1, {'total': 1})
        self.assertEqual(1, self.gen(RP1))

    def test_post_adds_and_refuses_existing(self):
        body = self.p.create_inventory(RP1, 'VGPU', {'total': 2})
        self.assertEqual(dict(DEFAULTS, total=2, resource_provider_generation=2), body)
        err = self.assertRaises(exc.Conflict, self.p.create_inventory, RP1, 'VGPU',
                                {'total': 2})
        self.assertEqual(exc.CONCURRENT_UPDATE, err.code)
        self.assertTrue(err.message.startswith('Update conflict: '))
        err = self.assertRaises(exc.BadRequest, self.p.create_inventory, RP1, 'CUSTOM_X',
                                {'total': 2})
        self.assertIn('No such resource class CUSTOM_X.', err.message)
        self.assertEqual(2, self.gen(RP1))

    def test_delete_one(self):
        self.p.delete_inventory(RP1, 'DISK_GB')
        self.assertNotIn('DISK_GB', self.p.get_inventories(RP1)['inventories'])
        self.assertEqual(2, self.gen(RP1))
        self.assertRaisesPlacement(
            404, exc.UNDEFINED, 'No inventory of class DISK_GB found for delete: No inventory '
            'of class DISK_GB found for delete', self.p.delete_inventory, RP1, 'DISK_GB')
        self.assertRaisesPlacement(
            404, exc.UNDEFINED, 'No inventory of class NOPE found for delete: No such resource '
            'class NOPE.', self.p.delete_inventory, RP1, 'NOPE')

    def test_delete_one_in_use_is_concurrent_update_quirk(self):
        self.put(INST, RP1)
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE,
            "Unable to delete inventory of class VCPU: Inventory for 'VCPU' on resource "
            "provider '%s' in use." % RP1, self.p.delete_inventory, RP1, 'VCPU')

    def test_delete_all(self):
        self.put(INST, RP1, {'VCPU': 1})
        self.assertRaisesPlacement(
            409, exc.INVENTORY_INUSE,
            "Inventory for 'VCPU' on resource provider '%s' in use." % RP1,
            self.p.delete_inventories, RP1)
        self.p.delete_allocations(INST)
        self.p.delete_inventories(RP1)
        self.assertEqual({'resource_provider_generation': 3, 'inventories': {}},
                         self.p.get_inventories(RP1))

    def test_get_one(self):
        self.assertEqual(dict(DEFAULTS, total=8, resource_provider_generation=1),
                         self.p.get_inventory(RP1, 'VCPU'))
        self.assertRaisesPlacement(404, exc.UNDEFINED, 'No inventory of class VGPU for %s' % RP1,
                                   self.p.get_inventory, RP1, 'VGPU')
