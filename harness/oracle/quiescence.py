"""Checks at quiescence: no allocation leaks, and allocations follow the instance.

The runner calls ``check(cloud)`` after the steps and a liveness phase (faults off, periodic
tasks run, pending messages delivered).  Two rules (DESIGN §7, reference §0 and §8.1):

1. No leaks: every consumer that holds resources is a live instance, or the migration of a live
   instance that is still moving (vm_state ``resized`` or a ``resize_*`` task state) and whose
   migration has not ended.  Anything else (a deleted server's allocation, a migration that
   ended or broke, an unknown consumer) is a leak.
2. Allocations follow the instance: what the instance (and its moving migration) hold is what
   its state implies:

   - not moving, no failed move: ``I: host=flavor``;
   - VERIFY_RESIZE: ``I: D=new``, ``M: S=old``;
   - after a failed move (migration ``error``): ``I: D=new`` if the instance ended on the dest
     (finish_resize or confirm failure), ``I: S=old`` if it stayed on the source (conductor,
     prep_resize or resize_instance failure); on one host, ``new`` when the migration had
     reached ``post-migrating`` (the finish step), ``old`` otherwise (reference §3.9);
   - still in a resize step (a stalled run): one of the states of the §0 table for that step.

A migration status counts as ended when it is one of ``ENDED``, except ``reverted`` while the
server is still ``resize_reverting`` (the dest sets it before the source swaps, §3.8).
"""

from harness.oracle import findings as fnd
from harness.oracle import invariants
from harness.oracle import snapshot
from harness.oracle import transitions

ENDED = ('confirmed', 'reverted', 'error', 'failed', 'completed', 'cancelled', 'done')
RESIZE_TASKS = ('resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish',
                'resize_reverting')
FINISH_REACHED = ('post-migrating', 'finished', 'confirming', 'confirmed', 'reverting',
                  'reverted')


def check(cloud, step=None):
    """All quiescence findings for ``cloud`` (deduplicated, in a stable order)."""
    return Quiescence(cloud).check(step)


