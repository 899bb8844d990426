"""Resource classes: standard ones, custom create/rename/delete, in-use rules."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import RP1


class TestResourceClasses(base.PlacementTestCase):

    def test_standard_classes_come_first_in_os_resource_classes_order(self):
        names = [rc['name'] for rc in self.p.list_resource_classes()]
        self.assertEqual(['VCPU', 'MEMORY_MB', 'DISK_GB'], names[:3])
        self.assertEqual(21, len(names))

    def test_custom_lifecycle(self):
        self.assertEqual({'name': 'CUSTOM_GOLD'}, self.p.create_resource_class('CUSTOM_GOLD'))
        self.assertRaisesPlacement(409, exc.UNDEFINED,
                                   'Conflicting resource class already exists: CUSTOM_GOLD',
                                   self.p.create_resource_class, 'CUSTOM_GOLD')
        self.assertFalse(self.p.ensure_resource_class('CUSTOM_GOLD'))
        self.assertTrue(self.p.ensure_resource_class('CUSTOM_SILVER'))
        self.assertEqual(['CUSTOM_GOLD', 'CUSTOM_SILVER'],
                         [rc['name'] for rc in self.p.list_resource_classes()][-2:])
        self.p.update_resource_class('CUSTOM_GOLD', 'CUSTOM_PLATINUM')
        self.assertRaises(exc.NotFound, self.p.get_resource_class, 'CUSTOM_GOLD')
        self.p.delete_resource_class('CUSTOM_PLATINUM')
        self.assertFalse(self.p.resource_class_exists('CUSTOM_PLATINUM'))

    def test_bad_names(self):
        for name in ('GOLD', 'CUSTOM_gold', 'VCPU'):
            self.assertRaises(exc.BadRequest, self.p.ensure_resource_class, name)

    def test_standard_cannot_be_deleted_or_renamed(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Error in delete resource class: Cannot delete standard resource class VCPU.',
            self.p.delete_resource_class, 'VCPU')
        self.assertRaisesPlacement(400, exc.UNDEFINED,
                                   'Cannot update standard resource class VCPU',
                                   self.p.update_resource_class, 'VCPU', 'CUSTOM_X')

    def test_in_use_custom_class_cannot_be_deleted(self):
        self.p.create_resource_class('CUSTOM_GOLD')
        self.p.create_provider('cn', uuid=RP1)
        self.p.set_inventories(RP1, 0, {'CUSTOM_GOLD': {'total': 1}})
        self.assertRaisesPlacement(
            409, exc.UNDEFINED, 'Error in delete resource class: Cannot delete resource class '
            'CUSTOM_GOLD. Class is in use in inventory.',
            self.p.delete_resource_class, 'CUSTOM_GOLD')
        self.p.delete_inventories(RP1)
        self.p.delete_resource_class('CUSTOM_GOLD')
        self.assertRaises(exc.NotFound, self.p.delete_resource_class, 'CUSTOM_GOLD')

    def test_rename_carries_inventory_and_allocations(self):
        self.p.create_resource_class('CUSTOM_GOLD')
        self.p.create_provider('cn', uuid=RP1)
        self.p.set_inventories(RP1, 0, {'CUSTOM_GOLD': {'total': 4}, 'VCPU': {'total': 4}})
        self.p.put_allocations(base.INST, {RP1: {'resources': {'CUSTOM_GOLD': 1}}}, 'p', 'u',
                               None)
        self.p.update_resource_class('CUSTOM_GOLD', 'CUSTOM_SILVER')
        self.assertEqual({'CUSTOM_SILVER', 'VCPU'},
                         set(self.p.get_inventories(RP1)['inventories']))
        self.assertEqual({'CUSTOM_SILVER': 1, 'VCPU': 0}, self.p.get_usages(RP1))
        self.assertEqual({'CUSTOM_SILVER': 1},
                         self.p.get_allocations(base.INST)['allocations'][RP1]['resources'])
        self.assertRaises(exc.Conflict, self.p.delete_resource_class, 'CUSTOM_SILVER')

    def test_rename_to_itself_or_to_a_taken_name(self):
        self.p.create_resource_class('CUSTOM_GOLD')
        self.p.create_resource_class('CUSTOM_SILVER')
        self.assertEqual({'name': 'CUSTOM_GOLD'},
                         self.p.update_resource_class('CUSTOM_GOLD', 'CUSTOM_GOLD'))
        self.assertRaisesPlacement(409, exc.UNDEFINED,
                                   'Resource class already exists: CUSTOM_SILVER',
                                   self.p.update_resource_class, 'CUSTOM_GOLD', 'CUSTOM_SILVER')
        self.assertRaises(exc.BadRequest, self.p.update_resource_class, 'CUSTOM_GOLD', 'gold')
