"""Tasks (generators run by the scheduler) and events (one-shot latches tasks wait on)."""

from harness.sim.effects import Wait

__all__ = ["Task", "Event", "ENABLED", "RUNNING", "BLOCKED", "DONE", "FAILED", "CANCELLED"]

ENABLED = "enabled"
RUNNING = "running"
BLOCKED = "blocked"
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"
_FINISHED = (DONE, FAILED, CANCELLED)


class Task:
    """One concurrent activity: a generator plus what the scheduler knows about it.

    ``id`` is the spawn order (stable across runs of the same schedule); ``name`` is for people.
    ``pending`` is the effect the task yielded last (what its next step resumes from).
    """

    __slots__ = ("id", "name", "daemon", "gen", "state", "pending", "send_value", "throw_exc",
                 "result", "exception", "_joiners", "waiting", "timer_token", "cancel_requested",
                 "exc_observed", "parent", "cause", "key", "_sched")

    def __init__(self, sched, tid, gen, name, daemon, parent, start):
        self._sched = sched
        self.id = tid
        self.name = name
        self.daemon = daemon
        self.gen = gen
        self.state = ENABLED
        self.pending = start
        self.send_value = None
        self.throw_exc = None
        self.result = None
        self.exception = None
        self._joiners = []
        self.waiting = None          # the effect a blocked task waits on
        self.timer_token = 0
        self.cancel_requested = False
        self.exc_observed = False
        self.parent = parent         # id of the spawning task, or None
        self.cause = None            # index of the step that enabled this task's next step
        self.key = "task#%d" % tid

    @property
    def done(self):
        """True once the task returned, failed or was cancelled."""
        return self.state in _FINISHED

    @property
    def failed(self):
        return self.state == FAILED

    @property
    def cancelled(self):
        return self.state == CANCELLED

    def cancel(self):
        """Ask the task to stop: ``sim.Cancelled`` is raised into it at its next resumption.

        Returns False when the task had already finished.
        """
        return self._sched._cancel(self)

    def waiting_for(self):
        """Describe what a blocked task waits for (used in deadlock reports)."""
        if self.state != BLOCKED or self.waiting is None:
            return self.state
        return self.waiting.describe()

    def __repr__(self):
        return "<Task %d %s %s>" % (self.id, self.name, self.state)


class Event:
    """A latch: ``set(value)`` wakes every task waiting on it (``yield sim.Wait(event)``).

    ``is_set`` and ``value`` are properties.  Setting or clearing a *tracked* event from a step
    is recorded as a write of ``event.key`` in that step's footprint (``Step.dyn``), testing it or
    yielding a Wait on it as a read (``Step.dynr``), so events need no declaration.  An untracked
    event (``scheduler.event(name, tracked=False)``) is a pure wake-up hint: its accesses are not
    recorded, which lets steps that only notify it commute.  Use it only when every waiter
    re-checks declared state after waking.
    """

    __slots__ = ("name", "key", "_value", "_set", "_waiters", "_sched", "tracked")

    def __init__(self, sched, eid, name, tracked=True):
        self._sched = sched
        self.tracked = tracked
        self.name = name
        self.key = "event:%s#%d" % (name, eid)
        self._value = None
        self._set = False
        self._waiters = []

    @property
    def is_set(self):
        if self.tracked:
            self._sched._note_read(self.key)
        return self._set

    @property
    def value(self):
        if self.tracked:
            self._sched._note_read(self.key)
        return self._value

    def set(self, value=None):
        """Set the event (a later set replaces the value) and wake its waiters in wait order."""
        self._value = value
        self._set = True
        sched = self._sched
        if self.tracked:
            sched._note_write(self.key)
        if self._waiters:
            waiters = self._waiters
            self._waiters = []
            for task in waiters:
                sched._wake(task, value, None)

    def clear(self):
        """Make the event unset again (waiters from now on block)."""
        self._set = False
        self._value = None
        if self.tracked:
            self._sched._note_write(self.key)

    def wait(self, timeout=None):
        """The effect to yield to wait for this event: ``value = yield ev.wait(5)``."""
        return Wait(self, timeout)

    def __repr__(self):
        return "<Event %s %s>" % (self.name, "set" if self._set else "unset")
