"""Resource providers: create, nesting, rename, re-parenting rules, delete rules, filters."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import AGG1, AGG2, INST, RP1, RP2, RP3


class TestCreate(base.PlacementTestCase):

    def test_new_provider_is_its_own_root_at_generation_zero(self):
        rp = self.p.create_provider('cn1', uuid=RP1)
        self.assertEqual({'uuid': RP1, 'name': 'cn1', 'generation': 0,
                          'parent_provider_uuid': None, 'root_provider_uuid': RP1}, rp)

    def test_uuid_is_normalised(self):
        rp = self.p.create_provider('cn1', uuid=RP1.replace('-', '').upper())
        self.assertEqual(RP1, rp['uuid'])

    def test_generated_uuids_are_deterministic_per_seed(self):
        from placement_sim import Placement
        first = [Placement(seed=7).create_provider('x')['uuid'] for _ in range(2)]
        self.assertEqual(first[0], first[1])
        self.assertNotEqual(first[0], Placement(seed=8).create_provider('x')['uuid'])

    def test_child_takes_the_root_of_its_parent(self):
        self.p.create_provider('root', uuid=RP1)
        self.p.create_provider('mid', uuid=RP2, parent_provider_uuid=RP1)
        leaf = self.p.create_provider('leaf', uuid=RP3, parent_provider_uuid=RP2)
        self.assertEqual((RP2, RP1), (leaf['parent_provider_uuid'], leaf['root_provider_uuid']))

    def test_duplicate_uuid_and_name_are_409_duplicate_name(self):
        self.p.create_provider('cn1', uuid=RP1)
        self.assertRaisesPlacement(
            409, exc.DUPLICATE_NAME,
            'Conflicting resource provider uuid: %s already exists.' % RP1,
            self.p.create_provider, 'other', uuid=RP1)
        self.assertRaisesPlacement(
            409, exc.DUPLICATE_NAME, 'Conflicting resource provider name: cn1 already exists.',
            self.p.create_provider, 'cn1', uuid=RP2)
        self.assertEqual([RP1], [rp['uuid'] for rp in self.p.list_providers()])

    def test_unknown_parent_is_400(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Unable to create resource provider "cn", %s: Object action create failed '
            'because: parent provider UUID does not exist.' % RP1,
            self.p.create_provider, 'cn', uuid=RP1, parent_provider_uuid=RP2)
        self.assertFalse(self.p.provider_exists(RP1))

    def test_parent_equal_to_self_is_400(self):
        err = self.assertRaises(exc.BadRequest, self.p.create_provider, 'cn', uuid=RP1,
                                parent_provider_uuid=RP1)
        self.assertIn('parent provider UUID cannot be same as UUID', err.message)

    def test_empty_name_is_refused_on_create_like_the_object_layer(self):
        err = self.assertRaises(exc.BadRequest, self.p.create_provider, '', uuid=RP1)
        self.assertEqual('Unable to create resource provider "", %s: Object action create '
                         'failed because: name is required' % RP1, err.message)
        self.assertFalse(self.p.provider_exists(RP1))

    def test_overlong_name_is_refused_with_a_hint(self):
        err = self.assertRaises(exc.BadRequest, self.p.create_provider, 'x' * 201)
        self.assertIn('at most 200 characters', err.message)

    def test_rename_to_empty_is_accepted_then_a_second_conflicts(self):
        self.p.create_provider('a', uuid=RP1)
        self.p.create_provider('b', uuid=RP2)
        self.assertEqual('', self.p.update_provider(RP1, '')['name'])
        err = self.assertRaises(exc.Conflict, self.p.update_provider, RP2, '')
        self.assertEqual('Conflicting resource provider  already exists.', err.message)
        self.assertEqual('b', self.p.get_provider(RP2)['name'])

    def test_get_unknown_is_404(self):
        self.assertRaisesPlacement(404, exc.UNDEFINED,
                                   'No resource provider with uuid %s found' % RP1,
                                   self.p.get_provider, RP1)


class TestUpdate(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.p.create_provider('a', uuid=RP1)
        self.p.create_provider('b', uuid=RP2)
        self.p.create_provider('c', uuid=RP3, parent_provider_uuid=RP2)

    def test_rename_does_not_bump_generation(self):
        self.p.set_provider_aggregates(RP1, 0, [AGG1])
        rp = self.p.update_provider(RP1, 'renamed')
        self.assertEqual(('renamed', 1), (rp['name'], rp['generation']))

    def test_rename_to_taken_name_is_409(self):
        self.assertRaisesPlacement(409, exc.DUPLICATE_NAME,
                                   'Conflicting resource provider b already exists.',
                                   self.p.update_provider, RP1, 'b')
        self.assertEqual('a', self.p.get_provider(RP1)['name'])

    def test_setting_a_parent_where_none_was_is_always_allowed(self):
        rp = self.p.update_provider(RP2, 'b', RP1, allow_reparenting=False)
        self.assertEqual((RP1, RP1), (rp['parent_provider_uuid'], rp['root_provider_uuid']))
        # the whole subtree follows
        self.assertEqual(RP1, self.p.get_provider(RP3)['root_provider_uuid'])

    def test_reparenting_before_1_37_is_refused(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Unable to save resource provider %s: Object action update failed because: '
            're-parenting a provider is not currently allowed.' % RP3,
            self.p.update_provider, RP3, 'c', RP1, allow_reparenting=False)
        self.assertEqual(RP2, self.p.get_provider(RP3)['parent_provider_uuid'])

    def test_unparenting_before_1_37_is_refused(self):
        err = self.assertRaises(exc.BadRequest, self.p.update_provider, RP3, 'c', None,
                                allow_reparenting=False)
        self.assertIn('un-parenting a provider is not currently allowed.', err.message)

    def test_reparent_and_unparent_at_1_37(self):
        rp = self.p.update_provider(RP3, 'c', RP1)
        self.assertEqual((RP1, RP1), (rp['parent_provider_uuid'], rp['root_provider_uuid']))
        rp = self.p.update_provider(RP3, 'c', None)
        self.assertEqual((None, RP3), (rp['parent_provider_uuid'], rp['root_provider_uuid']))
        # RP2 lost its child, so it can be deleted now
        self.p.delete_provider(RP2)

    def test_loop_is_refused(self):
        err = self.assertRaises(exc.BadRequest, self.p.update_provider, RP2, 'b', RP3)
        self.assertIn('creating loop in the provider tree is not allowed.', err.message)
        err = self.assertRaises(exc.BadRequest, self.p.update_provider, RP2, 'b', RP2)
        self.assertIn('creating loop', err.message)
        self.assertIsNone(self.p.get_provider(RP2)['parent_provider_uuid'])

    def test_keeping_the_parent_is_a_no_op(self):
        rp = self.p.update_provider(RP3, 'c2', allow_reparenting=False)
        self.assertEqual((RP2, RP2), (rp['parent_provider_uuid'], rp['root_provider_uuid']))

    def test_unknown_new_parent(self):
        err = self.assertRaises(exc.BadRequest, self.p.update_provider, RP1, 'a', INST)
        self.assertIn('Object action create failed because: parent provider UUID does not '
                      'exist.', err.message)


class TestDelete(base.PlacementTestCase):

    def test_parent_with_children_cannot_be_deleted(self):
        self.p.create_provider('a', uuid=RP1)
        self.p.create_provider('b', uuid=RP2, parent_provider_uuid=RP1)
        self.assertRaisesPlacement(
            409, exc.PROVIDER_CANNOT_DELETE_PARENT,
            'Unable to delete parent resource provider %s: It has child resource providers.'
            % RP1, self.p.delete_provider, RP1)
        self.p.delete_provider(RP2)
        self.p.delete_provider(RP1)
        self.assertEqual([], self.p.list_providers())

    def test_provider_with_allocations_cannot_be_deleted(self):
        self.compute(RP1)
        self.put(INST, RP1)
        self.assertRaisesPlacement(
            409, exc.PROVIDER_IN_USE,
            'Unable to delete resource provider %s: Resource provider has allocations.' % RP1,
            self.p.delete_provider, RP1)
        self.p.delete_allocations(INST)
        self.p.delete_provider(RP1)
        self.assertFalse(self.p.provider_exists(RP1))

    def test_delete_unknown_is_404(self):
        self.assertRaisesPlacement(404, exc.UNDEFINED,
                                   'No resource provider with uuid %s found for delete' % RP1,
                                   self.p.delete_provider, RP1)

    def test_name_is_free_again_after_delete(self):
        self.p.create_provider('a', uuid=RP1)
        self.p.delete_provider(RP1)
        self.assertEqual(RP2, self.p.create_provider('a', uuid=RP2)['uuid'])


class TestList(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(RP1, 'one')
        self.compute(RP2, 'two', inventory={'VCPU': {'total': 2}})
        self.p.create_provider('three', uuid=RP3, parent_provider_uuid=RP2)
        self.p.set_provider_aggregates(RP1, self.gen(RP1), [AGG1])
        self.p.set_provider_aggregates(RP2, self.gen(RP2), [AGG2])
        self.p.set_provider_traits(RP2, self.gen(RP2), ['HW_CPU_X86_AVX'])

    def uuids(self, **filters):
        return [rp['uuid'] for rp in self.p.list_providers(**filters)]

    def test_filters(self):
        self.assertEqual([RP1, RP2, RP3], self.uuids())
        self.assertEqual([RP2], self.uuids(name='two'))
        self.assertEqual([RP2, RP3], self.uuids(in_tree=RP3))
        self.assertEqual([], self.uuids(in_tree=INST))
        self.assertEqual([RP1], self.uuids(member_of=[[AGG1]]))
        self.assertEqual([RP1, RP2], self.uuids(member_of=[[AGG1, AGG2]]))
        self.assertEqual([RP2, RP3], self.uuids(forbidden_aggs=[AGG1]))
        self.assertEqual([RP2], self.uuids(required_traits=[{'HW_CPU_X86_AVX'}]))
        self.assertEqual([RP1, RP3], self.uuids(forbidden_traits=['HW_CPU_X86_AVX']))
        self.assertEqual([RP1, RP2], self.uuids(resources={'VCPU': 2}))
        self.assertEqual([RP1], self.uuids(resources={'VCPU': 3}))

    def test_resources_filter_counts_usage(self):
        self.put(INST, RP1, {'VCPU': 7})
        self.assertEqual([RP2], self.uuids(resources={'VCPU': 2}))

    def test_unknown_class_or_trait_in_filters_is_400(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Invalid resource class in resources parameter: No such resource class NOPE.',
            self.p.list_providers, resources={'NOPE': 1})
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Invalid trait(s) in "required" parameter: No such trait(s): CUSTOM_NOPE.',
            self.p.list_providers, required_traits=[{'CUSTOM_NOPE'}])

    def test_returned_dicts_are_copies(self):
        self.p.list_providers()[0]['name'] = 'mutated'
        self.p.get_provider(RP1)['generation'] = 99
        self.assertEqual(('one', 2), (self.p.get_provider(RP1)['name'], self.gen(RP1)))
