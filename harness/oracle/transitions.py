"""Nova's legal state transitions as networkx graphs, and coverage of their edges.

Two graphs, built from the flow tables of reference/nova-resize-flow.md (§0, §1.5, §3, §3.10,
§3.11):

- ``instance_graph()``: nodes are ``"vm_state/task_state"`` strings (``"active/resize_prep"``,
  ``"resized/None"``); the pseudo node ``"new"`` is before the first save.
- ``migration_graph()``: nodes are migration statuses; ``"new"`` is before creation.

Each edge carries ``why``: the Nova step that makes it.  ``TransitionChecker`` reads
``cloud.transitions`` (a list of observed transitions, see ``observed``) and answers the illegal
ones; it also counts covered edges for the coverage report.

An observed transition is an object with ``kind`` ("instance" or "migration"), ``uuid``,
``name``, ``before`` and ``after`` (``harness.nova.database.Transition``; ``old``/``new`` are
accepted too): for an instance ``before``/``after`` are ``(vm_state, task_state)`` pairs (or
"vm/task" strings), for a migration status strings; ``before`` is None on creation.  A plain
tuple is read as ``(kind, uuid, before, after, name)``.
"""

import networkx as nx

NEW = 'new'
MOVE_VM_STATES = ('active', 'stopped')
BUILD_TASKS = ('scheduling', 'block_device_mapping', 'networking', 'spawning', 'None')


def state_key(vm_state, task_state):
    return '%s/%s' % (vm_state, task_state)


def _add(graph, old, new, why):
    if graph.has_edge(old, new):
        return
    graph.add_edge(old, new, why=why)


def instance_graph():
    """Legal (vm_state, task_state) changes of an instance during boot, moves and delete."""
    g = nx.DiGraph(name='instance')
    build = [state_key('building', t) for t in BUILD_TASKS]
    for node in build:
        _add(g, NEW, node, 'API create')
        _add(g, node, 'active/None', 'build finished')
        _add(g, node, 'error/None', 'build failed')
        for other in build:
            if other != node:
                _add(g, node, other, 'build progress or reschedule')
    for v in MOVE_VM_STATES:
        _resize_edges(g, v)
    _add(g, 'active/None', 'active/powering-off', 'API stop')
    _add(g, 'active/powering-off', 'stopped/None', 'stop done')
    _add(g, 'stopped/None', 'stopped/powering-on', 'API start')
    _add(g, 'stopped/powering-on', 'active/None', 'start done')
    _revert_and_confirm_edges(g)
    _delete_edges(g)
    return g


def _resize_edges(g, v):
    """API resize .. finish_resize for vm_state ``v`` (active or stopped), with failures."""
    none, prep = state_key(v, None), state_key(v, 'resize_prep')
    mig, migd, fin = (state_key(v, 'resize_migrating'), state_key(v, 'resize_migrated'),
                      state_key(v, 'resize_finish'))
    _add(g, none, prep, 'API resize/migrate (§3.1)')
    _add(g, prep, none, 'conductor failure, NoValidHost, InstanceFaultRollback or init_host '
                        'reset (§3.2, §3.3, §3.11)')
    _add(g, none, 'error/None', 'prep_resize failed and its reschedule failed in conductor: '
                                '_cold_migrate reset the task first, then '
                                '_error_out_instance_on_exception set ERROR (§3.3)')
    _add(g, prep, mig, 'source resize_instance starts (§3.4)')
    _add(g, mig, migd, 'after migrate_disk_and_power_off (§3.4)')
    _add(g, mig, none, 'init_host after a crash in migrate_disk_and_power_off (bug 1836369)')
    _add(g, migd, fin, 'dest _finish_resize (§1.4)')
    _add(g, fin, 'resized/None', 'finish_resize done (§1.4)')
    for busy in (prep, mig, migd, fin):
        # _error_out_instance_on_exception sets ERROR, @reverts_task_state then clears the task
        # (two saves, §1.5); a model may do both in one save.
        task = busy.split('/', 1)[1]
        _add(g, busy, state_key('error', task), 'failure: _error_out_instance_on_exception')
        _add(g, busy, 'error/None', 'failure: error state and task reverted')
        _add(g, state_key('error', task), 'error/None', '@reverts_task_state')


