"""Quiescence: leaks and allocations-follow-the-instance on hand-built end states (§8)."""

import testtools

from harness.oracle import findings as fnd
from harness.oracle import quiescence
from tests.unit.oracle import fakes
from tests.unit.oracle.fakes import I1, M1, SMALL, TINY


def resized(**kw):
    return fakes.instance(vm_state='resized', host='host2', flavor='m1.small', old='m1.tiny',
                          new='m1.small', **kw)


class TestCleanEndStates(testtools.TestCase):
    """The fixed-code end states of reference §8.1 raise nothing."""

    def assertClean(self, cloud):
        found = quiescence.check(cloud)
        self.assertEqual([], [f.message for f in found])

    def test_booted(self):
        self.assertClean(fakes.Cloud().add(fakes.instance()).hold(I1, host1=TINY))

    def test_verify_resize(self):
        cloud = fakes.Cloud().add(resized(), fakes.migration(status='finished'))
        self.assertClean(cloud.hold(I1, host2=SMALL).hold(M1, host1=TINY))

    def test_confirmed(self):
        cloud = fakes.Cloud().add(fakes.instance(host='host2', flavor='m1.small'),
                                  fakes.migration(status='confirmed'))
        self.assertClean(cloud.hold(I1, host2=SMALL))

    def test_reverted(self):
        cloud = fakes.Cloud().add(fakes.instance(), fakes.migration(status='reverted'))
        self.assertClean(cloud.hold(I1, host1=TINY))

    def test_no_valid_host(self):
        cloud = fakes.Cloud().add(fakes.instance(), fakes.migration(dest=None, status='error'))
        self.assertClean(cloud.hold(I1, host1=TINY))

    def test_finish_resize_failure_fixed(self):
        # 1825537 fixed: the flavor field is reset to old, Placement keeps new on the dest.
        cloud = fakes.Cloud().add(
            fakes.instance(vm_state='error', host='host2', old='m1.tiny', new='m1.small'),
            fakes.migration(status='error'))
        self.assertClean(cloud.hold(I1, host2=SMALL))

    def test_resize_instance_failure(self):
        cloud = fakes.Cloud().add(fakes.instance(vm_state='error'),
                                  fakes.migration(status='error'))
        self.assertClean(cloud.hold(I1, host1=TINY))

    def test_same_host_failures(self):
        finish = fakes.Cloud().add(
            fakes.instance(vm_state='error'),
            fakes.migration(dest='host1', status='error'))
        finish.transitions.append(('migration', M1, 'migrating', 'post-migrating'))
        self.assertClean(finish.hold(I1, host1=SMALL))
        prep = fakes.Cloud().add(fakes.instance(vm_state='error'),
                                 fakes.migration(dest='host1', status='error'))
        self.assertClean(prep.hold(I1, host1=TINY))

    def test_in_flight_resize_prep_options(self):
        for held in ({I1: {'host1': TINY}}, {M1: {'host1': TINY}},
                     {M1: {'host1': TINY}, I1: {'host2': SMALL}}):
            cloud = fakes.Cloud().add(fakes.instance(task_state='resize_prep'),
                                      fakes.migration(status='pre-migrating'))
            for consumer, where in held.items():
                cloud.hold(consumer, **where)
            self.assertClean(cloud)

    def test_revert_between_dest_and_source(self):
        # §3.8: the dest set 'reverted', the source has not run finish_revert_resize yet.
        cloud = fakes.Cloud().add(resized(task_state='resize_reverting'),
                                  fakes.migration(status='reverted'))
        self.assertClean(cloud.hold(I1, host2=SMALL).hold(M1, host1=TINY))

    def test_deleted_server_holding_nothing(self):
        self.assertClean(fakes.Cloud().add(fakes.instance(deleted=True, vm_state='deleted')))


