"""No request, however malformed, makes the app raise or answer 500."""

import json
import random

import hypothesis
from hypothesis import strategies as hypothesis_st

from tests.unit.placement_wsgi import base

METHODS = ('GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')
VERSIONS = (None, '1.0', '1.10', '1.12', '1.13', '1.28', '1.30', '1.38',
            '1.39', 'latest', '1.40', 'x', '1.', '', '١.٢', '99999999999.1')
PATH_ARGS = (base.RP1, base.INSTANCE, 'not-a-uuid', 'VCPU', 'CUSTOM_X',
             '%FF', '%E2%98%83', '%00', 'a' * 300, '1' * 36, '-' * 36)
TEMPLATES = (
    '/', '/resource_providers', '/resource_providers/{}',
    '/resource_providers/{}/inventories', '/resource_providers/{}/inventories/{}',
    '/resource_providers/{}/usages', '/resource_providers/{}/aggregates',
    '/resource_providers/{}/traits', '/resource_providers/{}/allocations',
    '/allocations', '/allocations/{}', '/allocation_candidates', '/traits',
    '/traits/{}', '/usages', '/resource_classes', '/resource_classes/{}',
    '/reshaper', '/nowhere/{}')
QUERIES = ('', 'resources=VCPU:1', 'resources=VCPU:99999999999999999999',
           'project_id=p&consumer_type=all', 'member_of=in:,,', 'limit=-1',
           'required=!!,', 'in_tree=%FF', 'name=%E2%98%83', 'group_policy=x',
           'resources1=VCPU:1&resources2=VCPU:1', 'same_subtree=,',
           'root_required=A,!A', 'a=%ZZ')
LEAVES = (None, True, 0, -1, 2 ** 31, 2 ** 80, 1e308, 0.5, '', 'x' * 300,
          base.RP1, 'VCPU', [], {})


def _value(rng, depth=0):
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(LEAVES)
    if rng.random() < 0.5:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ('allocations', 'resources', 'project_id', 'user_id', 'name',
            'uuid', 'consumer_generation', 'consumer_type', 'inventories',
            'resource_provider_generation', 'total', 'traits', 'aggregates',
            'mappings', 'parent_provider_uuid', base.RP1, 'VCPU')
    return {rng.choice(keys): _value(rng, depth + 1)
            for _ in range(rng.randint(0, 4))}


def _body(rng):
    kind = rng.random()
    if kind < 0.15:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))
    if kind < 0.2:
        return b'[' * 100000
    if kind < 0.25:
        return b'{"total": NaN, "x": Infinity}'
    return json.dumps(_value(rng)).encode('utf-8')


class TestNoRequestBreaksTheApp(base.AppTestCase):

    def setUp(self):
        super().setUp()
        self.compute_node(base.RP1, 'cn1')

    def test_random_requests(self):
        rng = random.Random(7)
        statuses = set()
        for _ in range(1500):
            template = rng.choice(TEMPLATES)
            path = template.format(*(rng.choice(PATH_ARGS)
                                     for _ in range(template.count('{}'))))
            query = rng.choice(QUERIES)
            if query:
                path += '?' + query
            headers = {}
            if rng.random() < 0.2:
                headers['Accept'] = rng.choice(
                    ['text/plain', 'text/html', '*/*', 'application/json;q=0',
                     ';;;'])
            body = _body(rng) if rng.random() < 0.7 else None
            content_type = rng.choice(['application/json'] * 4 +
                                      ['text/plain', None])
            resp = self.call(rng.choice(METHODS), path, raw=body,
                             mv=rng.choice(VERSIONS), headers=headers,
                             token=rng.choice(['admin'] * 5 + [None, 'u']),
                             content_type=content_type)
            statuses.add(resp.status_int)
            self.assertLess(resp.status_int, 500,
                            (path, resp.status, resp.body[:500]))
            if resp.content_type == 'application/json' and resp.body:
                json.loads(resp.body)
        # The random requests reached the handlers, not only the plumbing.
        self.assertTrue({200, 400, 404, 405, 406, 415} <= statuses, statuses)

    def test_huge_numbers_and_deep_nesting(self):
        path = '/resource_providers/%s/inventories' % base.RP1
        for body in (b'{"resource_provider_generation": 1e999, '
                     b'"inventories": {}}',
                     b'{"resource_provider_generation": ' + b'9' * 5000 +
                     b', "inventories": {}}',
                     b'{"a":' * 50000 + b'1' + b'}' * 50000):
            resp = self.call('PUT', path, raw=body, mv='1.39')
            self.assertEqual(400, resp.status_int, resp.body[:300])


_JSON = hypothesis_st.recursive(
    hypothesis_st.none() | hypothesis_st.booleans() |
    hypothesis_st.integers(min_value=-2 ** 70, max_value=2 ** 70) |
    hypothesis_st.floats(allow_nan=False) |
    hypothesis_st.text(max_size=40) |
    hypothesis_st.sampled_from([base.RP1, 'VCPU', 'CUSTOM_X', 'INSTANCE']),
    lambda inner: hypothesis_st.lists(inner, max_size=4) |
    hypothesis_st.dictionaries(
        hypothesis_st.sampled_from([
            'allocations', 'resources', 'project_id', 'user_id',
            'consumer_generation', 'consumer_type', 'mappings', 'name',
            'uuid', 'parent_provider_uuid', 'inventories', 'total',
            'resource_provider_generation', 'traits', 'aggregates',
            'resource_class', base.RP1, base.INSTANCE, 'VCPU']),
        inner, max_size=5),
    max_leaves=25)
_WRITES = (('PUT', '/allocations/' + base.INSTANCE),
           ('POST', '/allocations'),
           ('POST', '/resource_providers'),
           ('PUT', '/resource_providers/' + base.RP1),
           ('PUT', '/resource_providers/%s/inventories' % base.RP1),
           ('POST', '/resource_providers/%s/inventories' % base.RP1),
           ('PUT', '/resource_providers/%s/inventories/VCPU' % base.RP1),
           ('PUT', '/resource_providers/%s/traits' % base.RP1),
           ('PUT', '/resource_providers/%s/aggregates' % base.RP1),
           ('POST', '/reshaper'), ('POST', '/resource_classes'))


class TestGeneratedBodies(base.AppTestCase):

    @hypothesis.settings(max_examples=120, derandomize=True, deadline=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(body=_JSON, target=hypothesis_st.sampled_from(_WRITES),
                      version=hypothesis_st.sampled_from(
                          ['1.0', '1.12', '1.19', '1.28', '1.34', '1.39']))
    def test_any_json_body_gets_a_client_answer(self, body, target, version):
        method, path = target
        resp = self.call(method, path, body, mv=version)
        self.assertLess(resp.status_int, 500, resp.body[:500])
        if resp.status_int >= 400:
            self.assertEqual(resp.status_int, self.error(resp)['status'])
