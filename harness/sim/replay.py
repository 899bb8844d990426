"""Running a world once, and replaying a recorded schedule (choices or a JSON trace)."""

import inspect
import json

from harness.sim.effects import SimError
from harness.sim.scheduler import Scheduler
from harness.sim.strategies import Replay
from harness.sim.trace import TRACE_FORMAT

__all__ = ["run_world", "replay", "load_choices"]


class World:
    """What a world factory returned: a check (-> failure signature or None) and an end state."""

    __slots__ = ("check", "end_state", "_pass_result")

    def __init__(self, built):
        end_state = None
        if isinstance(built, tuple):
            if len(built) != 2:
                raise SimError("a world factory returns check or (check, end_state), got a"
                               " tuple of %d" % len(built))
            built, end_state = built
        if not callable(built):
            raise SimError("a world factory must return a callable check(result) -> signature"
                           " or None, got %r" % (built,))
        self.check = built
        self.end_state = end_state
        self._pass_result = _takes_argument(built)

    def signature(self, result):
        return self.check(result) if self._pass_result else self.check()

    def state(self, result, signature):
        if self.end_state is None:
            return signature
        return self.end_state(result) if _takes_argument(self.end_state) else self.end_state()


def _takes_argument(fn):
    code = getattr(fn, "__code__", None)
    if code is not None and not hasattr(fn, "__self__"):
        return code.co_argcount > 0 or bool(code.co_flags & 0x04)   # 0x04: *args
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in params)


def run_world(world_factory, strategy, max_steps=100_000, max_time=86_400.0, record=True):
    """Build a fresh world on a new Scheduler, run it; returns (RunResult, signature, end_state)."""
    sched = Scheduler(strategy=strategy, max_steps=max_steps, max_time=max_time, record=record)
    world = World(world_factory(sched))
    result = sched.run()
    signature = world.signature(result)
    return result, signature, world.state(result, signature)


def replay(world_factory, choices, strict=True, max_steps=100_000, max_time=86_400.0):
    """Run ``world_factory`` under the recorded ``choices``; returns (RunResult, signature)."""
    result, signature, _state = run_world(world_factory, Replay(choices, strict=strict),
                                          max_steps, max_time)
    return result, signature


def load_choices(text):
    """The choice list from a trace's JSON text (``Trace.dumps()``) or a JSON list of ids."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SimError("not a JSON trace or choice list: %s" % exc) from None
    if isinstance(data, dict):
        if data.get("format") != TRACE_FORMAT:
            raise SimError("unknown trace format %r; expected %r"
                           % (data.get("format"), TRACE_FORMAT))
        data = data.get("choices")
    if not isinstance(data, list) or not all(isinstance(c, int) for c in data):
        raise SimError("a choice list is a JSON list of task ids (integers)")
    return data
