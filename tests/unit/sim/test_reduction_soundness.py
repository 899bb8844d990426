"""The sleep-set reduction loses no end state: generated programs, plain vs reduced search."""

import random

import testtools

from harness import sim
from harness.sim import hbgraph
from harness.sim.replay import run_world

KEYS = ("x", "y", "z")


def _program(rng, tasks, steps):
    """A list per task of (reads, writes) steps over a few shared keys."""
    prog = []
    for _t in range(tasks):
        task = []
        for _s in range(steps):
            reads = tuple(k for k in KEYS if rng.random() < 0.35)
            writes = tuple(k for k in KEYS if rng.random() < 0.3)
            task.append((reads, writes))
        prog.append(task)
    return prog


def _world(prog, with_event):
    def factory(sched):
        state = {k: 0 for k in KEYS}
        ev = sched.event("go")
        locals_ = []

        def task(i, steps):
            acc = i + 1
            for j, (reads, writes) in enumerate(steps):
                if with_event and i == 1 and j == 1:
                    acc += yield sim.Wait(ev, reads=("go",), writes=())
                yield sim.Point("t%d s%d" % (i, j), reads=reads, writes=writes)
                for k in reads:
                    acc = acc * 3 + state[k]
                for k in writes:
                    state[k] = acc * 7 + j
            if with_event and i == 0:
                ev.set(acc)
            locals_.append((i, acc))

        for i, steps in enumerate(prog):
            sched.spawn(task(i, steps), name="t%d" % i, reads=(), writes=())

        def end_state():
            return (tuple(sorted(state.items())), tuple(sorted(locals_)))
        return (lambda result: None), end_state
    return factory


def _search(world, strategy):
    outcomes, classes, schedules = set(), set(), 0
    for _ in range(5000):
        if strategy.exhausted:
            break
        result, _sig, state = run_world(world, strategy)
        if not result.pruned:
            schedules += 1
            outcomes.add(state)
            classes.add(hbgraph.canonical(result.trace))
    return outcomes, classes, schedules, strategy.exhausted


class TestReductionSoundness(testtools.TestCase):

    def _compare(self, seed, with_event):
        rng = random.Random(seed)
        prog = _program(rng, 3, 2)
        world = _world(prog, with_event)
        plain = _search(world, sim.Exhaustive(reduce=False))
        reduced = _search(world, sim.Exhaustive())
        self.assertTrue(plain[3] and reduced[3])
        self.assertEqual(plain[0], reduced[0], "seed %d program %r" % (seed, prog))
        self.assertEqual(plain[1], reduced[1])
        self.assertEqual(len(plain[1]), reduced[2])    # one schedule per class
        return plain[2], reduced[2]

    def test_generated_programs_keep_every_outcome(self):
        totals = [0, 0]
        for seed in range(8):
            p, r = self._compare(seed, with_event=False)
            totals[0] += p
            totals[1] += r
        self.assertLess(totals[1], totals[0])

    def test_generated_programs_with_events_keep_every_outcome(self):
        for seed in range(12, 17):
            self._compare(seed, with_event=True)

    def test_daemon_steps_racing_the_end_of_the_run_are_kept(self):
        def world(sched):
            state = {"x": 0, "y": 0}

            def main():
                yield sim.Point("main", writes=("x",))
                state["x"] = 1

            def daemon():
                yield sim.Point("daemon", writes=("y",))
                state["y"] = 1
                yield sim.Sleep(10)
            sched.spawn(main(), "main", reads=(), writes=())
            sched.spawn(daemon(), "daemon", daemon=True, reads=(), writes=())
            return (lambda r: None), (lambda: (state["x"], state["y"]))
        plain = _search(world, sim.Exhaustive(reduce=False))
        reduced = _search(world, sim.Exhaustive())
        # the daemon's write happens only if it runs before main's last step ends the run
        self.assertEqual({(1, 0), (1, 1)}, plain[0])
        self.assertEqual(plain[0], reduced[0])

    def _two_setters(self, tracked):
        def world(sched):
            ev = sched.event("reply", tracked=tracked)
            got = []

            def setter(value):
                yield sim.Point("set %s" % value, writes=("own:%s" % value,))
                ev.set(value)

            def waiter():
                got.append((yield sim.Wait(ev)))
            sched.spawn(waiter(), "waiter", reads=(), writes=())
            sched.spawn(setter("a"), "a", reads=(), writes=())
            sched.spawn(setter("b"), "b", reads=(), writes=())
            return (lambda r: None), (lambda: tuple(got))
        return world

    def test_undeclared_event_sets_are_seen_by_the_reduction(self):
        world = self._two_setters(tracked=True)
        plain = _search(world, sim.Exhaustive(reduce=False))
        reduced = _search(world, sim.Exhaustive())
        # whoever sets the event first decides the waiter's value
        self.assertEqual({("a",), ("b",)}, plain[0])
        self.assertEqual(plain[0], reduced[0])
        self.assertLess(reduced[2], plain[2])

    def test_untracked_event_lets_notifying_steps_commute(self):
        tracked = _search(self._two_setters(tracked=True), sim.Exhaustive())
        untracked = _search(self._two_setters(tracked=False), sim.Exhaustive())
        self.assertLess(untracked[2], tracked[2])
        self.assertLessEqual(untracked[0], tracked[0])


