"""Effects that a task yields at a scheduling point, and the exceptions the scheduler throws.

A task is a generator.  Every ``yield`` hands one of these effects to the scheduler, which later
resumes the task with the effect's result (``send``) or throws an exception into it.  The footprint
(``reads``/``writes``) declared with an effect describes the step the task performs when it is
resumed, so that reduction can tell which steps commute.  An effect without a declared footprint is
*opaque*: it is treated as conflicting with every other step (always safe, never reduces).
"""

__all__ = ["Point", "Sleep", "Wait", "Join", "Timeout", "Cancelled", "START", "SimError",
           "SimLimitError", "ReplayDivergence", "NondeterminismError"]


class SimError(Exception):
    """Misuse of the scheduler (bad effect, bad argument); the message says how to fix it."""


class SimLimitError(SimError):
    """A hard limit (tasks, steps) was exceeded."""


class ReplayDivergence(SimError):
    """A strict replay asked for a task that is not enabled at that point."""


class NondeterminismError(SimError):
    """The world made different tasks enabled when the same prefix was replayed."""


class Timeout(Exception):
    """Raised into a task whose ``Wait``/``Join`` ran past its virtual-time timeout."""


class Cancelled(BaseException):
    """Raised into a cancelled task at its next resumption.

    A ``BaseException`` (like asyncio's CancelledError) so that ``except Exception`` handlers in
    the modelled code do not swallow it.
    """


def _keys(keys, what):
    if keys is None:
        return None
    if type(keys) is tuple:
        return keys
    if isinstance(keys, str):
        # A lone string is almost always a mistake for a one-element tuple.
        return (keys,)
    try:
        return tuple(keys)
    except TypeError:
        raise SimError("%s must be an iterable of footprint key strings, got %r"
                       % (what, keys)) from None


class _Effect:
    """Base of all effects; ``opaque`` is true when no footprint was declared."""

    __slots__ = ("reads", "writes", "opaque")
    kind = "effect"

    def _footprint(self, reads, writes, default_opaque):
        if reads is None and writes is None:
            self.reads = ()
            self.writes = ()
            self.opaque = default_opaque
        else:
            self.reads = _keys(reads, "reads") or ()
            self.writes = _keys(writes, "writes") or ()
            self.opaque = False


class Point(_Effect):
    """A plain scheduling point; ``label`` is a stable string naming the pending step."""

    __slots__ = ("label",)
    kind = "point"

    def __init__(self, label, reads=(), writes=()):
        self.label = label
        self.reads = reads if type(reads) is tuple else _keys(reads, "reads")
        self.writes = writes if type(writes) is tuple else _keys(writes, "writes")
        self.opaque = False

    def describe(self):
        return self.label

    def __repr__(self):
        return "Point(%r, reads=%r, writes=%r)" % (self.label, self.reads, self.writes)


class Sleep(_Effect):
    """Wait ``seconds`` of virtual time (0 just yields)."""

    __slots__ = ("seconds",)
    kind = "sleep"

    def __init__(self, seconds, reads=None, writes=None):
        if not isinstance(seconds, (int, float)) or seconds < 0:
            raise SimError("Sleep(seconds) needs a number >= 0, got %r" % (seconds,))
        self.seconds = seconds
        self._footprint(reads, writes, True)

    def describe(self):
        return "sleep %g" % self.seconds

    def __repr__(self):
        return "Sleep(%r)" % (self.seconds,)


class Wait(_Effect):
    """Wait until ``event`` is set; the result is the event's value.

    Raises ``Timeout`` into the task after ``timeout`` virtual seconds (None waits forever).
    """

    __slots__ = ("event", "timeout")
    kind = "wait"

    def __init__(self, event, timeout=None, reads=None, writes=None):
        if not hasattr(event, "_waiters"):
            raise SimError("Wait(event) needs an Event from scheduler.event(name), got %r"
                           % (event,))
        _check_timeout(timeout)
        self.event = event
        self.timeout = timeout
        self._footprint(reads, writes, True)

    def describe(self):
        return "wait %s" % self.event.name

    def __repr__(self):
        return "Wait(%s, timeout=%r)" % (self.event.name, self.timeout)


class Join(_Effect):
    """Wait until ``task`` finishes; the result is its return value, or its exception is raised."""

    __slots__ = ("task", "timeout")
    kind = "join"

    def __init__(self, task, timeout=None, reads=None, writes=None):
        if not hasattr(task, "_joiners"):
            raise SimError("Join(task) needs a Task returned by scheduler.spawn(), got %r"
                           % (task,))
        _check_timeout(timeout)
        self.task = task
        self.timeout = timeout
        self._footprint(reads, writes, True)

    def describe(self):
        return "join %s" % self.task.name

    def __repr__(self):
        return "Join(%s, timeout=%r)" % (self.task.name, self.timeout)


class _Start(_Effect):
    """The pending effect of a task that has not run yet."""

    __slots__ = ()
    kind = "start"

    def __init__(self, reads=None, writes=None):
        self._footprint(reads, writes, True)

    def describe(self):
        return "start"

    def __repr__(self):
        return "START"


START = _Start()


def _check_timeout(timeout):
    if timeout is not None and (not isinstance(timeout, (int, float)) or timeout < 0):
        raise SimError("timeout must be None or a number of virtual seconds >= 0, got %r"
                       % (timeout,))
