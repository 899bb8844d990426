"""Nova's ComputeManager for one host: build, resize steps, confirm, revert, delete, init_host.

Each RPC handler is a generator. Nova's decorators and context managers are generator
wrappers applied in Nova's order, so that on a failure the side effects happen innermost
first, exactly as the exception unwinds in Nova (reference §1.5, §3.3-§3.8):

- ``_error_out``: ``_error_out_instance_on_exception`` (vm_state ERROR; for
  InstanceFaultRollback / NotImplementedError the previous vm_state and task_state None),
- ``_errors_out_ctxt``: ``errors_out_migration_ctxt`` (migration status 'error'),
- ``_decorated``: ``@wrap_instance_fault`` (the fault), then ``@errors_out_migration``, then
  ``@reverts_task_state`` (task_state None unless the error is UnexpectedTaskStateError).

No ``finally`` clause yields: a crash cancels a task with ``sim.Cancelled`` (a BaseException)
and nothing of the task may run after it.
"""

from harness import sim
from harness.nova import exceptions as exc
from harness.nova.records import PowerState, TaskState, VmState

is_kind = exc.is_kind


def _copy_props(filter_properties):
    """filter_properties as the receiver of an RPC message sees them (a copy)."""
    props = dict(filter_properties or {})
    if isinstance(props.get("retry"), dict):
        props["retry"] = dict(props["retry"], hosts=list(props["retry"].get("hosts", ())))
    return props


