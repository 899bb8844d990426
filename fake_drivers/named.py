"""Nova's named fake drivers that move and build flows use, by their Nova class names.

Each mirrors the class of the same name in ``nova/virt/fake.py`` (Nova 34.0.0): the same base,
the same overridden methods and the same exception with the same message.  Drivers that exist in
Nova only for PCI, ironic or encryption tests are not modelled.
"""

from fake_drivers import base
from fake_drivers import exceptions


class SameHostColdMigrateDriver(base.MediumFakeDriver):
    """MediumFakeDriver that allows a cold migration to the same host."""

    capabilities = dict(base.BASE_CAPABILITIES, supports_migrate_to_same_host=True)


class PredictableNodeUUIDDriver(base.SmallFakeDriver):
    """SmallFakeDriver whose node uuid is derived from the node name (as ironic's is)."""

    def get_available_resource(self, nodename=None):
        status = super().get_available_resource(nodename)
        if status:
            status['uuid'] = str(base.uuidlib.uuid5(base.uuidlib.NAMESPACE_DNS,
                                                    status['hypervisor_hostname']))
        return status


class MediumFakeDriverWithNestedCustomResources(base.MediumFakeDriver):
    """MediumFakeDriver with a child provider ``<node>-child`` holding 10 CUSTOM_MAGIC."""

    child_inventories = {
        '-child': {'CUSTOM_MAGIC': {'total': 10, 'reserved': 0, 'min_unit': 1, 'max_unit': 10,
                                    'step_size': 1, 'allocation_ratio': 1.0}},
    }
    child_traits = ('OWNER_NOVA',)


class FakeFinishMigrationFailDriver(base.FakeDriver):
    """finish_migration always raises VirtualInterfaceCreateException (bug 1825537's test)."""

    def finish_migration(self, migration, instance, *args, **kwargs):
        self._record('finish_migration', instance)
        raise exceptions.VirtualInterfaceCreateException()


class FakeRescheduleDriver(base.FakeDriver):
    """The first spawn of each instance raises ComputeResourcesUnavailable.

    Nova keeps the "already rescheduled" table on the class, i.e. shared by every compute of
    the test; here it lives in the ``shared`` dict the cloud gives all its drivers.
    """

    def spawn(self, instance, power_on=True, **kwargs):
        rescheduled = self.shared.setdefault('FakeRescheduleDriver.rescheduled', {})
        if not rescheduled.get(instance.uuid, False):
            rescheduled[instance.uuid] = True
            self._record('spawn', instance)
            raise exceptions.ComputeResourcesUnavailable(reason='FakeRescheduleDriver')
        super().spawn(instance, power_on=power_on, **kwargs)


class FakeRescheduleDriverWithNestedCustomResources(
        FakeRescheduleDriver, MediumFakeDriverWithNestedCustomResources):
    pass


class FakeBuildAbortDriver(base.FakeDriver):
    """spawn always raises BuildAbortException, so no reschedule happens."""

    def spawn(self, instance, power_on=True, **kwargs):
        self._record('spawn', instance)
        raise exceptions.BuildAbortException(
            instance_uuid=instance.uuid, reason='FakeBuildAbortDriver')


class FakeBuildAbortDriverWithNestedCustomResources(
        FakeBuildAbortDriver, MediumFakeDriverWithNestedCustomResources):
    pass


class FakeUnshelveSpawnFailDriver(base.FakeDriver):
    """spawn raises only when unshelving (vm_state shelved_offloaded); the message is the
    driver's name because the positional argument replaces Nova's template."""

    def spawn(self, instance, power_on=True, **kwargs):
        if getattr(instance, 'vm_state', None) == 'shelved_offloaded':
            self._record('spawn', instance)
            raise exceptions.VirtualInterfaceCreateException('FakeUnshelveSpawnFailDriver')
        super().spawn(instance, power_on=power_on, **kwargs)


class FakeUnshelveSpawnFailDriverWithNestedCustomResources(
        FakeUnshelveSpawnFailDriver, MediumFakeDriverWithNestedCustomResources):
    pass


class FakeLiveMigrateDriver(base.FakeDriver):
    """A live migration that runs until force-completed or aborted.

    Nova's version polls for up to 5 s (50 x 0.1 s) after it starts; the model waits
    ``live_migration_wait_seconds`` of virtual time (or until ``migrating`` is False) and then
    calls ``live_migration``, which decides from the flags: aborted ->
    ``recover_method(instance, dest, migration_status='cancelled')``, else ``post_method``.
    The flags are reset for the next migration.
    """

    live_migration_wait_seconds = 5.0

    def __init__(self, host, faults=None, shared=None):
        super().__init__(host, faults=faults, shared=shared)
        self.migrating = True
        self.abort_migration = False

    def live_migration(self, instance, dest, post_method, recover_method, **kwargs):
        self._record('live_migration', instance)
        aborted = self.abort_migration
        self.migrating, self.abort_migration = True, False
        if aborted:
            return recover_method(instance, dest, migration_status='cancelled')
        return post_method(instance, dest)

    def live_migration_force_complete(self, instance):
        self._record('live_migration_force_complete', instance)
        self.migrating = False
        self.instances.pop(instance.uuid, None)

    def live_migration_abort(self, instance):
        self._record('live_migration_abort', instance)
        self.abort_migration = True
        self.migrating = False

    def post_live_migration(self, instance, **kwargs):
        self._record('post_live_migration', instance)
        self.destroy(instance)


class FakeLiveMigrateDriverWithNestedCustomResources(
        FakeLiveMigrateDriver, MediumFakeDriverWithNestedCustomResources):
    pass
