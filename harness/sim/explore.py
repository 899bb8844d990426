"""Exploration: run a world under a strategy for many schedules and collect what failed."""

import time

from harness.sim.effects import SimError
from harness.sim.replay import run_world
from harness.sim.shrink import shrink
from harness.sim.strategies import Exhaustive, Strategy, make_strategy

__all__ = ["explore", "ExplorationResult", "Failure"]


class Failure:
    """A distinct failure: its signature, the choices that reproduce it, the run it came from.

    ``minimal`` is the shrunk choice list when the exploration was asked to shrink, else None.
    """

    __slots__ = ("signature", "choices", "schedule", "result", "count", "minimal")

    def __init__(self, signature, choices, schedule, result):
        self.signature = signature
        self.choices = choices
        self.schedule = schedule
        self.result = result
        self.count = 1
        self.minimal = None

    def __repr__(self):
        return "<Failure %r at schedule %d, %d choices>" % (
            self.signature, self.schedule, len(self.choices))


class ExplorationResult:
    """Statistics and findings of one exploration.

    ``schedules`` complete runs; ``runs`` all runs including ``pruned`` ones (abandoned by
    reduction); ``outcomes`` end state -> count (``distinct_outcomes`` its size); ``failures``
    distinct by signature, in discovery order; ``exhausted`` when the strategy covered its whole
    space; ``steps``, ``seconds`` (wall time of the exploration itself, for statistics only),
    ``steps_per_second``, ``schedules_per_second``; ``stopped_by`` says which limit ended it.
    """

    def __init__(self, strategy):
        self.strategy = strategy
        self.schedules = 0
        self.runs = 0
        self.pruned = 0
        self.outcomes = {}
        self.failures = []
        self.exhausted = False
        self.steps = 0
        self.seconds = 0.0
        self.stopped_by = None

    @property
    def distinct_outcomes(self):
        return len(self.outcomes)

    @property
    def steps_per_second(self):
        return self.steps / self.seconds if self.seconds > 0 else 0.0

    @property
    def schedules_per_second(self):
        return self.schedules / self.seconds if self.seconds > 0 else 0.0

    @property
    def failed(self):
        return bool(self.failures)

    def summary(self):
        return ("%s: %d schedules (%d runs, %d pruned), %d distinct outcomes, %d failures,"
                " exhausted=%s, %.0f steps/s, %.0f schedules/s" % (
                    self.strategy, self.schedules, self.runs, self.pruned,
                    self.distinct_outcomes, len(self.failures), self.exhausted,
                    self.steps_per_second, self.schedules_per_second))

    def __repr__(self):
        return "<ExplorationResult %s>" % self.summary()


def _key(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def explore(world_factory, strategy_name="random", schedules=100, seed=0, bound=None,
            on_progress=None, *, depth=3, stop_at_first=True, max_steps=100_000,
            max_time=86_400.0, max_runs=None, progress_every=100, record=True, choices=None,
            shrink_failures=False, shrink_runs=500):
    """Run ``world_factory`` under a strategy for up to ``schedules`` complete schedules.

    ``world_factory(scheduler)`` builds a fresh world on the scheduler and returns ``check`` or
    ``(check, end_state)``; ``check(result)`` (or ``check()``) returns a failure signature or
    None, ``end_state(result)`` a hashable description of the end state (default: the
    signature).  ``strategy_name`` is fifo, random, pct or exhaustive (or a Strategy object);
    ``seed`` seeds random/pct; ``bound`` is exhaustive's preemption bound; ``depth`` pct's depth.
    Stops at the first failure when ``stop_at_first``, else collects distinct failures.
    ``max_runs`` (default 10 * schedules + 100) also caps runs abandoned by reduction.
    ``on_progress(result)`` is called every ``progress_every`` runs and at the end.
    ``choices`` is the recorded schedule for strategy "replay" (one run).  With
    ``shrink_failures`` every distinct failure gets ``minimal`` (at most ``shrink_runs`` replays
    each; not counted in the statistics).
    """
    if isinstance(strategy_name, Strategy):
        strategy = strategy_name
    else:
        strategy = make_strategy(strategy_name, seed=seed, depth=depth, bound=bound,
                                 choices=choices)
    if schedules < 1:
        raise SimError("schedules must be >= 1, got %r" % (schedules,))
    if max_runs is None:
        max_runs = 10 * schedules + 100
    single = strategy.name in ("fifo", "replay")
    res = ExplorationResult(strategy.describe())
    by_sig = {}
    t0 = time.perf_counter()
    while True:
        result, signature, state = run_world(world_factory, strategy, max_steps, max_time,
                                             record)
        res.runs += 1
        res.steps += result.steps
        if result.pruned:
            res.pruned += 1
        else:
            res.schedules += 1
            skey = _key(state)
            res.outcomes[skey] = res.outcomes.get(skey, 0) + 1
            if signature is not None:
                fkey = _key(signature)
                if fkey in by_sig:
                    by_sig[fkey].count += 1
                else:
                    by_sig[fkey] = Failure(signature, result.choices, res.schedules - 1, result)
                    res.failures.append(by_sig[fkey])
        if on_progress is not None and res.runs % progress_every == 0:
            res.seconds = time.perf_counter() - t0
            on_progress(res)
        if isinstance(strategy, Exhaustive) and strategy.exhausted:
            res.exhausted = True
            res.stopped_by = "exhausted"
        elif single:
            res.exhausted = True
            res.stopped_by = "deterministic"
        elif res.failures and stop_at_first:
            res.stopped_by = "failure"
        elif res.schedules >= schedules:
            res.stopped_by = "schedules"
        elif res.runs >= max_runs:
            res.stopped_by = "max_runs"
        if res.stopped_by:
            break
    res.seconds = time.perf_counter() - t0
    if shrink_failures:
        for failure in res.failures:
            failure.minimal = shrink(world_factory, failure.choices, failure.signature,
                                     max_runs=shrink_runs, max_steps=max_steps,
                                     max_time=max_time)
    if on_progress is not None:
        on_progress(res)
    return res
