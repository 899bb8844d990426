"""Providers, inventories, traits, aggregates, classes and candidates by version."""

from tests.unit.placement_wsgi import base

AGG = '7e1b6c3e-8d9f-4a0b-9c1d-2e3f4a5b6c7d'


class TestProviders(base.AppTestCase):

    def test_create_answer_depends_on_version(self):
        old = self.make_provider(base.RP1, 'cn1', mv='1.19')
        self.assertEqual(201, old.status_int)
        self.assertEqual(b'', old.body)
        self.assertEqual('http://localhost/resource_providers/%s' % base.RP1,
                         old.headers['location'])
        new = self.make_provider(base.RP2, 'cn2', mv='1.20')
        self.assertEqual(200, new.status_int)
        self.assertEqual(base.RP2, new.json['uuid'])
        self.assertEqual(0, new.json['generation'])
        self.assertIn('location', new.headers)

    def test_links_and_tree_fields_per_version(self):
        self.make_provider(base.RP1, 'cn1')

        def rels(mv):
            resp = self.call('GET', '/resource_providers/%s' % base.RP1,
                             mv=mv)
            return [link['rel'] for link in resp.json['links']], resp.json

        self.assertEqual((['self', 'inventories', 'usages']),
                         rels('1.0')[0])
        self.assertEqual(['self', 'inventories', 'usages', 'aggregates',
                          'traits', 'allocations'], rels('1.11')[0])
        self.assertNotIn('root_provider_uuid', rels('1.13')[1])
        self.assertEqual(base.RP1, rels('1.14')[1]['root_provider_uuid'])

    def test_duplicate_name_conflict(self):
        self.make_provider(base.RP1, 'cn1')
        resp = self.call('POST', '/resource_providers', {'name': 'cn1'},
                         mv='1.39')
        self.assertEqual(409, resp.status_int)
        error = self.error(resp)
        self.assertEqual('placement.duplicate_name', error['code'])
        self.assertIn('Conflicting resource provider name: cn1 already '
                      'exists.', error['detail'])

    def test_unknown_provider_texts_per_route(self):
        missing = 'No resource provider with uuid %s found' % base.RP1
        for path, text in (
                ('/resource_providers/%s', missing),
                ('/resource_providers/%s/inventories',
                 '%s : %s' % (missing, missing)),
                ('/resource_providers/%s/usages', '%s: %s' % (missing, missing)),
                ('/resource_providers/%s/allocations',
                 "Resource provider '%s' not found: %s"
                 % (base.RP1, missing))):
            resp = self.call('GET', path % base.RP1, mv='1.39')
            self.assertEqual(404, resp.status_int, path)
            self.assertIn(text, self.error(resp)['detail'])

    def test_reparenting_needs_1_37(self):
        self.make_provider(base.RP1, 'root1')
        self.make_provider(base.RP2, 'child',
                           parent_provider_uuid=base.RP1)
        body = {'name': 'child', 'parent_provider_uuid': None}
        resp = self.call('PUT', '/resource_providers/%s' % base.RP2, body,
                         mv='1.36')
        self.assertEqual(400, resp.status_int)
        self.assertIn('un-parenting a provider is not currently allowed.',
                      self.error(resp)['detail'])
        resp = self.call('PUT', '/resource_providers/%s' % base.RP2, body,
                         mv='1.37')
        self.assertEqual(200, resp.status_int)
        self.assertEqual(base.RP2, resp.json['root_provider_uuid'])

    def test_last_modified_on_update_follows_the_real_row(self):
        # Facts from the real service: the answer carries the row's previous
        # updated_at; a root provider has one from its creation, a child
        # gets one only when its row is written again.
        self.make_provider(base.RP1, 'root1')
        self.make_provider(base.RP2, 'child', parent_provider_uuid=base.RP1)

        def put(uuid, name):
            resp = self.call('PUT', '/resource_providers/%s' % uuid,
                             {'name': name}, mv='1.15')
            self.assertEqual(200, resp.status_int)
            self.assertEqual('no-cache', resp.headers['cache-control'])
            return 'last-modified' in resp.headers

        self.assertTrue(put(base.RP1, 'root1'))
        self.assertFalse(put(base.RP2, 'child'))
        self.assertFalse(put(base.RP2, 'child2'))
        self.assertTrue(put(base.RP2, 'child3'))