class ComputeManager:
    """The resize-related handlers of nova.compute.manager.ComputeManager."""

    def __init__(self, service):
        self.service = service
        self.cloud = service.cloud
        self.host = service.host
        self.db = service.cloud.db
        self.report = service.report
        self.gate = service.gate
        self.rt = service.rt
        self.bugs = service.cloud.bugs

    def log(self, level, message):
        self.cloud.log(level, self.service.name, message)

    # -- decorator and context-manager equivalents --------------------------------------------

    def _decorated(self, body, instance, migration=None, reverts=True, errors_out=False,
                   fault=True):
        try:
            return (yield from body)
        except Exception as error:
            if fault and not is_kind(error, "InstanceNotFound"):
                yield from self.db.add_fault(instance, error, self.host)
            if errors_out and migration is not None:
                yield from self._set_migration_error(migration)
            if reverts and not is_kind(error, "UnexpectedTaskStateError"):
                yield from self._revert_task_state(instance)
            raise

    def _error_out(self, body, instance, instance_state=VmState.ACTIVE, dirty=None):
        try:
            return (yield from body)
        except Exception as error:
            rollback = is_kind(error, "InstanceFaultRollback")
            if rollback or isinstance(error, NotImplementedError):
                changes = dict(dirty or {}, vm_state=instance_state, task_state=None)
                yield from self.db.save_instance(instance, **changes)
                if rollback and error.inner_exception is not None:
                    raise error.inner_exception from error
                raise
            self.log("error", "Setting instance vm_state to ERROR: %s" % exc.fault_message(error))
            yield from self._set_error_state(instance, dirty)
            raise

    def _errors_out_ctxt(self, body, migration):
        try:
            return (yield from body)
        except Exception:
            if migration is not None:
                yield from self._set_migration_error(migration)
            raise

    def _set_migration_error(self, migration):
        try:
            yield from self.db.save_migration(migration, status="error")
        except Exception as error:
            self.log("debug", "Error setting migration status: %s" % error)

    def _revert_task_state(self, instance):
        try:
            yield from self.db.save_instance(instance, task_state=None)
        except Exception as error:
            if not is_kind(error, "InstanceNotFound"):
                self.log("warning", "Failed to revert task state for instance: %s" % error)

    def _set_error_state(self, instance, dirty=None, clean_task_state=False):
        changes = dict(dirty or {}, vm_state=VmState.ERROR)
        if clean_task_state:
            changes["task_state"] = None
        try:
            yield from self.db.save_instance(instance, **changes)
        except Exception as error:
            if not is_kind(error, "InstanceNotFound"):
                raise
            self.log("debug", "Instance has been destroyed from under us while trying to set "
                     "it to ERROR")

    def _cast(self, host, method, factory, instance):
        yield from self.cloud.rpc.cast("compute", host, method, factory, instance)

    # -- allocation helpers ------------------------------------------------------------------

    def _revert_allocation(self, instance, migration):
        """Move what the migration holds back to the instance (M -> I)."""
        held = yield from self.report.get_allocations_for_consumer(migration.uuid)
        if not held:
            self.log("error", "Did not find resource allocations for migration %s on source "
                     "node %s. Unable to revert source node allocations back to the instance."
                     % (migration.uuid, migration.source_node))
            return False
        yield from self.report.move_allocations(migration.uuid, instance.uuid)
        return held

    def _delete_allocation_after_move(self, instance, migration):
        """Delete the migration consumer's allocations (GET + PUT {})."""
        try:
            yield from self.report.delete_allocation_for_instance(
                migration.uuid, consumer_type="migration", force=False)
        except exc.AllocationDeleteFailed:
            self.log("error", "Deleting allocation in placement for migration %s failed. The "
                     "instance %s will be put to ERROR state but the allocation held by the "
                     "migration is leaked." % (migration.uuid, instance.uuid))
            raise

    def _delete_stashed_flavor_info(self, instance):
        yield from self.db.save_instance(instance, old_flavor=None, new_flavor=None,
                                         sysmeta={"old_vm_state": None})

    # -- build -------------------------------------------------------------------------------

    def build_and_run_instance(self, instance, spec, filter_properties, node, host_list):
        lock = self.service.instance_lock(instance.uuid)
        body = lock.run(self._locked_build(instance, spec, filter_properties, node, host_list))
        return (yield from self._decorated(body, instance))

    def _locked_build(self, instance, spec, filter_properties, node, host_list):
        try:
            result = yield from self._do_build_and_run_instance(
                instance, spec, filter_properties, node, host_list)
        except Exception:
            yield from self.report.delete_allocation_for_instance(instance.uuid, force=True)
            raise
        if result == "failed":
            yield from self.report.delete_allocation_for_instance(instance.uuid, force=True)
        return result

    def _do_build_and_run_instance(self, instance, spec, filter_properties, node, host_list):
        try:
            yield from self.db.save_instance(instance, vm_state=VmState.BUILDING,
                                             task_state=None,
                                             expected_task_state=[TaskState.SCHEDULING, None])
        except Exception as error:
            if is_kind(error, "InstanceNotFound") or is_kind(error, "UnexpectedTaskStateError"):
                return "failed"
            raise
        try:
            yield from self._build_and_run_instance(instance, node)
            return "active"
        except Exception as error:
            if (is_kind(error, "InstanceNotFound")
                    or is_kind(error, "UnexpectedDeletingTaskStateError")):
                self.log("info", "Instance disappeared during build.")
                return "failed"
            reschedulable = (is_kind(error, "RescheduledException")
                             or is_kind(error, "ComputeResourcesUnavailable"))
            retry = filter_properties.get("retry")
            yield from self.db.add_fault(instance, error, self.host)
            if reschedulable and retry:
                yield from self.db.save_instance(instance, host=None, node=None,
                                                 task_state=TaskState.SCHEDULING)
                yield from self.report.delete_allocation_for_instance(instance.uuid, force=True)
                conductor = self.cloud.conductor
                props = _copy_props(filter_properties)
                yield from self.cloud.rpc.cast(
                    "conductor", None, "build_instances",
                    lambda: conductor.build_instances(instance, spec, props, list(host_list)),
                    instance)
                return "rescheduled"
            yield from self.db.save_instance(instance, host=None, node=None)
            yield from self._set_error_state(instance, clean_task_state=True)
            return "failed"

    def _build_and_run_instance(self, instance, node):
        yield from self.rt.instance_claim(instance, node)
        yield from self.db.save_instance(instance, task_state=TaskState.SPAWNING,
                                         expected_task_state=[None])
        yield from self.gate.call("spawn", instance, instance, power_on=True)
        yield from self.db.save_instance(
            instance, vm_state=VmState.ACTIVE, task_state=None, power_state=PowerState.RUNNING,
            launched_at=self.cloud.sim.now, expected_task_state=[TaskState.SPAWNING])

    # -- resize: destination prep_resize -----------------------------------------------------

    def prep_resize(self, instance, flavor, spec, filter_properties, node, migration,
                    host_list):
        """Destination: check, claim, and cast resize_instance to the source (§3.3)."""
        body = self._do_prep_resize(instance, flavor, spec, filter_properties, node, migration,
                                    host_list)
        return (yield from self._decorated(body, instance))

    def _do_prep_resize(self, instance, flavor, spec, filter_properties, node, migration,
                        host_list):
        inner = self._prep_resize_or_reschedule(instance, flavor, spec, filter_properties,
                                                node, migration, host_list)
        return (yield from self._error_out(self._errors_out_ctxt(inner, migration), instance,
                                           instance.vm_state))

    def _prep_resize_or_reschedule(self, instance, flavor, spec, filter_properties, node,
                                   migration, host_list):
        try:
            yield from self._prep_resize(instance, flavor, spec, node, migration)
        except Exception as error:
            if is_kind(error, "BuildAbortException"):
                yield from self._revert_allocation(instance, migration)
                raise
            if not self.bugs.on("1741125"):
                yield from self._revert_allocation(instance, migration)
                yield from self._reschedule_resize_or_reraise(
                    instance, error, flavor, spec, filter_properties, host_list)
                return
            # Bug 1741125: the revert ran after the (synchronous) reschedule.
            try:
                yield from self._reschedule_resize_or_reraise(
                    instance, error, flavor, spec, filter_properties, host_list)
            except Exception:
                yield from self._revert_allocation(instance, migration)
                raise
            yield from self._revert_allocation(instance, migration)

    def _prep_resize(self, instance, flavor, spec, node, migration):
        yield from self.gate.check("compute.prep_resize", instance)
        if not instance.host:
            yield from self._set_error_state(instance)
            raise exc.MigrationError(reason="Instance has no source host")
        same_host = instance.host == self.host
        if (same_host and flavor.id == instance.instance_type_id
                and not self.service.driver.capabilities.get("supports_migrate_to_same_host")):
            raise exc.InstanceFaultRollback(inner_exception=exc.UnableToMigrateToSelf(
                instance_id=instance.uuid, host=self.host))
        yield from self.db.save_instance(instance, new_flavor=flavor,
                                         sysmeta={"old_vm_state": instance.vm_state})
        yield from self.report.get_allocations_for_consumer(instance.uuid)
        yield from self.rt.resize_claim(instance, flavor, node, migration)
        source = self.cloud.services[instance.host]
        try:
            yield from self._cast(source.host, "resize_instance", lambda: source.manager
                                  .resize_instance(instance, migration, flavor, spec), instance)
        except Exception:
            yield from self.rt.drop_move_claim(instance)
            yield from self.db.save_instance(instance, migration_context=None)
            raise

    def _reschedule_resize_or_reraise(self, instance, error, flavor, spec, filter_properties,
                                      host_list):
        retry = filter_properties.get("retry")
        rescheduled = False
        try:
            if retry:
                yield from self.db.save_instance(instance, task_state=TaskState.RESIZE_PREP)
                retry["exc_reason"] = exc.fault_message(error)
                props = _copy_props(filter_properties)
                conductor = self.cloud.conductor
                yield from self.cloud.rpc.call(
                    "conductor", None, "migrate_server",
                    lambda: conductor.migrate_server(instance, flavor, spec, props,
                                                     list(host_list)),
                    instance)
                rescheduled = True
        except Exception as reschedule_error:
            self.log("error", "Error trying to reschedule: %s" % exc.fault_message(
                reschedule_error))
            yield from self.db.add_fault(instance, reschedule_error, self.host)
        if not rescheduled:
            raise error
        yield from self.db.add_fault(instance, error, self.host)

    # -- resize: source resize_instance ------------------------------------------------------

    def resize_instance(self, instance, migration, flavor, spec):
        """Source: power off, switch instance.host to the dest, cast finish_resize (§3.4)."""
        body = self._resize_instance_or_revert(instance, migration, flavor, spec)
        return (yield from self._decorated(body, instance))

    def _resize_instance_or_revert(self, instance, migration, flavor, spec):
        try:
            inner = self._resize_instance(instance, migration, flavor, spec)
            yield from self._error_out(self._errors_out_ctxt(inner, migration), instance,
                                       instance.vm_state)
        except Exception:
            if not self.bugs.on("1749215"):
                yield from self._revert_allocation(instance, migration)
            raise

    def _resize_instance(self, instance, migration, flavor, spec):
        db = self.db
        yield from self.gate.check("compute.resize_instance", instance)
        yield from db.save_migration(migration, status="migrating")
        yield from db.save_instance(instance, task_state=TaskState.RESIZE_MIGRATING,
                                    expected_task_state=TaskState.RESIZE_PREP)
        yield from self.gate.call("migrate_disk_and_power_off", instance, instance,
                                  migration.dest_host, flavor)
        yield from db.save_migration(migration, status="post-migrating")
        yield from db.save_instance(
            instance, host=migration.dest_compute, node=migration.dest_node,
            old_flavor=instance.flavor, task_state=TaskState.RESIZE_MIGRATED,
            expected_task_state=TaskState.RESIZE_MIGRATING)
        dest = self.cloud.services[migration.dest_compute]
        yield from self._cast(dest.host, "finish_resize", lambda: dest.manager.finish_resize(
            instance, migration, spec), instance)

    # -- resize: destination finish_resize ---------------------------------------------------

    def finish_resize(self, instance, migration, spec):
        """Destination: spawn the resized guest; VERIFY_RESIZE on success (§3.5)."""
        body = self._finish_resize_or_cleanup(instance, migration)
        return (yield from self._decorated(body, instance, migration, errors_out=True))

    def _finish_resize_or_cleanup(self, instance, migration):
        try:
            dirty = {}
            yield from self._error_out(self._finish_resize(instance, migration, dirty),
                                       instance, VmState.ACTIVE, dirty)
        except Exception:
            if self.bugs.on("1749215"):
                raise
            if self.bugs.on("1825537"):
                yield from self._revert_allocation(instance, migration)
                raise
            self.log("info", "Deleting allocations for old flavor on source node %s after "
                     "finish_resize failure. You may be able to recover the instance by hard "
                     "rebooting it." % migration.source_compute)
            yield from self._delete_allocation_after_move(instance, migration)
            raise

    def _finish_resize(self, instance, migration, dirty):
        yield from self.gate.check("compute.finish_resize", instance)
        old_flavor = instance.flavor
        old_vm_state = instance.system_metadata.get("old_vm_state", VmState.ACTIVE)
        resized = migration.old_instance_type_id != migration.new_instance_type_id
        changes = {"old_flavor": old_flavor}
        if resized:
            changes["flavor"] = instance.new_flavor
        yield from self.db.save_instance(instance, task_state=TaskState.RESIZE_FINISH,
                                         expected_task_state=TaskState.RESIZE_MIGRATED,
                                         **changes)
        yield from self.report.get_allocs_for_consumer(instance.uuid)
        power_on = old_vm_state != VmState.STOPPED
        try:
            yield from self.gate.call("finish_migration", instance, migration, instance,
                                      power_on=power_on)
        except Exception:
            if resized:
                dirty["flavor"] = old_flavor
            raise
        yield from self.db.save_migration(migration, status="finished")
        yield from self.db.save_instance(
            instance, vm_state=VmState.RESIZED, task_state=None,
            power_state=PowerState.RUNNING if power_on else PowerState.SHUTDOWN,
            launched_at=self.cloud.sim.now, expected_task_state=TaskState.RESIZE_FINISH)

    # -- confirm (source) --------------------------------------------------------------------

    def confirm_resize(self, instance, migration):
        """Source: destroy the old guest, drop the claim, delete M last (§3.7)."""
        lock = self.service.instance_lock(instance.uuid)
        body = lock.run(self._do_confirm_resize(instance, migration))
        return (yield from self._decorated(body, instance, migration, reverts=False,
                                           errors_out=not self.bugs.on("1821594")))

    def _do_confirm_resize(self, instance, migration):
        yield sim.Point("db.migration.get %s" % migration.uuid,
                        reads=("db:migration:" + migration.uuid,))
        if migration.status == "confirmed":
            self.log("info", "Migration %s is already confirmed" % migration.id)
            return
        if migration.status not in ("finished", "confirming"):
            self.log("warning", "Unexpected confirmation status '%s' of migration %s, exit "
                     "confirmation process" % (migration.status, migration.id))
            return
        try:
            yield from self.db.refresh(instance)
        except exc.InstanceNotFound:
            self.log("info", "Instance is not found during confirmation")
            return
        yield from self._error_out(self._confirm_and_clean_up(instance, migration), instance)

    def _confirm_and_clean_up(self, instance, migration):
        if self.bugs.on("1821594"):
            yield from self._confirm_resize(instance, migration)
            yield from self._confirm_clean_up(instance, migration)
            return
        try:
            yield from self._confirm_resize(instance, migration)
        except Exception:
            self.log("error", "Confirm resize failed on source host %s. Resource allocations in "
                     "the placement service will be removed regardless because the instance "
                     "is now on the destination host %s." % (self.host, migration.dest_compute))
            yield from self._confirm_clean_up(instance, migration)
            raise
        yield from self._confirm_clean_up(instance, migration)

    def _confirm_clean_up(self, instance, migration):
        yield from self._delete_allocation_after_move(instance, migration)
        yield from self._delete_stashed_flavor_info(instance)

    def _confirm_resize(self, instance, migration):
        yield from self.gate.check("compute.confirm_resize", instance)
        yield from self.gate.call("confirm_migration", instance, migration, instance)
        yield from self.rt.drop_move_claim_at_source(instance, migration)
        vm_state = (VmState.STOPPED if instance.power_state == PowerState.SHUTDOWN
                    else VmState.ACTIVE)
        yield from self.db.save_instance(
            instance, vm_state=vm_state, task_state=None,
            expected_task_state=[None, TaskState.DELETING, "soft-deleting"])

    # -- revert (dest, then source) ----------------------------------------------------------

    def revert_resize(self, instance, migration):
        """Destination: destroy the new guest, migration 'reverted', cast to the source (§3.8)."""
        body = self._error_out(self._revert_resize(instance, migration), instance)
        return (yield from self._decorated(body, instance, migration, errors_out=True))

    def _revert_resize(self, instance, migration):
        yield from self.gate.check("compute.revert_resize", instance)
        yield from self.gate.call("destroy", instance, instance)
        yield from self.rt.drop_move_claim_at_dest(instance, migration)
        source = self.cloud.services[migration.source_compute]
        yield from self._cast(source.host, "finish_revert_resize",
                              lambda: source.manager.finish_revert_resize(instance, migration),
                              instance)

    def finish_revert_resize(self, instance, migration):
        """Source: host back to the source, M -> I, respawn the old guest (§3.8)."""
        body = self._finish_revert_and_clean_up(instance, migration)
        return (yield from self._decorated(body, instance, migration, errors_out=True))

    def _finish_revert_and_clean_up(self, instance, migration):
        try:
            yield from self._error_out(self._finish_revert_resize(instance, migration), instance)
        except Exception:
            yield from self._delete_stashed_flavor_info(instance)
            raise
        yield from self._delete_stashed_flavor_info(instance)

    def _finish_revert_resize(self, instance, migration):
        yield from self.gate.check("compute.finish_revert_resize", instance)
        old_vm_state = instance.system_metadata.get("old_vm_state", VmState.ACTIVE)
        yield from self.db.save_instance(
            instance, flavor=instance.old_flavor or instance.flavor,
            host=migration.source_compute, node=migration.source_node,
            expected_task_state=[TaskState.RESIZE_REVERTING])
        try:
            yield from self._revert_allocation(instance, migration)
        except exc.AllocationMoveFailed:
            self.log("error", "Reverting allocation in placement for migration %s failed. The "
                     "instance %s will be put into ERROR state but the allocation held by the "
                     "migration is leaked." % (migration.uuid, instance.uuid))
            raise
        power_on = old_vm_state != VmState.STOPPED
        yield from self.gate.call("finish_revert_migration", instance, instance, migration,
                                  power_on=power_on)
        yield from self.db.save_instance(instance, migration_context=None,
                                         launched_at=self.cloud.sim.now,
                                         expected_task_state=TaskState.RESIZE_REVERTING)
        if power_on:
            yield from self.db.save_instance(instance, vm_state=VmState.ACTIVE, task_state=None,
                                             power_state=PowerState.RUNNING)
            return
        yield from self.db.save_instance(instance, task_state=TaskState.POWERING_OFF)
        yield from self.stop_instance(instance)

    # -- stop and start ----------------------------------------------------------------------

    def stop_instance(self, instance):
        """Power the guest off: vm_state stopped (expected task powering-off)."""
        lock = self.service.instance_lock(instance.uuid)
        return (yield from self._decorated(lock.run(self._do_stop(instance)), instance))

    def _do_stop(self, instance):
        expected = [TaskState.POWERING_OFF]
        if self.service.driver.get_info(instance) != PowerState.RUNNING:
            expected.append(None)
        yield from self.gate.call("power_off", instance, instance)
        yield from self.db.save_instance(instance, vm_state=VmState.STOPPED, task_state=None,
                                         power_state=PowerState.SHUTDOWN,
                                         expected_task_state=expected)

    def start_instance(self, instance):
        """Power the guest on: vm_state active (expected task powering-on)."""
        return (yield from self._decorated(self._do_start(instance), instance))

    def _do_start(self, instance):
        yield from self.gate.call("power_on", instance, instance)
        yield from self.db.save_instance(instance, vm_state=VmState.ACTIVE, task_state=None,
                                         power_state=PowerState.RUNNING,
                                         expected_task_state=TaskState.POWERING_ON)

    # -- delete ------------------------------------------------------------------------------

    def terminate_instance(self, instance):
        """Destroy the guest, mark DELETED, delete I's allocations (force), destroy the row."""
        lock = self.service.instance_lock(instance.uuid)
        body = lock.run(self._do_terminate_instance(instance))
        return (yield from self._decorated(body, instance))

    def _do_terminate_instance(self, instance):
        try:
            yield from self._delete_instance(instance)
        except Exception as error:
            if is_kind(error, "InstanceNotFound"):
                self.log("info", "Instance disappeared during terminate")
                return
            yield from self._set_error_state(instance)
            raise

    def _delete_instance(self, instance):
        yield from self.gate.call("destroy", instance, instance)
        yield from self.db.save_instance(instance, vm_state=VmState.DELETED, task_state=None,
                                         power_state=PowerState.NOSTATE)
        force = not self.cloud.options.reclaim_instance_interval > 0
        yield from self.report.delete_allocation_for_instance(instance.uuid, force=force)
        yield from self.db.destroy_instance(instance)

    # -- service start and periodic tasks ----------------------------------------------------

    def init_host(self):
        """Re-initialise the instances of this host after a restart (§3.11)."""
        yield sim.Point("db.instance.get_by_host " + self.host,
                        reads=tuple("db:instance:" + u for u in sorted(self.db.instances)))
        for instance in self.db.instances_on_host(self.host):
            try:
                yield from self._init_instance(instance)
            except Exception as error:
                self.log("error", "Failed to init instance %s: %s" % (
                    instance.display_name, exc.fault_message(error)))

    def _init_instance(self, instance):
        vm_state, task_state = instance.vm_state, instance.task_state
        if vm_state == VmState.ERROR and task_state not in (TaskState.RESIZE_MIGRATING,
                                                            TaskState.DELETING):
            return
        if vm_state == VmState.DELETED:
            return
        if vm_state == VmState.BUILDING or task_state in (TaskState.SCHEDULING,
                                                          TaskState.SPAWNING):
            yield from self._set_error_state(instance, clean_task_state=True)
            return
        if vm_state != VmState.ERROR and task_state == TaskState.RESIZE_PREP:
            yield from self.db.save_instance(instance, task_state=None)
        if task_state == TaskState.DELETING:
            try:
                yield from self._delete_instance(instance)
            except Exception:
                yield from self._set_error_state(instance)
            return
        if task_state in (TaskState.POWERING_OFF, TaskState.POWERING_ON):
            method = (self.stop_instance if task_state == TaskState.POWERING_OFF
                      else self.start_instance)
            try:
                yield from method(instance)
            except Exception as error:
                self.log("error", "Failed to %s instance at start-up: %s" % (
                    "stop" if task_state == TaskState.POWERING_OFF else "start", error))
            return
        if task_state == TaskState.RESIZE_MIGRATING:
            power_on = instance.system_metadata.get("old_vm_state") != VmState.STOPPED
            migration = self.cloud.migration_by_uuid(instance.migration_context)
            try:
                yield from self.gate.call("finish_revert_migration", instance, instance,
                                          migration, power_on=power_on)
            except Exception as error:
                self.log("error", "Failed to revert crashed migration: %s" % error)
            self.log("info", "Instance found in migrating state during startup. Resetting "
                     "task_state")
            yield from self.db.save_instance(instance, task_state=None)

    def poll_unconfirmed_resizes(self):
        """Auto-confirm 'finished' migrations to this host older than resize_confirm_window."""
        window = self.cloud.options.resize_confirm_window
        if window <= 0:
            return
        yield sim.Point("db.migration.get_unconfirmed_by_dest_compute " + self.host,
                        reads=tuple("db:migration:" + m.uuid for m in self.db.migrations))
        now = self.cloud.sim.now
        due = [m for m in self.db.migrations if m.status == "finished"
               and m.dest_compute == self.host and m.updated_at <= now - window]
        for migration in due:
            yield from self._auto_confirm(migration)

    def _auto_confirm(self, migration):
        instance = self.db.instances.get(migration.instance_uuid)
        try:
            if instance is None:
                raise exc.InstanceNotFound(instance_id=migration.instance_uuid)
            yield from self.db.refresh(instance)
        except exc.InstanceNotFound:
            yield from self.db.save_migration(migration, status="error")
            return
        vm_state, task_state = instance.vm_state, instance.task_state
        if vm_state == VmState.ERROR:
            yield from self.db.save_migration(migration, status="error")
            return
        if task_state in (TaskState.DELETING, "soft-deleting", TaskState.RESIZE_FINISH):
            return
        if vm_state != VmState.RESIZED or task_state is not None:
            yield from self.db.save_migration(migration, status="error")
            return
        try:
            yield from self.cloud.api._confirm_resize(instance, migration)
        except Exception as error:
            self.log("info", "Error auto-confirming resize: %s. Will retry later." % (
                getattr(error, "message", None) or exc.fault_message(error)))

    def update_available_resource(self, startup=False):
        yield from self.rt.update_available_resource(startup=startup)
