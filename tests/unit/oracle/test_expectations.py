"""Scenario expectations: usages, allocations, server fields and migrations."""

import testtools

from harness.oracle import expectations
from harness.oracle import findings as fnd
from tests.unit.oracle import fakes
from tests.unit.oracle.fakes import I1, M1, SMALL, TINY

ZERO = {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


def after_1825537():
    cloud = fakes.Cloud().add(
        fakes.instance(vm_state='error', host='host2', old='m1.tiny', new='m1.small',
                       fault='Virtual Interface creation failed'),
        fakes.migration(status='error'))
    return cloud.hold(I1, host2=SMALL)


EXPECT = {
    'server': {'vm1': {'status': 'ERROR', 'host': 'host2',
                       'fault': 'Virtual Interface creation failed'}},
    'usages': {'host1': ZERO, 'host2': SMALL},
    'allocations': {'vm1': {'host2': 'm1.small'}, 'migration:vm1': {}},
    'migration': {'vm1': 'error'},
}


class TestExpectations(testtools.TestCase):

    def test_all_hold(self):
        self.assertEqual([], expectations.check(after_1825537(), EXPECT))

    def test_usage_mismatch_names_holders(self):
        cloud = after_1825537().hold(M1, host1=TINY)
        found = expectations.check(cloud, {'usages': {'host1': ZERO}})
        self.assertEqual([fnd.EXPECT_USAGE], [f.invariant for f in found])
        self.assertEqual(
            'usage on host1: expected VCPU=0 MEMORY_MB=0 DISK_GB=0, got VCPU=1 MEMORY_MB=512 '
            'DISK_GB=1 (held by: migration of vm1 VCPU=1 MEMORY_MB=512 DISK_GB=1)',
            found[0].message)

    def test_usage_only_listed_classes(self):
        self.assertEqual([], expectations.check(after_1825537(), {'usages': {'host2': {
            'VCPU': 1}}}))
        found = expectations.check(after_1825537(), {'usages': {'host2': {'DISK_GB': 1}}})
        self.assertEqual(['usage on host2: expected DISK_GB=1, got DISK_GB=20 (held by: vm1 '
                          'VCPU=1 MEMORY_MB=2048 DISK_GB=20)'], [f.message for f in found])

    def test_scenario_spellings(self):
        cloud = after_1825537().hold(M1, host1=TINY)
        self.assertEqual([], expectations.check(cloud, {
            'allocations': {'vm1/migration': {'host1': 'm1.tiny'}},
            'migration': {'vm1': {'status': 'error', 'source': 'host1', 'dest': 'host2',
                                  'type': 'resize'}},
            'no_leaks': True}))
        found = expectations.check(cloud, {'migration': {'vm1': {'type': 'migration'}}})
        self.assertEqual(["migration of vm1: expected migration_type 'migration', got 'resize'"],
                         [f.message for f in found])

    def test_allocation_mismatch(self):
        cloud = after_1825537().hold(M1, host1=TINY)
        found = expectations.check(cloud, {'allocations': {
            'migration:vm1': {}, 'vm1': {'host1': 'm1.tiny'}}})
        self.assertEqual(2, len(found))
        self.assertEqual(
            'allocations of migration of vm1 (%s): expected nothing, got VCPU=1 MEMORY_MB=512 '
            'DISK_GB=1 on host1 (m1.tiny)' % M1, found[0].message)
        self.assertEqual({'host1': TINY}, found[1].expected)
        self.assertEqual({'host2': SMALL}, found[1].actual)

    def test_allocation_as_resources(self):
        self.assertEqual([], expectations.check(after_1825537(), {
            'allocations': {'vm1': {'host2': dict(SMALL)}}}))

    def test_server_fields(self):
        found = expectations.check(after_1825537(), {'server': {'vm1': {
            'status': 'ACTIVE', 'host': 'host1', 'fault': 'No valid host',
            'vm_state': 'error', 'flavor': 'm1.tiny'}}})
        self.assertEqual(['fault', 'host', 'status'],
                         sorted(f.details['field'] for f in found))
        status = [f for f in found if f.details['field'] == 'status'][0]
        self.assertEqual("server vm1: expected status = 'ACTIVE', got 'ERROR'", status.message)

    def test_deleted_server(self):
        cloud = fakes.Cloud().add(fakes.instance(deleted=True, vm_state='deleted'))
        self.assertEqual([], expectations.check(cloud, {'server': {'vm1': {
            'status': 'DELETED'}}}))

    def test_migration_fields(self):
        found = expectations.check(after_1825537(), {'migration': {'vm1': {
            'status': 'finished', 'count': 1, 'dest_compute': 'host2'}}})
        self.assertEqual(["migration of vm1: expected status 'finished', got 'error'"],
                         [f.message for f in found])

    def test_bad_input(self):
        cloud = after_1825537()
        err = self.assertRaises(ValueError, expectations.check, cloud, {'usage': {}})
        self.assertIn("did you mean 'usages'", str(err))
        err = self.assertRaises(ValueError, expectations.check, cloud,
                                {'usages': {'host3': ZERO}})
        self.assertIn("unknown host 'host3'", str(err))
        err = self.assertRaises(ValueError, expectations.check, cloud,
                                {'allocations': {'vm2': {}}})
        self.assertIn("did you mean 'vm1'", str(err))
        err = self.assertRaises(ValueError, expectations.check, cloud,
                                {'allocations': {'vm1': {'host1': 'm1.smal'}}})
        self.assertIn("did you mean 'm1.small'", str(err))
        err = self.assertRaises(ValueError, expectations.check, cloud,
                                {'server': {'vm1': {'stat': 'ERROR'}}})
        self.assertIn("did you mean 'status'", str(err))

    def test_api_status_derivation(self):
        for vm, task, status in (('active', None, 'ACTIVE'), ('active', 'resize_prep', 'RESIZE'),
                                 ('resized', None, 'VERIFY_RESIZE'), ('stopped', None, 'SHUTOFF'),
                                 ('error', None, 'ERROR')):
            inst = fakes.instance(vm_state=vm, task_state=task)
            self.assertEqual(status, expectations.api_status(inst))
