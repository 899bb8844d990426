"""Routing, microversion negotiation, error format, auth and policy."""

import datetime
import re

import webob

from placement_sim import wsgi
from tests.unit.placement_wsgi import base

VERSION_HEADER = 'openstack-api-version'


class TestRoot(base.AppTestCase):

    def test_root_document_without_token(self):
        resp = self.call('GET', '/', token=None)
        self.assertEqual(200, resp.status_int)
        version = resp.json['versions'][0]
        self.assertEqual({'id': 'v1.0', 'max_version': '1.39',
                          'min_version': '1.0', 'status': 'CURRENT',
                          'links': [{'rel': 'self', 'href': ''}]}, version)
        self.assertEqual('placement 1.0', resp.headers[VERSION_HEADER])
        self.assertEqual(VERSION_HEADER, resp.headers['vary'])

    def test_cache_headers_from_1_15_only(self):
        old = self.call('GET', '/', mv='1.14')
        self.assertNotIn('last-modified', old.headers)
        self.assertNotIn('cache-control', old.headers)
        new = self.call('GET', '/', mv='1.15')
        self.assertEqual('no-cache', new.headers['cache-control'])
        self.assertTrue(re.match(r'^\w+, \d+ \w+ \d{4} [\d:]+ GMT$',
                                 new.headers['last-modified']))

    def test_empty_path_is_root_but_needs_a_token(self):
        self.assertEqual(200, self.call('GET', '').status_int)
        self.assertEqual(401, self.call('GET', '', token=None).status_int)


class TestRouting(base.AppTestCase):

    def test_unknown_route_404_without_vary(self):
        for path in ('/barnabas', '/resource_providers/', '//resource_providers',
                     '/resource_providers/%s/cows' % base.RP1):
            resp = self.call('GET', path, mv='1.39')
            self.assertEqual(404, resp.status_int, path)
            error = self.error(resp)
            self.assertEqual('Not Found', error['title'])
            self.assertEqual('placement.undefined_code', error['code'])
            self.assertEqual('placement 1.39', resp.headers[VERSION_HEADER])
            self.assertNotIn('vary', resp.headers)

    def test_405_lists_allowed_methods(self):
        resp = self.call('DELETE', '/resource_providers')
        self.assertEqual(405, resp.status_int)
        self.assertEqual('GET, POST', resp.headers['allow'])
        self.assertIn('The method DELETE is not allowed for this resource.',
                      self.error(resp)['detail'])
        resp = self.call('PATCH', '/allocations/%s' % base.INSTANCE)
        self.assertEqual('GET, PUT, DELETE', resp.headers['allow'])
        self.assertEqual('GET', self.call('DELETE', '/').headers['allow'])

    def test_head_is_not_allowed_and_has_no_body(self):
        resp = self.call('HEAD', '/resource_providers')
        self.assertEqual(405, resp.status_int)
        self.assertEqual(b'', resp.body)

    def test_version_gated_routes(self):
        self.assertEqual(404, self.call('GET', '/traits', mv='1.5').status_int)
        self.assertEqual(200, self.call('GET', '/traits', mv='1.6').status_int)
        self.assertEqual(404, self.call('GET', '/usages?project_id=p',
                                        mv='1.8').status_int)
        self.assertEqual(404, self.call('POST', '/allocations', {},
                                        mv='1.12').status_int)
        self.make_provider(base.RP1, 'cn1')
        path = '/resource_providers/%s/inventories' % base.RP1
        resp = self.call('DELETE', path, mv='1.4')
        self.assertEqual(405, resp.status_int)
        self.assertNotIn('allow', resp.headers)
        self.assertEqual(204, self.call('DELETE', path, mv='1.5').status_int)


