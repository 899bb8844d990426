"""Mirrors of test_servers.py::ConsumerGenerationConflictTest, the resize/migrate cases.

Nova patches keystoneauth's Adapter.put/post to answer 409 placement.concurrent_update while
one action runs; here the simulated Placement's fault plan answers every PUT (or POST) of
allocations with a consumer generation conflict for the same span.  MediumFakeDriver on
compute1 and compute2; flavor = m1.tiny, other_flavor = m1.small.
"""

from harness.oracle import findings as fnd
from tests.unit.nova_mirror import base

CONFLICT = 'consumer_generation_conflict'


class ConsumerGenerationConflictTest(base.MirrorTestCase):
    """ConsumerGenerationConflictTest."""

    def setUp(self):
        super().setUp()
        self.make(hosts=('compute1', 'compute2'))
        self.placement_calls = []

    def conflict(self, operation):
        """Every ``operation`` answers 409 until ``end_conflict`` (the mock.patch block)."""
        fault = self.cloud.placement.faults.add(operation, CONFLICT)
        fired = len(self.cloud.placement.faults.fired)
        return fault, fired

    def end_conflict(self, planned):
        fault, before = planned
        self.cloud.placement.faults.remove(fault)
        return len(self.cloud.placement.faults.fired) - before

    def leaked_migration(self):
        """After deleting the server, the migration consumer still holds one provider."""
        mig = self.migration()
        return self.allocations(mig.uuid)

    def test_migrate_claim_on_dest_fails(self):
        """test_migrate_claim_on_dest_fails: the scheduler's claim gets 409; ACTIVE on the
        source with the flavor there; delete cleans everything."""
        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'compute1')
            planned = self.conflict('put_allocations')
            status = yield from self.cloud.api.migrate('vm1')
            self.assertEqual(202, status)
            yield from self.wait_for(lambda: self.server().task_state is None, 'task None')
            yield from self.settle()
            self.assertGreaterEqual(self.end_conflict(planned), 1)
            # Nova finds 'claim_resources' in the action's traceback; the model logs the
            # exception that the report client's claim_resources raised.
            self.assert_action_failed('AllocationUpdateFailed: Failed to update allocations for '
                                      'consumer %s' % self.server().uuid)
            self.assertEqual(('ACTIVE', 'compute1'),
                             (self.server().status, self.server().host))
            self.assertFlavorMatchesUsage('compute1', self.flavor1)
            self.assertFlavorMatchesAllocation(self.flavor1, self.server().uuid, 'compute1')
            self.assert_end_state({})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    def test_migrate_move_allocation_fails_due_to_conflict(self):
        """test_migrate_move_allocation_fails_due_to_conflict: conductor's I -> M move gets
        409 (one POST); migration error, ACTIVE on the source, allocations unchanged."""
        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'compute1')
            planned = self.conflict('post_allocations')
            yield from self.cloud.api.migrate('vm1')
            yield from self.wait_for(lambda: self.server().task_state is None, 'task None')
            yield from self.settle()
            self.assertEqual(1, self.end_conflict(planned))
            self.assert_end_state({
                'migration': {'vm1': {'status': 'error', 'type': 'migration',
                                      'source': 'compute1', 'count': 1}},
                'server': {'vm1': {'status': 'ACTIVE', 'host': 'compute1'}},
                'allocations': {'vm1': {'compute1': self.flavor1}},
                'usages': {'compute1': self.resources(self.flavor1)}})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    def test_confirm_migrate_delete_alloc_on_source_fails(self):
        """test_confirm_migrate_delete_alloc_on_source_fails: the PUT {} deleting M gets 409
        (one PUT): ERROR, fault 'Failed to delete allocations', migration error, and M is
        still held after the server is deleted (the open leak of reference §8.2)."""
        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'compute1')
            yield from self.migrate_and_check_allocations(self.flavor1, 'compute1', 'compute2')
            planned = self.conflict('put_allocations')
            status = yield from self.cloud.api.confirm_resize('vm1')
            self.assertEqual(204, status)
            yield from self.wait_for_state_change('vm1', 'ERROR')
            yield from self.settle()
            self.assertEqual(1, self.end_conflict(planned))
            self.assert_end_state({
                'server': {'vm1': {'fault': 'Failed to delete allocations'}},
                'migration': {'vm1': {'status': 'error', 'type': 'migration',
                                      'source': 'compute1', 'count': 1}}}, leaks=False)
            self.assert_leak_logged('Deleting allocation in placement for migration %s failed. '
                                    'The instance %s will be put to ERROR state but the '
                                    'allocation held by the migration is leaked.')
            yield from self.delete_server()
        self.run_script(steps())
        self.assertEqual(['compute1'], list(self.leaked_migration()))
        self.assert_oracle_flags_migration_leak('compute1')

    def _revert_conflict(self, same_host):
        def steps():
            host = 'compute1'
            yield from self.boot_and_check_allocations(self.flavor1, host)
            if same_host:
                yield from self.resize_to_same_host_and_check_allocations(
                    self.flavor1, self.flavor2, host)
            else:
                yield from self.migrate_and_check_allocations(self.flavor1, host, 'compute2')
            planned = self.conflict('post_allocations')
            yield from self.cloud.api.revert_resize('vm1')
            yield from self.wait_for_state_change('vm1', 'ERROR')
            yield from self.settle()
            self.assertEqual(1, self.end_conflict(planned))
            self.assert_end_state({'migration': {'vm1': {
                'status': 'error', 'type': 'resize' if same_host else 'migration',
                'source': host, 'count': 1}}}, leaks=False)
            self.assert_leak_logged('Reverting allocation in placement for migration %s '
                                    'failed. The instance %s will be put into ERROR state but '
                                    'the allocation held by the migration is leaked.')
            yield from self.delete_server()
        self.run_script(steps())
        self.assertEqual(['compute1'], list(self.leaked_migration()))
        self.assert_oracle_flags_migration_leak('compute1')

    def test_revert_migrate_delete_dest_allocation_fails_due_to_conflict(self):
        """test_revert_migrate_delete_dest_allocation_fails_due_to_conflict: the source's
        M -> I move gets 409 (one POST): ERROR, migration error, M leaked after delete."""
        self._revert_conflict(same_host=False)

    def test_revert_resize_same_host_delete_dest_fails_due_to_conflict(self):
        """test_revert_resize_same_host_delete_dest_fails_due_to_conflict: same, same host."""
        self.cloud.options.allow_resize_to_same_host = True
        self.cloud.services['compute2'].record.disabled = True
        self._revert_conflict(same_host=True)

    # --- helpers ----------------------------------------------------------------------

    def delete_server(self):
        inst = self.server()
        yield from self.cloud.api.delete('vm1')
        yield from self.wait_for(lambda: inst.deleted, 'vm1 deleted')
        yield from self.settle()

    def assert_leak_logged(self, template):
        text = template % (self.migration().uuid, self.server().uuid)
        self.assertIn(text, [r.message for r in self.cloud.logs])

    def assert_oracle_flags_migration_leak(self, host):
        found = self.quiescence_findings()
        self.assertEqual([fnd.ALLOCATION_LEAK], [f.invariant for f in found])
        self.assertEqual(self.migration().uuid, found[0].consumer)
        self.assertIn('(migration of vm1) holds VCPU=1 MEMORY_MB=512 DISK_GB=1 on %s (m1.tiny) '
                      'after the server was deleted' % host, found[0].message)
