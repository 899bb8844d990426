"""Mirrors of Nova's regression tests for move-operation allocation bugs.

Each test names the real test it mirrors (nova 34.0.0, nova/tests/functional/...) and asserts the
end state that the real test asserts, on the model, through the oracle.
"""

from harness import sim
from harness.oracle import findings as fnd
from tests.unit.nova_mirror import base
from tests.unit.nova_mirror.base import ZERO


class FinishResizeErrorAllocationCleanupTest(base.MirrorTestCase):
    """regressions/test_bug_1825537.py::FinishResizeErrorAllocationCleanupTestCase."""

    compute_driver = 'FakeFinishMigrationFailDriver'

    def scenario(self, reintroduce=()):
        self.make(reintroduce=reintroduce)

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            # _resize_and_assert_error: wait for the migration first (§1.5), then ERROR.
            status = yield from self.cloud.api.resize('vm1', self.flavor2)
            self.assertEqual(202, status)
            yield from self.wait_for_migration_status('vm1', ('error',))
            yield from self.wait_for_state_change('vm1', 'ERROR')
        self.run_script(steps())
        self.assert_end_state({
            'server': {'vm1': {'status': 'ERROR', 'host': 'host2',
                               'fault': 'Virtual Interface creation failed'}},
            'allocations': {'vm1': {'host2': self.flavor2}},
            'usages': {'host1': ZERO},
        })

    def test_finish_resize_fails_allocation_cleanup(self):
        """test_finish_resize_fails_allocation_cleanup: I holds flavor2 on host2, host1 is 0."""
        self.scenario()
        self.assertEqual({}, self.allocations(self.migration().uuid))
        # §1.6: the record's flavor is reset to the old flavor; Placement keeps the new one.
        self.assertEqual(self.flavor1, self.server().flavor.name)


class ResizeRescheduleTest(base.MirrorTestCase):
    """regressions/test_bug_1741125.py::TestServerResizeReschedule."""

    compute_driver = 'SmallFakeDriver'

    def scenario(self, reintroduce=()):
        self.make(hosts=('host1', 'host2', 'host3', 'host4'), reintroduce=reintroduce)
        self.cloud.faults.add('compute.prep_resize', exception='TestingException',
                              message='fake_prep_resize')

        def steps():
            yield from self.cloud.api.boot('vm1', self.flavor1)
            yield from self.wait_for_state_change('vm1', 'ACTIVE')
            status = yield from self.cloud.api.resize('vm1', self.flavor2)
            self.assertEqual(202, status)
            yield from self.wait_for_state_change('vm1', 'VERIFY_RESIZE')
            yield from self.settle()
        self.run_script(steps())
        mig = self.migration()
        self.assert_end_state({
            'server': {'vm1': {'status': 'VERIFY_RESIZE', 'flavor': self.flavor2,
                               'host': mig.dest_compute}},
            'allocations': {'vm1': {mig.dest_compute: self.flavor2},
                            'vm1/migration': {mig.source_compute: self.flavor1}},
            'migration': {'vm1': {'status': 'finished', 'count': 1}},
        })

    def test_resize_reschedule_uses_host_lists(self):
        """test_resize_reschedule_uses_host_lists: one _prep_resize failure, then
        VERIFY_RESIZE with flavor2 on an alternate (one migration record)."""
        self.scenario()
        self.assertEqual(1, len(self.cloud.faults.fired))


