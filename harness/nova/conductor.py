"""Nova's conductor: the cold-migrate/resize MigrationTask and the build scheduling.

MigrationTask follows reference §3.2 (nova/conductor/tasks/migrate.py): populate the retry
counter (not for a targeted move), create or reuse the 'pre-migrating' migration, move the
instance's source allocation to the migration consumer (replace_allocation_with_migration),
schedule (first attempt) or claim the next alternate (reschedule), then cast prep_resize to
the chosen host. A failure before the cast rolls back: migration 'error', M -> I. The
conductor's _cold_migrate then resets task_state (vm_state unchanged) and records a fault.
"""

from harness import sim
from harness.nova import exceptions as exc
from harness.nova.records import VmState
from harness.nova.virt import check_fault


def _no_valid_host_reason(instance, flavor):
    if flavor.id == instance.instance_type_id:
        return "No valid host found for cold migrate"
    return "No valid host found for resize"


class Conductor:
    """The conductor service (always up); its handlers run as tasks of its endpoint."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.db = cloud.db
        self.report = cloud.report_client("conductor")

    # -- RPC to the scheduler ----------------------------------------------------------------

    def _select_destinations(self, spec, instance=None):
        yield from check_fault(self.cloud, "scheduler.select_destinations", "scheduler",
                               instance, self.cloud.stalls)
        yield sim.Point("rpc.call scheduler.select_destinations", writes=("host:scheduler",))
        yield sim.Point("rpc.recv scheduler.select_destinations", writes=("host:scheduler",))
        selections = yield from self.cloud.scheduler_service.select_destinations(spec)
        return selections

    # -- resize / cold migrate ---------------------------------------------------------------

    def migrate_server(self, instance, flavor, spec, filter_properties, host_list=None):
        """compute_task_api.resize_instance -> _cold_migrate (a generator, the RPC handler)."""
        task = MigrationTask(self, instance, flavor, spec, filter_properties, host_list)
        try:
            yield from task.execute()
        except exc.NoValidHost as error:
            yield from self._set_vm_state_and_notify(
                instance, instance.vm_state or VmState.ACTIVE, error)
            raise exc.NoValidHost(reason=_no_valid_host_reason(instance, flavor)) from error
        except Exception as error:
            try:
                yield from self.db.refresh(instance)
                yield from self._set_vm_state_and_notify(instance, instance.vm_state, error)
            except exc.InstanceNotFound:
                self.cloud.log("info", "conductor", "During %s the instance was deleted." % (
                    "cold migrate" if flavor.id == instance.instance_type_id else "resize"))
            raise

    def _set_vm_state_and_notify(self, instance, vm_state, error):
        """scheduler_utils.set_vm_state_and_notify: save vm_state/task_state, add a fault."""
        yield from self.db.save_instance(instance, vm_state=vm_state, task_state=None)
        yield from self.db.add_fault(instance, error)

    # -- build -------------------------------------------------------------------------------

    def schedule_and_build_instances(self, instance, spec, filter_properties):
        """Pick a host (claiming in Placement) and cast build_and_run_instance to it."""
        try:
            selections = yield from self._select_destinations(spec, instance)
        except exc.NoValidHost as error:
            yield from self.db.save_instance(instance, vm_state=VmState.ERROR, task_state=None)
            yield from self.db.add_fault(instance, error)
            return
        except Exception as error:
            yield from self.db.save_instance(instance, vm_state=VmState.ERROR, task_state=None)
            yield from self.db.add_fault(instance, error)
            raise
        yield from self._cast_build(instance, spec, filter_properties, selections[0],
                                    selections[1:])

    def build_instances(self, instance, spec, filter_properties, host_list):
        """A build reschedule from a compute: claim the next alternate, cast the build."""
        selection = None
        while host_list:
            candidate = host_list.pop(0)
            claimed = yield from self.report.claim_resources(
                instance.uuid, candidate.allocation_request, spec.project_id, spec.user_id)
            if claimed:
                selection = candidate
                break
        if selection is None:
            error = exc.MaxRetriesExceeded(
                reason="Exhausted all hosts available for retrying build failures for "
                       "instance %s." % instance.uuid)
            yield from self.db.save_instance(instance, vm_state=VmState.ERROR, task_state=None)
            yield from self.db.add_fault(instance, error)
            return
        yield from self._cast_build(instance, spec, filter_properties, selection, host_list)

    def _cast_build(self, instance, spec, filter_properties, selection, alternates):
        host = selection.service_host
        manager = self.cloud.services[host].manager

        def handler():
            return manager.build_and_run_instance(instance, spec, filter_properties,
                                                  selection.nodename, list(alternates))
        yield from self.cloud.rpc.cast("compute", host, "build_and_run_instance", handler,
                                       instance)


class MigrationTask:
    """nova.conductor.tasks.migrate.MigrationTask (same cell)."""

    def __init__(self, conductor, instance, flavor, spec, filter_properties, host_list):
        self.conductor = conductor
        self.cloud = conductor.cloud
        self.db = conductor.db
        self.report = conductor.report
        self.instance = instance
        self.flavor = flavor
        self.spec = spec
        self.filter_properties = filter_properties
        self.host_list = host_list
        self.migration = None
        self.held_allocations = None
        self.source_rp = None

    def execute(self):
        """TaskBase.execute: run, and roll back on any failure before re-raising."""
        try:
            return (yield from self._execute())
        except Exception:
            yield from self.rollback()
            raise

    def _execute(self):
        spec = self.spec
        spec.flavor = self.flavor
        if spec.requested_host is None:
            self._populate_retry()
        else:
            self.filter_properties.pop("retry", None)
        migration = yield from self._preallocate_migration()
        if self.host_list is None:
            selections = yield from self.conductor._select_destinations(spec, self.instance)
            selection, self.host_list = selections[0], list(selections[1:])
        else:
            selection = yield from self._reschedule()
        host, node = selection.service_host, selection.nodename
        manager = self.cloud.services[host].manager
        instance, flavor = self.instance, self.flavor
        filter_properties, host_list = self.filter_properties, list(self.host_list)

        def handler():
            return manager.prep_resize(instance, flavor, spec, filter_properties, node,
                                       migration, host_list)
        yield from self.cloud.rpc.cast("compute", host, "prep_resize", handler,
                                       instance)

    def _populate_retry(self):
        max_attempts = self.cloud.options.max_attempts
        if max_attempts == 1:
            return
        retry = self.filter_properties.setdefault("retry", {"num_attempts": 0, "hosts": []})
        retry["num_attempts"] += 1
        if retry["num_attempts"] > max_attempts:
            raise exc.MaxRetriesExceeded(
                reason="Exceeded max scheduling attempts %d for instance %s. Last exception: %s"
                % (max_attempts, self.instance.uuid, retry.pop("exc_reason", None)))

    def _preallocate_migration(self):
        instance = self.instance
        migration_type = "resize" if instance.flavor.id != self.flavor.id else "migration"
        migration = yield from self.db.find_migration(instance.uuid, ["pre-migrating"],
                                                      migration_type)
        if migration is None:
            migration = yield from self.db.create_migration(instance, self.flavor,
                                                            migration_type)
        self.migration = migration
        self.source_rp, self.held_allocations = (
            yield from self._replace_allocation_with_migration(migration))
        return migration

    def _replace_allocation_with_migration(self, migration):
        instance = self.instance
        source_rp = self.cloud.compute_rp_or_none(instance.host)
        if source_rp is None:
            raise exc.ComputeHostNotFound(host=instance.host)
        current = yield from self.report.get_allocs_for_consumer(instance.uuid)
        held = current["allocations"]
        if not (held.get(source_rp) or {}).get("resources"):
            self.cloud.log("debug", "conductor", "Unable to find existing allocations for "
                           "instance on source compute node: %s" % source_rp)
            return None, None
        moved = yield from self.report.move_allocations(instance.uuid, migration.uuid)
        if not moved:
            raise exc.NoValidHost(reason="Unable to replace instance claim on source")
        return source_rp, held

    def _reschedule(self):
        selection = None
        while self.host_list and selection is None:
            candidate = self.host_list.pop(0)
            claimed = yield from self.report.claim_resources(
                self.instance.uuid, candidate.allocation_request, self.spec.project_id,
                self.spec.user_id)
            if claimed:
                selection = candidate
        if selection is None:
            raise exc.MaxRetriesExceeded(
                reason="Exhausted all hosts available for retrying build failures for "
                       "instance %s." % self.instance.uuid)
        return selection

    def rollback(self):
        if self.migration is not None:
            yield from self.db.save_migration(self.migration, status="error")
        if not self.held_allocations:
            return
        moved = yield from self.report.move_allocations(self.migration.uuid, self.instance.uuid)
        if not moved:
            self.cloud.log("error", "conductor", "Unable to replace resource claim on source "
                           "host %s node %s for instance" % (self.instance.host,
                                                             self.instance.node))
