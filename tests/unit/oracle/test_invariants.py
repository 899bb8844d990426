"""Step invariants on hand-built Placement states and observed transitions."""

import testtools

from harness.oracle import findings as fnd
from harness.oracle import invariants
from harness.oracle import snapshot
from tests.unit.oracle import fakes

RP1 = 'aaaaaaaa-0000-4000-8000-000000000001'
RP2 = 'aaaaaaaa-0000-4000-8000-000000000002'


def stub_state(providers, consumers):
    return snapshot.PlacementState.read(fakes.StubPlacement(providers, consumers))


class TestPlacementConsistency(testtools.TestCase):

    def test_real_placement_is_consistent(self):
        cloud = fakes.Cloud()
        cloud.hold(fakes.I1, host1=fakes.TINY).hold(fakes.M1, host2=fakes.SMALL)
        self.assertEqual([], invariants.check_step(cloud))
        cloud.hold(fakes.M1)
        self.assertEqual([], invariants.check_step(cloud))

    def test_usage_not_matching_allocations(self):
        checker = invariants.Invariants(None, placement=object())
        state = stub_state(
            {RP1: fakes.provider('host1', usages={'VCPU': 2})},
            {fakes.I1: fakes.consumer(**{RP1: {'VCPU': 1}})})
        found = checker.check_state(state, step=4)
        self.assertEqual([fnd.USAGE_MATCHES_ALLOCATIONS], [f.invariant for f in found])
        self.assertEqual('usage of %s is VCPU=2 but its allocations add up to VCPU=1' % RP1,
                         found[0].message)
        self.assertEqual(4, found[0].step)
        self.assertEqual(('CWE-404', 'CWE-664'), found[0].cwe)
        self.assertEqual([], checker.check_state(state, step=5), 'reported once')

    def test_allocation_on_missing_provider(self):
        checker = invariants.Invariants(None, placement=object())
        state = stub_state({RP1: fakes.provider('host1', usages={'VCPU': 1})},
                           {fakes.I1: fakes.consumer(**{RP1: {'VCPU': 1}, RP2: {'VCPU': 3}})})
        found = checker.check_state(state)
        self.assertEqual([fnd.ALLOCATION_ON_UNKNOWN_PROVIDER], [f.invariant for f in found])
        self.assertEqual(RP2, found[0].provider)
        self.assertIn('does not exist', found[0].message)

    def test_provider_generation_must_not_go_back(self):
        checker = invariants.Invariants(None, placement=object())
        self.assertEqual([], checker.check_state(
            stub_state({RP1: fakes.provider('host1', generation=5)}, {})))
        self.assertEqual([], checker.check_state(
            stub_state({RP1: fakes.provider('host1', generation=6)}, {})))
        found = checker.check_state(stub_state({RP1: fakes.provider('host1', generation=2)},
                                               {}))
        self.assertEqual(['generation of provider %s went back from 6 to 2' % RP1],
                         [f.message for f in found])

    def test_consumer_generation(self):
        checker = invariants.Invariants(None, placement=object())
        prov = {RP1: fakes.provider('host1', usages={'VCPU': 1})}

        def held(gen):
            return {fakes.I1: fakes.consumer(generation=gen, **{RP1: {'VCPU': 1}})}
        self.assertEqual([], checker.check_state(stub_state(prov, held(3))))
        found = checker.check_state(stub_state(prov, held(2)))
        self.assertEqual([fnd.GENERATION_MONOTONIC], [f.invariant for f in found])
        self.assertEqual(fakes.I1, found[0].consumer)
        # A consumer that lost all its allocations is gone; its generation restarts.
        checker = invariants.Invariants(None, placement=object())
        checker.check_state(stub_state(prov, held(3)))
        checker.check_state(stub_state({RP1: fakes.provider('host1')}, {}))
        self.assertEqual([], checker.check_state(stub_state(prov, held(0))))

    def test_over_capacity(self):
        checker = invariants.Invariants(None, placement=object())
        state = stub_state(
            {RP1: fakes.provider('host1', usages={'VCPU': 9}, total=10, reserved=2)},
            {fakes.I1: fakes.consumer(**{RP1: {'VCPU': 9}})})
        found = checker.check_state(state)
        self.assertEqual([fnd.CAPACITY], [f.invariant for f in found])
        self.assertEqual({'VCPU': 8}, found[0].expected)
        self.assertEqual({'VCPU': 9}, found[0].actual)

    def test_over_capacity_allowed_after_inventory_shrank(self):
        checker = invariants.Invariants(None, placement=object())
        held = {fakes.I1: fakes.consumer(**{RP1: {'VCPU': 9}})}
        self.assertEqual([], checker.check_state(stub_state(
            {RP1: fakes.provider('host1', usages={'VCPU': 9}, total=10)}, held)))
        self.assertEqual([], checker.check_state(stub_state(
            {RP1: fakes.provider('host1', usages={'VCPU': 9}, total=4)}, held)))

    def test_allocation_ratio_counts(self):
        checker = invariants.Invariants(None, placement=object())
        state = stub_state(
            {RP1: fakes.provider('host1', usages={'VCPU': 30}, total=10, ratio=4.0)},
            {fakes.I1: fakes.consumer(**{RP1: {'VCPU': 30}})})
        self.assertEqual([], checker.check_state(state))

    def test_since_tracks_when_allocation_last_changed(self):
        cloud = fakes.Cloud()
        checker = invariants.checker_for(cloud)
        cloud.hold(fakes.I1, host1=fakes.TINY)
        checker.check(step=1)
        checker.check(step=2)
        cloud.hold(fakes.I1, host2=fakes.SMALL)
        checker.check(step=3)
        self.assertEqual({fakes.I1: 3}, checker.since)
        cloud.hold(fakes.I1)
        checker.check(step=4)
        self.assertEqual({}, checker.since)
        self.assertIs(checker, invariants.checker_for(cloud))


