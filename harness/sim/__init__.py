"""harness.sim: a deterministic scheduler for generator tasks (DESIGN §5, contracts §2).

A task is a generator; every ``yield`` is a scheduling point and hands the scheduler an effect.
The strategy alone decides which enabled task runs next; virtual time advances only when no task
is enabled.  Sub-generators compose with ``yield from``::

    from harness import sim

    def transfer(state, key):
        yield sim.Point("read " + key, reads=(key,))      # footprint of the step that follows
        value = state[key]
        yield sim.Point("write " + key, writes=(key,))
        state[key] = value + 1

    s = sim.Scheduler(strategy=sim.RandomStrategy(7), max_steps=10_000)
    state = {"x": 0}
    a = s.spawn(transfer(state, "x"), name="a")
    s.spawn(transfer(state, "x"), name="b")
    result = s.run()                      # RunResult: steps, choices, trace, failures, ...
    sim.Scheduler(strategy=sim.Replay(result.choices))   # replays the same schedule

Effects: ``Point(label, reads, writes)``, ``Sleep(seconds)``, ``Wait(event, timeout)``,
``Join(task, timeout)``.  Helpers: ``s.event(name)``, ``s.every(interval, fn, name)``, ``s.now``,
``s.current``, ``task.cancel()``, ``s.add_step_hook(fn)``, ``s.trace``.
Strategies: ``Fifo``, ``RandomStrategy``, ``Pct``, ``Exhaustive``, ``Replay``.
Exploration: ``explore``, ``shrink``, ``stable_seed``; ``hbgraph`` for happens-before graphs.
"""

from harness.sim import hbgraph
from harness.sim.effects import (Cancelled, Join, NondeterminismError, Point, ReplayDivergence,
                                 SimError, SimLimitError, Sleep, Timeout, Wait)
from harness.sim.explore import ExplorationResult, Failure, explore
from harness.sim.replay import load_choices, replay, run_world
from harness.sim.scheduler import Blocked, RunResult, Scheduler
from harness.sim.seeds import stable_seed
from harness.sim.shrink import shrink
from harness.sim.strategies import (STRATEGY_NAMES, Exhaustive, Fifo, Pct, RandomStrategy,
                                    Replay, Strategy, make_strategy)
from harness.sim.tasks import Event, Task
from harness.sim.trace import Choice, Step, Trace

__all__ = [
    "Scheduler", "RunResult", "Blocked", "Task", "Event",
    "Point", "Sleep", "Wait", "Join", "Timeout", "Cancelled",
    "SimError", "SimLimitError", "ReplayDivergence", "NondeterminismError",
    "Strategy", "Fifo", "RandomStrategy", "Pct", "Exhaustive", "Replay", "make_strategy",
    "STRATEGY_NAMES", "Trace", "Step", "Choice", "stable_seed",
    "explore", "ExplorationResult", "Failure", "shrink", "replay", "run_world", "load_choices",
    "hbgraph",
]
