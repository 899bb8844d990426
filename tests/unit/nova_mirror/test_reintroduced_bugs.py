"""Each historical bug switched back on makes a mirrored Nova test fail, naming the leak.

For every bug the model can reintroduce (harness.nova.bugs.HISTORICAL) one mirror above is run
with the bug on; it must fail, and its failure message must carry the oracle's finding for the
leaked or misplaced allocation.
"""

import testtools

from tests.unit.nova_mirror import test_regressions
from tests.unit.nova_mirror import test_server_moving


def failure_of(case_class, method, *args, **kwargs):
    """Run one mirror scenario on a fresh test object; return its AssertionError text."""
    case = case_class(method)
    case.setUp()
    try:
        getattr(case, method)(*args, **kwargs)
    except AssertionError as error:
        return str(error)
    finally:
        case.doCleanups()
    return None


class TestReintroducedBugs(testtools.TestCase):

    def assertFailsNaming(self, text, *needles):
        self.assertIsNotNone(text, 'the mirror passed with the bug switched on')
        for needle in needles:
            self.assertIn(needle, text)

    def test_1825537_misplaces_the_instance_allocation(self):
        text = failure_of(test_regressions.FinishResizeErrorAllocationCleanupTest, 'scenario',
                          reintroduce=('1825537',))
        self.assertFailsNaming(
            text, 'allocations of vm1', 'expected VCPU=1 MEMORY_MB=2048 DISK_GB=20 on host2 '
            '(m1.small), got VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 (m1.tiny)',
            'allocations do not follow the instance: vm1 (error/None on host2, migration error) '
            'should hold the instance: VCPU=1 MEMORY_MB=2048 DISK_GB=20 on host2 (m1.small)',
            'CWE-703')

    def test_1825537_same_host_variant(self):
        text = failure_of(test_server_moving.ServerMovingTest,
                          '_test_resize_to_same_host_instance_fails',
                          'compute.finish_resize', 'm1.small', reintroduce=('1825537',))
        self.assertFailsNaming(
            text, 'usage on host1: expected VCPU=1 MEMORY_MB=2048 DISK_GB=20 (m1.small)',
            'allocations do not follow the instance: vm1 (error/None on host1, migration error) '
            'should hold the instance: VCPU=1 MEMORY_MB=2048 DISK_GB=20 on host1 (m1.small) but '
            'holds the instance: VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 (m1.tiny)')

    def test_1749215_leaks_the_migration_allocation(self):
        text = failure_of(test_regressions.FinishResizeErrorAllocationCleanupTest, 'scenario',
                          reintroduce=('1749215',))
        self.assertFailsNaming(
            text, 'allocation leak: consumer', '(migration of vm1) holds VCPU=1 MEMORY_MB=512 '
            'DISK_GB=1 on host1 (m1.tiny) after the move ended (migration error, server '
            'error/None)', 'usage on host1: expected VCPU=0 MEMORY_MB=0 DISK_GB=0')

    def test_1749215_resize_instance_failure(self):
        text = failure_of(test_server_moving.ServerMovingTest,
                          '_test_resize_to_same_host_instance_fails',
                          'compute.resize_instance', 'm1.tiny', reintroduce=('1749215',))
        self.assertFailsNaming(
            text, 'got VCPU=2 MEMORY_MB=2560 DISK_GB=21',
            '(migration of vm1) holds VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 (m1.tiny) after '
            'the move ended (migration error, server error/None)',
            'should hold the instance: VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 (m1.tiny) but '
            'holds the instance: VCPU=1 MEMORY_MB=2048 DISK_GB=20 on host1 (m1.small)')

    def test_1821594_leaks_on_confirm_failure(self):
        text = failure_of(test_server_moving.ServerMovingTest,
                          'test_migration_confirm_resize_error', reintroduce=('1821594',))
        self.assertFailsNaming(
            text, 'usage on host1: expected VCPU=0 MEMORY_MB=0 DISK_GB=0, got VCPU=1 '
            'MEMORY_MB=512 DISK_GB=1', 'allocation leak: consumer', '(migration of vm1) holds '
            "VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 (m1.tiny) while the migration is stuck in "
            "'confirming'", 'CWE-703')

    def test_1741125_late_revert_clobbers_the_reschedule(self):
        text = failure_of(test_regressions.ResizeRescheduleTest, 'scenario',
                          reintroduce=('1741125',))
        self.assertFailsNaming(
            text, 'allocations do not follow the instance: vm1 (resized/None on host3, '
            'migration finished) should hold the instance: VCPU=1 MEMORY_MB=2048 DISK_GB=20 on '
            'host3 (m1.small)', 'but holds the instance: VCPU=1 MEMORY_MB=512 DISK_GB=1 on host1 '
            '(m1.tiny); its migration', ': nothing')

    def test_1679750_local_delete_leaves_allocations(self):
        text = failure_of(test_regressions.LocalDeleteAllocationsTest, 'scenario',
                          reintroduce=('1679750',))
        self.assertFailsNaming(
            text, 'usage on compute: expected VCPU=0 MEMORY_MB=0 DISK_GB=0, got VCPU=1 '
            'MEMORY_MB=512 DISK_GB=1', 'allocation leak: consumer',
            '(vm1) holds VCPU=1 MEMORY_MB=512 DISK_GB=1 on compute (m1.tiny) after the server '
            'was deleted')

    def test_every_historical_bug_is_covered(self):
        from harness.nova import bugs
        covered = {'1825537', '1749215', '1821594', '1741125', '1679750'}
        self.assertEqual(sorted(bugs.HISTORICAL), sorted(covered))
