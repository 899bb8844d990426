"""The differential suite's own parts: generation, normalization, shrinking, detection."""
import json
import re

import testtools

from tests.differential import calls
from tests.differential import executor
from tests.differential import generator
from tests.differential import known_divergences
from tests.differential import normalize
from tests.differential import realservice
from tests.differential import shrink
from tests.differential import test_differential


class TestGenerator(testtools.TestCase):

    def test_same_seed_same_sequence(self):
        first = [c.describe() for c in generator.generate(1234, 30)]
        again = [c.describe() for c in generator.generate(1234, 30)]
        other = [c.describe() for c in generator.generate(1235, 30)]
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)
        self.assertEqual(30, len(first))

    def test_sequences_start_with_providers_and_cover_the_api(self):
        labels = set()
        for number in range(40):
            sequence = generator.generate(test_differential.sequence_seed(number), 30)
            self.assertEqual('create_provider', sequence[0].label)
            labels.update(call.label for call in sequence)
        for label in ('move', 'revert', 'confirm', 'put_allocations_stale',
                      'put_allocations_invalid', 'set_inventories_invalid',
                      'allocation_candidates', 'total_usages', 'malformed_json'):
            self.assertIn(label, labels)

    def test_candidate_queries_are_scoped_to_the_sequence(self):
        for number in range(40):
            for call in generator.generate(test_differential.sequence_seed(number), 30):
                if call.label != 'allocation_candidates':
                    continue
                keys = [key for key, _value in call.query]
                self.assertTrue({'in_tree', 'member_of'} & set(keys) or
                                any(isinstance(p, calls.Ref) and p.kind == 'trait'
                                    for key, value in call.query if key == 'required'
                                    for p in value), call.describe())
                self.assertLessEqual(keys.count('required'), 1, call.describe())


class TestNormalize(testtools.TestCase):

    def test_known_values_become_symbols_and_unknown_uuids_are_numbered(self):
        rp = '0b7d6a0e-6f0c-4a8e-9d55-0c1a4b2c3d4e'
        other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
        body = {'errors': [{'detail': 'No provider %s or %s' % (rp, other),
                            'request_id': 'req-%s' % other, 'code': 'x'}],
                'allocations': {rp: {'resources': {'VCPU': 1.0}}}}
        status, text = normalize.normalize(404, json.dumps(body).encode(), {rp: 'rp0'})
        data = json.loads(text)
        self.assertEqual(404, status)
        self.assertEqual('No provider <rp0> or <uuid-1>', data['errors'][0]['detail'])
        self.assertNotIn('request_id', data['errors'][0])
        self.assertEqual({'<rp0>': {'resources': {'VCPU': 1.0}}}, data['allocations'])
        self.assertIn('1.0', text)

    def test_runs_of_renamed_values_in_text_are_sorted(self):
        a = '0b7d6a0e-6f0c-4a8e-9d55-0c1a4b2c3d4e'
        b = '1c8e7b1f-7a1d-4b9f-8e66-1d2b5c3d4e5f'
        known = {a: 'rp0', b: 'rp1'}
        one = normalize.normalize(409, json.dumps({'d': "on '%s, %s' x" % (a, b)}).encode(),
                                  known)
        two = normalize.normalize(409, json.dumps({'d': "on '%s, %s' x" % (b, a)}).encode(),
                                  known)
        self.assertEqual(one, two)
        self.assertIn("on '<rp0>, <rp1>' x", one[1])

    def test_lists_are_compared_without_order_but_numbers_keep_their_type(self):
        one = normalize.normalize(200, b'{"traits": ["B", "A"], "n": 1}', {})
        two = normalize.normalize(200, b'{"traits": ["A", "B"], "n": 1}', {})
        float_n = normalize.normalize(200, b'{"traits": ["A", "B"], "n": 1.0}', {})
        self.assertEqual(one, two)
        self.assertNotEqual(two, float_n)

    def test_limited_candidates_are_compared_by_count(self):
        one = {'allocation_requests': [{'a': 1}, {'b': 2}], 'provider_summaries': {'x': 1}}
        two = {'allocation_requests': [{'c': 3}, {'d': 4}], 'provider_summaries': {'y': 1}}
        three = {'allocation_requests': [{'c': 3}], 'provider_summaries': {'y': 1}}
        first, second, third = (normalize.normalize(200, json.dumps(d).encode(), {},
                                                    count_only=True)
                                for d in (one, two, three))
        self.assertEqual(first, second)
        self.assertNotEqual(first, third)

    def test_non_json_bodies_are_compared_as_text(self):
        self.assertEqual((204, 'null'), normalize.normalize(204, b'', {}))
        self.assertEqual((500, 'non-JSON: oops'), normalize.normalize(500, b'oops', {}))


class _Diverged(object):
    def __init__(self, label):
        self.label = label

    def signature(self):
        return self.label


