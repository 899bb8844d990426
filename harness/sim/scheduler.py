"""The deterministic scheduler: runs generator tasks one atomic step at a time.

Only the strategy decides which enabled task runs next; virtual time advances only when no task
is enabled, straight to the next timer.  See ``harness.sim`` for the usage summary.
"""

import bisect
import operator

from harness.sim.clock import Clock
from harness.sim.effects import (Cancelled, Join, Point, SimError, SimLimitError, Sleep,
                                 START, Timeout, Wait, _Start)
from harness.sim.strategies import Fifo
from harness.sim.tasks import BLOCKED, CANCELLED, DONE, ENABLED, FAILED, RUNNING, Event, Task
from harness.sim.trace import Choice, Step, Trace

__all__ = ["Scheduler", "RunResult", "Blocked"]

_ID = operator.attrgetter("id")
_RETURN = "return"
_CANCELLED = "cancelled"


class Blocked:
    """A non-daemon task that never finished, and what it waits for."""

    __slots__ = ("task", "name", "waiting_for")

    def __init__(self, task):
        self.task = task
        self.name = task.name
        self.waiting_for = task.waiting_for()

    def __repr__(self):
        return "%s (t%d) waits for %s" % (self.name, self.task.id, self.waiting_for)

    def __eq__(self, other):
        return isinstance(other, Blocked) and other.task is self.task

    __hash__ = object.__hash__


class RunResult:
    """What one run did.

    ``steps`` (count), ``choices`` (task ids, what ``Replay`` takes), ``trace``, ``failures``
    (task name -> exception, for tasks that died with an exception nobody joined), ``deadlocked``
    (Blocked entries when the run ended with non-daemon tasks blocked, nothing enabled and no
    timer), ``blocked`` (unfinished non-daemon tasks at the end, whatever the reason),
    ``hit_step_limit``, ``hit_time_limit``, ``pruned`` (abandoned by the strategy as redundant),
    ``stopped`` (the reason given to ``scheduler.stop``), ``now`` (virtual seconds).
    """

    __slots__ = ("steps", "choices", "trace", "failures", "deadlocked", "blocked",
                 "hit_step_limit", "hit_time_limit", "pruned", "stopped", "now", "tasks")

    def __init__(self, **kw):
        for name in self.__slots__:
            setattr(self, name, kw.get(name))

    @property
    def ok(self):
        """True when every non-daemon task finished and no exception went unobserved."""
        return not (self.failures or self.blocked or self.hit_step_limit or self.hit_time_limit
                    or self.pruned)

    @property
    def complete(self):
        """True when the run was not abandoned by the strategy or a limit."""
        return not (self.pruned or self.hit_step_limit or self.hit_time_limit)

    def __repr__(self):
        return ("<RunResult steps=%d choices=%d failures=%s deadlocked=%s step_limit=%s"
                " now=%g>" % (self.steps, len(self.choices), sorted(self.failures),
                              self.deadlocked, self.hit_step_limit, self.now))


