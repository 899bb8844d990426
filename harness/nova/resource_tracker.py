"""Nova's ResourceTracker for one compute node (nova/compute/resource_tracker.py).

- ``update_available_resource``: the periodic task (reference §4.1): read the instances on
  this host and the in-progress/error migrations of this node, recompute the in-memory usage
  (§4.3), heal Placement by deleting the allocations of deleted instances only
  (``_remove_deleted_instances_allocations``, §4.2), and push the driver's inventory when it
  changed. It never writes instance allocations and never touches migration consumers.
- Claims: ``instance_claim`` (boot) and ``resize_claim`` (prep_resize) only touch the database
  and the in-memory usage; Placement was claimed by the scheduler.
- ``drop_move_claim_at_source`` / ``_at_dest`` set the migration 'confirmed' / 'reverted' under
  the same lock (the fix of bug 1879878).
Everything that changes tracker state runs under COMPUTE_RESOURCE_SEMAPHORE (``rt_lock``).
"""

from harness import sim
from harness.nova import exceptions as exc
from harness.nova.database import instance_key
from harness.nova.records import TaskState, VmState

_RESIZE_TASKS = (TaskState.RESIZE_PREP, TaskState.RESIZE_MIGRATING, TaskState.RESIZE_MIGRATED,
                 TaskState.RESIZE_FINISH)


def _usage(flavor):
    return (flavor.vcpus, flavor.memory_mb, flavor.root_gb + flavor.ephemeral_gb)