def _revert_and_confirm_edges(g):
    _add(g, 'resized/None', 'resized/resize_reverting', 'API revertResize (§3.8)')
    _add(g, 'resized/resize_reverting', 'active/None', 'finish_revert_resize done (§3.8)')
    _add(g, 'resized/resize_reverting', 'active/powering-off',
         'finish_revert_resize of a stopped instance (§3.8 step 5)')
    _add(g, 'resized/resize_reverting', 'stopped/None', 'revert of a stopped instance')
    _add(g, 'resized/resize_reverting', 'resized/None', '@reverts_task_state on a revert error')
    _add(g, 'resized/resize_reverting', 'error/resize_reverting', 'revert failure')
    _add(g, 'resized/resize_reverting', 'error/None', 'revert failure (§3.8)')
    _add(g, 'error/resize_reverting', 'error/None', '@reverts_task_state')
    _add(g, 'resized/None', 'active/None', 'confirm done (§3.7)')
    _add(g, 'resized/None', 'stopped/None', 'confirm of a stopped instance (§3.7)')
    _add(g, 'resized/None', 'error/None', 'confirm failure (§3.7)')


def _delete_edges(g):
    """Delete is allowed in any state (§3.10); racing flows may still error the instance."""
    for node in list(g.nodes):
        if node == NEW or node.startswith('deleted/'):
            continue
        vm = node.split('/', 1)[0]
        deleting = state_key(vm, 'deleting')
        _add(g, node, deleting, 'API delete (§3.10)')
        _add(g, node, 'deleted/None', 'delete (local delete or racing completion)')
        _add(g, deleting, 'deleted/None', '_complete_deletion')
        _add(g, deleting, 'error/deleting', 'delete failed or a racing flow failed')
        _add(g, deleting, 'error/None', 'a racing flow failed during delete')
    _add(g, 'error/deleting', 'deleted/None', '_complete_deletion')
    _add(g, 'deleted/None', 'error/None',
         "a racing flow's ERROR save lands after _delete_instance saved vm_state=deleted and "
         "before instance.destroy() (_complete_deletion calls Placement in between)")
    _add(g, 'deleted/None', 'deleted/resize_prep',
         "an API resize/migrate whose save(expected_task_state=[None]) lands after "
         "_delete_instance saved vm_state=deleted, task_state=None and before "
         "instance.destroy(): Instance.save checks the task_state only (compute/api.py "
         "resize) [INF]; the row is destroyed right after")
    for vm in MOVE_VM_STATES:
        for task in ('resize_migrating', 'resize_migrated', 'resize_finish'):
            _add(g, state_key(vm, 'deleting'), state_key('error', task),
                 'a move step racing the delete: its save(expected_task_state) failed, leaving '
                 'its task_state pending on the object, and the ERROR save writes it '
                 '(_set_instance_obj_error_state; @reverts_task_state keeps it)')
        _add(g, 'resized/deleting', state_key(vm, None),
             "confirm-on-delete: _confirm_resize saves with expected_task_state "
             "[None, 'deleting'] (§3.10)")


MIGRATION_EDGES = (
    (NEW, 'pre-migrating', 'conductor _preallocate_migration (§3.2)'),
    ('pre-migrating', 'migrating', 'source resize_instance (§3.4)'),
    ('pre-migrating', 'error', 'conductor rollback or prep_resize failure (§3.2, §3.3)'),
    ('migrating', 'post-migrating', 'after migrate_disk_and_power_off (§3.4)'),
    ('migrating', 'error', 'resize_instance failure (§3.4)'),
    ('post-migrating', 'finished', 'finish_resize done (§1.4)'),
    ('post-migrating', 'error', 'finish_resize failure (§1.5)'),
    ('finished', 'confirming', 'API confirmResize or confirm-on-delete (§3.7, §3.10)'),
    ('finished', 'reverting', 'API revertResize (§3.8)'),
    ('finished', 'confirmed', 'confirm without the confirming step'),
    ('finished', 'error', 'a failed move step after finish'),
    ('confirming', 'confirmed', 'drop_move_claim_at_source (§3.7)'),
    ('confirming', 'error', 'confirm failure (§3.7)'),
    ('confirmed', 'error', 'deleting the migration allocation failed (§3.7, §6.3)'),
    ('confirmed', 'confirming', "lost update: the confirmResize API read 'finished', a delete's "
                                "confirm-on-delete confirmed it, then the API saved 'confirming' "
                                "(Migration.save has no expected-status check)"),
    ('reverting', 'reverted', 'drop_move_claim_at_dest (§3.8)'),
    ('reverting', 'error', 'revert failure on the dest (§3.8)'),
    ('reverted', 'error', 'finish_revert_resize failure on the source (§3.8, §6.3)'),
    # live migration (kept for completeness; not driven by the resize scenarios)
    (NEW, 'accepted', 'live migration accepted'),
    ('accepted', 'preparing', 'pre_live_migration'),
    ('accepted', 'error', 'live migration pre-check failed'),
    ('accepted', 'failed', 'live migration pre-check failed'),
    ('preparing', 'running', 'live migration running'),
    ('preparing', 'error', 'live migration failed'),
    ('preparing', 'failed', 'live migration failed'),
    ('running', 'completed', 'live migration done'),
    ('running', 'cancelled', 'live migration aborted'),
    ('running', 'error', 'live migration failed'),
    ('running', 'failed', 'live migration failed'),
    ('completed', 'error', 'post live migration cleanup failed'),
)


