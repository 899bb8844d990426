"""Allocation candidates: single providers, trees, sharing, granular groups and filters."""

from placement_sim import exceptions as exc
from tests.unit.placement_sim import base
from tests.unit.placement_sim.base import AGG1, AGG2, RP1, RP2, RP3

CN1, CN2, SS = RP1, RP2, RP3
NUMA0 = 'cccccccc-0000-0000-0000-000000000000'
NUMA1 = 'cccccccc-0000-0000-0000-000000000001'
PF0 = 'dddddddd-0000-0000-0000-000000000000'


def _allocs(result):
    """The allocation requests as sorted [(rp, rc, amount)] lists."""
    return sorted(sorted((rp, rc, n) for rp, body in req['allocations'].items()
                         for rc, n in body['resources'].items())
                  for req in result['allocation_requests'])


class TestFlat(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(CN1)
        self.compute(CN2, inventory={'VCPU': {'total': 2}, 'MEMORY_MB': {'total': 512}})

    def test_single_group(self):
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 2, 'MEMORY_MB': 512}}})
        self.assertEqual([[(CN1, 'MEMORY_MB', 512), (CN1, 'VCPU', 2)],
                          [(CN2, 'MEMORY_MB', 512), (CN2, 'VCPU', 2)]], _allocs(res))
        self.assertEqual({'': [CN1]}, res['allocation_requests'][0]['mappings'])
        self.assertEqual({'resources': {'VCPU': {'capacity': 8, 'used': 0},
                                        'MEMORY_MB': {'capacity': 4096, 'used': 0},
                                        'DISK_GB': {'capacity': 100, 'used': 0}},
                          'traits': [], 'parent_provider_uuid': None,
                          'root_provider_uuid': CN1}, res['provider_summaries'][CN1])

    def test_usage_and_capacity_limit_candidates(self):
        self.put(base.INST, CN2, {'VCPU': 1})
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 2}}})
        self.assertEqual([[(CN1, 'VCPU', 2)]], _allocs(res))
        self.assertEqual([CN1], list(res['provider_summaries']))
        empty = self.p.allocation_candidates({'': {'resources': {'VCPU': 9}}})
        self.assertEqual({'allocation_requests': [], 'provider_summaries': {}}, empty)

    def test_limit_keeps_the_first_and_trims_summaries(self):
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 1}}}, limit=1)
        self.assertEqual([[(CN1, 'VCPU', 1)]], _allocs(res))
        self.assertEqual([CN1], list(res['provider_summaries']))

    def test_traits_and_aggregates(self):
        self.p.set_provider_traits(CN2, self.gen(CN2), ['HW_CPU_X86_AVX'])
        self.p.set_provider_aggregates(CN1, self.gen(CN1), [AGG1])
        one = {'resources': {'VCPU': 1}}
        self.assertEqual([CN2], self._rps(dict(one, required_traits=[{'HW_CPU_X86_AVX'}])))
        any_of = [{'HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2'}]
        self.assertEqual([CN2], self._rps(dict(one, required_traits=any_of)))
        self.assertEqual([CN1, CN2], self._rps(one))
        self.assertEqual([CN1], self._rps(dict(one, forbidden_traits={'HW_CPU_X86_AVX'})))
        self.assertEqual([CN1], self._rps(dict(one, member_of=[[AGG1, AGG2]])))
        self.assertEqual([CN2], self._rps(dict(one, forbidden_aggs={AGG1})))
        self.assertEqual([], self._rps(dict(one, member_of=[[AGG2]])))
        self.assertEqual([CN2], self._rps(dict(one, in_tree=CN2)))

    def _rps(self, group):
        res = self.p.allocation_candidates({'': group})
        return sorted({rp for req in res['allocation_requests'] for rp in req['allocations']})

    def test_unknown_names_are_400(self):
        self.assertRaisesPlacement(
            400, exc.UNDEFINED,
            'Invalid resource class in resources parameter: No such resource class NOPE.',
            self.p.allocation_candidates, {'': {'resources': {'NOPE': 1}}})
        self.assertRaisesPlacement(
            400, exc.UNDEFINED, 'No such trait(s): CUSTOM_NOPE.',
            self.p.allocation_candidates, {'': {'resources': {'VCPU': 1},
                                                'required_traits': [{'CUSTOM_NOPE'}]}})

    def test_group_policy_required_for_two_granular_groups(self):
        groups = {'1': {'resources': {'VCPU': 1}}, '2': {'resources': {'VCPU': 1}}}
        err = self.assertRaises(exc.BadRequest, self.p.allocation_candidates, groups)
        self.assertIn('"group_policy" parameter is required', err.message)

    def test_granular_isolate_and_none(self):
        groups = {'1': {'resources': {'VCPU': 1}}, '2': {'resources': {'MEMORY_MB': 256}}}
        none = self.p.allocation_candidates(groups, group_policy='none')
        self.assertEqual([[(CN1, 'MEMORY_MB', 256), (CN1, 'VCPU', 1)],
                          [(CN2, 'MEMORY_MB', 256), (CN2, 'VCPU', 1)]], _allocs(none))
        self.assertEqual({'1': [CN1], '2': [CN1]}, none['allocation_requests'][0]['mappings'])
        isolate = self.p.allocation_candidates(groups, group_policy='isolate')
        self.assertEqual([], isolate['allocation_requests'])

    def test_root_required(self):
        self.p.set_provider_traits(CN2, self.gen(CN2), ['COMPUTE_STATUS_DISABLED'])
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 1}}},
                                           root_forbidden={'COMPUTE_STATUS_DISABLED'})
        self.assertEqual([[(CN1, 'VCPU', 1)]], _allocs(res))
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 1}}},
                                           root_required={'COMPUTE_STATUS_DISABLED'})
        self.assertEqual([[(CN2, 'VCPU', 1)]], _allocs(res))