class ResourceTracker:
    """The tracker of the service's single node."""

    def __init__(self, service):
        self.service = service
        self.cloud = service.cloud
        self.db = service.cloud.db
        self.report = service.report
        self.host = service.host
        self.nodename = service.nodename
        self.tracked_instances = {}     # uuid -> flavor
        self.tracked_migrations = {}    # instance uuid -> migration
        self.pushed_inventory = None    # the report client's provider-tree cache
        self.new_node = True            # skip the allocation clean-up on the first run

    @property
    def compute_node(self):
        return self.cloud.compute_nodes[self.host]

    # -- claims ------------------------------------------------------------------------------

    def instance_claim(self, instance, nodename):
        """Set the instance's host/node and track it (the build's claim)."""
        def body():
            yield from self.db.save_instance(instance, host=self.host, node=nodename)
            self.tracked_instances[instance.uuid] = instance.flavor
            self._recompute_usage()
        return (yield from self.service.rt_lock.run(body()))

    def resize_claim(self, instance, flavor, nodename, migration):
        """Fill in the migration's destination and set the instance's migration context."""
        def body():
            point = "compute.resize_claim"
            yield from self.service.gate.check(point, instance)
            yield from self.db.save_migration(
                migration, dest_compute=self.host, dest_node=nodename, dest_host=self.host,
                status="pre-migrating")
            yield from self.db.save_instance(instance, migration_context=migration.uuid)
            self.tracked_migrations[instance.uuid] = migration
            self._recompute_usage()
        return (yield from self.service.rt_lock.run(body()))

    def drop_move_claim(self, instance):
        """MoveClaim.abort(): forget the incoming migration's usage."""
        def body():
            yield sim.Point("rt.drop_move_claim " + self.host, writes=("host:" + self.host,))
            self.tracked_migrations.pop(instance.uuid, None)
            self._recompute_usage()
        return (yield from self.service.rt_lock.run(body()))

    def drop_move_claim_at_source(self, instance, migration):
        """Confirm: migration 'confirmed', drop the old-flavor usage, drop the context."""
        def body():
            yield from self.db.save_migration(migration, status="confirmed")
            self.tracked_migrations.pop(instance.uuid, None)
            if instance.host != self.host:    # _drop_move_claim: tracked_instances.discard
                self.tracked_instances.pop(instance.uuid, None)
            self._recompute_usage()
            yield from self.db.save_instance(instance, migration_context=None)
        return (yield from self.service.rt_lock.run(body()))

    def drop_move_claim_at_dest(self, instance, migration):
        """Revert (on the dest): migration 'reverted', drop the new-flavor usage."""
        def body():
            yield from self.db.save_migration(migration, status="reverted")
            self.tracked_migrations.pop(instance.uuid, None)
            self.tracked_instances.pop(instance.uuid, None)
            self._recompute_usage()
            yield from self.db.save_instance(
                instance, expected_task_state=[TaskState.RESIZE_REVERTING])
        return (yield from self.service.rt_lock.run(body()))

    # -- the periodic task -------------------------------------------------------------------

    def update_available_resource(self, startup=False):
        """ComputeManager.update_available_resource for this node; errors are logged."""
        try:
            yield from self.service.rt_lock.run(self._update_available_resource(startup))
        except Exception as error:
            self.cloud.log("error", self.service.name, "Error updating resources for node "
                           "%s: %s: %s" % (self.nodename, type(error).__name__,
                                           exc.fault_message(error)))

    def _update_available_resource(self, startup):
        resources = yield from self.service.gate.call(
            "get_available_resource", None, self.nodename)
        db = self.db
        reads = []
        for uuid in sorted(db.instances):
            reads.append(instance_key(uuid))
            reads.extend(db.migration_keys(uuid))
        yield sim.Point("db.instance.get_by_host_and_node " + self.host, reads=tuple(reads))
        instances = {i.uuid: _Snapshot(i) for i in db.instances_on_host(self.host)
                     if i.node == self.nodename}
        migrations = db.in_progress_migrations(self.host, self.nodename)
        self.tracked_instances = {u: s.flavor for u, s in instances.items()
                                  if s.vm_state != VmState.DELETED}
        yield from self._update_usage_from_migrations(migrations)
        self._recompute_usage()
        if not self.new_node:
            yield from self._remove_deleted_instances_allocations(migrations, instances)
        self.new_node = False
        yield from self._update_inventory(resources)

    def _update_usage_from_migrations(self, migrations):
        """§4.3: per instance mid-resize, its newest migration; a stale one is marked 'error'."""
        self.tracked_migrations = {}
        newest = {}
        for migration in migrations:
            instance = self.db.instances.get(migration.instance_uuid)
            if instance is None or not _in_resize(instance):
                continue
            newest[instance.uuid] = migration      # migrations are in creation order
        for uuid, migration in sorted(newest.items()):
            instance = self.db.instances[uuid]
            if instance.migration_context is not None and (
                    instance.migration_context != migration.uuid):
                self.cloud.log("info", self.service.name, "Current instance migration %s doesn't "
                               "match migration %s, marking migration as error."
                               % (instance.migration_context, migration.uuid))
                yield from self.db.save_migration(migration, status="error")
                continue
            self.tracked_migrations[uuid] = migration

    def _recompute_usage(self):
        """The node's in-memory usage (ComputeNode.*_used): instances plus moves in flight."""
        used = [0, 0, 0]
        for flavor in self.tracked_instances.values():
            _add(used, flavor)
        for uuid, migration in sorted(self.tracked_migrations.items()):
            instance = self.db.instances.get(uuid)
            if instance is None:
                continue
            for flavor in self._migration_flavors(instance, migration):
                _add(used, flavor)
        node = self.compute_node
        node.vcpus_used, node.memory_mb_used, node.local_gb_used = used

    def _migration_flavors(self, instance, migration):
        """What a tracked migration adds to this node (§4.3)."""
        new = instance.new_flavor or self.cloud.flavor_by_id(migration.new_instance_type_id)
        old = instance.old_flavor or self.cloud.flavor_by_id(migration.old_instance_type_id)
        incoming = migration.dest_compute == self.host and migration.dest_node == self.nodename
        outgoing = (migration.source_compute == self.host
                    and migration.source_node == self.nodename)
        tracked = instance.uuid in self.tracked_instances
        if incoming and outgoing:
            return [old if instance.instance_type_id != migration.old_instance_type_id else new]
        if incoming and not tracked:
            return [new]
        if outgoing and not tracked and instance.old_flavor is not None:
            return [old]
        return []

    def _remove_deleted_instances_allocations(self, migrations, instances):
        """§4.2: delete the allocations of deleted instances; leave everything else."""
        node = self.compute_node
        migration_uuids = {m.uuid for m in migrations}
        try:
            allocations = yield from self.report.get_allocations_for_resource_provider(node.uuid)
        except exc.ResourceProviderAllocationRetrievalFailed as error:
            self.cloud.log("error", self.service.name, "Skipping removal of allocations for "
                           "deleted instances: %s" % exc.fault_message(error))
            return
        for consumer in sorted(allocations):
            if consumer in self.tracked_instances or consumer in migration_uuids:
                continue
            snapshot = instances.get(consumer)
            if snapshot is None:
                snapshot = yield from self._lookup(consumer)
            if snapshot is None:
                self.cloud.log("info", self.service.name, "Instance %s has allocations against "
                               "this compute host but is not found in the database." % consumer)
                continue
            if snapshot.deleted:
                yield from self.report.delete_allocation_for_instance(consumer, force=False)
                continue
            if not snapshot.host:
                continue
            if snapshot.host == node.host and snapshot.node == node.hypervisor_hostname:
                if snapshot.task_state is None:
                    self.cloud.log("warning", self.service.name, "Instance %s is not being "
                                   "actively managed by this compute host but has allocations "
                                   "referencing this compute host; skipping heal." % consumer)
                continue
            self.cloud.log("warning", self.service.name, "Instance %s has been moved to another "
                           "host %s(%s). There are allocations remaining against the source "
                           "host that might need to be removed." % (
                               consumer, snapshot.host, snapshot.node))

    def _lookup(self, uuid):
        """Instance.get_by_uuid(read_deleted='yes'); None for an unknown uuid."""
        yield sim.Point("db.instance.get " + uuid, reads=(instance_key(uuid),))
        instance = self.db.instances.get(uuid)
        return _Snapshot(instance) if instance is not None else None

    def _update_inventory(self, resources):
        """_update(): push the driver's inventory when it differs from the cached one."""
        inventory = self.service.inventory()
        if inventory == self.pushed_inventory:
            return
        yield from self.report.set_inventory(self.compute_node.uuid, inventory)
        self.pushed_inventory = inventory


class _Snapshot:
    """The fields of an instance as read at one moment (a stale copy, as Nova's objects are)."""

    __slots__ = ("uuid", "host", "node", "deleted", "task_state", "vm_state", "flavor")

    def __init__(self, instance):
        self.uuid = instance.uuid
        self.host = instance.host
        self.node = instance.node
        self.deleted = instance.deleted
        self.task_state = instance.task_state
        self.vm_state = instance.vm_state
        self.flavor = instance.flavor


def _in_resize(instance):
    if instance.vm_state == VmState.RESIZED:
        return True
    return (instance.vm_state in (VmState.ACTIVE, VmState.STOPPED)
            and instance.task_state in _RESIZE_TASKS)


def _add(used, flavor):
    for index, amount in enumerate(_usage(flavor)):
        used[index] += amount