class TestTransitions(testtools.TestCase):

    def _cloud(self, *transitions):
        cloud = fakes.Cloud()
        cloud.transitions.extend(transitions)
        return cloud

    def test_legal_resize_flow(self):
        cloud = self._cloud(
            ('instance', fakes.I1, None, ('building', 'scheduling'), 'vm1'),
            ('instance', fakes.I1, ('building', 'scheduling'), ('active', None), 'vm1'),
            ('instance', fakes.I1, ('active', None), ('active', 'resize_prep'), 'vm1'),
            ('migration', fakes.M1, None, 'pre-migrating'),
            ('instance', fakes.I1, ('active', 'resize_prep'), ('active', 'resize_migrating')),
            ('migration', fakes.M1, 'pre-migrating', 'migrating'),
            ('migration', fakes.M1, 'migrating', 'post-migrating'),
            ('instance', fakes.I1, ('active', 'resize_migrating'), ('active', 'resize_migrated')),
            ('instance', fakes.I1, ('active', 'resize_migrated'), ('active', 'resize_finish')),
            ('instance', fakes.I1, ('active', 'resize_finish'), ('error', 'resize_finish')),
            ('migration', fakes.M1, 'post-migrating', 'error'),
            ('instance', fakes.I1, ('error', 'resize_finish'), ('error', None)))
        self.assertEqual([], invariants.check_step(cloud))
        cov = invariants.checker_for(cloud).coverage()
        self.assertEqual(8, cov['instance']['covered'])
        self.assertEqual(4, cov['migration']['covered'])

    def test_illegal_transition(self):
        cloud = self._cloud(
            ('instance', fakes.I1, ('active', None), ('resized', None), 'vm1'),
            ('migration', fakes.M1, 'finished', 'migrating'))
        found = invariants.check_step(cloud, step=7)
        self.assertEqual([fnd.LEGAL_TRANSITION] * 2, [f.invariant for f in found])
        self.assertIn('instance vm1 went active/None -> resized/None, which Nova never does',
                      found[0].message)
        self.assertIn('active/resize_prep', found[0].message)
        self.assertEqual(7, found[0].step)
        self.assertIn('migration %s went finished -> migrating' % fakes.M1, found[1].message)
        self.assertEqual([], invariants.check_step(cloud), 'each transition is checked once')

    def test_transition_records_from_the_model(self):
        from harness.nova import database
        cloud = self._cloud(
            database.Transition('instance', fakes.I1, 'vm1', ('resized', None),
                                ('active', 'resize_migrating'), 0.0, 'db.save'))
        found = invariants.check_step(cloud)
        self.assertEqual(1, len(found))
        self.assertIn('resized/None -> active/resize_migrating', found[0].message)
        self.assertEqual('db.save', found[0].details['label'])