class TestMicroversion(base.AppTestCase):

    def test_no_header_means_1_0_and_latest_means_1_39(self):
        self.assertEqual('placement 1.0',
                         self.call('GET', '/').headers[VERSION_HEADER])
        resp = self.call('GET', '/', mv='latest')
        self.assertEqual('placement 1.39', resp.headers[VERSION_HEADER])

    def test_header_for_other_services_and_lists(self):
        resp = self.call('GET', '/', headers={
            'OpenStack-API-Version': 'compute 2.1, placement 1.17'})
        self.assertEqual('placement 1.17', resp.headers[VERSION_HEADER])
        resp = self.call('GET', '/', headers={
            'OpenStack-API-Version': 'compute 2.1'})
        self.assertEqual('placement 1.0', resp.headers[VERSION_HEADER])

    def test_out_of_range_is_406_with_limits_and_no_code(self):
        for value in ('0.9', '1.40', '2.0', '-1.5'):
            resp = self.call('GET', '/resource_providers', mv=value)
            self.assertEqual(406, resp.status_int, value)
            error = self.error(resp)
            self.assertIn('Unacceptable version header: %s' % value,
                          error['detail'])
            self.assertEqual('1.39', error['max_version'])
            self.assertEqual('1.0', error['min_version'])
            self.assertNotIn('code', error)
            self.assertNotIn(VERSION_HEADER, resp.headers)

    def test_malformed_is_400(self):
        for value, reason in (
                ('pony.horse', "invalid literal for int() with base 10: "
                               "'pony'"),
                ('1.2.3', "invalid literal for int() with base 10: '2.3'"),
                ('1', "Version.__new__() missing 1 required positional "
                      "argument: 'minor'")):
            resp = self.call('GET', '/', mv=value)
            self.assertEqual(400, resp.status_int, value)
            error = self.error(resp)
            self.assertIn('invalid version string: %s; %s' % (value, reason),
                          error['detail'])
            self.assertNotIn('code', error)
            self.assertNotIn('max_version', error)

    def test_error_code_only_from_1_23(self):
        self.assertNotIn('code', self.error(self.call('GET', '/x', mv='1.22')))
        self.assertEqual('placement.undefined_code',
                         self.error(self.call('GET', '/x', mv='1.23'))['code'])

    def test_html_error_when_asked_for_html(self):
        resp = self.call('GET', '/x', headers={'Accept': 'text/html'})
        self.assertEqual(404, resp.status_int)
        self.assertTrue(resp.content_type.startswith('text/html'))
        self.assertIn(b'The resource could not be found', resp.body)


class TestErrorsAndContent(base.AppTestCase):

    def test_error_body_format_and_request_ids(self):
        first = self.call('GET', '/x', mv='1.39')
        second = self.call('GET', '/x', mv='1.39')
        error = self.error(first)
        self.assertEqual(
            {'status', 'title', 'detail', 'code', 'request_id'}, set(error))
        self.assertEqual(404, error['status'])
        self.assertEqual('The resource could not be found.\n\n   ',
                         error['detail'])
        self.assertTrue(re.match(r'^req-[a-f0-9-]{36}$', error['request_id']))
        self.assertEqual(error['request_id'],
                         first.headers['x-openstack-request-id'])
        self.assertNotEqual(error['request_id'],
                            self.error(second)['request_id'])

    def test_wrong_content_type_is_415(self):
        resp = self.call('POST', '/resource_providers', raw=b'name=x',
                         content_type='text/plain', mv='1.39')
        self.assertEqual(415, resp.status_int)
        self.assertIn('The media type text/plain is not supported, use '
                      'application/json', self.error(resp)['detail'])
        self.assertEqual(VERSION_HEADER, resp.headers['vary'])
        resp = self.call('PUT', '/resource_providers/%s' % base.RP1)
        self.assertIn('The media type None is not supported',
                      self.error(resp)['detail'])

    def test_body_without_content_type_is_400(self):
        resp = self.call('POST', '/resource_providers', raw=b'{"name": "x"}',
                         content_type=None)
        self.assertEqual(400, resp.status_int)
        self.assertIn('content-type header required when content-length > 0',
                      self.error(resp)['detail'])
        resp = self.call('POST', '/resource_providers', {'name': 'x'},
                         headers={'Content-Length': 'hi mom'})
        self.assertEqual(400, resp.status_int)
        self.assertIn('content-length header must be an integer',
                      self.error(resp)['detail'])

    def test_accept_negotiation(self):
        self.assertEqual(406, self.call('GET', '/resource_providers', headers={
            'Accept': 'text/plain'}).status_int)
        self.assertEqual(200, self.call('GET', '/resource_providers', headers={
            'Accept': 'text/html,application/xml;q=0.9,*/*;q=0.8'}).status_int)
        resp = self.call('GET', '/resource_providers', headers={
            'Accept': 'text/html,application/xml;q=0.9'})
        self.assertEqual(406, resp.status_int)
        self.assertIn(b'Only application/json is provided', resp.body)