class Quiescence:

    def __init__(self, cloud, placement=None, world=None, history=None):
        self.cloud = cloud
        self.placement = placement if placement is not None else cloud.placement
        self.world = world or snapshot.World(cloud)
        self.state = snapshot.PlacementState.read(self.placement)
        self.history = history if history is not None else _history(cloud)

    def check(self, step=None):
        found = self._leaks(step) + self._follow(step)
        failed = self._failure_path()
        out, seen = [], set()
        for finding in found:
            if finding.key() in seen:
                continue
            seen.add(finding.key())
            if failed or finding.details.get('failure_state'):
                finding.mark_failure_path()
            out.append(finding)
        return out

    # --- rule 1: leaks -------------------------------------------------------------------

    def _leaks(self, step):
        out = []
        for consumer in sorted(self.state.consumers):
            reason, role = self._why_leaked(consumer)
            if reason is None:
                continue
            for rp, resources in sorted(self.state.consumers[consumer].allocations.items()):
                out.append(self._leak_finding(consumer, rp, resources, reason, role, step))
        return out

    def _why_leaked(self, consumer):
        """(reason text, role) when ``consumer`` should hold nothing; (None, role) if fine."""
        world = self.world
        inst = world.instances.get(consumer)
        if inst is not None:
            if _deleted(inst):
                return 'after the server was deleted', 'instance'
            return None, 'instance'
        mig = world.migration_by_uuid.get(consumer)
        if mig is None:
            return 'although it is neither a server nor a migration', 'unknown'
        owner = world.instances.get(mig.instance_uuid)
        if owner is None or _deleted(owner):
            return 'after the server was deleted', 'migration'
        if mig.status in ENDED and not _reverting(owner, mig):
            return ('after the move ended (migration %s, server %s)' % (
                mig.status, _status(owner))), 'migration'
        if mig is not world.latest_migration(mig.instance_uuid):
            return 'although a newer migration of the server exists', 'migration'
        if not _moving(owner):
            return ('while the migration is stuck in %r and the server is %s, no longer '
                    'moving' % (mig.status, _status(owner))), 'migration'
        return None, 'migration'

    def _leak_finding(self, consumer, rp, resources, reason, role, step):
        world = self.world
        host = world.host_name(rp)
        flavor = world.flavor_matching(resources)
        message = 'allocation leak: consumer %s (%s) holds %s on %s%s %s' % (
            consumer, world.describe_consumer(consumer), fnd.format_resources(resources), host,
            ' (%s)' % flavor if flavor else '', reason)
        details = {'role': role, 'host': host, 'flavor': flavor}
        mig = world.migration_by_uuid.get(consumer)
        if mig is not None and mig.status == 'error':
            details['failure_state'] = True
        return fnd.Finding(fnd.ALLOCATION_LEAK, message, consumer=consumer, provider=rp,
                           expected={}, actual=dict(resources),
                           step=self._since(consumer, step), cwe=fnd.CWE_LEAK, details=details)

    # --- rule 2: allocations follow the instance -----------------------------------------

    def _follow(self, step):
        out = []
        for uuid in sorted(self.world.instances):
            inst = self.world.instances[uuid]
            if _deleted(inst):
                continue
            out += self._follow_one(inst, step)
        return out

    def _follow_one(self, inst, step):
        world = self.world
        mig = world.latest_migration(inst.uuid)
        options, checks_migration = self._expected(inst, mig)
        actual = {inst.uuid: self.state.allocations_of(inst.uuid)}
        if checks_migration:
            actual[mig.uuid] = self.state.allocations_of(mig.uuid)
        for option in options:
            if _same(option, actual):
                return []
        best = options[0]
        failure = inst.vm_state == 'error' or (mig is not None and mig.status == 'error')
        message = 'allocations do not follow the instance: %s (%s on %s%s) should hold %s ' \
                  'but holds %s' % (
                      world.name_of[inst.uuid], _status(inst), inst.host or 'no host',
                      ', migration %s' % mig.status if mig is not None else '',
                      self._words(best), self._words(actual))
        consumer = self._worst_consumer(best, actual, inst.uuid)
        provider = _first_provider(best.get(consumer)) or _first_provider(actual.get(consumer))
        return [fnd.Finding(
            fnd.ALLOCATION_FOLLOWS_INSTANCE, message, consumer=consumer, provider=provider,
            expected=self._plain(best), actual=self._plain(actual),
            step=self._since(consumer, step), cwe=fnd.CWE_LEAK,
            details={'role': 'instance' if consumer == inst.uuid else 'migration',
                     'failure_state': failure, 'server': world.name_of[inst.uuid]})]

    def _expected(self, inst, mig):
        """([option, ...], whether the migration consumer is part of the picture).

        An option maps consumer uuid -> {rp: resources}.
        """
        world = self.world
        here = world.rp_of_host.get(inst.host)
        flavor = snapshot.flavor_resources(getattr(inst, 'flavor', None))
        plain = [{inst.uuid: {here: flavor} if here and flavor else {}}]
        if mig is None:
            return plain, False
        old, new = self._flavors(inst, mig)
        src = world.rp_of_host.get(mig.source_compute)
        dst = world.rp_of_host.get(mig.dest_compute)
        i_uuid, m_uuid = inst.uuid, mig.uuid
        if _moving(inst) and (mig.status not in ENDED or _reverting(inst, mig)):
            return self._moving_options(inst, i_uuid, m_uuid, src, dst, old, new), True
        if mig.status != 'error':
            return plain, False
        if src != dst:
            if inst.host == mig.source_compute:
                return [{i_uuid: _on(src, old)}], False
            if inst.host == mig.dest_compute:
                return [{i_uuid: _on(dst, new)}], False
            return plain, False
        reached = self.history.get(m_uuid, set())
        if reached & set(FINISH_REACHED):
            return [{i_uuid: _on(dst, new)}], False
        return [{i_uuid: _on(src, old)}], False

    def _moving_options(self, inst, i_uuid, m_uuid, src, dst, old, new):
        """The allocation states of reference §0 for the resize step the instance is in."""
        task = inst.task_state
        swapped = {i_uuid: _on(dst, new), m_uuid: _on(src, old)}
        if inst.vm_state == 'resized' and task is None:
            return [swapped]
        if task == 'resize_prep':
            return [{i_uuid: _on(src, old), m_uuid: {}}, {i_uuid: {}, m_uuid: _on(src, old)},
                    swapped]
        if task == 'resize_reverting':
            return [swapped, {i_uuid: _on(src, old), m_uuid: {}}]
        return [swapped]

    def _flavors(self, inst, mig):
        world = self.world
        old = (getattr(inst, 'old_flavor', None)
               or world.flavor_by_id(getattr(mig, 'old_instance_type_id', None))
               or getattr(inst, 'flavor', None))
        new = (getattr(inst, 'new_flavor', None)
               or world.flavor_by_id(getattr(mig, 'new_instance_type_id', None))
               or getattr(inst, 'flavor', None))
        return snapshot.flavor_resources(old), snapshot.flavor_resources(new)

    # --- helpers -------------------------------------------------------------------------

    def _words(self, option):
        parts = []
        for consumer in sorted(option, key=lambda c: (c not in self.world.instances, c)):
            who = 'the instance' if consumer in self.world.instances else 'its migration %s' % (
                consumer)
            allocs = option[consumer]
            if not allocs:
                parts.append('%s: nothing' % who)
                continue
            held = ', '.join('%s on %s%s' % (
                fnd.format_resources(res), self.world.host_name(rp),
                _paren(self.world.flavor_matching(res))) for rp, res in sorted(allocs.items()))
            parts.append('%s: %s' % (who, held))
        return '; '.join(parts)

    def _plain(self, option):
        return {self.world.describe_consumer(c): {self.world.host_name(rp): dict(res)
                                                  for rp, res in sorted(a.items())}
                for c, a in sorted(option.items())}

    def _worst_consumer(self, best, actual, default):
        for consumer in sorted(best):
            if best.get(consumer, {}) != actual.get(consumer, {}):
                return consumer
        return default

    def _since(self, consumer, step):
        checker = invariants._CHECKERS.get(self.cloud) if _weakrefable(self.cloud) else None
        if checker is not None and consumer in checker.since:
            return checker.since[consumer]
        return step

    def _failure_path(self):
        faults = getattr(self.cloud, 'faults', None)
        fired = getattr(faults, 'fired', None) or []
        return bool(fired)


