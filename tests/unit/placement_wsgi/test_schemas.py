"""Body and query-string validation per microversion, with the real texts."""

import random

from placement_sim.schemas import allocation as alloc_schema
from tests.unit.placement_wsgi import base

ALLOC = {base.RP1: {'resources': {'VCPU': 1}}}


class TestBodies(base.AppTestCase):

    def test_malformed_and_non_utf8_json(self):
        resp = self.call('POST', '/resource_providers', raw=b'{"name"',
                         mv='1.39')
        self.assertEqual(400, resp.status_int)
        self.assertIn("Malformed JSON: Expecting ':' delimiter: line 1 "
                      "column 8 (char 7)", self.error(resp)['detail'])
        resp = self.call('POST', '/resource_providers', raw=b'\xff\xfe',
                         mv='1.39')
        self.assertEqual(400, resp.status_int)
        self.assertIn("Malformed JSON: 'utf-8' codec can't decode byte 0xff",
                      self.error(resp)['detail'])

    def test_schema_error_text(self):
        resp = self.call('POST', '/resource_providers', {'name': 1},
                         mv='1.39')
        self.assertEqual(400, resp.status_int)
        detail = self.error(resp)['detail']
        self.assertIn("JSON does not validate: 1 is not of type 'string'",
                      detail)
        self.assertIn("Failed validating 'type' in schema['properties']"
                      "['name']", detail)

    def test_parent_needs_1_14(self):
        body = {'name': 'child', 'parent_provider_uuid': None}
        resp = self.call('POST', '/resource_providers', body, mv='1.13')
        self.assertEqual(400, resp.status_int)
        self.assertIn("Additional properties are not allowed "
                      "('parent_provider_uuid' was unexpected)",
                      self.error(resp)['detail'])
        self.assertEqual(200, self.call('POST', '/resource_providers', body,
                                        mv='1.20').status_int)

    def test_inventory_limits(self):
        self.make_provider(base.RP1, 'cn1')
        path = '/resource_providers/%s/inventories' % base.RP1
        for bad in ({'total': 0}, {'total': 2147483648}, {'total': 'many'},
                    {'total': 1, 'colour': 'red'}):
            resp = self.call('PUT', path, {'resource_provider_generation': 0,
                                           'inventories': {'VCPU': bad}},
                             mv='1.39')
            self.assertEqual(400, resp.status_int, bad)
            self.assertIn('JSON does not validate', self.error(resp)['detail'])

    def test_reserved_equal_total_needs_1_26(self):
        self.make_provider(base.RP1, 'cn1')
        path = '/resource_providers/%s/inventories' % base.RP1
        body = {'resource_provider_generation': 0,
                'inventories': {'DISK_GB': {'total': 10, 'reserved': 10}}}
        resp = self.call('PUT', path, body, mv='1.25')
        self.assertEqual(400, resp.status_int)
        self.assertIn('The reserved value is greater than or equal to total.',
                      self.error(resp)['detail'])
        self.assertEqual(200, self.call('PUT', path, body,
                                        mv='1.26').status_int)

    def test_allocation_body_forms_per_version(self):
        self.compute_node(base.RP1, 'cn1')
        path = '/allocations/%s' % base.INSTANCE
        listed = {'allocations': [{'resource_provider': {'uuid': base.RP1},
                                   'resources': {'VCPU': 1}}]}
        self.assertEqual(204, self.call('PUT', path, listed,
                                        mv='1.0').status_int)
        resp = self.call('PUT', path, listed, mv='1.8')
        self.assertIn("'project_id' is a required property",
                      self.error(resp)['detail'])
        owned = {'allocations': ALLOC, 'project_id': 'p', 'user_id': 'u'}
        self.assertEqual(204, self.call('PUT', path, owned,
                                        mv='1.12').status_int)
        resp = self.call('PUT', path, owned, mv='1.28')
        self.assertIn("'consumer_generation' is a required property",
                      self.error(resp)['detail'])
        resp = self.call('PUT', path, dict(owned, consumer_generation=3),
                         mv='1.38')
        self.assertIn("'consumer_type' is a required property",
                      self.error(resp)['detail'])
        empty = {'allocations': {}, 'project_id': 'p', 'user_id': 'u'}
        resp = self.call('PUT', path, empty, mv='1.27')
        self.assertIn('{} should be non-empty',
                      self.error(resp)['detail'])

    def test_malformed_consumer_uuid(self):
        resp = self.call('PUT', '/allocations/not-a-uuid', {}, mv='1.39')
        self.assertEqual(400, resp.status_int)
        self.assertIn('Malformed consumer_uuid: not-a-uuid',
                      self.error(resp)['detail'])


