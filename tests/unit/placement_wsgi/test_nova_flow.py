"""A Nova-style resize through the REST facade at 1.28 (Nova's allocation version).

Steps as openstack/nova's report client does them: boot claim (PUT with a
null consumer generation), move the source allocation to the migration
consumer (POST /allocations), claim on the destination, confirm (PUT {} on
the migration consumer), then delete the instance.
"""

from tests.unit.placement_wsgi import base

MV = '1.28'
FLAVOR = {'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20}


class TestNovaResizeFlow(base.AppTestCase):

    def setUp(self):
        super().setUp()
        self.compute_node(base.RP1, 'host1')
        self.compute_node(base.RP2, 'host2')

    def put(self, consumer, allocations, generation, mv=MV):
        return self.call('PUT', '/allocations/%s' % consumer, {
            'allocations': allocations, 'project_id': base.PROJECT,
            'user_id': base.USER, 'consumer_generation': generation}, mv=mv)

    def get_allocs(self, consumer, mv=MV):
        resp = self.call('GET', '/allocations/%s' % consumer, mv=mv)
        self.assertEqual(200, resp.status_int)
        return resp.json

    def usages(self, rp_uuid):
        resp = self.call('GET', '/resource_providers/%s/usages' % rp_uuid,
                         mv=MV)
        self.assertEqual(200, resp.status_int)
        return resp.json['usages']

    def test_resize_confirm(self):
        # Boot claim on host1.
        resp = self.put(base.INSTANCE, {base.RP1: {'resources': FLAVOR}}, None)
        self.assertEqual(204, resp.status_int)
        self.assertEqual(b'', resp.body)
        self.assertNotIn('content-type', resp.headers)
        instance = self.get_allocs(base.INSTANCE)
        self.assertEqual(1, instance['consumer_generation'])
        self.assertEqual(FLAVOR,
                         instance['allocations'][base.RP1]['resources'])
        self.assertEqual(base.PROJECT, instance['project_id'])
        self.assertNotIn('consumer_type', instance)

        # Move: the migration consumer takes the source allocation.
        resp = self.call('POST', '/allocations', {
            base.INSTANCE: {'allocations': {}, 'project_id': base.PROJECT,
                            'user_id': base.USER, 'consumer_generation': 1},
            base.MIGRATION: {'allocations': instance['allocations'],
                             'project_id': base.PROJECT,
                             'user_id': base.USER,
                             'consumer_generation': None},
        }, mv=MV)
        self.assertEqual(204, resp.status_int, resp.body)
        self.assertEqual({'allocations': {}}, self.get_allocs(base.INSTANCE))
        migration = self.get_allocs(base.MIGRATION)
        self.assertEqual([base.RP1], list(migration['allocations']))

        # The emptied instance consumer is gone: a new claim needs null.
        stale = self.put(base.INSTANCE, {base.RP2: {'resources': FLAVOR}}, 1)
        self.assertEqual(409, stale.status_int)
        error = self.error(stale)
        self.assertEqual('placement.concurrent_update', error['code'])
        self.assertIn('consumer generation conflict - expected null but got 1',
                      error['detail'])
        claim = self.put(base.INSTANCE, {base.RP2: {'resources': FLAVOR}},
                         None)
        self.assertEqual(204, claim.status_int)
        self.assertEqual(FLAVOR, self.usages(base.RP1))
        self.assertEqual(FLAVOR, self.usages(base.RP2))

        # Project usages count both consumers.
        resp = self.call('GET', '/usages?project_id=%s' % base.PROJECT, mv=MV)
        self.assertEqual({rc: 2 * n for rc, n in FLAVOR.items()},
                         resp.json['usages'])

        # Confirm: the migration's allocation is removed with PUT {}.
        migration = self.get_allocs(base.MIGRATION)
        resp = self.put(base.MIGRATION, {},
                        migration['consumer_generation'])
        self.assertEqual(204, resp.status_int)
        self.assertEqual({'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0},
                         self.usages(base.RP1))

        # Delete the instance: DELETE, then a second DELETE is a 404.
        self.assertEqual(204, self.call(
            'DELETE', '/allocations/%s' % base.INSTANCE, mv=MV).status_int)
        again = self.call('DELETE', '/allocations/%s' % base.INSTANCE, mv=MV)
        self.assertEqual(404, again.status_int)
        self.assertIn("No allocations for consumer '%s'" % base.INSTANCE,
                      self.error(again)['detail'])
        self.assertEqual({'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0},
                         self.usages(base.RP2))

    def test_stale_generation_on_existing_consumer(self):
        self.assertEqual(204, self.put(
            base.INSTANCE, {base.RP1: {'resources': FLAVOR}}, None).status_int)
        resp = self.put(base.INSTANCE, {base.RP1: {'resources': FLAVOR}}, None)
        self.assertEqual(409, resp.status_int)
        self.assertIn('consumer generation conflict - expected 1 but got None',
                      self.error(resp)['detail'])
        # Below 1.28 the generation is not checked at all.
        resp = self.call('PUT', '/allocations/%s' % base.INSTANCE, {
            'allocations': {base.RP1: {'resources': {'VCPU': 1}}},
            'project_id': base.PROJECT, 'user_id': base.USER}, mv='1.27')
        self.assertEqual(204, resp.status_int, resp.body)
        self.assertEqual(2, self.get_allocs(base.INSTANCE)[
            'consumer_generation'])

    def test_capacity_exceeded_is_409_without_specific_code(self):
        resp = self.put(base.INSTANCE, {base.RP1: {'resources': {'VCPU': 9}}},
                        None)
        self.assertEqual(409, resp.status_int)
        error = self.error(resp)
        self.assertEqual('placement.undefined_code', error['code'])
        self.assertIn('The requested amount would exceed the capacity.',
                      error['detail'])
        self.assertEqual({'allocations': {}}, self.get_allocs(base.INSTANCE))

    def test_move_is_atomic(self):
        both = {base.RP1: {'resources': {'VCPU': 5}}}
        resp = self.call('POST', '/allocations', {
            consumer: {'allocations': both, 'project_id': base.PROJECT,
                       'user_id': base.USER, 'consumer_generation': None}
            for consumer in (base.INSTANCE, base.MIGRATION)}, mv=MV)
        self.assertEqual(409, resp.status_int)
        self.assertEqual({'allocations': {}}, self.get_allocs(base.INSTANCE))
        self.assertEqual({'allocations': {}}, self.get_allocs(base.MIGRATION))

    def test_provider_allocations_and_consumer_types(self):
        resp = self.call('PUT', '/allocations/%s' % base.INSTANCE, {
            'allocations': {base.RP1: {'resources': FLAVOR}},
            'project_id': base.PROJECT, 'user_id': base.USER,
            'consumer_generation': None, 'consumer_type': 'INSTANCE'},
            mv='1.38')
        self.assertEqual(204, resp.status_int, resp.body)
        self.put(base.MIGRATION, {base.RP1: {'resources': {'VCPU': 1}}}, None)
        resp = self.call('GET', '/resource_providers/%s/allocations'
                         % base.RP1, mv='1.28')
        self.assertEqual({base.INSTANCE: {'resources': FLAVOR,
                                          'consumer_generation': 1},
                          base.MIGRATION: {'resources': {'VCPU': 1},
                                           'consumer_generation': 1}},
                         resp.json['allocations'])
        self.assertEqual(3, resp.json['resource_provider_generation'])
        self.assertEqual('INSTANCE', self.get_allocs(
            base.INSTANCE, mv='1.38')['consumer_type'])
        self.assertEqual('unknown', self.get_allocs(
            base.MIGRATION, mv='1.38')['consumer_type'])
        resp = self.call('GET', '/usages?project_id=%s' % base.PROJECT,
                         mv='1.38')
        self.assertEqual({'INSTANCE': dict(FLAVOR, consumer_count=1),
                          'unknown': {'VCPU': 1, 'consumer_count': 1}},
                         resp.json['usages'])