def _history(cloud):
    """migration uuid -> set of statuses it ever had (from ``cloud.transitions``)."""
    reached = {}
    for item in getattr(cloud, 'transitions', ()) or ():
        obs = transitions.observed(item)
        if obs.kind == 'migration':
            reached.setdefault(obs.uuid, set()).add(obs.new)
    for mig in getattr(cloud, 'migrations', ()) or ():
        reached.setdefault(mig.uuid, set()).add(mig.status)
    return reached


def _weakrefable(obj):
    try:
        invariants._CHECKERS.get(obj)
        return True
    except TypeError:
        return False


def _on(rp, resources):
    return {rp: resources} if rp and resources else {}


def _same(option, actual):
    for consumer in set(option) | set(actual):
        if option.get(consumer, {}) != actual.get(consumer, {}):
            return False
    return True


def _first_provider(allocs):
    return sorted(allocs)[0] if allocs else None


def _paren(text):
    return ' (%s)' % text if text else ''


def _deleted(inst):
    return bool(getattr(inst, 'deleted', False)) or getattr(inst, 'vm_state', None) == 'deleted'


def _moving(inst):
    return inst.vm_state == 'resized' or getattr(inst, 'task_state', None) in RESIZE_TASKS


def _reverting(inst, mig):
    """The dest already marked the migration 'reverted' (§3.8) but the source has not swapped
    the allocations back yet: the move is still going on."""
    return mig.status == 'reverted' and getattr(inst, 'task_state', None) == 'resize_reverting'


def _status(inst):
    return '%s/%s' % (inst.vm_state, getattr(inst, 'task_state', None))