class TestInventories(base.AppTestCase):

    def setUp(self):
        super().setUp()
        self.make_provider(base.RP1, 'cn1')
        self.path = '/resource_providers/%s/inventories' % base.RP1

    def test_defaults_generation_and_conflict(self):
        body = self.set_inventory(base.RP1, 0, {'VCPU': {'total': 4}})
        self.assertEqual(1, body['resource_provider_generation'])
        self.assertEqual({'total': 4, 'reserved': 0, 'min_unit': 1,
                          'max_unit': 2147483647, 'step_size': 1,
                          'allocation_ratio': 1.0},
                         body['inventories']['VCPU'])
        stale = self.call('PUT', self.path, {
            'resource_provider_generation': 0,
            'inventories': {'VCPU': {'total': 8}}}, mv='1.39')
        self.assertEqual(409, stale.status_int)
        self.assertEqual('placement.concurrent_update',
                         self.error(stale)['code'])

    def test_single_class_routes(self):
        resp = self.call('POST', self.path, {'resource_class': 'DISK_GB',
                                             'total': 10}, mv='1.39')
        self.assertEqual(201, resp.status_int)
        self.assertTrue(resp.headers['location'].endswith(
            '/inventories/DISK_GB'))
        self.assertEqual(1, resp.json['resource_provider_generation'])
        resp = self.call('PUT', self.path + '/DISK_GB', {
            'resource_provider_generation': 1, 'total': 20,
            'allocation_ratio': 2}, mv='1.39')
        self.assertEqual(200, resp.status_int)
        self.assertEqual(2, resp.json['allocation_ratio'])
        self.assertEqual(20, self.call('GET', self.path + '/DISK_GB',
                                       mv='1.39').json['total'])
        self.assertEqual(204, self.call('DELETE', self.path + '/DISK_GB',
                                        mv='1.39').status_int)
        self.assertEqual(404, self.call('GET', self.path + '/DISK_GB',
                                        mv='1.39').status_int)

    def test_inventory_in_use(self):
        self.set_inventory(base.RP1, 0, {'VCPU': {'total': 4},
                                         'DISK_GB': {'total': 10}})
        resp = self.call('PUT', '/allocations/%s' % base.INSTANCE, {
            'allocations': {base.RP1: {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u',
            'consumer_generation': None}, mv='1.28')
        self.assertEqual(204, resp.status_int)
        resp = self.call('DELETE', self.path, mv='1.39')
        self.assertEqual(409, resp.status_int)
        self.assertEqual('placement.inventory.inuse',
                         self.error(resp)['code'])
        resp = self.call('DELETE', self.path + '/VCPU', mv='1.39')
        self.assertEqual('placement.concurrent_update',
                         self.error(resp)['code'])


class TestTraitsAggregatesClasses(base.AppTestCase):

    def setUp(self):
        super().setUp()
        self.make_provider(base.RP1, 'cn1')

    def test_traits(self):
        self.assertEqual(201, self.call('PUT', '/traits/CUSTOM_GOLD',
                                        mv='1.6').status_int)
        self.assertEqual(204, self.call('PUT', '/traits/CUSTOM_GOLD',
                                        mv='1.6').status_int)
        self.assertEqual(400, self.call('PUT', '/traits/GOLD',
                                        mv='1.6').status_int)
        path = '/resource_providers/%s/traits' % base.RP1
        resp = self.call('PUT', path, {'traits': ['CUSTOM_GOLD'],
                                       'resource_provider_generation': 0},
                         mv='1.6')
        self.assertEqual({'traits': ['CUSTOM_GOLD'],
                          'resource_provider_generation': 1}, resp.json)
        resp = self.call('GET', '/traits?name=startswith:CUSTOM_&'
                         'associated=true', mv='1.6')
        self.assertEqual(['CUSTOM_GOLD'], resp.json['traits'])
        resp = self.call('DELETE', '/traits/CUSTOM_GOLD', mv='1.6')
        self.assertEqual(409, resp.status_int)

    def test_aggregates_body_per_version(self):
        path = '/resource_providers/%s/aggregates' % base.RP1
        resp = self.call('PUT', path, [AGG], mv='1.1')
        self.assertEqual({'aggregates': [AGG]}, resp.json)
        resp = self.call('GET', path, mv='1.19')
        self.assertEqual({'aggregates': [AGG],
                          'resource_provider_generation': 0}, resp.json)
        resp = self.call('PUT', path, {'aggregates': [],
                                       'resource_provider_generation': 0},
                         mv='1.19')
        self.assertEqual(1, resp.json['resource_provider_generation'])
        self.assertEqual(404, self.call('GET', path, mv='1.0').status_int)

    def test_resource_classes(self):
        resp = self.call('PUT', '/resource_classes/CUSTOM_FPGA', mv='1.7')
        self.assertEqual(201, resp.status_int)
        self.assertEqual(204, self.call('PUT', '/resource_classes/CUSTOM_FPGA',
                                        mv='1.7').status_int)
        resp = self.call('GET', '/resource_classes/CUSTOM_FPGA', mv='1.7')
        self.assertEqual({'name': 'CUSTOM_FPGA', 'links': [
            {'rel': 'self', 'href': '/resource_classes/CUSTOM_FPGA'}]},
            resp.json)
        resp = self.call('PUT', '/resource_classes/VCPU', mv='1.7')
        self.assertEqual(400, resp.status_int)
        names = [rc['name'] for rc in self.call(
            'GET', '/resource_classes', mv='1.2').json['resource_classes']]
        self.assertEqual('VCPU', names[0])
        self.assertIn('CUSTOM_FPGA', names)


class TestCandidatesShapes(base.AppTestCase):

    def setUp(self):
        super().setUp()
        self.compute_node(base.RP1, 'cn1')

    def test_shape_per_version(self):
        query = '/allocation_candidates?resources=VCPU:1'
        old = self.call('GET', query, mv='1.10').json
        self.assertEqual([{'allocations': [
            {'resource_provider': {'uuid': base.RP1},
             'resources': {'VCPU': 1}}]}], old['allocation_requests'])
        self.assertEqual({base.RP1: {'resources': {
            'VCPU': {'capacity': 8, 'used': 0}}}}, old['provider_summaries'])
        new = self.call('GET', query, mv='1.39').json
        self.assertEqual([{'allocations': {base.RP1: {
            'resources': {'VCPU': 1}}}, 'mappings': {'': [base.RP1]}}],
            new['allocation_requests'])
        summary = new['provider_summaries'][base.RP1]
        self.assertEqual({'VCPU', 'MEMORY_MB', 'DISK_GB'},
                         set(summary['resources']))
        self.assertEqual(base.RP1, summary['root_provider_uuid'])

    def test_group_checks(self):
        resp = self.call('GET', '/allocation_candidates?resources1=VCPU:1&'
                         'resources2=VCPU:1', mv='1.25')
        self.assertIn('The "group_policy" parameter is required',
                      self.error(resp)['detail'])
        resp = self.call('GET', '/allocation_candidates', mv='1.36')
        self.assertEqual('placement.query.missing_value',
                         self.error(resp)['code'])
        resp = self.call('GET', '/allocation_candidates?resources=VCPU:1&'
                         'root_required=A&root_required=B', mv='1.35')
        self.assertEqual('placement.query.duplicate_key',
                         self.error(resp)['code'])