class TestAuthAndPolicy(base.AppTestCase):

    def test_missing_token_is_401(self):
        resp = self.call('GET', '/resource_providers', token=None)
        self.assertEqual(401, resp.status_int)
        self.assertEqual('401 Unauthorized', resp.json['code'])
        self.assertIn('x-openstack-request-id', resp.headers)
        self.assertNotIn(VERSION_HEADER, resp.headers)

    def test_any_token_is_accepted_but_only_admin_is_allowed(self):
        resp = self.call('GET', '/resource_providers', token='someone',
                         mv='1.39')
        self.assertEqual(403, resp.status_int)
        self.assertIn('Policy does not allow placement:resource_providers:'
                      'list to be performed.', self.error(resp)['detail'])
        self.assertNotIn('vary', resp.headers)
        self.assertEqual(200, self.call('GET', '/resource_providers',
                                        token='admin:admin').status_int)
        self.assertEqual(200, self.call(
            'GET', '/resource_providers', token='someone',
            headers={'X-Roles': 'service'}).status_int)

    def test_project_reader_sees_own_usages_only(self):
        headers = {'X-Roles': 'reader', 'X-Project-Id': 'p1'}
        own = self.call('GET', '/usages?project_id=p1', mv='1.9',
                        token='user', headers=headers)
        self.assertEqual(200, own.status_int)
        other = self.call('GET', '/usages?project_id=p2', mv='1.9',
                          token='user', headers=headers)
        self.assertEqual(403, other.status_int)

    def test_system_scope_is_refused(self):
        resp = self.call('GET', '/resource_providers', token='user', headers={
            'X-Roles': 'admin', 'OpenStack-System-Scope': 'all'})
        self.assertEqual(403, resp.status_int)


class TestOpenPolicy(base.AppTestCase):

    policy_mode = 'open'

    def test_any_user_allowed(self):
        self.assertEqual(200, self.call('GET', '/resource_providers',
                                        token='nobody').status_int)


class TestOptions(base.AppTestCase):

    def test_clock_sets_last_modified(self):
        moment = datetime.datetime(2030, 5, 6, 7, 8, 9,
                                   tzinfo=datetime.timezone.utc)
        app = wsgi.make_app(clock=lambda: moment)
        req = webob.Request.blank('/', headers={
            'OpenStack-API-Version': 'placement 1.15'})
        resp = req.get_response(app)
        self.assertEqual('Mon, 06 May 2030 07:08:09 GMT',
                         resp.headers['last-modified'])

    def test_cors(self):
        app = wsgi.make_app(cors_allowed_origins=('http://ok.example',),
                            cors_allow_headers=('openstack-api-version',))
        preflight = webob.Request.blank('/', method='OPTIONS', headers={
            'X-Auth-Token': 'user', 'Origin': 'http://ok.example',
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'openstack-api-version'})
        resp = preflight.get_response(app)
        self.assertEqual(200, resp.status_int)
        self.assertEqual('http://ok.example',
                         resp.headers['access-control-allow-origin'])
        self.assertEqual('openstack-api-version',
                         resp.headers['access-control-allow-headers'])
        other = webob.Request.blank('/', headers={
            'Origin': 'http://evil.example'}).get_response(app)
        self.assertEqual(200, other.status_int)
        self.assertNotIn('access-control-allow-origin', other.headers)
        plain = webob.Request.blank('/', method='OPTIONS', headers={
            'Origin': 'http://ok.example',
            'X-Auth-Token': 'user'}).get_response(self.app)
        self.assertEqual(405, plain.status_int)

    def test_injected_fault_reaches_the_client(self):
        self.compute_node(base.RP1, 'cn1')
        self.app.placement.faults.add('put_allocations', 'unavailable')
        resp = self.call('PUT', '/allocations/%s' % base.INSTANCE, {
            'allocations': {base.RP1: {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None},
            mv='1.28')
        self.assertEqual(503, resp.status_int)
        self.assertEqual('Service Unavailable', self.error(resp)['title'])
