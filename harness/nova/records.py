"""Nova's database records as plain objects: Flavor, Instance, Migration, faults, compute nodes.

Field names follow Nova's objects (``vm_state``, ``task_state``, ``old_flavor``,
``source_compute``, ...). The records are shared by every simulated service; a service changes
them only through :class:`harness.nova.database.Database`, whose saves are scheduling points.
"""

import dataclasses


class VmState:
    """Nova's ``nova.compute.vm_states`` values used by the move flows."""

    ACTIVE = "active"
    BUILDING = "building"
    STOPPED = "stopped"
    RESIZED = "resized"
    ERROR = "error"
    DELETED = "deleted"


class TaskState:
    """Nova's ``nova.compute.task_states`` values used by the move flows."""

    SCHEDULING = "scheduling"
    SPAWNING = "spawning"
    RESIZE_PREP = "resize_prep"
    RESIZE_MIGRATING = "resize_migrating"
    RESIZE_MIGRATED = "resize_migrated"
    RESIZE_FINISH = "resize_finish"
    RESIZE_REVERTING = "resize_reverting"
    DELETING = "deleting"
    POWERING_OFF = "powering-off"
    POWERING_ON = "powering-on"


class PowerState:
    """Nova's ``nova.compute.power_state`` values."""

    NOSTATE = 0
    RUNNING = 1
    SHUTDOWN = 4


# Migration statuses that the RT periodic does not consider in progress
# (migration_get_in_progress_and_error_by_host_and_node excludes them).
MIGRATION_DONE_STATUSES = frozenset(
    ("confirmed", "reverted", "failed", "completed", "cancelled", "done"))

# nova/api/openstack/common.py::_STATE_MAP, restricted to the states the model reaches.
_RESIZE_TASKS = (TaskState.RESIZE_PREP, TaskState.RESIZE_MIGRATING,
                 TaskState.RESIZE_MIGRATED, TaskState.RESIZE_FINISH)
_STATUS_MAP = {
    VmState.ACTIVE: dict({t: "RESIZE" for t in _RESIZE_TASKS},
                         default="ACTIVE", migrating="MIGRATING"),
    VmState.BUILDING: {"default": "BUILD"},
    VmState.STOPPED: dict({t: "RESIZE" for t in _RESIZE_TASKS}, default="SHUTOFF"),
    VmState.RESIZED: {"default": "VERIFY_RESIZE", TaskState.RESIZE_REVERTING: "REVERT_RESIZE"},
    VmState.ERROR: {"default": "ERROR"},
    VmState.DELETED: {"default": "DELETED"},
}


def api_status(vm_state, task_state):
    """Return the server status the REST API shows for a vm_state/task_state pair."""
    task_map = _STATUS_MAP.get(vm_state, {"default": "UNKNOWN"})
    return task_map.get(task_state, task_map["default"])


@dataclasses.dataclass(frozen=True)
class Flavor:
    """A flavor; ``id`` is the database id that migrations refer to."""

    name: str
    flavorid: str
    vcpus: int
    memory_mb: int
    root_gb: int
    ephemeral_gb: int = 0
    swap: int = 0
    id: int = 0

    def resources(self, is_bfv=False):
        """Placement resources of the flavor, as nova.scheduler.utils.resources_from_flavor."""
        swap_gb = -(-self.swap // 1024)
        disk = (0 if is_bfv else self.root_gb) + self.ephemeral_gb + swap_gb
        res = {"VCPU": self.vcpus, "MEMORY_MB": self.memory_mb}
        if disk:
            res["DISK_GB"] = disk
        return res


@dataclasses.dataclass
class InstanceFault:
    """One row of instance_faults: the message and code the API shows."""

    message: str
    code: int = 500
    details: str = ""
    host: str = None


class Instance:
    """An instance row (with its flavor fields and system_metadata)."""

    __slots__ = ("uuid", "display_name", "vm_state", "task_state", "power_state", "host",
                 "node", "flavor", "old_flavor", "new_flavor", "deleted", "project_id",
                 "user_id", "faults", "system_metadata", "migration_context", "launched_at",
                 "availability_zone")

    def __init__(self, uuid, display_name, flavor, project_id="project", user_id="user"):
        self.uuid = uuid
        self.display_name = display_name
        self.vm_state = VmState.BUILDING
        self.task_state = TaskState.SCHEDULING
        self.power_state = PowerState.NOSTATE
        self.host = None
        self.node = None
        self.flavor = flavor
        self.old_flavor = None
        self.new_flavor = None
        self.deleted = False
        self.project_id = project_id
        self.user_id = user_id
        self.faults = []
        self.system_metadata = {}
        self.migration_context = None   # the migration uuid, or None
        self.launched_at = None
        self.availability_zone = None

    @property
    def instance_type_id(self):
        return self.flavor.id

    @property
    def fault(self):
        """The newest fault, as the API shows it (None when there is none)."""
        return self.faults[-1] if self.faults else None

    @property
    def status(self):
        """The API status derived as Nova's REST API does (DELETED once the row is destroyed)."""
        if self.deleted:
            return "DELETED"
        return api_status(self.vm_state, self.task_state)

    def __repr__(self):
        return "<Instance %s %s/%s host=%s flavor=%s>" % (
            self.display_name, self.vm_state, self.task_state, self.host, self.flavor.name)


class Migration:
    """A migration row."""

    __slots__ = ("uuid", "id", "instance_uuid", "source_compute", "dest_compute",
                 "source_node", "dest_node", "dest_host", "old_instance_type_id",
                 "new_instance_type_id", "status", "migration_type", "deleted", "updated_at")

    def __init__(self, uuid, id, instance_uuid, source_compute, source_node,
                 old_instance_type_id, new_instance_type_id, migration_type):
        self.uuid = uuid
        self.id = id
        self.instance_uuid = instance_uuid
        self.source_compute = source_compute
        self.source_node = source_node
        self.dest_compute = None
        self.dest_node = None
        self.dest_host = None
        self.old_instance_type_id = old_instance_type_id
        self.new_instance_type_id = new_instance_type_id
        self.status = "pre-migrating"
        self.migration_type = migration_type
        self.deleted = False
        self.updated_at = 0.0       # virtual time of the last save

    @property
    def in_progress(self):
        """True when the RT periodic's in-progress-and-error query returns it."""
        return not self.deleted and self.status not in MIGRATION_DONE_STATUSES

    def __repr__(self):
        return "<Migration %s %s %s->%s %s>" % (
            self.id, self.migration_type, self.source_compute, self.dest_compute, self.status)


class ComputeNode:
    """A compute node row; its uuid is the uuid of its resource provider."""

    __slots__ = ("uuid", "host", "hypervisor_hostname", "vcpus", "memory_mb", "local_gb",
                 "vcpus_used", "memory_mb_used", "local_gb_used")

    def __init__(self, uuid, host, vcpus, memory_mb, local_gb):
        self.uuid = uuid
        self.host = host
        self.hypervisor_hostname = host
        self.vcpus = vcpus
        self.memory_mb = memory_mb
        self.local_gb = local_gb
        self.vcpus_used = 0
        self.memory_mb_used = 0
        self.local_gb_used = 0


class Service:
    """A nova-compute service row: ``up`` is what the servicegroup API reports."""

    __slots__ = ("host", "binary", "forced_down", "running", "disabled")

    def __init__(self, host):
        self.host = host
        self.binary = "nova-compute"
        self.forced_down = False
        self.running = True
        self.disabled = False

    @property
    def up(self):
        return self.running and not self.forced_down
