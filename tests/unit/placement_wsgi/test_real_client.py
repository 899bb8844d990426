"""A real client (keystoneauth1 over requests) talks to the app mounted at /placement.

This is how Nova's report client and placement's own PlacementDirect reach
Placement: an Adapter with `x-auth-token: admin`, the service mounted under a
path prefix, microversions per call.
"""

import requests
from keystoneauth1 import adapter
from keystoneauth1 import session
from wsgi_intercept import interceptor

from tests.unit.placement_wsgi import base

URL = 'http://placement-sim.test/placement'


class TestKeystoneauthClient(base.AppTestCase):

    def setUp(self):
        super().setUp()
        app = self.app
        intercept = interceptor.RequestsInterceptor(app=lambda: app, url=URL)
        intercept.__enter__()
        self.addCleanup(intercept.__exit__, None, None, None)
        sess = session.Session(auth=None, session=requests.Session(),
                               additional_headers={'x-auth-token': 'admin'})
        self.client = adapter.Adapter(sess, endpoint_override=URL,
                                      service_type='placement',
                                      default_microversion='1.39',
                                      raise_exc=False)

    def test_links_and_location_carry_the_mount_point(self):
        resp = self.client.post('/resource_providers', json={
            'name': 'cn1', 'uuid': base.RP1})
        self.assertEqual(200, resp.status_code)
        self.assertEqual(URL + '/resource_providers/' + base.RP1,
                         resp.headers['location'])
        self.assertEqual('/placement/resource_providers/' + base.RP1,
                         resp.json()['links'][0]['href'])

    def test_nova_style_claim(self):
        self.client.post('/resource_providers', json={'name': 'cn1',
                                                      'uuid': base.RP1})
        resp = self.client.put(
            '/resource_providers/%s/inventories' % base.RP1,
            json={'resource_provider_generation': 0,
                  'inventories': {'VCPU': {'total': 4}}})
        self.assertEqual(200, resp.status_code)
        path = '/allocations/' + base.INSTANCE
        resp = self.client.put(path, microversion='1.28', json={
            'allocations': {base.RP1: {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        self.assertEqual(204, resp.status_code)
        resp = self.client.get(path, microversion='1.28')
        self.assertEqual('placement 1.28',
                         resp.headers['openstack-api-version'])
        self.assertEqual(1, resp.json()['consumer_generation'])
        conflict = self.client.put(path, microversion='1.28', json={
            'allocations': {base.RP1: {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        self.assertEqual(409, conflict.status_code)
        error = conflict.json()['errors'][0]
        self.assertEqual('placement.concurrent_update', error['code'])
        self.assertIn('consumer generation conflict', error['detail'])
