"""Allocations: consumer generations, replace semantics, capacity rules, moves, deletes."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import FLAVOR, INST, MIGR, OTHER, RP1, RP2


def _cap_msg(rc, rp):
    return ("Unable to allocate inventory: Unable to create allocation for '%s' on resource "
            "provider '%s'. The requested amount would exceed the capacity." % (rc, rp))


class TestPut(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1)
        self.compute(RP2)

    def test_new_consumer_gets_generation_1_and_bumps_the_provider(self):
        self.put(INST, RP1)
        self.assertEqual({'allocations': {RP1: {'resources': FLAVOR, 'generation': 2}},
                          'project_id': 'proj', 'user_id': 'user', 'consumer_generation': 1,
                          'consumer_type': 'unknown'}, self.p.get_allocations(INST))
        self.assertEqual(FLAVOR, self.p.get_usages(RP1))

    def test_every_write_bumps_the_consumer_generation(self):
        self.put(INST, RP1)
        self.put(INST, RP1, generation=1)
        self.assertEqual(2, self.p.get_allocations(INST)['consumer_generation'])
        self.assertEqual(3, self.gen(RP1))

    def test_null_generation_for_existing_consumer_is_409(self):
        self.put(INST, RP1)
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE, 'consumer generation conflict - expected 1 but got None',
            self.put, INST, RP2)
        self.assertEqual({}, self.p.get_provider_allocations(RP2))

    def test_generation_for_unknown_consumer_is_409(self):
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE, 'consumer generation conflict - expected null but got 3',
            self.put, INST, RP1, generation=3)
        self.assertIsNone(self.p.get_consumer_generation(INST))

    def test_generation_not_checked_before_1_28(self):
        self.put(INST, RP1)
        self.put(INST, RP1, generation=None, check_consumer_generation=False)
        self.assertEqual(2, self.p.get_allocations(INST)['consumer_generation'])

    def test_replace_moves_usage_and_only_bumps_named_providers(self):
        self.put(INST, RP1)
        self.put(INST, RP2, generation=1)
        self.assertEqual(0, self.p.get_usages(RP1)['VCPU'])
        self.assertEqual(2, self.p.get_usages(RP2)['VCPU'])
        self.assertEqual((2, 2), (self.gen(RP1), self.gen(RP2)))

    def test_empty_put_deletes_consumer_and_bumps_providers(self):
        self.put(INST, RP1)
        self.p.put_allocations(INST, {}, 'proj', 'user', 1)
        self.assertEqual({'allocations': {}}, self.p.get_allocations(INST))
        self.assertIsNone(self.p.get_consumer_generation(INST))
        self.assertEqual(3, self.gen(RP1))
        self.put(INST, RP1)     # a fresh consumer again: null generation

    def test_empty_put_on_unknown_consumer_leaves_a_ghost_at_generation_0(self):
        self.p.put_allocations(INST, {}, 'proj', 'user', None)
        self.assertEqual({'allocations': {}}, self.p.get_allocations(INST))
        self.assertEqual(0, self.p.get_consumer_generation(INST))
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE, 'consumer generation conflict - expected 0 but got None',
            self.put, INST, RP1)
        self.put(INST, RP1, generation=0)
        self.assertEqual(1, self.p.get_consumer_generation(INST))

    def test_unknown_provider_is_400_and_leaves_a_ghost(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            "Allocation for resource provider '%s' that does not exist." % OTHER,
            self.put, INST, OTHER)
        self.assertEqual(0, self.p.get_consumer_generation(INST))

    def test_failed_write_of_new_consumer_leaves_no_consumer(self):
        self.assertRaises(exc.Conflict, self.put, INST, RP1, {'VCPU': 9})
        self.assertIsNone(self.p.get_consumer_generation(INST))
        self.put(INST, RP1)

    def test_unknown_class_is_400(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Unable to allocate inventory for consumer %s: No such resource class NOPE.' % INST,
            self.put, INST, RP1, {'NOPE': 1})

    def test_class_without_inventory_is_409_invalid(self):
        self.assertRaisesPlacement(
            409, exc.UNDEFINED,
            "Unable to allocate inventory: Inventory for 'VGPU' on resource provider '%s' "
            "invalid." % RP1, self.put, INST, RP1, {'VCPU': 1, 'VGPU': 1})

    def test_provider_without_any_requested_class_lists_all_classes(self):
        self.p.create_provider('empty', uuid=OTHER)
        self.assertRaisesPlacement(
            409, exc.UNDEFINED,
            "Unable to allocate inventory: Inventory for 'VCPU, MEMORY_MB' on resource "
            "provider '%s' invalid." % OTHER,
            self.p.put_allocations, INST, {RP1: {'resources': {'VCPU': 1}},
                                           OTHER: {'resources': {'MEMORY_MB': 1}}},
            'proj', 'user', None)

    def test_capacity_uses_reserved_and_ratio(self):
        self.p.set_inventories(RP1, self.gen(RP1), {'VCPU': {'total': 4, 'reserved': 1,
                                                             'allocation_ratio': 1.5}})
        self.put(INST, RP1, {'VCPU': 4})
        self.assertRaisesPlacement(409, exc.UNDEFINED, _cap_msg('VCPU', RP1),
                                   self.put, OTHER, RP1, {'VCPU': 1})
        self.assertEqual(4, self.p.get_usages(RP1)['VCPU'])

    def test_min_max_step_constraints(self):
        self.p.set_inventories(RP1, self.gen(RP1), {'DISK_GB': {
            'total': 100, 'min_unit': 10, 'max_unit': 50, 'step_size': 5}})
        msg = ("Unable to allocate inventory: Unable to create allocation for 'DISK_GB' on "
               "resource provider '%s'. The requested amount would violate inventory "
               "constraints." % RP1)
        for amount in (5, 55, 12):
            self.assertRaisesPlacement(409, exc.UNDEFINED, msg, self.put, INST, RP1,
                                       {'DISK_GB': amount})
        self.put(INST, RP1, {'DISK_GB': 15})

    def test_over_capacity_allowed_when_it_does_not_get_worse(self):
        self.put(INST, RP1, {'VCPU': 6})
        self.p.set_inventories(RP1, self.gen(RP1), {'VCPU': {'total': 4}})
        self.put(INST, RP1, {'VCPU': 5}, generation=1)      # 6 -> 5: better, allowed
        self.put(INST, RP1, {'VCPU': 5}, generation=2)      # same: allowed
        self.assertRaisesPlacement(409, exc.UNDEFINED, _cap_msg('VCPU', RP1),
                                   self.put, INST, RP1, {'VCPU': 6}, generation=3)

    def test_project_and_user_follow_the_latest_write(self):
        self.put(INST, RP1)
        self.put(INST, RP1, generation=1, project_id='p2', user_id='u2',
                 consumer_type='INSTANCE')
        body = self.p.get_allocations(INST)
        self.assertEqual(('p2', 'u2', 'INSTANCE'),
                         (body['project_id'], body['user_id'], body['consumer_type']))
        # a write without a type (below 1.38) keeps the type
        self.put(INST, RP1, generation=2)
        self.assertEqual('INSTANCE', self.p.get_allocations(INST)['consumer_type'])

    def test_missing_project_uses_incomplete_consumer_ids(self):
        self.p.put_allocations(INST, {RP1: {'resources': {'VCPU': 1}}},
                               check_consumer_generation=False)
        body = self.p.get_allocations(INST)
        self.assertEqual(('00000000-0000-0000-0000-000000000000',) * 2,
                         (body['project_id'], body['user_id']))

    def test_provider_generation_in_body_is_ignored(self):
        self.p.put_allocations(INST, {RP1: {'resources': FLAVOR, 'generation': 99}},
                               'proj', 'user', None)
        self.assertEqual(2, self.gen(RP1))

    def test_bad_bodies_are_refused_before_anything(self):
        for bad in ({RP1: {'resources': {}}}, {RP1: {'resources': {'VCPU': 0}}},
                    {RP1: {}}, [RP1]):
            self.assertRaises(exc.BadRequest, self.p.put_allocations, INST, bad, 'p', 'u',
                              None)
        self.assertIsNone(self.p.get_consumer_generation(INST))
        self.assertRaisesPlacement(400, exc.UNDEFINED, 'Malformed consumer_uuid: nope',
                                   self.put, 'nope', RP1)

    def test_returned_allocations_are_copies(self):
        self.put(INST, RP1)
        self.p.get_allocations(INST)['allocations'][RP1]['resources']['VCPU'] = 100
        self.p.get_provider_allocations(RP1)[INST]['resources']['VCPU'] = 100
        self.p.consumers()[INST]['allocations'][RP1]['resources']['VCPU'] = 100
        self.p.get_usages(RP1)['VCPU'] = 100
        self.assertEqual(2, self.p.get_usages(RP1)['VCPU'])
        self.assertEqual(2, self.p.providers()[RP1]['usages']['VCPU'])


class TestPost(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1)
        self.compute(RP2, inventory={'VCPU': {'total': 4}})

    def body(self, allocations, generation, project='proj'):
        return {'allocations': allocations, 'project_id': project, 'user_id': 'user',
                'consumer_generation': generation}

    def test_nova_move_to_migration_and_back(self):
        self.put(INST, RP1)
        src = self.p.get_allocations(INST)
        self.p.post_allocations({INST: self.body({}, 1),
                                 MIGR: self.body(src['allocations'], None)})
        self.assertEqual({'allocations': {}}, self.p.get_allocations(INST))
        self.assertEqual(FLAVOR, {rc: n for rc, n in self.p.get_usages(RP1).items()})
        self.assertEqual(1, self.p.get_allocations(MIGR)['consumer_generation'])
        self.assertEqual(3, self.gen(RP1))
        # the instance consumer was deleted: the destination claim uses a null generation
        self.put(INST, RP2, {'VCPU': 2})
        # revert: the migration's allocations go back to the instance
        self.p.post_allocations({MIGR: self.body({}, 1),
                                 INST: self.body({RP1: {'resources': FLAVOR}}, 1)})
        self.assertEqual({RP1: FLAVOR}, {rp: v['resources'] for rp, v in
                                         self.p.get_allocations(INST)['allocations'].items()})
        self.assertEqual(0, self.p.get_usages(RP2)['VCPU'])
        self.assertNotIn(MIGR, self.p.consumers())

    def test_post_is_atomic_on_capacity(self):
        self.put(OTHER, RP1, {'VCPU': 1})
        request = {INST: self.body({RP2: {'resources': {'VCPU': 3}}}, None),
                   MIGR: self.body({RP2: {'resources': {'VCPU': 3}}}, None),
                   OTHER: self.body({}, 1)}
        self.assertRaisesPlacement(409, exc.UNDEFINED, _cap_msg('VCPU', RP2),
                                   self.p.post_allocations, request)
        self.assertEqual({OTHER}, set(self.p.consumers()))
        self.assertEqual(1, self.p.get_usages(RP1)['VCPU'])
        self.assertEqual((2, 1), (self.gen(RP1), self.gen(RP2)))

    def test_post_is_atomic_on_a_later_consumer_generation(self):
        self.put(OTHER, RP1, {'VCPU': 1})
        request = {INST: self.body({RP2: {'resources': {'VCPU': 1}}}, None),
                   OTHER: self.body({}, 7)}
        self.assertRaisesPlacement(
            409, exc.CONCURRENT_UPDATE, 'consumer generation conflict - expected 1 but got 7',
            self.p.post_allocations, request)
        self.assertEqual({OTHER}, set(self.p.consumers()))

    def test_unknown_class_message_has_no_consumer(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED, 'Unable to allocate inventory No such resource class NOPE.',
            self.p.post_allocations, {INST: self.body({RP1: {'resources': {'NOPE': 1}}},
                                                      None)})

    def test_capacity_summed_over_consumers(self):
        request = {INST: self.body({RP2: {'resources': {'VCPU': 2}}}, None),
                   MIGR: self.body({RP2: {'resources': {'VCPU': 2}}}, None)}
        self.p.post_allocations(request)
        self.assertEqual(4, self.p.get_usages(RP2)['VCPU'])
        self.assertEqual(2, self.gen(RP2))   # one bump for the whole write

    def test_empty_post_is_refused(self):
        self.assertRaises(exc.BadRequest, self.p.post_allocations, {})


class TestDelete(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1)

    def test_delete_does_not_bump_provider_generation(self):
        self.put(INST, RP1)
        self.p.delete_allocations(INST)
        self.assertEqual(2, self.gen(RP1))
        self.assertEqual(0, self.p.get_usages(RP1)['VCPU'])
        self.assertIsNone(self.p.get_consumer_generation(INST))

    def test_delete_unknown_is_404(self):
        self.assertRaisesPlacement(404, exc.UNDEFINED,
                                   "No allocations for consumer '%s'" % INST,
                                   self.p.delete_allocations, INST)

    def test_provider_allocations(self):
        self.put(INST, RP1)
        self.put(MIGR, RP1, {'VCPU': 1})
        self.assertEqual({INST: {'resources': FLAVOR, 'consumer_generation': 1},
                          MIGR: {'resources': {'VCPU': 1}, 'consumer_generation': 1}},
                         self.p.get_provider_allocations(RP1))
        self.assertRaises(exc.NotFound, self.p.get_provider_allocations, INST)


class TestGhostConsumers(base.PlacementTestCase):
    """Consumer records the real service leaves behind without allocations."""

    def setUp(self):
        super().setUp()
        self.compute(RP1)

    def body(self, allocations, generation=None):
        return {'allocations': allocations, 'project_id': 'proj', 'user_id': 'user',
                'consumer_generation': generation}

    def test_post_with_unknown_provider_leaves_every_new_consumer(self):
        request = {INST: self.body({}), MIGR: self.body({OTHER: {'resources': {'VCPU': 1}}})}
        self.assertRaises(exc.BadRequest, self.p.post_allocations, request)
        self.assertEqual((0, 0), (self.p.get_consumer_generation(INST),
                                  self.p.get_consumer_generation(MIGR)))
        self.assertEqual({}, self.p.get_provider_allocations(RP1))

    def test_post_failing_on_capacity_leaves_nothing(self):
        request = {INST: self.body({}), MIGR: self.body({RP1: {'resources': {'VCPU': 99}}})}
        self.assertRaises(exc.Conflict, self.p.post_allocations, request)
        self.assertEqual({}, self.p.consumers())

    def test_post_empty_entry_for_unknown_consumer_is_a_ghost(self):
        self.p.post_allocations({INST: self.body({}),
                                 MIGR: self.body({RP1: {'resources': {'VCPU': 1}}})})
        self.assertEqual(0, self.p.get_consumer_generation(INST))
        self.assertEqual(1, self.p.get_consumer_generation(MIGR))
        self.assertEqual({'allocations': {}}, self.p.get_allocations(INST))
        self.assertRaises(exc.NotFound, self.p.delete_allocations, INST)
