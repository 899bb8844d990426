"""Shared set-up for the placement_sim unit tests."""

import testtools

from placement_sim import Placement

RP1 = '11111111-1111-1111-1111-111111111111'
RP2 = '22222222-2222-2222-2222-222222222222'
RP3 = '33333333-3333-3333-3333-333333333333'
INST = 'aaaaaaaa-0000-0000-0000-000000000001'
MIGR = 'aaaaaaaa-0000-0000-0000-000000000002'
OTHER = 'aaaaaaaa-0000-0000-0000-000000000003'
AGG1 = 'bbbbbbbb-0000-0000-0000-000000000001'
AGG2 = 'bbbbbbbb-0000-0000-0000-000000000002'
FLAVOR = {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 10}
COMPUTE = {'VCPU': {'total': 8}, 'MEMORY_MB': {'total': 4096}, 'DISK_GB': {'total': 100}}


class PlacementTestCase(testtools.TestCase):
    """A fresh Placement with helpers for the common set-ups."""

    def setUp(self):
        super().setUp()
        self.p = Placement()

    def compute(self, uuid, name=None, inventory=None, parent=None):
        self.p.create_provider(name or 'cn-' + uuid, uuid=uuid,
                               parent_provider_uuid=parent)
        self.p.set_inventories(uuid, 0, inventory or COMPUTE)
        return uuid

    def gen(self, rp):
        return self.p.get_provider(rp)['generation']

    def put(self, consumer, rp, resources=None, generation=None, **kw):
        kw.setdefault('project_id', 'proj')
        kw.setdefault('user_id', 'user')
        return self.p.put_allocations(consumer, {rp: {'resources': resources or FLAVOR}},
                                      consumer_generation=generation, **kw)

    def assertRaisesPlacement(self, status, code, message, fn, *args, **kwargs):
        err = self.assertRaises(Exception, fn, *args, **kwargs)
        self.assertEqual((status, code, message), (err.status, err.code, err.message))
        return err
