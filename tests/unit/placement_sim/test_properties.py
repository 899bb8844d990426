"""Property tests: random operation sequences keep Placement's books straight.

After every operation: usage equals the sum of allocations, generations never go down, a
write that was accepted did not push any class it touched above capacity unless that class
got no worse, and a refused write changed nothing at all (the sequences name only existing
providers; a write naming an unknown one leaves a ghost consumer, see test_allocations).
Every allocation candidate asks for exactly the requested amounts and can be claimed.
"""

from hypothesis import given, settings, strategies as st
import testtools

from placement_sim import Placement, PlacementError

RPS = ['11111111-1111-1111-1111-11111111111%d' % i for i in range(3)]
CONSUMERS = ['aaaaaaaa-0000-0000-0000-00000000000%d' % i for i in range(4)]
RCS = ['VCPU', 'MEMORY_MB', 'DISK_GB']

amounts = st.integers(min_value=1, max_value=6)
resources = st.dictionaries(st.sampled_from(RCS), amounts, min_size=1, max_size=3)
allocations = st.dictionaries(st.sampled_from(RPS), resources.map(lambda r: {'resources': r}),
                              max_size=2)
generation = st.one_of(st.none(), st.integers(min_value=0, max_value=3), st.just('current'))
inventory = st.dictionaries(st.sampled_from(RCS), st.fixed_dictionaries(
    {'total': st.integers(min_value=1, max_value=10)},
    optional={'reserved': st.integers(min_value=0, max_value=3),
              'allocation_ratio': st.sampled_from([0.5, 1.0, 1.5]),
              'max_unit': st.integers(min_value=1, max_value=6),
              'step_size': st.sampled_from([1, 2])}), max_size=3)

op = st.one_of(
    st.tuples(st.just('put'), st.sampled_from(CONSUMERS), allocations, generation),
    st.tuples(st.just('post'), st.sampled_from(CONSUMERS), allocations, generation,
              st.sampled_from(CONSUMERS), allocations, generation),
    st.tuples(st.just('delete'), st.sampled_from(CONSUMERS)),
    st.tuples(st.just('inventory'), st.sampled_from(RPS), inventory, st.booleans()),
)


def _state(p):
    return p.providers(), p.consumers()


class TestProperties(testtools.TestCase):

    def _gen(self, p, consumer, value):
        return p.get_consumer_generation(consumer) if value == 'current' else value

    def _apply(self, p, operation):
        kind = operation[0]
        if kind == 'put':
            _, c, allocs, gen = operation
            p.put_allocations(c, allocs, 'proj', 'user', self._gen(p, c, gen))
            return [(rp, rc) for rp, body in allocs.items() for rc in body['resources']]
        if kind == 'post':
            _, c1, a1, g1, c2, a2, g2 = operation
            request = {c1: {'allocations': a1, 'project_id': 'p', 'user_id': 'u',
                            'consumer_generation': self._gen(p, c1, g1)}}
            if c2 != c1:
                request[c2] = {'allocations': a2, 'project_id': 'p', 'user_id': 'u',
                               'consumer_generation': self._gen(p, c2, g2)}
            p.post_allocations(request)
            return [(rp, rc) for body in request.values()
                    for rp, res in body['allocations'].items() for rc in res['resources']]
        if kind == 'delete':
            p.delete_allocations(operation[1])
            return []
        _, rp, inv, stale = operation
        p.set_inventories(rp, p.get_provider(rp)['generation'] + int(stale), inv)
        return []

    def _check_books(self, p):
        providers, consumers = _state(p)
        for rp, body in providers.items():
            summed = {}
            for consumer in consumers.values():
                for rc, n in consumer['allocations'].get(rp, {}).get('resources', {}).items():
                    summed[rc] = summed.get(rc, 0) + n
            self.assertEqual(summed, body['usages'])
            self.assertEqual({rc: summed.get(rc, 0) for rc in body['inventories']},
                             p.get_usages(rp))

    def _check_capacity(self, before, after, touched):
        for rp, rc in touched:
            inv = after[rp]['inventories'].get(rc)
            used = after[rp]['usages'].get(rc, 0)
            if inv is None:
                self.assertEqual(0, used)
                continue
            cap = (inv['total'] - inv['reserved']) * inv['allocation_ratio']
            previous = before[rp]['usages'].get(rc, 0)
            self.assertTrue(used <= cap or used <= previous,
                            '%s %s: %s used of %s (was %s)' % (rp, rc, used, cap, previous))

    @settings(max_examples=150, deadline=None)
    @given(st.lists(op, max_size=25))
    def test_books_generations_capacity_atomicity(self, operations):
        p = Placement()
        for i, rp in enumerate(RPS):
            p.create_provider('cn%d' % i, uuid=rp)
            p.set_inventories(rp, 0, {rc: {'total': 8} for rc in RCS})
        for operation in operations:
            before = _state(p)
            try:
                touched = self._apply(p, operation)
            except PlacementError:
                self.assertEqual(before, _state(p))
                continue
            after = _state(p)
            self._check_books(p)
            self._check_capacity(before[0], after[0], touched)
            for rp, body in after[0].items():
                self.assertGreaterEqual(body['generation'], before[0][rp]['generation'])
            for c, body in after[1].items():
                if c in before[1]:
                    self.assertGreaterEqual(body['consumer_generation'],
                                            before[1][c]['consumer_generation'])
                # a consumer record without allocations is only ever the generation-0 ghost
                if not body['allocations']:
                    self.assertEqual(0, body['consumer_generation'])


trees = st.lists(st.tuples(st.integers(min_value=-1, max_value=2),
                           st.dictionaries(st.sampled_from(RCS),
                                           st.integers(min_value=2, max_value=8),
                                           min_size=1, max_size=2)),
                 min_size=2, max_size=6).map(lambda rps: [(-1, rps[0][1])] + rps[1:])
requests = st.dictionaries(st.sampled_from(['', '1', '2']),
                           st.dictionaries(st.sampled_from(RCS), st.integers(1, 2),
                                           min_size=1, max_size=3), min_size=1, max_size=2)


class TestCandidateProperties(testtools.TestCase):

    @settings(max_examples=150, deadline=None)
    @given(trees, requests, st.sampled_from(['none', 'isolate']))
    def test_every_candidate_can_be_claimed(self, layout, groups, policy):
        p = Placement()
        uuids = []
        for i, (parent, inv) in enumerate(layout):
            uuid = '22222222-0000-0000-0000-%012d' % i
            parent_uuid = uuids[parent] if 0 <= parent < len(uuids) else None
            p.create_provider('rp%d' % i, uuid=uuid, parent_provider_uuid=parent_uuid)
            p.set_inventories(uuid, 0, {rc: {'total': n} for rc, n in inv.items()})
            uuids.append(uuid)
        result = p.allocation_candidates({s: {'resources': r} for s, r in groups.items()},
                                         group_policy=policy)
        asked = {}
        for resources in groups.values():
            for rc, n in resources.items():
                asked[rc] = asked.get(rc, 0) + n
        for i, request in enumerate(result['allocation_requests']):
            got = {}
            for body in request['allocations'].values():
                for rc, n in body['resources'].items():
                    got[rc] = got.get(rc, 0) + n
            self.assertEqual(asked, got)
            for rp in request['allocations']:
                self.assertIn(rp, result['provider_summaries'])
            consumer = 'cccccccc-0000-0000-0000-%012d' % i
            p.put_allocations(consumer, request['allocations'], 'p', 'u', None)
            p.delete_allocations(consumer)