def _effect_program(rng, tasks, steps):
    """Per task, steps of a random kind (point, sleep, event set/test/wait, cancel)."""
    kinds = ("point", "point", "sleep", "set", "wait", "cancel", "test")
    prog = []
    for _t in range(tasks):
        ops = []
        for _s in range(steps):
            reads = tuple(k for k in KEYS if rng.random() < 0.35)
            writes = tuple(k for k in KEYS if rng.random() < 0.3)
            ops.append((rng.choice(kinds), reads, writes, rng.randrange(tasks),
                        rng.choice((1, 2))))
        prog.append(ops)
    return prog


def _effect_world(prog):
    def factory(sched):
        state = {k: 0 for k in KEYS}
        events = [sched.event("e1"), sched.event("e2")]
        out = []
        tasks = []

        def task(i, ops):
            acc = i + 1
            try:
                for j, (kind, reads, writes, other, n) in enumerate(ops):
                    if kind == "sleep":
                        yield sim.Sleep(n)
                    elif kind == "wait":
                        try:
                            acc += (yield sim.Wait(events[n - 1], timeout=3)) or 0
                        except sim.Timeout:
                            acc += 100
                    yield sim.Point("t%d s%d" % (i, j), reads=reads, writes=writes)
                    for k in reads:
                        acc = acc * 3 + state[k]
                    for k in writes:
                        state[k] = acc * 7 + j
                    if kind == "set":
                        events[n - 1].set(acc % 5)
                    elif kind == "test":
                        acc += 11 if events[n - 1].is_set else 0
                    elif kind == "cancel" and other != i:
                        tasks[other].cancel()
            except sim.Cancelled:
                out.append((i, "cancelled", acc))
                raise
            out.append((i, acc))

        for i, ops in enumerate(prog):
            tasks.append(sched.spawn(task(i, ops), name="t%d" % i, reads=(), writes=()))

        def end_state():
            return tuple(sorted(state.items())), tuple(sorted(out)), sched.now
        return (lambda result: None), end_state
    return factory


class TestReductionSoundnessWithEffects(testtools.TestCase):
    """Programs mixing sleeps, event sets/tests/waits with timeouts and cancellations."""

    def test_generated_effect_programs_keep_every_outcome(self):
        checked = 0
        pruned_total = plain_total = 0
        for seed in range(16):
            prog = _effect_program(random.Random(seed), 3, 2)
            world = _effect_world(prog)
            plain = _search(world, sim.Exhaustive(reduce=False))
            reduced = _search(world, sim.Exhaustive())
            self.assertTrue(plain[3] and reduced[3])
            self.assertEqual(plain[0], reduced[0], "seed %d program %r" % (seed, prog))
            self.assertEqual(plain[1], reduced[1])
            self.assertEqual(len(plain[1]), reduced[2])
            plain_total += plain[2]
            pruned_total += reduced[2]
            checked += 1
        self.assertEqual(16, checked)
        self.assertLess(pruned_total, plain_total)
