"""The record of one run: every step and every scheduling choice, as text and as JSON.

Both forms depend only on the schedule (task ids, labels, footprints, virtual time, exception
types and messages), never on object addresses or PYTHONHASHSEED, so two runs of the same
schedule in different processes produce identical text.
"""

import json

__all__ = ["Step", "Choice", "Trace", "TRACE_FORMAT"]

TRACE_FORMAT = "harness.sim.trace/1"


class Step:
    """One atomic step: ``task`` resumed from ``effect`` and ran until ``outcome``.

    ``effect`` is the pending effect the step resumes from (its label and declared footprint);
    ``outcome`` is the next effect the task yielded, or the string "return"/"cancelled", or the
    exception the task died with.  ``dyn`` holds footprint keys the step wrote as a side effect
    (events set or cleared, tasks cancelled), ``dynr`` the keys it read (events tested or waited
    for, tasks joined); ``cause`` is the index of the step that enabled this one (spawn, event
    set, task finished) or None (program order or a timer).
    """

    __slots__ = ("index", "task", "effect", "outcome", "dyn", "dynr", "cause", "time",
                 "resumed_exc")

    def __init__(self, index, task, effect, outcome, dyn, dynr, cause, time, resumed_exc):
        self.index = index
        self.task = task
        self.effect = effect
        self.outcome = outcome
        self.dyn = dyn
        self.dynr = dynr
        self.cause = cause
        self.time = time
        self.resumed_exc = resumed_exc

    @property
    def label(self):
        return self.effect.describe()

    @property
    def opaque(self):
        """True when the step's footprint is unknown (it conflicts with every step)."""
        return self.effect.opaque or self.resumed_exc is not None

    @property
    def reads(self):
        if self.dynr:
            return self.effect.reads + tuple(self.dynr)
        return self.effect.reads

    @property
    def writes(self):
        if self.dyn:
            return self.effect.writes + tuple(self.dyn)
        return self.effect.writes

    @property
    def finished(self):
        """True when the task ended in this step (returned, failed or was cancelled)."""
        return not hasattr(self.outcome, "kind")

    def footprint(self):
        """(reads, writes) including the implicit accesses of the task's own state key.

        Every step reads its task's key and the step that ends the task writes it, so a cancel
        (a write of the key) conflicts with the task's steps and a join (a read of the key)
        with the task's last step.
        """
        own = (self.task.key,)
        if self.finished:
            return self.reads, self.writes + own
        return self.reads + own, self.writes

    def outcome_text(self):
        out = self.outcome
        if isinstance(out, str):
            return out
        if isinstance(out, BaseException):
            return "raise %s: %s" % (type(out).__name__, out)
        if out.kind == "point":
            return "point " + out.label
        return out.describe()

    def text(self):
        parts = ["*"] if self.opaque else []
        reads = self.dynr if self.opaque else self.reads
        if reads:
            parts.append("r:" + ",".join(reads))
        writes = self.dyn if self.opaque else self.writes
        if writes:
            parts.append("w:" + ",".join(writes))
        fp = " ".join(parts)
        resumed = ""
        if self.resumed_exc is not None:
            resumed = " <%s>" % type(self.resumed_exc).__name__
        return "%d @%g t%d %s: %s%s [%s] -> %s" % (
            self.index, self.time, self.task.id, self.task.name, self.label, resumed, fp,
            self.outcome_text())

    def to_json(self):
        return {"i": self.index, "t": self.task.id, "task": self.task.name,
                "time": self.time, "label": self.label, "r": list(self.reads),
                "w": list(self.writes), "opaque": self.opaque, "cause": self.cause,
                "out": self.outcome_text()}

    def __repr__(self):
        return "<Step %s>" % self.text()


class Choice:
    """A scheduling decision before step ``step``: ``chosen`` among ``enabled`` (task ids)."""

    __slots__ = ("step", "chosen", "enabled")

    def __init__(self, step, chosen, enabled):
        self.step = step
        self.chosen = chosen
        self.enabled = enabled

    def text(self):
        return "choice t%d of [%s]" % (self.chosen, ",".join("t%d" % i for i in self.enabled))

    def to_json(self):
        return {"step": self.step, "chosen": self.chosen, "enabled": list(self.enabled)}


class Trace:
    """Steps and choices of one run, in order."""

    __slots__ = ("steps", "decisions", "meta")

    def __init__(self):
        self.steps = []
        self.decisions = []
        self.meta = {}

    @property
    def choices(self):
        """The chosen task ids, the list that ``sim.Replay`` takes."""
        return [c.chosen for c in self.decisions]

    def text(self):
        """Compact text: one line per step, a choice line before each decided step."""
        lines = []
        decisions = iter(self.decisions)
        nxt = next(decisions, None)
        for step in self.steps:
            while nxt is not None and nxt.step == step.index:
                lines.append("   " + nxt.text())
                nxt = next(decisions, None)
            lines.append(step.text())
        return "\n".join(lines)

    def to_json(self):
        return {"format": TRACE_FORMAT, "meta": dict(sorted(self.meta.items())),
                "choices": self.choices,
                "decisions": [c.to_json() for c in self.decisions],
                "steps": [s.to_json() for s in self.steps]}

    def dumps(self):
        """JSON text with sorted keys (stable bytes)."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))

    def __len__(self):
        return len(self.steps)