class Scheduler:
    """Runs tasks under one strategy, with a virtual clock and limits on everything.

    ``max_steps``: steps per run; ``max_tasks``: tasks per run; ``max_time``: virtual seconds
    (the run stops when the next timer lies beyond it).
    """

    def __init__(self, strategy=None, max_steps=100_000, max_tasks=10_000, max_time=86_400.0,
                 record=True):
        self.strategy = strategy if strategy is not None else Fifo()
        self.max_steps = max_steps
        self.max_tasks = max_tasks
        self.max_time = max_time
        self.record = record
        self.clock = Clock()
        self.tasks = []
        self.enabled = []
        self.current = None
        self.trace = Trace()
        self.last_step = None
        self._choices = []
        self._hooks = []
        self._live = 0
        self._nsteps = 0
        self._nevents = 0
        self._dyn = None
        self._dynr = None
        self._stop = None
        self._ran = False

    # ---- public helpers -------------------------------------------------------------------

    @property
    def now(self):
        """Virtual seconds since the run started."""
        return self.clock.now

    @property
    def step_count(self):
        """Steps executed so far."""
        return self._nsteps

    def spawn(self, gen, name=None, daemon=False, reads=None, writes=None):
        """Start a task from a generator object; returns its Task.

        ``reads``/``writes`` declare the footprint of the task's first step (the code before its
        first yield); without them that step is opaque.
        """
        if not (hasattr(gen, "send") and hasattr(gen, "throw")):
            what = getattr(gen, "__name__", repr(gen))
            raise SimError("spawn() needs a generator object, got %s; call the generator"
                           " function first: spawn(%s(...))" % (what, what))
        if len(self.tasks) >= self.max_tasks:
            raise SimLimitError("more than max_tasks=%d tasks spawned; raise the limit or look"
                                " for a task that spawns in a loop" % self.max_tasks)
        if name is None:
            name = getattr(gen, "__qualname__", None) or getattr(gen, "__name__", "task")
        tid = len(self.tasks)
        start = START if reads is None and writes is None else _Start(reads, writes)
        cur = self.current
        task = Task(self, tid, gen, name, daemon, cur.id if cur is not None else None, start)
        if cur is not None:
            task.cause = self._nsteps
        self.tasks.append(task)
        if not daemon:
            self._live += 1
        self._enable(task)
        return task

    def event(self, name="event", tracked=True):
        """A new Event (a latch tasks can ``yield sim.Wait(ev)`` on); see Event for ``tracked``."""
        self._nevents += 1
        return Event(self, self._nevents, name, tracked)

    def every(self, interval, fn, name=None, initial_delay=None):
        """Run ``fn()`` (a function returning a generator) every ``interval`` virtual seconds.

        A daemon task: it does not keep the run alive.  An exception from one round is recorded
        in ``failures`` under the task's name and the next round still runs (as Nova's periodic
        tasks do).
        """
        if not isinstance(interval, (int, float)) or interval <= 0:
            raise SimError("every() needs an interval > 0 virtual seconds, got %r" % (interval,))
        if not callable(fn):
            raise SimError("every() needs a function that returns a generator, got %r" % (fn,))
        name = name or getattr(fn, "__name__", "periodic")
        delay = interval if initial_delay is None else initial_delay
        return self.spawn(self._periodic(interval, fn, delay), name=name, daemon=True)

    def _periodic(self, interval, fn, delay):
        yield Sleep(delay)
        while True:
            try:
                gen = fn()
                if not hasattr(gen, "throw"):
                    raise SimError("every(): %r returned %r, not a generator; make it yield"
                                   " sim effects" % (fn, gen))
                yield from gen
            except Exception as exc:
                self._periodic_errors.setdefault(self.current.id, exc)
            yield Sleep(interval)

    def add_step_hook(self, fn):
        """Call ``fn(scheduler, step)`` after every step (raise from it to abort the run)."""
        self._hooks.append(fn)

    def stop(self, reason="stopped"):
        """End the run after the current step; ``RunResult.stopped`` is ``reason``."""
        self._stop = reason

    # ---- the run loop ---------------------------------------------------------------------

    def run(self):
        """Run until every non-daemon task finished, a limit is hit, or a deadlock; RunResult."""
        if self._ran:
            raise SimError("a Scheduler runs once; build a new one (and a new world) per run")
        self._ran = True
        self._periodic_errors = {}
        strategy = self.strategy
        strategy.begin(self)
        choose = strategy.choose
        enabled = self.enabled
        record = self.record
        decisions = self.trace.decisions
        choices = self._choices
        max_steps = self.max_steps
        hit_steps = hit_time = pruned = False
        while self._live and self._stop is None:
            n = len(enabled)
            if not n:
                deadline = self.clock.next_deadline()
                if deadline is None:
                    break
                if deadline > self.max_time:
                    hit_time = True
                    break
                self._fire(deadline)
                continue
            if self._nsteps >= max_steps:
                hit_steps = True
                break
            i = choose(self, enabled)
            if i is None:
                pruned = True
                break
            if n > 1:
                task = enabled[i]
                choices.append(task.id)
                if record:
                    decisions.append(Choice(self._nsteps, task.id, tuple([t.id for t in enabled])))
                del enabled[i]
            else:
                task = enabled.pop()
            self._step(task)
        return self._result(hit_steps, hit_time, pruned)

    def _step(self, task):
        self.current = task
        index = self._nsteps
        effect = task.pending
        exc = task.throw_exc
        cause = task.cause
        task.cause = None
        self._dyn = None
        self._dynr = None
        task.state = RUNNING
        try:
            if exc is None:
                val = task.send_value
                task.send_value = None
                out = task.gen.send(val)
            else:
                task.throw_exc = None
                out = task.gen.throw(exc)
        except StopIteration as stop:
            self._finish(task, DONE, stop.value, None)
            out = _RETURN
        except Cancelled:
            self._finish(task, CANCELLED, None, Cancelled("task %s was cancelled" % task.name))
            out = _CANCELLED
        except Exception as err:
            self._finish(task, FAILED, None, err)
            out = err
        else:
            out = self._dispatch(task, out)
        self._nsteps = index + 1
        self.current = None
        step = Step(index, task, effect, out, self._dyn, self._dynr, cause, self.clock.now, exc)
        self.last_step = step
        if self.record:
            self.trace.steps.append(step)
        for hook in self._hooks:
            hook(self, step)

    def _dispatch(self, task, eff):
        cls = type(eff)
        if task.cancel_requested and cls in (Point, Sleep, Wait, Join):
            task.cancel_requested = False
            task.pending = eff
            task.throw_exc = Cancelled("task %s was cancelled" % task.name)
            self._enable(task)
            return eff
        if cls is Point:
            task.pending = eff
            self._enable(task)
        elif cls is Sleep:
            task.pending = eff
            if eff.seconds == 0:
                self._enable(task)
            else:
                task.state = BLOCKED
                task.waiting = eff
                self.clock.add(eff.seconds, task, "sleep")
        elif cls is Wait:
            task.pending = eff
            ev = eff.event
            if ev.tracked:
                self._note_read(ev.key)
            if ev._set:
                task.send_value = ev._value
                self._enable(task)
            else:
                task.state = BLOCKED
                task.waiting = eff
                ev._waiters.append(task)
                if eff.timeout is not None:
                    self.clock.add(eff.timeout, task, "wait")
        elif cls is Join:
            task.pending = eff
            target = eff.task
            if target is task:
                return self._bad_yield(task, eff, "a task cannot join itself")
            self._note_read(target.key)
            if target.state in (DONE, FAILED, CANCELLED):
                self._deliver_join(task, target)
                self._enable(task)
            else:
                task.state = BLOCKED
                task.waiting = eff
                target._joiners.append(task)
                if eff.timeout is not None:
                    self.clock.add(eff.timeout, task, "join")
        else:
            hint = ""
            if hasattr(eff, "send") and hasattr(eff, "throw"):
                hint = " (it yielded a generator: use `yield from` to call a sub-generator)"
            return self._bad_yield(task, eff, "task %s yielded %r, which is not a sim effect;"
                                   " yield sim.Point/Sleep/Wait/Join%s" % (task.name, eff, hint))
        return eff

    def _bad_yield(self, task, eff, message):
        err = SimError(message)
        task.gen.close()
        self._finish(task, FAILED, None, err)
        return err

    def _enable(self, task):
        task.state = ENABLED
        en = self.enabled
        if not en or en[-1].id < task.id:
            en.append(task)
        else:
            bisect.insort(en, task, key=_ID)

    def _wake(self, task, value, exc):
        """Unblock ``task`` with a result (or an exception to raise); called from a step."""
        waiting = task.waiting
        task.waiting = None
        task.timer_token += 1
        if exc is None:
            task.send_value = value
        else:
            task.throw_exc = exc
        if self.current is not None:
            task.cause = self._nsteps
        self._enable(task)
        return waiting

    def _deliver_join(self, joiner, target):
        if target.state == DONE:
            joiner.send_value = target.result
        elif target.state == FAILED:
            target.exc_observed = True
            joiner.throw_exc = target.exception
        else:
            joiner.throw_exc = Cancelled("joined task %s was cancelled" % target.name)

    def _finish(self, task, state, result, exc):
        task.state = state
        task.result = result
        task.exception = exc
        if not task.daemon:
            self._live -= 1
        joiners = task._joiners
        if joiners:
            task._joiners = []
            for j in joiners:
                j.waiting = None
                j.timer_token += 1
                self._deliver_join(j, task)
                j.cause = self._nsteps
                self._enable(j)

    def _fire(self, deadline):
        clock = self.clock
        clock.now = deadline
        for task, kind in clock.pop_due(deadline):
            if task.state != BLOCKED:
                continue
            eff = task.waiting
            task.waiting = None
            if kind == "sleep":
                pass
            elif kind == "wait":
                eff.event._waiters.remove(task)
                task.throw_exc = Timeout("wait for %s timed out after %gs"
                                         % (eff.event.name, eff.timeout))
            else:
                eff.task._joiners.remove(task)
                task.throw_exc = Timeout("join of %s timed out after %gs"
                                         % (eff.task.name, eff.timeout))
            task.timer_token += 1
            self._enable(task)

    def _note_write(self, key):
        """Record that the running step wrote ``key`` as a side effect (event set, cancel)."""
        if self.current is None:
            return
        if self._dyn is None:
            self._dyn = [key]
        elif key not in self._dyn:
            self._dyn.append(key)

    def _note_read(self, key):
        """Record that the running step read ``key`` as a side effect (event test, wait, join)."""
        if self.current is None:
            return
        if self._dynr is None:
            self._dynr = [key]
        elif key not in self._dynr:
            self._dynr.append(key)

    def _cancel(self, task):
        if task.state in (DONE, FAILED, CANCELLED):
            return False
        self._note_write(task.key)
        if task is self.current:
            task.cancel_requested = True
            return True
        if task.state == BLOCKED:
            eff = task.waiting
            if type(eff) is Wait:
                eff.event._waiters.remove(task)
            elif type(eff) is Join:
                eff.task._joiners.remove(task)
            self._wake(task, None, Cancelled("task %s was cancelled" % task.name))
        else:
            task.send_value = None
            task.throw_exc = Cancelled("task %s was cancelled" % task.name)
            if self.current is not None:
                task.cause = self._nsteps
        return True

    def _result(self, hit_steps, hit_time, pruned):
        failures = {}
        names = {}
        for task in self.tasks:
            names[task.name] = names.get(task.name, 0) + 1
        for task in self.tasks:
            if task.state == FAILED and not task.exc_observed:
                failures[self._unique(task, names)] = task.exception
        for tid in sorted(self._periodic_errors):
            task = self.tasks[tid]
            failures.setdefault(self._unique(task, names), self._periodic_errors[tid])
        blocked = [Blocked(t) for t in self.tasks
                   if not t.daemon and t.state not in (DONE, FAILED, CANCELLED)]
        deadlocked = []
        if (blocked and not self.enabled and self.clock.next_deadline() is None
                and self._stop is None and not hit_steps):
            deadlocked = blocked
        result = RunResult(steps=self._nsteps, choices=list(self._choices), trace=self.trace,
                           failures=failures, deadlocked=deadlocked, blocked=blocked,
                           hit_step_limit=hit_steps, hit_time_limit=hit_time, pruned=pruned,
                           stopped=self._stop, now=self.clock.now, tasks=list(self.tasks))
        self.strategy.finish(result)
        return result

    @staticmethod
    def _unique(task, names):
        if names[task.name] > 1:
            return "%s#%d" % (task.name, task.id)
        return task.name
