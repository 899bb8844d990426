"""Mirror of compute/test_init_host.py::ComputeManagerInitHostTestCase (bug 1836369, open)."""

from harness import sim
from harness.oracle import findings as fnd
from tests.unit.nova_mirror import base


class ComputeManagerInitHostTest(base.MirrorTestCase):
    """ComputeManagerInitHostTestCase."""

    def test_migrate_disk_and_power_off_crash_finish_revert_migration(self):
        """test_migrate_disk_and_power_off_crash_finish_revert_migration: the source compute
        dies in migrate_disk_and_power_off and restarts; init_host resets the task state but
        leaves the migration 'migrating', the move fields set, the scheduler's claim of the
        instance on the dest and the source allocation on the migration (all FIXMEs)."""
        self.make(hosts=('host0', 'host1'))
        self.cloud.faults.add('driver.migrate_disk_and_power_off', action='crash')

        def steps():
            yield from self.cloud.api.boot('vm1', self.flavor1)
            yield from self.wait_for_state_change('vm1', 'ACTIVE')
            source = self.server().host
            yield from self.cloud.api.migrate('vm1')
            yield from self.settle()
            self.assertFalse(self.cloud.services[source].running)
            yield sim.Join(self.cloud.start_compute(source))
            yield from self.wait_for(
                lambda: (self.server().status, self.server().task_state,
                         self.server().host) == ('ACTIVE', None, source), 'the reset')
            yield from self.settle()
        self.run_script(steps())
        inst, mig = self.server(), self.migration()
        source = inst.host
        dest = 'host0' if source == 'host1' else 'host1'
        self.assertEqual('migrating', mig.status)
        self.assertIsNotNone(inst.migration_context)
        self.assertIsNotNone(inst.new_flavor)
        self.assertEqual('active', inst.system_metadata.get('old_vm_state'))
        self.assertIn(inst.uuid, self.cloud.placement.get_provider_allocations(self.rp(dest)))
        self.assertNotIn(inst.uuid,
                         self.cloud.placement.get_provider_allocations(self.rp(source)))
        # The oracle names both halves of the open bug.
        found = {f.invariant: f for f in self.quiescence_findings()}
        self.assertEqual({fnd.ALLOCATION_LEAK, fnd.ALLOCATION_FOLLOWS_INSTANCE}, set(found))
        self.assertIn("(migration of vm1) holds VCPU=1 MEMORY_MB=512 DISK_GB=1 on %s (m1.tiny) "
                      "while the migration is stuck in 'migrating'" % source,
                      found[fnd.ALLOCATION_LEAK].message)
        self.assertIn('should hold the instance: VCPU=1 MEMORY_MB=512 DISK_GB=1 on %s (m1.tiny) '
                      'but holds the instance: VCPU=1 MEMORY_MB=512 DISK_GB=1 on %s (m1.tiny)'
                      % (source, dest), found[fnd.ALLOCATION_FOLLOWS_INSTANCE].message)
