"""Usages per provider and per project/user/consumer type."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import INST, MIGR, OTHER, RP1, RP2


class TestUsages(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1)
        self.p.create_provider('bare', uuid=RP2)
        self.put(INST, RP1, {'VCPU': 2, 'MEMORY_MB': 512}, consumer_type='INSTANCE')
        self.put(MIGR, RP1, {'VCPU': 1}, consumer_type='MIGRATION')
        self.put(OTHER, RP1, {'VCPU': 1, 'DISK_GB': 5}, project_id='proj', user_id='u2')

    def test_provider_usages_list_every_inventory_class(self):
        self.assertEqual({'VCPU': 4, 'MEMORY_MB': 512, 'DISK_GB': 5}, self.p.get_usages(RP1))
        self.assertEqual({}, self.p.get_usages(RP2))
        err = self.assertRaises(exc.NotFound, self.p.get_usages, INST)
        self.assertIn('No resource provider with uuid %s found' % INST, err.message)

    def test_totals_before_1_38(self):
        self.assertEqual({'VCPU': 4, 'MEMORY_MB': 512, 'DISK_GB': 5},
                         self.p.get_total_usages('proj'))
        self.assertEqual({'VCPU': 3, 'MEMORY_MB': 512}, self.p.get_total_usages('proj', 'user'))
        self.assertEqual({}, self.p.get_total_usages('nobody'))

    def test_totals_by_consumer_type(self):
        self.assertEqual(
            {'INSTANCE': {'VCPU': 2, 'MEMORY_MB': 512, 'consumer_count': 1},
             'MIGRATION': {'VCPU': 1, 'consumer_count': 1},
             'unknown': {'VCPU': 1, 'DISK_GB': 5, 'consumer_count': 1}},
            self.p.get_total_usages('proj', by_consumer_type=True))
        self.assertEqual({'all': {'VCPU': 4, 'MEMORY_MB': 512, 'DISK_GB': 5,
                                  'consumer_count': 3}},
                         self.p.get_total_usages('proj', consumer_type='all',
                                                 by_consumer_type=True))
        self.assertEqual({'unknown': {'VCPU': 1, 'DISK_GB': 5, 'consumer_count': 1}},
                         self.p.get_total_usages('proj', consumer_type='unknown',
                                                 by_consumer_type=True))
        self.assertEqual({'MIGRATION': {'VCPU': 1, 'consumer_count': 1}},
                         self.p.get_total_usages('proj', consumer_type='MIGRATION',
                                                 by_consumer_type=True))
        self.assertEqual({}, self.p.get_total_usages('proj', consumer_type='ALL',
                                                     by_consumer_type=True))