class TestSharing(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        for cn in (CN1, CN2):
            self.compute(cn, inventory={'VCPU': {'total': 4}})
            self.p.set_provider_aggregates(cn, self.gen(cn), [AGG1])
        self.compute(SS, inventory={'DISK_GB': {'total': 100}})
        self.p.set_provider_traits(SS, 1, ['MISC_SHARES_VIA_AGGREGATE'])
        self.p.set_provider_aggregates(SS, 2, [AGG1])

    def test_shared_disk_joins_each_compute(self):
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 1, 'DISK_GB': 10}}})
        self.assertEqual([[(CN1, 'VCPU', 1), (SS, 'DISK_GB', 10)],
                          [(CN2, 'VCPU', 1), (SS, 'DISK_GB', 10)]], _allocs(res))
        self.assertEqual({CN1, CN2, SS}, set(res['provider_summaries']))
        self.assertEqual(['MISC_SHARES_VIA_AGGREGATE'], res['provider_summaries'][SS]['traits'])

    def test_sharing_provider_alone_for_its_own_class(self):
        res = self.p.allocation_candidates({'': {'resources': {'DISK_GB': 10}}})
        self.assertEqual([[(SS, 'DISK_GB', 10)]], _allocs(res))

    def test_unlinked_sharing_provider_is_not_used(self):
        self.p.set_provider_aggregates(CN2, self.gen(CN2), [AGG2])
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 1, 'DISK_GB': 10}}})
        self.assertEqual([[(CN1, 'VCPU', 1), (SS, 'DISK_GB', 10)]], _allocs(res))


class TestNested(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.compute(CN1, inventory={'DISK_GB': {'total': 100}})
        for numa in (NUMA0, NUMA1):
            self.compute(numa, inventory={'VCPU': {'total': 4}, 'MEMORY_MB': {'total': 2048}},
                         parent=CN1)
        self.compute(PF0, inventory={'SRIOV_NET_VF': {'total': 8}}, parent=NUMA0)
        self.p.set_provider_traits(PF0, self.gen(PF0), ['HW_NIC_OFFLOAD_GENEVE'])

    def test_unsuffixed_group_spreads_over_the_tree(self):
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 1, 'DISK_GB': 10}}})
        self.assertEqual([[(CN1, 'DISK_GB', 10), (NUMA0, 'VCPU', 1)],
                          [(CN1, 'DISK_GB', 10), (NUMA1, 'VCPU', 1)]], _allocs(res))
        self.assertEqual(NUMA0, res['provider_summaries'][PF0]['parent_provider_uuid'])
        self.assertEqual(CN1, res['provider_summaries'][PF0]['root_provider_uuid'])

    def test_before_1_29_a_spread_over_one_tree_is_excluded(self):
        res = self.p.allocation_candidates({'': {'resources': {'VCPU': 1, 'DISK_GB': 10}}},
                                           nested_aware=False)
        self.assertEqual([], res['allocation_requests'])

    def test_required_trait_is_met_by_the_tree_collectively(self):
        group = {'resources': {'VCPU': 1, 'SRIOV_NET_VF': 1},
                 'required_traits': [{'HW_NIC_OFFLOAD_GENEVE'}]}
        res = self.p.allocation_candidates({'': group})
        self.assertEqual([[(NUMA0, 'VCPU', 1), (PF0, 'SRIOV_NET_VF', 1)],
                          [(NUMA1, 'VCPU', 1), (PF0, 'SRIOV_NET_VF', 1)]], _allocs(res))

    def test_same_subtree(self):
        groups = {'': {'resources': {'DISK_GB': 1}},
                  '_CPU': {'resources': {'VCPU': 1}},
                  '_NET': {'resources': {'SRIOV_NET_VF': 1}}}
        res = self.p.allocation_candidates(groups, group_policy='none',
                                           same_subtrees=[{'_CPU', '_NET'}])
        self.assertEqual([[(CN1, 'DISK_GB', 1), (NUMA0, 'VCPU', 1), (PF0, 'SRIOV_NET_VF', 1)]],
                         _allocs(res))
        self.assertEqual({'': [CN1], '_CPU': [NUMA0], '_NET': [PF0]},
                         res['allocation_requests'][0]['mappings'])

    def test_resourceless_group_anchors_a_subtree(self):
        groups = {'': {'resources': {'VCPU': 1}},
                  '_NIC': {'required_traits': [{'HW_NIC_OFFLOAD_GENEVE'}]}}
        res = self.p.allocation_candidates(groups, group_policy='none',
                                           same_subtrees=[{'_NIC'}])
        self.assertEqual({'': [NUMA0], '_NIC': [PF0]},
                         res['allocation_requests'][0]['mappings'])

    def test_granular_groups_summed_capacity(self):
        groups = {'1': {'resources': {'VCPU': 3}}, '2': {'resources': {'VCPU': 3}}}
        none = self.p.allocation_candidates(groups, group_policy='none')
        # two groups on one NUMA node would need 6 of 4: only the split candidates remain
        self.assertEqual([[(NUMA0, 'VCPU', 3), (NUMA1, 'VCPU', 3)]] * 2, _allocs(none))
