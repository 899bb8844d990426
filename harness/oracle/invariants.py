"""Invariants checked after every step of a run.

- Placement is self-consistent: each provider's usage equals the sum of the allocations
  against it; no allocation names a provider that does not exist; provider and consumer
  generations only grow; no provider is over capacity unless its inventory shrank since the
  allocations were made.
- Every observed state transition of an instance or a migration is legal
  (``harness.oracle.transitions``).

When Placement exposes ``revision`` (a counter of its writes), a step that wrote nothing to
Placement only has its transitions checked.  ``Invariants(cloud)`` keeps what it needs between
steps (generations, capacities, when each
consumer's allocation last changed) and reports each broken rule once, at the first step where it
broke.  ``check_step(cloud, step=None)`` is the contract's entry point; it keeps one checker per
cloud.
"""

import weakref

from harness.oracle import findings as fnd
from harness.oracle import snapshot
from harness.oracle import transitions

_CHECKERS = weakref.WeakKeyDictionary()


def check_step(cloud, step=None, placement_changed=True):
    """New findings after one step of ``cloud`` (the checker is kept per cloud).

    ``placement_changed=False`` (the step's footprint wrote no ``placement:`` key) checks only
    the state transitions.
    """
    checker = checker_for(cloud)
    return checker.check(step, placement_changed=placement_changed)


def step_writes_placement(step):
    """True when a sim step may have written Placement (opaque or a ``placement:`` write)."""
    if getattr(step, 'opaque', True):
        return True
    for key in getattr(step, 'writes', ()):
        if key.startswith('placement:'):
            return True
    return False


def checker_for(cloud):
    """The Invariants object that follows ``cloud`` (created on first use)."""
    try:
        checker = _CHECKERS.get(cloud)
    except TypeError:
        checker = getattr(cloud, '_oracle_invariants', None)
    if checker is None:
        try:
            checker = Invariants(cloud, weak=True)
            _CHECKERS[cloud] = checker
        except TypeError:
            checker = Invariants(cloud)
            cloud._oracle_invariants = checker
    return checker