class TestFastAllocationCheck(base.AppTestCase):
    """The fast path may only accept what jsonschema accepts."""

    def _variants(self, rng):
        values = [None, 0, 1, -1, 1.0, True, 'x', '', [], {}, 'VCPU',
                  base.RP1, 2 ** 40]
        for _ in range(400):
            body = {'allocations': {base.RP1: {'resources': {'VCPU': 1}}},
                    'project_id': 'p', 'user_id': 'u',
                    'consumer_generation': None, 'consumer_type': 'INSTANCE'}
            for _ in range(rng.randint(1, 3)):
                where = rng.choice(['top', 'rp', 'resources', 'amount'])
                value = rng.choice(values)
                if where == 'top':
                    body[rng.choice(list(body) + ['extra'])] = value
                elif where == 'rp':
                    body['allocations'] = {rng.choice(
                        [base.RP1, 'short', base.RP1 + '\n']): value}
                elif not isinstance(body.get('allocations'), dict):
                    continue
                elif where == 'resources':
                    body['allocations'][base.RP1] = {
                        rng.choice(['resources', 'generation', 'x']): value}
                elif isinstance(body['allocations'].get(base.RP1), dict):
                    body['allocations'][base.RP1]['resources'] = {
                        rng.choice(['VCPU', 'vcpu', '']): value}
            yield body

    def test_fast_check_never_accepts_an_invalid_body(self):
        rng = random.Random(20261122)
        accepted = 0
        for _, validator in alloc_schema.PUT_V[:3]:
            for body in self._variants(rng):
                fast = validator._fast(body)
                slow = validator._validator.is_valid(body)
                if fast:
                    accepted += 1
                    self.assertTrue(slow, body)
        self.assertGreater(accepted, 0)


class TestQueryStrings(base.AppTestCase):

    def test_unknown_parameter_and_bad_encoding(self):
        resp = self.call('GET', '/resource_providers?foo=bar', mv='1.39')
        self.assertEqual(400, resp.status_int)
        self.assertIn("Invalid query string parameters: Additional properties "
                      "are not allowed ('foo' was unexpected)",
                      self.error(resp)['detail'])
        resp = self.call('GET', '/resource_providers?name=%FF', mv='1.39')
        self.assertEqual(400, resp.status_int)
        self.assertIn("Invalid query string parameters: 'utf-8' codec can't "
                      "decode byte 0xff", self.error(resp)['detail'])

    def test_parameters_appear_with_their_microversion(self):
        agg = '7e1b6c3e-8d9f-4a0b-9c1d-2e3f4a5b6c7d'
        self.assertEqual(400, self.call(
            'GET', '/resource_providers?member_of=%s' % agg,
            mv='1.2').status_int)
        self.assertEqual(200, self.call(
            'GET', '/resource_providers?member_of=%s' % agg,
            mv='1.3').status_int)
        resp = self.call('GET', '/resource_providers?member_of=!%s' % agg,
                         mv='1.31')
        self.assertIn('Forbidden member_of parameters are not supported',
                      self.error(resp)['detail'])
        resp = self.call('GET', '/resource_providers?required=in:A,B',
                         mv='1.38')
        self.assertIn("only supported since microversion 1.39",
                      self.error(resp)['detail'])

    def test_bad_resources_parameter(self):
        for query, text in (
                ('resources=', 'Got: empty string.'),
                ('resources=VCPU', 'Got: VCPU.'),
                ('resources=VCPU:x', 'expected positive integer amount. '
                                     'Got: x.'),
                ('resources=VCPU:0', 'requires amount >= 1. Got: 0.'),
                ('resources=NOPE:1', 'No such resource class NOPE.')):
            resp = self.call('GET', '/resource_providers?' + query, mv='1.39')
            self.assertEqual(400, resp.status_int, query)
            self.assertIn(text, self.error(resp)['detail'])

    def test_total_usages_needs_project(self):
        resp = self.call('GET', '/usages', mv='1.9')
        self.assertEqual(400, resp.status_int)
        self.assertIn("'project_id' is a required property",
                      self.error(resp)['detail'])
        resp = self.call('GET', '/usages?project_id=p&consumer_type=all',
                         mv='1.37')
        self.assertEqual(400, resp.status_int)
        self.assertEqual(200, self.call(
            'GET', '/usages?project_id=p&consumer_type=all',
            mv='1.38').status_int)
