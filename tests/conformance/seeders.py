"""Ways to put a gabbi fixture's starting data into a Placement.

A fixture describes its data as calls on a seeder: `provider`, `inventory`, `traits`,
`resource_class`, `allocate`. Each call has the effect (including the provider generation bumps)
of the helper that placement's own gabbi fixtures use
(`placement/tests/functional/db/test_base.py`):

- creating a provider with aggregates does not bump its generation;
- every `inventory` call adds one resource class and bumps the generation once (max_unit
  defaults to the total);
- every `traits` call replaces the provider's traits and bumps once, creating custom traits first;
- every `allocate` call writes one new consumer's allocations (bumping the providers once).

`PythonApiSeeder` writes through `placement_sim.Placement` (what the conformance suite uses);
`HttpSeeder` writes through any Placement WSGI app, and serves to check the fixtures themselves
against the real service (`python -m tests.conformance.realcheck`).
"""
import hashlib
import json
import random
import uuid

import webob


class UuidSource(object):
    """Deterministic uuids: the same sequence for the same seed text, in every process."""

    def __init__(self, seed_text):
        digest = hashlib.sha256(seed_text.encode('utf-8')).digest()
        self._rng = random.Random(int.from_bytes(digest[:8], 'big'))
        self._named = {}

    def new(self):
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def named(self, name):
        """One uuid per name, like oslo's uuidsentinel but reproducible."""
        if name not in self._named:
            self._named[name] = self.new()
        return self._named[name]


def _is_custom(name):
    return name.startswith('CUSTOM_')


def _inventory_record(total, reserved=0, min_unit=1, max_unit=None, step_size=1,
                      allocation_ratio=1.0):
    return {
        'total': total,
        'reserved': reserved,
        'min_unit': min_unit,
        'max_unit': total if max_unit is None else max_unit,
        'step_size': step_size,
        'allocation_ratio': allocation_ratio,
    }


class PythonApiSeeder(object):
    """Seeds a `placement_sim.Placement` through its Python API."""

    def __init__(self, placement):
        self.placement = placement

    def _generation(self, rp_uuid):
        return self.placement.get_provider(rp_uuid)['generation']

    def provider(self, name, rp_uuid, parent=None, aggregates=()):
        self.placement.create_provider(name, uuid=rp_uuid, parent_provider_uuid=parent)
        if aggregates:
            self.aggregates(rp_uuid, aggregates)
        return rp_uuid

    def aggregates(self, rp_uuid, aggregates):
        """Set aggregates without bumping the generation (as the DB-level fixture helper does)."""
        self.placement.set_provider_aggregates(rp_uuid, None, list(aggregates))

    def resource_class(self, name):
        if _is_custom(name):
            self.placement.ensure_resource_class(name)

    def inventory(self, rp_uuid, rc, total, **fields):
        self.resource_class(rc)
        self.placement.create_inventory(rp_uuid, rc, _inventory_record(total, **fields))

    def traits(self, rp_uuid, *names):
        for name in names:
            if _is_custom(name):
                self.placement.create_trait(name)
        self.placement.set_provider_traits(rp_uuid, self._generation(rp_uuid), list(names))

    def allocate(self, consumer, rp_uuid, resources, project_id, user_id):
        self.placement.put_allocations(
            consumer, {rp_uuid: {'resources': dict(resources)}}, project_id, user_id, None)


class HttpError(Exception):
    """A seeding request that the service refused."""


class HttpSeeder(object):
    """Seeds any Placement WSGI app through its REST API."""

    def __init__(self, app):
        self.app = app

    def _call(self, method, path, body=None, version='1.28', expect=(200, 201, 204)):
        request = webob.Request.blank(path, method=method)
        request.headers['X-Auth-Token'] = 'admin'
        request.headers['OpenStack-API-Version'] = 'placement %s' % version
        request.headers['Accept'] = 'application/json'
        if body is not None:
            request.body = json.dumps(body).encode('utf-8')
            request.content_type = 'application/json'
        response = request.get_response(self.app)
        if response.status_code not in expect:
            raise HttpError('%s %s -> %s %s' % (method, path, response.status,
                                                response.text))
        return response.json if response.body else None

    def _generation(self, rp_uuid):
        return self._call('GET', '/resource_providers/%s' % rp_uuid)['generation']

    def provider(self, name, rp_uuid, parent=None, aggregates=()):
        body = {'name': name, 'uuid': rp_uuid}
        if parent:
            body['parent_provider_uuid'] = parent
        self._call('POST', '/resource_providers', body)
        if aggregates:
            self.aggregates(rp_uuid, aggregates)
        return rp_uuid

    def aggregates(self, rp_uuid, aggregates):
        # Before 1.19 the aggregates PUT neither checks nor bumps the generation.
        self._call('PUT', '/resource_providers/%s/aggregates' % rp_uuid, list(aggregates),
                   version='1.18')

    def resource_class(self, name):
        if _is_custom(name):
            self._call('PUT', '/resource_classes/%s' % name, version='1.7')

    def inventory(self, rp_uuid, rc, total, **fields):
        self.resource_class(rc)
        body = _inventory_record(total, **fields)
        body['resource_provider_generation'] = self._generation(rp_uuid)
        body['resource_class'] = rc
        self._call('POST', '/resource_providers/%s/inventories' % rp_uuid, body)

    def traits(self, rp_uuid, *names):
        for name in names:
            if _is_custom(name):
                self._call('PUT', '/traits/%s' % name)
        body = {'traits': list(names), 'resource_provider_generation': self._generation(rp_uuid)}
        self._call('PUT', '/resource_providers/%s/traits' % rp_uuid, body)

    def allocate(self, consumer, rp_uuid, resources, project_id, user_id):
        body = {'allocations': {rp_uuid: {'resources': dict(resources)}},
                'project_id': project_id, 'user_id': user_id, 'consumer_generation': None}
        self._call('PUT', '/allocations/%s' % consumer, body)