def migration_graph():
    """Legal status changes of a migration record."""
    g = nx.DiGraph(name='migration')
    for old, new, why in MIGRATION_EDGES:
        _add(g, old, new, why)
    return g


_GRAPHS = {}


def graphs():
    """The two graphs, built once per process (they are read-only)."""
    if not _GRAPHS:
        _GRAPHS['instance'] = instance_graph()
        _GRAPHS['migration'] = migration_graph()
    return _GRAPHS


class Observed:
    """One observed transition, normalised."""

    def __init__(self, kind, uuid, old, new, name=None, label=None):
        self.kind = kind
        self.uuid = uuid
        self.old = old
        self.new = new
        self.name = name
        self.label = label

    def edge(self):
        return (self.old, self.new)


def observed(item):
    """Normalise one entry of ``cloud.transitions``."""
    if isinstance(item, Observed):
        return item
    if hasattr(item, 'kind'):
        kind, uuid = item.kind, getattr(item, 'uuid', None)
        old = getattr(item, 'before', getattr(item, 'old', None))
        new = getattr(item, 'after', getattr(item, 'new', None))
        name = getattr(item, 'name', None)
        label = getattr(item, 'label', None)
    else:
        kind, uuid, old, new = item[:4]
        name, label = (item[4] if len(item) > 4 else None), None
    if kind == 'instance':
        old, new = _instance_node(old), _instance_node(new)
    else:
        old = NEW if old is None else str(old)
        new = str(new)
    return Observed(kind, uuid, old, new, name=name, label=label)


def _instance_node(value):
    if value is None:
        return NEW
    if isinstance(value, str):
        return value
    vm_state, task_state = value[0], value[1]
    return state_key(vm_state, task_state)


class TransitionChecker:
    """Checks observed transitions against the graphs and records edge coverage."""

    def __init__(self):
        self.graphs = graphs()
        self.covered = {kind: set() for kind in self.graphs}
        self.illegal = []
        self._seen = 0

    def feed(self, transitions):
        """Check the transitions not seen yet; returns the illegal ones (Observed)."""
        bad = []
        items = transitions or ()
        if not isinstance(items, (list, tuple)):
            items = list(items)
        if len(items) == self._seen:
            return bad      # nothing new (the common case: checked after every step)
        for item in items[self._seen:]:
            obs = observed(item)
            graph = self.graphs.get(obs.kind)
            if graph is None or obs.old == obs.new:
                continue
            if graph.has_edge(obs.old, obs.new):
                self.covered[obs.kind].add(obs.edge())
            else:
                bad.append(obs)
        self._seen = len(items)
        self.illegal.extend(bad)
        return bad

    def coverage(self):
        """kind -> {'covered': n, 'total': n, 'missing': [edges not seen]}."""
        out = {}
        for kind, graph in sorted(self.graphs.items()):
            edges = sorted(graph.edges)
            covered = self.covered[kind]
            out[kind] = {'covered': len(covered), 'total': len(edges),
                         'missing': [e for e in edges if e not in covered]}
        return out


def explain_illegal(obs):
    """Words for an illegal transition, with the legal successors of the old state."""
    graph = graphs().get(obs.kind)
    if graph is None or obs.old not in graph:
        legal = []
    else:
        legal = sorted(graph.successors(obs.old))
    what = 'instance %s' % (obs.name or obs.uuid) if obs.kind == 'instance' else (
        'migration %s' % obs.uuid)
    return '%s went %s -> %s, which Nova never does; legal next states: %s' % (
        what, obs.old, obs.new, ', '.join(legal) or 'none (unknown state)')
