"""Scheduling strategies: the only code that decides which enabled task runs next.

Interface: ``begin(scheduler)`` at the start of a run, ``choose(scheduler, enabled) -> index``
before every step (``enabled`` is the list of enabled tasks in task-id order; returning None
abandons the run as redundant), ``finish(result)`` at the end.  A strategy object may be reused for
many runs (exploration); it then moves on to the next schedule.
"""

import difflib
import random

from harness.sim.effects import NondeterminismError, ReplayDivergence, SimError

__all__ = ["Strategy", "Fifo", "RandomStrategy", "Pct", "Exhaustive", "Replay",
           "make_strategy", "STRATEGY_NAMES"]


class Strategy:
    """Base class; subclasses override ``choose``."""

    name = "strategy"

    def begin(self, sched):
        """Called when a run starts."""

    def choose(self, sched, enabled):
        raise NotImplementedError

    def finish(self, result):
        """Called when a run ends, with its RunResult."""

    def describe(self):
        return self.name


class Fifo(Strategy):
    """The oldest enabled task (lowest spawn id) runs first: the order of an idle deployment."""

    name = "fifo"

    def choose(self, sched, enabled):
        return 0


class RandomStrategy(Strategy):
    """A uniformly random enabled task, from a seeded ``random.Random`` (one stream per object)."""

    name = "random"

    def __init__(self, seed=0):
        self.seed = seed
        self.rng = random.Random(seed)

    def choose(self, sched, enabled):
        n = len(enabled)
        if n == 1:
            return 0
        return self.rng.randrange(n)

    def describe(self):
        return "random(seed=%d)" % self.seed


class Replay(Strategy):
    """Follow a recorded choice list (task ids at each point where several tasks were enabled).

    When the list runs out the run continues with fifo.  ``strict`` (the default) raises
    ``ReplayDivergence`` when a recorded task is not enabled; otherwise the point falls back to
    fifo and ``divergences`` counts it (shrinking uses that).
    """

    name = "replay"

    def __init__(self, choices, strict=True):
        self.choices = list(choices)
        self.strict = strict
        self.pos = 0
        self.divergences = 0

    def begin(self, sched):
        self.pos = 0
        self.divergences = 0

    def choose(self, sched, enabled):
        if len(enabled) == 1:
            return 0
        pos = self.pos
        if pos >= len(self.choices):
            return 0
        self.pos = pos + 1
        want = self.choices[pos]
        for i, task in enumerate(enabled):
            if task.id == want:
                return i
        if self.strict:
            raise ReplayDivergence(
                "replay diverged at choice %d (step %d): task t%s is not enabled; enabled are %s."
                " The world is not the one the choices were recorded on (different scenario,"
                " options or code); record the schedule again."
                % (pos, sched.step_count, want, ", ".join("t%d %s" % (t.id, t.name)
                                                          for t in enabled)))
        self.divergences += 1
        return 0

    def describe(self):
        return "replay(%d choices)" % len(self.choices)


class Pct(Strategy):
    """Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010).

    Each task gets a random priority above ``depth``; ``depth - 1`` change points are drawn
    uniformly over the estimated step count; at the i-th change point the running task drops to
    priority ``depth - i``.  The highest-priority enabled task always runs.  A bug of depth d
    among n tasks and k steps is found by one run with probability >= 1/(n * k**(d-1)).
    ``steps`` is the estimate k; when None the first run has no change points (random
    priorities only) and later runs use the longest run seen so far.
    """

    name = "pct"

    def __init__(self, seed=0, depth=3, steps=None):
        if depth < 1:
            raise SimError("pct depth must be >= 1, got %r" % (depth,))
        self.seed = seed
        self.depth = depth
        self.rng = random.Random(seed)
        self.steps_estimate = steps if steps else 0
        self._adapt = steps is None
        self.prio = {}
        self.change = {}

    def begin(self, sched):
        self.prio = {}
        k = self.steps_estimate
        points = self.rng.sample(range(1, k + 1), min(self.depth - 1, k))
        # the i-th change point (1-based) lowers the runner to priority depth - i
        self.change = {step: self.depth - i for i, step in enumerate(points, 1)}

    def choose(self, sched, enabled):
        prio = self.prio
        best = -1
        best_p = -1.0
        for i, task in enumerate(enabled):
            p = prio.get(task.id)
            if p is None:
                p = prio[task.id] = self.depth + self.rng.random()
            if p > best_p:
                best, best_p = i, p
        step_no = sched.step_count + 1
        if step_no in self.change:
            prio[enabled[best].id] = self.change[step_no]
        return best

    def finish(self, result):
        if self._adapt and result.steps > self.steps_estimate:
            self.steps_estimate = result.steps

    def describe(self):
        return "pct(seed=%d, depth=%d)" % (self.seed, self.depth)


def _executed_footprint(step):
    """(reads, writes, opaque) of a step as it actually ran (declared, dynamic and implicit).

    Daemon steps count as opaque: whether one runs at all can depend on when the last
    non-daemon task finishes, so they never commute.
    """
    reads, writes = step.footprint()
    return (reads, writes, step.opaque or step.task.daemon)


def _conflict(a, b):
    """Whether two executed footprints fail to commute."""
    a_reads, a_writes, a_opaque = a
    b_reads, b_writes, b_opaque = b
    if a_opaque or b_opaque:
        return True
    for k in a_writes:
        if k in b_writes or k in b_reads:
            return True
    for k in a_reads:
        if k in b_writes:
            return True
    return False