class DeletedServerAllocationRevertTest(base.MirrorTestCase):
    """regressions/test_bug_1848343.py::DeletedServerAllocationRevertTest (bug open).

    The real tests assert the leak (FIXME): the deleted server holds its flavor on its source
    host.  Reference §4.2 [RUN]: the next periodic on the source heals it.
    """

    def _assert_no_allocations(self, inst, source):
        """The real helper: the source host shows the deleted server's flavor (the bug), every
        other provider is empty."""
        for host in self.cloud.hosts:
            if host == source:
                self.assertFlavorMatchesAllocation(self.flavor1, inst.uuid, host)
            else:
                self.assertEqual({}, self.cloud.placement.get_provider_allocations(
                    self.rp(host)), 'Leaked allocations on provider %s' % host)

    def _run(self, stall_point, stall_host, nth=None):
        self.make()
        self.cloud.faults.add(stall_point, host=stall_host, action='stall', nth=nth)

        def steps():
            yield from self.cloud.api.boot('vm1', self.flavor1, host='host1')
            yield from self.wait_for_state_change('vm1', 'ACTIVE')
            if stall_point.startswith('scheduler.'):
                # _disable_target_host: NoValidHost after conductor moved I -> M.
                self.cloud.services['host2'].record.disabled = True
            yield from self.cloud.api.migrate('vm1')
            yield from self.settle()
            inst = self.server()
            yield from self.cloud.api.delete('vm1')
            yield from self.wait_for(lambda: inst.deleted, 'vm1 deleted')
            yield from self.settle()
            self.cloud.release(stall_point, stall_host)
            yield from self.settle()
            self._assert_no_allocations(inst, 'host1')
            leaks = self.quiescence_findings()
            self.assertEqual([fnd.ALLOCATION_LEAK], [f.invariant for f in leaks])
            self.assertIn('after the server was deleted', leaks[0].message)
            yield from self.run_periodics()
            self.assertEqual([], [f.message for f in self.quiescence_findings()])
            for host in self.cloud.hosts:
                self.assertRequestMatchesUsage(ZERO, host)
        self.run_script(steps())

    def test_migration_task_rollback(self):
        """test_migration_task_rollback: delete while scheduling, NoValidHost, the rollback's
        M -> I recreates the deleted server's allocation on host1."""
        self._run('scheduler.select_destinations', 'scheduler', nth=2)   # 1st: the boot

    def test_migrate_on_compute_fail(self):
        """test_migrate_on_compute_fail: delete before the dest's _prep_resize; its failure
        reverts M -> I onto the deleted server."""
        self._run('compute.prep_resize', 'host2')


class ResizeSameHostDoubledAllocationsTest(base.MirrorTestCase):
    """regressions/test_bug_1790204.py::ResizeSameHostDoubledAllocations (bug open)."""

    compute_driver = 'SmallFakeDriver'

    def test_resize_same_host_full_allocations(self):
        """test_resize_same_host_full_allocations: old+new DISK_GB (2056) exceeds 1028, so
        scheduling fails with NoValidHost although the new flavor alone fits."""
        self.make(hosts=('host',), allow_resize_to_same_host=True)
        self.cloud.add_flavor('v1r2d1', vcpus=1, ram_mb=2048, disk_gb=1028)
        self.cloud.add_flavor('v2r2d1', vcpus=2, ram_mb=2048, disk_gb=1028)

        def steps():
            yield from self.boot_and_check_allocations('v1r2d1', 'host')
            status = yield from self.cloud.api.resize('vm1', 'v2r2d1')
            self.assertEqual(202, status)
            yield from self.settle()
            self.assert_action_failed('NoValidHost')
        self.run_script(steps())
        self.assert_end_state({
            'server': {'vm1': {'status': 'ACTIVE', 'host': 'host', 'flavor': 'v1r2d1'}},
            'allocations': {'vm1': {'host': 'v1r2d1'}},
            'migration': {'vm1': 'error'},
        })


class LocalDeleteAllocationsTest(base.MirrorTestCase):
    """regressions/test_bug_1679750.py::TestLocalDeleteAllocations."""

    compute_driver = 'SmallFakeDriver'

    def _boot_stop_delete(self):
        yield from self.cloud.api.boot('vm1', self.flavor1)
        yield from self.wait_for_state_change('vm1', 'ACTIVE')
        for rc, n in self.usages('compute').items():
            self.assertNotEqual(0, n, rc)
        self.cloud.stop_compute('compute')
        inst = self.server()
        yield from self.cloud.api.delete('vm1')
        yield from self.wait_for(lambda: inst.deleted, 'vm1 deleted')
        yield from self.settle()

    def scenario(self, reintroduce=()):
        self.make(hosts=('compute',), reintroduce=reintroduce)

        def steps():
            yield from self._boot_stop_delete()
        self.run_script(steps())
        self.assert_end_state({'usages': {'compute': ZERO}})

    def test_local_delete_removes_allocations_from_api(self):
        """test_local_delete_removes_allocations_from_api: usage back to zero at once."""
        self.scenario()

    def test_local_delete_removes_allocations_after_compute_restart(self):
        """test_local_delete_removes_allocations_after_compute_restart (with the pre-fix API,
        bug 1679750): the restarted compute's periodic removes the deleted server's usage."""
        self.make(hosts=('compute',), reintroduce=('1679750',))

        def steps():
            yield from self._boot_stop_delete()
            self.assertNotEqual({}, {rc: n for rc, n in self.usages('compute').items() if n})
            yield sim.Join(self.cloud.start_compute('compute'))
            yield from self.settle()
        self.run_script(steps())
        self.assert_end_state({'usages': {'compute': ZERO}})
