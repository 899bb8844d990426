"""Shared helpers: build requests with webob.Request.blank and call make_app()."""

import json

import testtools
import webob

from placement_sim import wsgi

RP1 = '2d5cf2c1-7a6f-4e3e-8d0b-1e7f0c9a0001'
RP2 = '2d5cf2c1-7a6f-4e3e-8d0b-1e7f0c9a0002'
INSTANCE = '5b1a8e2e-3c4d-4f5a-9b6c-000000000001'
MIGRATION = '5b1a8e2e-3c4d-4f5a-9b6c-000000000002'
PROJECT = 'project-a'
USER = 'user-a'


class AppTestCase(testtools.TestCase):
    """A fresh app (and Placement) per test."""

    policy_mode = 'legacy'

    def setUp(self):
        super().setUp()
        self.app = wsgi.make_app(policy_mode=self.policy_mode)

    def call(self, method, path, body=None, mv=None, headers=None,
             token='admin', raw=None, content_type='application/json'):
        req = webob.Request.blank(path, method=method)
        if token is not None:
            req.headers['X-Auth-Token'] = token
        if mv is not None:
            req.headers['OpenStack-API-Version'] = 'placement %s' % mv
        if raw is not None:
            req.body = raw
        elif body is not None:
            req.body = json.dumps(body).encode('utf-8')
        if (raw is not None or body is not None) and content_type:
            req.content_type = content_type
        for name, value in (headers or {}).items():
            req.headers[name] = value
        return req.get_response(self.app)

    def error(self, resp):
        """The single error object of an error response."""
        errors = resp.json['errors']
        self.assertEqual(1, len(errors))
        return errors[0]

    def make_provider(self, uuid, name, mv='1.39', **extra):
        body = dict(name=name, uuid=uuid, **extra)
        resp = self.call('POST', '/resource_providers', body, mv=mv)
        self.assertIn(resp.status_int, (200, 201), resp.body)
        return resp

    def set_inventory(self, uuid, generation, inventories, mv='1.39'):
        resp = self.call('PUT', '/resource_providers/%s/inventories' % uuid,
                         {'resource_provider_generation': generation,
                          'inventories': inventories}, mv=mv)
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json

    def compute_node(self, uuid, name):
        """A provider with 8 VCPU, 8192 MEMORY_MB and 100 DISK_GB."""
        self.make_provider(uuid, name)
        return self.set_inventory(uuid, 0, {
            'VCPU': {'total': 8}, 'MEMORY_MB': {'total': 8192},
            'DISK_GB': {'total': 100}})