class _Node:
    """A decision point of the depth-first search.

    ``sleep`` maps the ids of sleeping tasks to the footprint their pending step had when it
    was explored; ``fps`` holds the executed footprint of each explored child (``done``/``cur``).
    """

    __slots__ = ("ids", "sleep", "fps", "done", "cur", "allowed")

    def __init__(self, ids, sleep, allowed):
        self.ids = ids
        self.sleep = sleep
        self.fps = {}
        self.done = []
        self.cur = None
        self.allowed = allowed


class Exhaustive(Strategy):
    """Depth-first search over every choice, one run per schedule, with sleep-set reduction.

    Two steps are independent when their footprints do not conflict: no write/write or
    read/write on the same key (declared at the yield, plus the events a step set, cleared or
    tested and the tasks it cancelled), neither opaque, neither a daemon's.  Orders that differ
    only by swapping independent steps are explored once (Godefroid's sleep sets); a sleeping
    step is compared with the footprint it had when it was explored, so dynamic accesses count.
    Runs that the sleep sets prove redundant are abandoned early (``RunResult.pruned``).
    ``preemption_bound`` limits how many times a run may switch away from a still-enabled task
    (None: no bound); ``reduce`` defaults to on without a bound and off with one (sleep sets and
    preemption bounds do not combine soundly).  ``exhausted`` becomes true when the search space
    is covered.
    """

    name = "exhaustive"

    def __init__(self, preemption_bound=None, reduce=None):
        self.bound = preemption_bound
        self.reduce = (preemption_bound is None) if reduce is None else reduce
        self.stack = []
        self.exhausted = False
        self.runs = 0
        self._depth = 0
        self._sleep = {}
        self._preemptions = 0
        self._last = None
        self._open = None
        self._sched = None

    def begin(self, sched):
        if self.exhausted:
            raise SimError("the exhaustive search is complete; create a new Exhaustive()"
                           " to search again")
        self._depth = 0
        self._sleep = {}
        self._preemptions = 0
        self._last = None
        self._open = None
        self._sched = sched

    def _close_open_node(self):
        """Record the executed footprint of the step chosen at the last decision node."""
        node = self._open
        if node is not None:
            self._open = None
            step = self._sched.last_step
            if step is not None and step.task.id == node.cur:
                node.fps[node.cur] = _executed_footprint(step)

    def choose(self, sched, enabled):
        if self.reduce:
            self._close_open_node()
        sleep = self._sleep
        if sleep:
            step = sched.last_step
            if step is not None:
                last = _executed_footprint(step)
                for tid in [t for t, fp in sleep.items() if _conflict(fp, last)]:
                    del sleep[tid]
        if len(enabled) == 1:
            task = enabled[0]
            if task.id in sleep:
                return None
            self._note_run(task, enabled)
            return 0
        depth = self._depth
        self._depth = depth + 1
        stack = self.stack
        if depth < len(stack):
            node = stack[depth]
            ids = tuple([t.id for t in enabled])
            if ids != node.ids:
                raise NondeterminismError(
                    "the world is not deterministic: replaying the same choices made tasks %s"
                    " enabled at decision %d where %s were before; remove wall-clock time,"
                    " global random and set-order dependence from the model" % (
                        list(ids), depth, list(node.ids)))
        else:
            node = self._new_node(enabled)
            if node is None:
                return None
            stack.append(node)
        chosen = node.cur
        if self.reduce:
            child = {t: fp for t, fp in node.sleep.items() if t != chosen}
            for t in node.done:
                child[t] = node.fps[t]
            self._sleep = child
            self._open = node
        for i, task in enumerate(enabled):
            if task.id == chosen:
                self._note_run(task, enabled)
                return i
        raise NondeterminismError("chosen task t%d vanished from the enabled set" % chosen)

    def _new_node(self, enabled):
        ids = tuple([t.id for t in enabled])
        last = self._last
        if (self.bound is not None and self._preemptions >= self.bound
                and last is not None and last in ids):
            allowed = (last,)
        else:
            allowed = ids
        node = _Node(ids, dict(self._sleep) if self.reduce else {}, allowed)
        for tid in allowed:
            if tid not in node.sleep:
                node.cur = tid
                return node
        return None

    def _note_run(self, task, enabled):
        last = self._last
        if last is not None and last != task.id:
            for t in enabled:
                if t.id == last:
                    self._preemptions += 1
                    break
        self._last = task.id

    def finish(self, result):
        if self.reduce:
            self._close_open_node()
        self._sched = None
        self.runs += 1
        stack = self.stack
        del stack[self._depth:]
        while stack:
            node = stack[-1]
            node.done.append(node.cur)
            nxt = None
            for tid in node.allowed:
                if tid not in node.sleep and tid not in node.done:
                    nxt = tid
                    break
            if nxt is not None:
                node.cur = nxt
                return
            stack.pop()
        self.exhausted = True

    def describe(self):
        return "exhaustive(bound=%s, reduce=%s)" % (self.bound, self.reduce)


STRATEGY_NAMES = ("fifo", "random", "pct", "exhaustive", "replay")


def make_strategy(name, seed=0, depth=3, bound=None, choices=None, steps=None):
    """Build a strategy by name; unknown names get a did-you-mean."""
    if name == "fifo":
        return Fifo()
    if name == "random":
        return RandomStrategy(seed)
    if name == "pct":
        return Pct(seed, depth, steps)
    if name == "exhaustive":
        return Exhaustive(bound)
    if name == "replay":
        if choices is None:
            raise SimError("strategy 'replay' needs a choice list (from a trace's 'choices')")
        return Replay(choices)
    close = difflib.get_close_matches(str(name), STRATEGY_NAMES, n=1)
    hint = " Did you mean %r?" % close[0] if close else ""
    raise SimError("unknown strategy %r; valid strategies: %s.%s"
                   % (name, ", ".join(STRATEGY_NAMES), hint))