class TestLeaks(testtools.TestCase):

    def test_migration_leak_after_confirm_failure(self):
        # bug 1821594 (pre-fix): confirm fails, M stays on the source.
        cloud = fakes.Cloud().add(
            fakes.instance(vm_state='error', host='host2', flavor='m1.small'),
            fakes.migration(status='error'))
        cloud.hold(I1, host2=SMALL).hold(M1, host1=TINY)
        found = quiescence.check(cloud, step=12)
        self.assertEqual([fnd.ALLOCATION_LEAK], [f.invariant for f in found])
        self.assertEqual(
            'allocation leak: consumer %s (migration of vm1) holds VCPU=1 MEMORY_MB=512 '
            'DISK_GB=1 on host1 (m1.tiny) after the move ended (migration error, server '
            'error/None)' % M1, found[0].message)
        self.assertEqual(cloud.rps['host1'], found[0].provider)
        self.assertEqual(TINY, found[0].actual)
        self.assertEqual(12, found[0].step)
        self.assertEqual(('CWE-404', 'CWE-664', 'CWE-703'), found[0].cwe)

    def test_deleted_server_leak(self):
        # bug 1848343 / probe (c) shapes: the server is gone, something still holds.
        cloud = fakes.Cloud().add(fakes.instance(deleted=True, vm_state='deleted'),
                                  fakes.migration(status='reverting'))
        cloud.hold(I1, host1=TINY).hold(M1, host1=TINY)
        found = quiescence.check(cloud)
        self.assertEqual(2, len(found))
        self.assertEqual({I1, M1}, {f.consumer for f in found})
        for f in found:
            self.assertTrue(f.message.endswith('after the server was deleted'), f.message)
        self.assertNotIn('CWE-703', found[0].cwe)

    def test_reverted_migration_still_holding_after_the_revert(self):
        cloud = fakes.Cloud().add(fakes.instance(), fakes.migration(status='reverted'))
        cloud.hold(I1, host1=TINY).hold(M1, host1=TINY)
        found = quiescence.check(cloud)
        self.assertEqual([fnd.ALLOCATION_LEAK], [f.invariant for f in found])
        self.assertIn('after the move ended (migration reverted, server active/None)',
                      found[0].message)

    def test_unknown_consumer(self):
        cloud = fakes.Cloud().hold(fakes.STRANGER, host2=SMALL)
        found = quiescence.check(cloud)
        self.assertEqual(['allocation leak: consumer %s (unknown consumer) holds VCPU=1 '
                          'MEMORY_MB=2048 DISK_GB=20 on host2 (m1.small) although it is neither '
                          'a server nor a migration' % fakes.STRANGER],
                         [f.message for f in found])

    def test_bug_1836369_state(self):
        cloud = fakes.Cloud().add(fakes.instance(old='m1.tiny', new='m1.small'),
                                  fakes.migration(status='migrating'))
        cloud.hold(I1, host2=SMALL).hold(M1, host1=TINY)
        found = quiescence.check(cloud)
        by = {f.invariant: f for f in found}
        self.assertEqual({fnd.ALLOCATION_LEAK, fnd.ALLOCATION_FOLLOWS_INSTANCE}, set(by))
        self.assertIn("stuck in 'migrating'", by[fnd.ALLOCATION_LEAK].message)
        follow = by[fnd.ALLOCATION_FOLLOWS_INSTANCE]
        self.assertEqual(
            'allocations do not follow the instance: vm1 (active/None on host1, migration '
            'migrating) should hold the instance: VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 '
            '(m1.tiny) but holds the instance: VCPU=1 MEMORY_MB=2048 DISK_GB=20 on host2 '
            '(m1.small)', follow.message)
        self.assertEqual({'vm1': {'host1': TINY}}, follow.expected)
        self.assertEqual({'vm1': {'host2': SMALL}}, follow.actual)

    def test_faults_fired_marks_failure_path(self):
        cloud = fakes.Cloud().hold(fakes.STRANGER, host2=SMALL)
        cloud.faults.fired.append(('driver.spawn', 'host2', None, 'raise', 1))
        self.assertIn('CWE-703', quiescence.check(cloud)[0].cwe)


class TestFollowsInstance(testtools.TestCase):

    def test_bug_1825537_prefix_state(self):
        cloud = fakes.Cloud().add(
            fakes.instance(vm_state='error', host='host2', old='m1.tiny', new='m1.small'),
            fakes.migration(status='error'))
        cloud.hold(I1, host1=TINY)
        found = quiescence.check(cloud)
        self.assertEqual([fnd.ALLOCATION_FOLLOWS_INSTANCE], [f.invariant for f in found])
        self.assertEqual(
            'allocations do not follow the instance: vm1 (error/None on host2, migration error) '
            'should hold the instance: VCPU=1 MEMORY_MB=2048 DISK_GB=20 on host2 (m1.small) but '
            'holds the instance: VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 (m1.tiny)',
            found[0].message)
        self.assertIn('CWE-703', found[0].cwe)
        self.assertEqual(I1, found[0].consumer)

    def test_verify_resize_missing_migration_allocation(self):
        cloud = fakes.Cloud().add(resized(), fakes.migration(status='finished'))
        cloud.hold(I1, host2=SMALL)
        found = quiescence.check(cloud)
        self.assertEqual(1, len(found))
        self.assertEqual(M1, found[0].consumer)
        self.assertIn('its migration %s: VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1' % M1,
                      found[0].message)
        self.assertIn('its migration %s: nothing' % M1, found[0].message)

    def test_doubled_allocation_on_instance(self):
        # The Pike-era doubled model (I: S=old + D=new) is wrong today.
        cloud = fakes.Cloud().add(resized(), fakes.migration(status='finished'))
        cloud.hold(I1, host1=TINY, host2=SMALL)
        self.assertEqual([fnd.ALLOCATION_FOLLOWS_INSTANCE],
                         [f.invariant for f in quiescence.check(cloud)])


class TestWorld(testtools.TestCase):

    def test_a_reused_name_keeps_the_old_server_known(self):
        # A deleted server whose name was reused is still a server (deleted), not an unknown
        # consumer: the oracle reads every instance the database ever had.
        old = fakes.instance(deleted=True, vm_state='deleted')
        new = fakes.instance(uuid='11111111-0000-4000-8000-000000000002')
        cloud = fakes.Cloud().add(new).hold(I1, host1=TINY)
        cloud.db = fakes.Record(instances={old.uuid: old, new.uuid: new})
        cloud.hold(new.uuid, host1=TINY)
        found = quiescence.check(cloud)
        self.assertEqual([I1], [f.consumer for f in found])
        self.assertIn('after the server was deleted', found[0].message)