class Invariants:
    """Per-run invariant state."""

    def __init__(self, cloud, placement=None, weak=False):
        # weak: the checker kept in _CHECKERS must not keep its cloud (the key) alive, else
        # every cloud of an exploration stays in memory.
        self._cloud_ref = weakref.ref(cloud) if weak else None
        self._cloud = None if weak else cloud
        self.placement = placement if placement is not None else getattr(cloud, 'placement')
        self.steps = 0
        self.findings = []
        self._reported = set()
        self._provider_gen = {}
        self._consumer_gen = {}
        self._max_capacity = {}
        self._alloc = {}
        self.since = {}
        """consumer uuid -> step at which its current allocation appeared."""
        self.transitions = transitions.TransitionChecker()
        self._revision = None

    @property
    def cloud(self):
        return self._cloud_ref() if self._cloud_ref is not None else self._cloud

    def check(self, step=None, placement_changed=True):
        """Check everything once; returns the findings first seen now."""
        self.steps += 1
        step = self.steps if step is None else step
        revision = getattr(self.placement, 'revision', None)
        if not placement_changed or (revision is not None and revision == self._revision):
            return self._keep(self._transitions(step))
        self._revision = revision
        state = snapshot.PlacementState.read(self.placement)
        new = []
        new += self._usages(state, step)
        new += self._unknown_providers(state, step)
        new += self._generations(state, step)
        new += self._capacity(state, step)
        new += self._transitions(step)
        self._track_allocations(state, step)
        return self._keep(new)

    def check_state(self, state, step=None):
        """The Placement-only invariants on a given PlacementState (for tests and reports)."""
        self.steps += 1
        step = self.steps if step is None else step
        new = (self._usages(state, step) + self._unknown_providers(state, step)
               + self._generations(state, step) + self._capacity(state, step))
        self._track_allocations(state, step)
        return self._keep(new)

    def _keep(self, new):
        fresh = []
        for finding in new:
            key = (finding.invariant, finding.consumer, finding.provider)
            if finding.invariant == fnd.LEGAL_TRANSITION:
                key += (finding.message,)
            if key in self._reported:
                continue
            self._reported.add(key)
            fresh.append(finding)
        self.findings.extend(fresh)
        return fresh

    def _world(self):
        return snapshot.World(self.cloud) if self.cloud is not None else None

    def _host(self, rp):
        world = self._world()
        return world.host_name(rp) if world else rp

    def _usages(self, state, step):
        out = []
        sums = state.usage_sums()
        for rp, view in sorted(state.providers.items()):
            expected = sums.get(rp, {})
            actual = {rc: n for rc, n in view.usages.items() if n}
            if actual != expected:
                out.append(fnd.Finding(
                    fnd.USAGE_MATCHES_ALLOCATIONS,
                    'usage of %s is %s but its allocations add up to %s' % (
                        self._host(rp), fnd.format_resources(actual),
                        fnd.format_resources(expected)),
                    provider=rp, expected=expected, actual=actual, step=step,
                    cwe=fnd.CWE_LEAK))
        return out

    def _unknown_providers(self, state, step):
        out = []
        for consumer, view in sorted(state.consumers.items()):
            for rp in sorted(view.allocations):
                if rp not in state.providers:
                    out.append(fnd.Finding(
                        fnd.ALLOCATION_ON_UNKNOWN_PROVIDER,
                        'consumer %s holds %s on provider %s, which does not exist' % (
                            consumer, fnd.format_resources(view.allocations[rp]), rp),
                        consumer=consumer, provider=rp, actual=view.allocations[rp],
                        step=step, cwe=fnd.CWE_LEAK))
        return out

    def _generations(self, state, step):
        out = []
        for rp, view in sorted(state.providers.items()):
            before = self._provider_gen.get(rp)
            if before is not None and view.generation is not None and view.generation < before:
                out.append(fnd.Finding(
                    fnd.GENERATION_MONOTONIC,
                    'generation of provider %s went back from %s to %s' % (
                        self._host(rp), before, view.generation),
                    provider=rp, expected='>= %s' % before, actual=view.generation, step=step))
            self._provider_gen[rp] = view.generation
        seen = {}
        for consumer, view in sorted(state.consumers.items()):
            before = self._consumer_gen.get(consumer)
            gen = view.generation
            if before is not None and gen is not None and gen < before:
                out.append(fnd.Finding(
                    fnd.GENERATION_MONOTONIC,
                    'generation of consumer %s went back from %s to %s' % (consumer, before, gen),
                    consumer=consumer, expected='>= %s' % before, actual=gen, step=step))
            seen[consumer] = gen
        # A consumer without allocations no longer exists in Placement: its generation restarts.
        self._consumer_gen = seen
        return out

    def _capacity(self, state, step):
        out = []
        for rp, view in sorted(state.providers.items()):
            for rc in sorted(view.inventories):
                cap = view.capacity(rc)
                key = (rp, rc)
                best = max(self._max_capacity.get(key, cap), cap)
                self._max_capacity[key] = best
                used = view.usages.get(rc, 0)
                if used > cap and cap >= best:
                    out.append(fnd.Finding(
                        fnd.CAPACITY,
                        '%s uses %s %s but its capacity is %s and its inventory never shrank' % (
                            self._host(rp), used, rc, cap),
                        provider=rp, expected={rc: cap}, actual={rc: used}, step=step))
        return out

    def _transitions(self, step):
        out = []
        for obs in self.transitions.feed(getattr(self.cloud, 'transitions', ())):
            out.append(fnd.Finding(
                fnd.LEGAL_TRANSITION, transitions.explain_illegal(obs),
                consumer=obs.uuid, expected='an edge of the %s graph' % obs.kind,
                actual='%s -> %s' % (obs.old, obs.new), step=step,
                details={'kind': obs.kind, 'label': obs.label}))
        return out

    def _track_allocations(self, state, step):
        current = {c: v.allocations for c, v in state.consumers.items()}
        for consumer, allocs in current.items():
            if self._alloc.get(consumer) != allocs:
                self.since[consumer] = step
        for consumer in list(self.since):
            if consumer not in current:
                del self.since[consumer]
        self._alloc = current

    def coverage(self):
        """Transition-graph edge coverage so far (see TransitionChecker.coverage)."""
        return self.transitions.coverage()
