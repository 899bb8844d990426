"""nova-api: the server actions as generators that return when the REST call would return.

Each request starts with a scheduling point, checks Nova's preconditions (the
``check_instance_state`` / ``check_instance_host`` decorators and the per-action checks of
nova/compute/api.py) and raises ``ApiError`` with the HTTP status the REST API would answer
(409 for a wrong state or a down service, 400 for a bad request, 404 for an unknown server,
500 for anything unexpected, e.g. a MessagingTimeout of confirm-on-delete). On success it
returns the status code (boot returns the Instance).
"""

from harness import sim
from harness.nova import exceptions as exc
from harness.nova.database import instance_key
from harness.nova.records import TaskState, VmState
from harness.nova.scheduler import RequestSpec


def _invalid_state(action, instance, attr, state):
    return exc.ApiError(409, "Cannot '%s' instance %s while it is in %s %s" % (
        action, instance.uuid, attr, state))


class API:
    """The compute API of one cloud."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.db = cloud.db
        self.report = cloud.report_client("api")

    # -- helpers -----------------------------------------------------------------------------

    def _request(self, action, name):
        """The request's first point; returns the live instance or raises 404."""
        instance = self.cloud.instances.get(name)
        keys = (instance_key(instance.uuid),) if instance is not None else ()
        keys += ("api:server:" + name,)
        keys += tuple("host:" + host for host in self.cloud.services)   # service up checks
        yield sim.Point("api.%s %s" % (action, name), reads=keys)
        if instance is None or instance.deleted:
            raise exc.ApiError(404, "Instance %s could not be found." % instance)
        return instance

    def _call(self, action, name, body):
        """Run ``body(instance)``; map exceptions to the REST API's answers."""
        instance = yield from self._request(action, name)
        try:
            return (yield from body(instance))
        except exc.ApiError:
            raise
        except Exception as error:
            raise _to_api_error(error) from error

    @staticmethod
    def _check_state(action, instance, vm_states, task_states=(None,)):
        if vm_states is not None and instance.vm_state not in vm_states:
            raise _invalid_state(action, instance, "vm_state", instance.vm_state)
        if task_states is not None and instance.task_state not in task_states:
            raise _invalid_state(action, instance, "task_state", instance.task_state)

    def _service_up(self, host):
        service = self.cloud.services.get(host)
        return service is not None and service.record.up

    # -- boot --------------------------------------------------------------------------------

    def boot(self, name, flavor, host=None):
        """POST /servers (host: availability_zone "nova:<host>", a forced host)."""
        cloud = self.cloud
        flavor_obj = cloud.flavor(flavor)
        yield sim.Point("api.boot " + name, reads=("api:server:" + name,))
        existing = cloud.instances.get(name)
        if existing is not None and not existing.deleted:
            raise exc.ApiError(409, "A server called %r exists already; names are unique in "
                               "a scenario." % name)
        if host is not None and host not in cloud.services:
            raise exc.ApiError(400, exc.unknown_name("host", host, cloud.services))
        instance = yield from self.db.create_instance(name, flavor_obj, cloud.project_id,
                                                      cloud.user_id, name_key="api:server:" + name)
        cloud.instances[name] = instance
        spec = RequestSpec(instance.uuid, flavor_obj, instance.project_id, instance.user_id,
                           force_host=host)
        props = {}
        if host is None and cloud.options.max_attempts > 1:
            props["retry"] = {"num_attempts": 1, "hosts": []}
        conductor = cloud.conductor
        yield from cloud.rpc.cast(
            "conductor", None, "schedule_and_build_instances",
            lambda: conductor.schedule_and_build_instances(instance, spec, props), instance)
        return instance

    # -- resize and cold migrate -------------------------------------------------------------

    def resize(self, name, flavor, host=None):
        """POST /servers/{id}/action resize; ``host`` targets it like a cold migrate's host."""
        new_flavor = self.cloud.flavor(flavor)
        return (yield from self._call("resize", name, lambda instance: self._resize(
            instance, new_flavor, host, "resize")))

    def migrate(self, name, host=None):
        """POST /servers/{id}/action migrate (cold migrate), optionally to ``host``."""
        return (yield from self._call("migrate", name, lambda instance: self._resize(
            instance, None, host, "migrate")))

    def _resize(self, instance, new_flavor, host, action):
        cloud = self.cloud
        self._check_state(action, instance, (VmState.ACTIVE, VmState.STOPPED))
        if not instance.host:
            raise exc.ApiError(409, "Instance %s is not ready yet." % instance.uuid)
        if not self._service_up(instance.host):
            raise exc.ApiError(409, exc.ServiceUnavailable().format_message())
        if host is not None:
            if host == instance.host:
                raise exc.ApiError(400, exc.CannotMigrateToSameHost().format_message())
            if host not in cloud.services:
                raise exc.ApiError(400, exc.ComputeHostNotFound(host=host).format_message())
        current = instance.flavor
        flavor = new_flavor or current
        same_flavor = flavor.id == current.id
        if same_flavor and new_flavor is not None:
            raise exc.ApiError(400, exc.CannotResizeToSameFlavor().format_message())
        ignore_hosts = []
        if not self._allow_same_host(same_flavor, instance):
            ignore_hosts.append(instance.host)
        yield from self.db.save_instance(instance, task_state=TaskState.RESIZE_PREP,
                                         expected_task_state=[None])
        spec = RequestSpec(instance.uuid, flavor, instance.project_id, instance.user_id,
                           ignore_hosts=ignore_hosts, requested_host=host)
        conductor = cloud.conductor
        yield from cloud.rpc.cast(
            "conductor", None, "migrate_server",
            lambda: conductor.migrate_server(instance, flavor, spec, {}),
            instance)
        return 202

    def _allow_same_host(self, cold_migrate, instance):
        if not cold_migrate:
            return self.cloud.options.allow_resize_to_same_host
        # The compute reports COMPUTE_SAME_HOST_COLD_MIGRATE when its driver supports it.
        service = self.cloud.services[instance.host]
        return bool(service.driver.capabilities.get("supports_migrate_to_same_host"))

    # -- stop and start ----------------------------------------------------------------------

    def stop(self, name):
        """POST /servers/{id}/action os-stop."""
        return (yield from self._call("stop", name, self._power(
            "stop", (VmState.ACTIVE, VmState.ERROR), TaskState.POWERING_OFF, "stop_instance")))

    def start(self, name):
        """POST /servers/{id}/action os-start."""
        return (yield from self._call("start", name, self._power(
            "start", (VmState.STOPPED,), TaskState.POWERING_ON, "start_instance")))

    def _power(self, action, vm_states, task_state, method):
        def body(instance):
            self._check_state(action, instance, vm_states)
            if not instance.host:
                raise exc.ApiError(409, "Instance %s is not ready yet." % instance.uuid)
            yield from self.db.save_instance(instance, task_state=task_state,
                                             expected_task_state=[None])
            service = self.cloud.services[instance.host]
            yield from self.cloud.rpc.cast(
                "compute", service.host, method,
                lambda: getattr(service.manager, method)(instance), instance)
            return 202
        return body

    # -- confirm and revert ------------------------------------------------------------------

    def confirm_resize(self, name):
        """POST /servers/{id}/action confirmResize."""
        return (yield from self._call("confirmResize", name, self._confirm_resize))

    def _confirm_resize(self, instance, migration=None):
        """compute_api.confirm_resize (also called by _poll_unconfirmed_resizes)."""
        self._check_state("confirmResize", instance, (VmState.RESIZED,))
        if migration is None:
            migration = yield from self.db.find_migration(instance.uuid, ["finished"])
        if migration is None:
            raise exc.ApiError(400, "Instance has not been resized.")
        if not self._service_up(migration.source_compute):
            raise exc.ApiError(409, exc.ServiceUnavailable().format_message())
        yield from self.db.save_migration(migration, status="confirming")
        source = self.cloud.services[migration.source_compute]
        yield from self.cloud.rpc.cast(
            "compute", source.host, "confirm_resize",
            lambda: source.manager.confirm_resize(instance, migration), instance)
        return 204

    def revert_resize(self, name):
        """POST /servers/{id}/action revertResize."""
        return (yield from self._call("revertResize", name, self._revert_resize))

    def _revert_resize(self, instance):
        self._check_state("revertResize", instance, (VmState.RESIZED,))
        migration = yield from self.db.find_migration(instance.uuid, ["finished"])
        if migration is None:
            raise exc.ApiError(400, "Instance has not been resized.")
        yield from self.db.save_instance(instance, task_state=TaskState.RESIZE_REVERTING,
                                         expected_task_state=[None])
        yield from self.db.save_migration(migration, status="reverting")
        dest = self.cloud.services[migration.dest_compute]
        yield from self.cloud.rpc.cast(
            "compute", dest.host, "revert_resize",
            lambda: dest.manager.revert_resize(instance, migration), instance)
        return 202

    # -- delete ------------------------------------------------------------------------------

    def delete(self, name):
        """DELETE /servers/{id}: confirm-on-delete, then terminate or a local delete."""
        return (yield from self._call("delete", name, self._delete))

    def _delete(self, instance):
        host = instance.host                 # the request's copy of the instance
        original_task_state = instance.task_state
        vm_state = instance.vm_state
        if not host:
            yield from self.db.save_instance(instance, task_state=TaskState.DELETING)
            yield from self.db.destroy_instance(instance)
            yield from self._local_delete_cleanup(instance)
            return 204
        try:
            yield from self.db.save_instance(instance, task_state=TaskState.DELETING)
            # Instance.save() refreshes the object from the DB row: Nova's _delete reads the
            # vm_state and host it acts on after this save (compute/api.py), not before.
            host, vm_state = instance.host, instance.vm_state
            if vm_state == VmState.RESIZED:
                yield from self._confirm_resize_on_deleting(instance)
            if self._service_up(host):
                if original_task_state == TaskState.DELETING:
                    self.cloud.log("info", "api", "Instance is already in deleting state, "
                                   "ignoring this request")
                    return 204
                service = self.cloud.services[host]
                yield from self.cloud.rpc.cast(
                    "compute", host, "terminate_instance",
                    lambda: service.manager.terminate_instance(instance), instance)
                return 204
            yield from self._local_delete(instance, host)
        except exc.InstanceNotFound:
            pass
        return 204

    def _confirm_resize_on_deleting(self, instance):
        migration = yield from self.db.find_migration(instance.uuid, ["finished", "confirming"])
        if migration is None:
            self.cloud.log("info", "api", "Instance may have been confirmed during delete")
            return
        source = self.cloud.services[migration.source_compute]
        yield from self.cloud.rpc.call(
            "compute", source.host, "confirm_resize",
            lambda: source.manager.confirm_resize(instance, migration), instance)

    def _local_delete(self, instance, host):
        self.cloud.log("warning", "api", "instance's host %s is down, deleting from database"
                       % host)
        if not self.cloud.bugs.on("1679750"):
            yield from self.report.delete_allocation_for_instance(instance.uuid, force=True)
        yield from self.db.save_instance(instance, vm_state=VmState.DELETED, task_state=None)
        yield from self.db.destroy_instance(instance)

    def _local_delete_cleanup(self, instance):
        try:
            yield from self.report.delete_allocation_for_instance(instance.uuid, force=True)
        except exc.AllocationDeleteFailed:
            self.cloud.log("info", "api", "Allocation delete failed during local delete cleanup.")


def _to_api_error(error):
    """The REST API's answer to an exception the compute API raised."""
    if exc.is_kind(error, "InstanceNotFound"):
        return exc.ApiError(404, exc.fault_message(error), error)
    if exc.is_kind(error, "AllocationDeleteFailed"):
        return exc.ApiError(409, exc.fault_message(error), error)
    return exc.ApiError(500, "Unexpected API Error: %s: %s" % (
        type(error).__name__, exc.fault_message(error)), error)
