"""The cell database of the simulated Nova: every save is a scheduling point with a footprint.

Services never assign record fields directly: they call ``save_instance`` / ``save_migration``
(generators), which yield a ``sim.Point`` declaring the row they write and then apply the
changes atomically, with Nova's ``expected_task_state`` check and ``InstanceNotFound`` for a
destroyed instance. Every change of vm_state/task_state or migration status is appended to
``transitions`` (for the oracle's legal-transition graph), and ``changed`` is re-armed so that
a waiter can block until a condition holds.
"""

import collections

from harness import sim
from harness.nova import exceptions as exc
from harness.nova.records import Instance, InstanceFault, Migration, TaskState

Transition = collections.namedtuple(
    "Transition", "kind uuid name before after time label")
Transition.__doc__ = """One observed state change.

kind: "instance" (before/after are (vm_state, task_state)) or "migration" (status strings);
before is None for a new row. label: the scheduling point of the save.
"""

_UNSET = object()
MAX_TRANSITIONS = 100_000


def instance_key(uuid):
    return "db:instance:" + uuid


def migration_key(uuid):
    return "db:migration:" + uuid


class Database:
    """Instances and migrations of one cell, with uuids made from counters (deterministic)."""

    def __init__(self, scheduler):
        self.sim = scheduler
        self.instances = {}          # uuid -> Instance (deleted ones stay, deleted=True)
        self.migrations = []         # creation order
        self.transitions = []
        self.changed = scheduler.event("db.changed", tracked=False)
        self._counters = collections.Counter()
        self._dirty = {}             # (task id, instance uuid) -> changes of a failed save

    # -- identifiers -------------------------------------------------------------------------

    def new_uuid(self, kind):
        """A readable, deterministic uuid: the kind's prefix and a sequence number."""
        prefixes = {"instance": "11111111", "migration": "22222222", "provider": "33333333",
                    "request": "44444444"}
        self._counters[kind] += 1
        return "%s-0000-4000-8000-%012d" % (prefixes[kind], self._counters[kind])

    # -- instances ---------------------------------------------------------------------------

    def create_instance(self, name, flavor, project_id, user_id, name_key=None):
        """Create a BUILDING instance (the API's instance.create()): a generator.

        ``name_key``: a footprint key for the server name (the caller maps names to servers).
        """
        keys = ("db:counter:instance",) + ((name_key,) if name_key else ())
        yield sim.Point("db.instance.create " + name, writes=keys)
        inst = Instance(self.new_uuid("instance"), name, flavor, project_id, user_id)
        self.instances[inst.uuid] = inst
        self._note_instance(inst, None, "db.instance.create " + name)
        return inst

    def save_instance(self, inst, expected_task_state=_UNSET, sysmeta=None, **changes):
        """Save ``changes`` to the instance row at a scheduling point (Instance.save()).

        ``expected_task_state``: a state or a list of states the row must be in, else
        UnexpectedTaskStateError (UnexpectedDeletingTaskStateError when it is 'deleting').
        ``sysmeta``: system_metadata updates; a None value removes the key.
        """
        label = "db.instance.save " + inst.display_name
        yield sim.Point(label, writes=(instance_key(inst.uuid),))
        self.apply_instance(inst, label, expected_task_state, sysmeta, changes)

    def apply_instance(self, inst, label, expected_task_state=_UNSET, sysmeta=None, changes=()):
        """Apply a save without a scheduling point (the caller has just yielded one).

        As with Nova's objects, the changes of a save that failed stay dirty in the caller's copy
        of the instance: the next save of the same task writes them too.
        """
        task = self.sim.current
        key = (task.id if task is not None else None, inst.uuid)
        pending = self._dirty.pop(key, None)
        changes = dict(changes)
        sysmeta = dict(sysmeta or {})
        if pending is not None:
            changes = dict(pending[0], **changes)
            sysmeta = dict(pending[1], **sysmeta)
        try:
            self._check_save(inst, expected_task_state)
        except exc.NovaException:
            self._dirty[key] = (changes, sysmeta)
            raise
        before = (inst.vm_state, inst.task_state)
        for field, value in changes.items():
            setattr(inst, field, value)
        for key, value in sysmeta.items():
            if value is None:
                inst.system_metadata.pop(key, None)
            else:
                inst.system_metadata[key] = value
        self._note_instance(inst, before, label)

    @staticmethod
    def _check_save(inst, expected_task_state):
        if inst.deleted:
            raise exc.InstanceNotFound(instance_id=inst.uuid)
        if expected_task_state is _UNSET:
            return
        expected = (list(expected_task_state) if isinstance(expected_task_state, (list, tuple))
                    else [expected_task_state])
        if inst.task_state not in expected:
            cls = (exc.UnexpectedDeletingTaskStateError if inst.task_state == TaskState.DELETING
                   else exc.UnexpectedTaskStateError)
            raise cls(expected=expected, actual=inst.task_state, instance_uuid=inst.uuid)

    def destroy_instance(self, inst):
        """Instance.destroy(): soft-delete the row and its migrations; a generator."""
        label = "db.instance.destroy " + inst.display_name
        keys = (instance_key(inst.uuid),) + tuple(
            migration_key(m.uuid) for m in self.migrations_of(inst.uuid))
        yield sim.Point(label, writes=keys)
        if inst.deleted:
            raise exc.InstanceNotFound(instance_id=inst.uuid)
        before = (inst.vm_state, inst.task_state)
        inst.deleted = True
        for mig in self.migrations_of(inst.uuid):
            mig.deleted = True
        self._note_instance(inst, before, label, force=True)

    def add_fault(self, inst, error, host=None):
        """Record an instance fault from an exception (add_instance_fault_from_exc)."""
        yield sim.Point("db.instance_fault.create " + inst.display_name,
                        writes=(instance_key(inst.uuid),))
        inst.faults.append(InstanceFault(message=exc.fault_message(error),
                                         code=exc.fault_code(error),
                                         details=type(error).__name__, host=host))
        self._fire()

    def refresh(self, inst):
        """Instance.refresh() / get_by_uuid: a read point; InstanceNotFound when destroyed."""
        yield sim.Point("db.instance.get " + inst.display_name,
                        reads=(instance_key(inst.uuid),))
        if inst.deleted:
            raise exc.InstanceNotFound(instance_id=inst.uuid)
        return inst

    def instances_on_host(self, host):
        """Live instances whose ``host`` is ``host``, in creation order."""
        return [i for i in self.instances.values() if i.host == host and not i.deleted]

    # -- migrations --------------------------------------------------------------------------

    def migrations_of(self, instance_uuid):
        return [m for m in self.migrations if m.instance_uuid == instance_uuid]

    def migration_keys(self, instance_uuid):
        return ("db:migrations:" + instance_uuid,) + tuple(
            migration_key(m.uuid) for m in self.migrations_of(instance_uuid))

    def create_migration(self, inst, new_flavor, migration_type):
        """Migration.create() in status 'pre-migrating'; a generator returning the row."""
        label = "db.migration.create " + inst.display_name
        yield sim.Point(label, reads=(instance_key(inst.uuid),),
                        writes=("db:migrations:" + inst.uuid, "db:counter:migration"))
        uuid = self.new_uuid("migration")
        mig = Migration(uuid, len(self.migrations) + 1, inst.uuid, inst.host, inst.node,
                        inst.flavor.id, new_flavor.id, migration_type)
        mig.updated_at = self.sim.now
        self.migrations.append(mig)
        self._note_migration(mig, None, label)
        return mig

    def find_migration(self, instance_uuid, statuses, migration_type=None):
        """The newest non-deleted migration of the instance in one of ``statuses`` (a read)."""
        yield sim.Point("db.migration.get_by_instance_and_status",
                        reads=(instance_key(instance_uuid),) + self.migration_keys(instance_uuid))
        for status in statuses:
            for mig in reversed(self.migrations):
                if (mig.instance_uuid == instance_uuid and mig.status == status
                        and not mig.deleted
                        and (migration_type is None or mig.migration_type == migration_type)):
                    return mig
        return None

    def save_migration(self, mig, **changes):
        """Migration.save(): saves even a soft-deleted row, as Nova's migration_update does."""
        label = "db.migration.save %s" % mig.uuid
        # The code after a migration save goes on reading its instance: declare that row too.
        yield sim.Point(label, reads=(instance_key(mig.instance_uuid),),
                        writes=(migration_key(mig.uuid),))
        self.apply_migration(mig, label, changes)

    def apply_migration(self, mig, label, changes):
        before = mig.status
        for field, value in dict(changes).items():
            setattr(mig, field, value)
        mig.updated_at = self.sim.now
        self._note_migration(mig, before, label)

    def in_progress_migrations(self, host, node):
        """MigrationList.get_in_progress_and_error(host, node) (a plain read)."""
        return [m for m in self.migrations if m.in_progress and (
            (m.source_compute == host and m.source_node == node)
            or (m.dest_compute == host and m.dest_node == node))]

    # -- observation -------------------------------------------------------------------------

    def _note_instance(self, inst, before, label, force=False):
        after = (inst.vm_state, inst.task_state)
        if force or before != after:
            self._record("instance", inst.uuid, inst.display_name, before, after, label)
        self._fire()

    def _note_migration(self, mig, before, label):
        if before != mig.status:
            inst = self.instances.get(mig.instance_uuid)
            name = inst.display_name if inst else mig.instance_uuid
            self._record("migration", mig.uuid, name, before, mig.status, label)
        self._fire()

    def _record(self, kind, uuid, name, before, after, label):
        if len(self.transitions) >= MAX_TRANSITIONS:
            raise RuntimeError("more than %d state transitions: the run does not converge; "
                               "lower the scenario's step limit" % MAX_TRANSITIONS)
        self.transitions.append(Transition(kind, uuid, name, before, after, self.sim.now, label))

    def _fire(self):
        event, self.changed = self.changed, self.sim.event("db.changed", tracked=False)
        event.set(None)