class TestShrink(testtools.TestCase):

    def _sequence(self):
        rp = calls.Ref('rp', 0)
        made = calls.Call('make', 'POST', ['/resource_providers'], body={'uuid': rp},
                          creates=[rp])
        noise = [calls.Call('noise', 'GET', ['/x%d' % i]) for i in range(12)]
        trigger = calls.Call('trigger', 'GET', ['/resource_providers/', rp])
        other = calls.Call('other', 'GET', ['/y'])
        return noise[:5] + [made] + noise[5:9] + [other] + noise[9:] + [trigger]

    def test_dependencies_point_at_the_creating_call(self):
        sequence = self._sequence()
        deps = shrink.dependencies(sequence)
        self.assertEqual([5], deps[len(sequence) - 1])
        self.assertEqual([], deps[0])

    def test_minimal_keeps_what_the_divergence_needs_and_its_dependencies(self):
        sequence = self._sequence()

        def diverges(candidate):
            labels = [c.label for c in candidate]
            if 'trigger' in labels and 'other' in labels:
                return _Diverged('trigger')
            return None

        found, divergence, runs = shrink.minimal(sequence, diverges, 'trigger')
        self.assertEqual(['make', 'other', 'trigger'], [c.label for c in found])
        self.assertEqual('trigger', divergence.signature())
        self.assertLessEqual(runs, 150)

    def test_budget_bounds_the_search(self):
        sequence = self._sequence()
        runs = []

        def diverges(candidate):
            runs.append(len(candidate))
            return _Diverged('trigger')

        shrink.minimal(sequence, diverges, 'trigger', budget=4)
        self.assertLessEqual(len(runs), 5)


class _WrongConflictCode(object):
    """A broken placement_sim: its 409 answers carry the wrong error code."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured['status'], captured['headers'] = status, headers
            return lambda data: None

        body = b''.join(self.app(environ, capture))
        if captured['status'].startswith('409'):
            body = body.replace(b'placement.concurrent_update', b'placement.undefined_code')
            headers = [(k, str(len(body)) if k.lower() == 'content-length' else v)
                       for k, v in captured['headers']]
        else:
            headers = captured['headers']
        start_response(captured['status'], headers)
        return [body]


def _listed_calls(message):
    """How many numbered call lines a failure message lists."""
    return len([line for line in message.splitlines() if re.match(r'\s+\d+\. ', line)])


class TestDetection(testtools.TestCase):
    """The suite catches a wrong error code and reports a minimal sequence."""

    def test_a_wrong_error_code_is_found_and_shrunk(self):
        def broken_sim():
            return _WrongConflictCode(test_differential.make_sim_app())

        for number in range(60):
            seed = test_differential.sequence_seed(number)
            sequence = generator.generate(seed, 30)
            if 'put_allocations_stale' in [c.label for c in sequence]:
                break
        runner = executor.Executor(seed, realservice.real_app(), broken_sim)
        divergence = runner.run(sequence)
        self.assertIsNotNone(divergence)
        self.assertIn('placement.concurrent_update', divergence.real.body)
        self.assertNotIn('placement.concurrent_update', divergence.sim.body)
        message = test_differential.explain(number, seed, sequence, divergence, broken_sim)
        self.assertIn('minimal sequence', message)
        self.assertLess(_listed_calls(message), divergence.position + 1)
        self.assertIn(divergence.call.label, message)
        unshrunk = test_differential.explain(number, seed, sequence, divergence, broken_sim,
                                             shrinking=False)
        self.assertIn('not shrunk', unshrunk)
        self.assertEqual(divergence.position + 1, _listed_calls(unshrunk))
        healthy = executor.Executor(seed, realservice.real_app(),
                                    test_differential.make_sim_app)
        self.assertIsNone(healthy.run(sequence[:divergence.position + 1]))


class TestKnownDivergences(testtools.TestCase):

    def test_entries_are_well_formed(self):
        for entry in known_divergences.KNOWN:
            self.assertTrue(entry.reason.strip())
            self.assertTrue(entry.sequences)
            self.assertTrue(all(0 <= n < test_differential.SEQUENCES for n in entry.sequences))
            self.assertIsNotNone(known_divergences.listing(min(entry.sequences)))

    def test_an_entry_matches_by_label_and_real_answer(self):
        entry = known_divergences.Known('odd_name', 'name is required', 'why', [1])
        call = calls.Call('odd_name', 'POST', ['/resource_providers'])
        real = executor.Answer(400, '{"detail": "... name is required"}')
        other = executor.Answer(400, '{"detail": "something else"}')
        self.assertTrue(entry.matches(executor.Divergence(3, call, real, other)))
        self.assertFalse(entry.matches(executor.Divergence(3, call, other, real)))
        call.label = 'create_provider'
        self.assertFalse(entry.matches(executor.Divergence(3, call, real, other)))
