"""Traits, provider traits and aggregates, with their generation rules."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import AGG1, AGG2, INST, RP1


class TestTraits(base.PlacementTestCase):

    def test_standard_traits_are_known(self):
        self.assertTrue(self.p.trait_exists('HW_CPU_X86_AVX'))
        self.assertIn('MISC_SHARES_VIA_AGGREGATE', self.p.list_traits(prefix='MISC_'))
        self.assertFalse(self.p.trait_exists('CUSTOM_GOLD'))

    def test_custom_trait_lifecycle(self):
        self.assertTrue(self.p.ensure_trait('CUSTOM_GOLD'))
        self.assertFalse(self.p.ensure_trait('CUSTOM_GOLD'))
        self.assertIsNone(self.p.get_trait('CUSTOM_GOLD'))
        self.p.delete_trait('CUSTOM_GOLD')
        self.assertRaisesPlacement(404, exc.UNDEFINED, 'No such trait(s): CUSTOM_GOLD.',
                                   self.p.get_trait, 'CUSTOM_GOLD')

    def test_invalid_custom_name(self):
        err = self.assertRaises(exc.BadRequest, self.p.ensure_trait, 'GOLD')
        self.assertIn('start with the prefix "CUSTOM_"', err.message)

    def test_standard_and_in_use_traits_cannot_be_deleted(self):
        self.assertRaisesPlacement(400, exc.UNDEFINED,
                                   'Cannot delete standard trait HW_CPU_X86_AVX.',
                                   self.p.delete_trait, 'HW_CPU_X86_AVX')
        self.p.ensure_trait('CUSTOM_GOLD')
        self.p.create_provider('cn', uuid=RP1)
        self.p.set_provider_traits(RP1, 0, ['CUSTOM_GOLD'])
        self.assertRaisesPlacement(409, exc.UNDEFINED,
                                   'The trait CUSTOM_GOLD is in use by a resource provider.',
                                   self.p.delete_trait, 'CUSTOM_GOLD')
        self.assertEqual(['CUSTOM_GOLD'], self.p.list_traits(prefix='CUSTOM_', associated=True))

    def test_list_filters(self):
        self.p.ensure_trait('CUSTOM_A')
        self.p.ensure_trait('CUSTOM_B')
        self.assertEqual(['CUSTOM_A'], self.p.list_traits(name_in=['CUSTOM_A', 'CUSTOM_Z']))
        self.assertEqual(['CUSTOM_A', 'CUSTOM_B'],
                         self.p.list_traits(prefix='CUSTOM_', associated=False))


class TestProviderTraits(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.p.create_provider('cn', uuid=RP1)

    def test_generation_bumps_only_on_change(self):
        body = self.p.set_provider_traits(RP1, 0, ['HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2'])
        self.assertEqual({'traits': ['HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2'],
                          'resource_provider_generation': 1}, body)
        self.p.set_provider_traits(RP1, 1, ['HW_CPU_X86_AVX2', 'HW_CPU_X86_AVX'])
        self.assertEqual(1, self.gen(RP1))
        self.assertEqual(body, self.p.get_provider_traits(RP1))

    def test_conflict_and_unknown(self):
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE,
            "Resource provider's generation already changed. Please update the generation and "
            "try again.", self.p.set_provider_traits, RP1, 5, [])
        self.assertRaisesPlacement(400, exc.UNDEFINED, 'No such trait CUSTOM_X, CUSTOM_Y',
                                   self.p.set_provider_traits, RP1, 0,
                                   ['CUSTOM_Y', 'CUSTOM_X'])
        self.assertEqual(0, self.gen(RP1))

    def test_delete_provider_traits(self):
        self.p.delete_provider_traits(RP1)
        self.assertEqual(0, self.gen(RP1))
        self.p.set_provider_traits(RP1, 0, ['HW_CPU_X86_AVX'])
        self.p.delete_provider_traits(RP1)
        self.assertEqual({'traits': [], 'resource_provider_generation': 2},
                         self.p.get_provider_traits(RP1))
        self.assertRaises(exc.NotFound, self.p.get_provider_traits, INST)


class TestAggregates(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.p.create_provider('cn', uuid=RP1)

    def test_put_always_bumps_at_1_19(self):
        body = self.p.set_provider_aggregates(RP1, 0, [AGG2, AGG1])
        self.assertEqual({'aggregates': [AGG2, AGG1], 'resource_provider_generation': 1}, body)
        self.p.set_provider_aggregates(RP1, 1, [AGG1, AGG2])
        self.assertEqual({'aggregates': [AGG2, AGG1], 'resource_provider_generation': 2},
                         self.p.get_provider_aggregates(RP1))

    def test_unchecked_form_before_1_19_does_not_bump(self):
        self.p.set_provider_aggregates(RP1, None, [AGG1])
        self.assertEqual({'aggregates': [AGG1], 'resource_provider_generation': 0},
                         self.p.get_provider_aggregates(RP1))

    def test_conflict(self):
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE,
            "Resource provider's generation already changed. Please update the generation "
            "and try again.", self.p.set_provider_aggregates, RP1, 3, [AGG1])
        self.assertEqual([], self.p.get_provider_aggregates(RP1)['aggregates'])


class TestOrderAndRevision(base.PlacementTestCase):

    def test_traits_come_in_id_order_standard_first_then_custom_by_creation(self):
        for name in ('CUSTOM_B', 'CUSTOM_A', 'CUSTOM_C'):
            self.p.ensure_trait(name)
        self.p.create_provider('cn', uuid=RP1)
        body = self.p.set_provider_traits(RP1, 0, ['CUSTOM_C', 'CUSTOM_A', 'HW_CPU_X86_AVX',
                                                   'CUSTOM_B'])
        self.assertEqual(['HW_CPU_X86_AVX', 'CUSTOM_B', 'CUSTOM_A', 'CUSTOM_C'], body['traits'])
        self.assertEqual(['CUSTOM_B', 'CUSTOM_A', 'CUSTOM_C'],
                         self.p.list_traits(prefix='CUSTOM_'))

    def test_aggregates_come_oldest_first(self):
        self.p.create_provider('cn', uuid=RP1)
        self.p.set_provider_aggregates(RP1, 0, [AGG2, AGG1])
        self.p.set_provider_aggregates(RP1, 1, [AGG1, AGG2])
        self.assertEqual([AGG2, AGG1], self.p.get_provider_aggregates(RP1)['aggregates'])

    def test_revision_moves_on_writes_only(self):
        start = self.p.revision
        self.compute(RP1)
        after_writes = self.p.revision
        self.assertGreater(after_writes, start)
        self.p.get_inventories(RP1)
        self.p.providers()
        self.p.list_traits()
        self.assertRaises(exc.Conflict, self.p.set_provider_traits, RP1, 0, [])
        self.assertEqual(after_writes, self.p.revision)
        self.put(INST, RP1)
        self.assertEqual(after_writes + 1, self.p.revision)
        self.assertEqual([RP1], self.p.consumer_providers(INST))
        self.assertEqual([], self.p.consumer_providers(base.OTHER))
