"""Shrinking a failing schedule to a minimal one that fails the same way.

A schedule is a choice list (task ids at each point where several tasks were enabled); it is
replayed leniently: a choice naming a task that is not enabled, and every point after the list
runs out, take the fifo default.  First each preemption (switching away from a task that could
have continued) is undone when the failure survives, then ddmin (Zeller and Hildebrandt 2002)
removes choices until no single one can go.  The result is normalized to the choices that run
really made, up to its last non-fifo choice, so that a strict ``Replay`` accepts it.
"""

from harness.sim.effects import SimError
from harness.sim.replay import run_world
from harness.sim.strategies import Replay

__all__ = ["shrink", "ShrinkBudget"]


class ShrinkBudget(SimError):
    """Internal: the run budget of a shrink ran out."""


class _Oracle:
    """Replays candidates and says whether they still fail with the signature; counts runs."""

    def __init__(self, world_factory, signature, max_runs, max_steps, max_time):
        self.world_factory = world_factory
        self.signature = signature
        self.max_runs = max_runs
        self.max_steps = max_steps
        self.max_time = max_time
        self.runs = 0
        self.cache = {}

    def run(self, choices):
        if self.runs >= self.max_runs:
            raise ShrinkBudget("shrink budget of %d runs exhausted" % self.max_runs)
        self.runs += 1
        return run_world(self.world_factory, Replay(choices, strict=False), self.max_steps,
                         self.max_time)

    def fails(self, choices):
        key = tuple(choices)
        if key not in self.cache:
            _result, sig, _state = self.run(choices)
            self.cache[key] = sig == self.signature
        return self.cache[key]


def shrink(world_factory, choices, signature, max_runs=2_000, max_steps=100_000,
           max_time=86_400.0):
    """Return a minimal choice list that still makes ``world_factory`` fail with ``signature``.

    At most ``max_runs`` replays; when the budget runs out the smallest failing list found so
    far is returned.  Raises SimError when ``choices`` does not fail that way to begin with.
    """
    oracle = _Oracle(world_factory, signature, max_runs, max_steps, max_time)
    if not oracle.fails(list(choices)):
        raise SimError("the schedule does not reproduce failure %r; shrink needs the choices and"
                       " signature of one failing run" % (signature,))
    best = list(choices)
    try:
        best = _remove_preemptions(oracle, best)
        best = _ddmin(oracle, best)
    except ShrinkBudget:
        pass
    return _normalize(oracle, best)


def _normalize(oracle, choices):
    """The choices the lenient replay of ``choices`` really made, up to the last non-fifo one.

    The result replays strictly (every id is enabled where it is used), is never longer than
    ``choices``, and produces the same run.
    """
    oracle.max_runs += 1
    result, _sig, _state = oracle.run(choices)
    last = -1
    for i, decision in enumerate(result.trace.decisions):
        if decision.chosen != decision.enabled[0]:
            last = i
    return result.choices[:last + 1]


def _remove_preemptions(oracle, choices):
    """Undo preemptions one at a time (earliest first) while the failure survives."""
    result, _sig, _state = oracle.run(choices)
    current = result.choices
    j = 0
    while j < len(current):
        trace = result.trace
        decision = trace.decisions[j]
        prev = trace.steps[decision.step - 1].task.id if decision.step > 0 else None
        if prev is not None and prev != decision.chosen and prev in decision.enabled:
            candidate = current[:j] + [prev] + current[j + 1:]
            if oracle.fails(candidate):
                result, _sig, _state = oracle.run(candidate)
                current = result.choices
        j += 1
    return current if oracle.fails(current) else choices


def _ddmin(oracle, choices):
    """Classic ddmin over the list: try subsets, then complements, refine granularity."""
    n = 2
    while len(choices) >= 1:
        if len(choices) == 1:
            if oracle.fails([]):
                return []
            return choices
        chunk = len(choices) / n
        parts = [choices[int(i * chunk):int((i + 1) * chunk)] for i in range(n)]
        reduced = False
        for part in parts:
            if part and oracle.fails(part):
                choices, n, reduced = part, 2, True
                break
        if not reduced:
            for i in range(n):
                comp = [c for k, p in enumerate(parts) if k != i for c in p]
                if len(comp) < len(choices) and oracle.fails(comp):
                    choices, n, reduced = comp, max(n - 1, 2), True
                    break
        if not reduced:
            if n >= len(choices):
                return choices
            n = min(len(choices), 2 * n)
    return choices
