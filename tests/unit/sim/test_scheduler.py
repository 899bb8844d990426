"""Tests of the scheduler core: effects, time, events, joins, cancellation, limits, hooks."""

import testtools

from harness import sim


def _point(label, out, value=None):
    yield sim.Point(label)
    out.append(label if value is None else value)


class TestRunBasics(testtools.TestCase):

    def test_fifo_runs_oldest_enabled_task_first(self):
        s = sim.Scheduler()
        out = []

        def worker(name):
            for i in range(3):
                yield sim.Point("%s%d" % (name, i))
                out.append("%s%d" % (name, i))
        s.spawn(worker("a"), "a")
        s.spawn(worker("b"), "b")
        result = s.run()
        self.assertEqual(["a0", "a1", "a2", "b0", "b1", "b2"], out)
        self.assertEqual(8, result.steps)
        self.assertEqual([0, 0, 0, 0], result.choices)
        self.assertTrue(result.ok)

    def test_yield_from_nests_and_returns_values(self):
        s = sim.Scheduler(strategy=sim.RandomStrategy(1))

        def leaf(n):
            yield sim.Point("leaf %d" % n)
            return n * 2

        def middle(n):
            a = yield from leaf(n)
            b = yield from leaf(n + 1)
            return a + b

        def top():
            total = 0
            for n in range(3):
                total += yield from middle(n)
            return total
        task = s.spawn(top(), "top")
        result = s.run()
        self.assertEqual((0 + 2) + (2 + 4) + (4 + 6), task.result)
        self.assertEqual(7, result.steps)
        self.assertEqual(["start"] + ["leaf %d" % n for n in (0, 1, 1, 2, 2, 3)],
                         [step.label for step in result.trace.steps])

    def test_spawn_from_inside_a_task_and_current(self):
        s = sim.Scheduler()
        seen = []

        def child():
            seen.append(s.current.name)
            yield sim.Point("child")

        def parent():
            seen.append(s.current.name)
            t = s.spawn(child(), "child")
            yield sim.Point("parent")
            return t.parent
        p = s.spawn(parent(), "parent")
        result = s.run()
        self.assertEqual(["parent", "child"], seen)
        self.assertEqual(p.id, p.result)
        self.assertIsNone(s.current)
        spawn_step = [st for st in result.trace.steps if st.task.name == "child"][0]
        self.assertEqual(0, spawn_step.cause)

    def test_spawn_needs_a_generator(self):
        s = sim.Scheduler()

        def gen():
            yield sim.Point("x")
        err = self.assertRaises(sim.SimError, s.spawn, gen)
        self.assertIn("spawn(gen(...))", str(err))

    def test_yielding_a_non_effect_fails_the_task_with_a_hint(self):
        s = sim.Scheduler()

        def sub():
            yield sim.Point("x")

        def bad():
            yield sub()
        s.spawn(bad(), "bad")
        result = s.run()
        self.assertIsInstance(result.failures["bad"], sim.SimError)
        self.assertIn("yield from", str(result.failures["bad"]))

    def test_run_only_once(self):
        s = sim.Scheduler()
        s.run()
        self.assertRaises(sim.SimError, s.run)


class TestTime(testtools.TestCase):

    def test_sleep_advances_virtual_time_only_when_idle(self):
        s = sim.Scheduler()
        stamps = []

        def sleeper(name, secs):
            yield sim.Sleep(secs)
            stamps.append((name, s.now))

        def busy():
            for i in range(5):
                yield sim.Point("busy %d" % i)
                stamps.append(("busy", s.now))
        s.spawn(sleeper("long", 10), "long")
        s.spawn(sleeper("short", 2.5), "short")
        s.spawn(busy(), "busy")
        result = s.run()
        self.assertEqual([("busy", 0)] * 5 + [("short", 2.5), ("long", 10)], stamps)
        self.assertEqual(10, result.now)

    def test_sleep_zero_yields_without_time(self):
        s = sim.Scheduler()

        def z():
            yield sim.Sleep(0)
        s.spawn(z())
        self.assertEqual(0, s.run().now)

    def test_bad_sleep_and_timeout_values(self):
        self.assertRaises(sim.SimError, sim.Sleep, -1)
        self.assertRaises(sim.SimError, sim.Sleep, "5")
        s = sim.Scheduler()
        self.assertRaises(sim.SimError, sim.Wait, s.event(), -2)
        self.assertRaises(sim.SimError, sim.Wait, "not an event")

    def test_every_runs_periodically_and_does_not_keep_run_alive(self):
        s = sim.Scheduler()
        ticks = []

        def tick():
            yield sim.Point("tick")
            ticks.append(s.now)

        def main():
            yield sim.Sleep(35)
        s.every(10, tick, name="tick")
        s.spawn(main(), "main")
        result = s.run()
        self.assertEqual([10, 20, 30], ticks)
        self.assertEqual(35, result.now)
        self.assertEqual([], result.blocked)

    def test_periodic_error_is_recorded_and_loop_continues(self):
        s = sim.Scheduler()
        rounds = []

        def tick():
            yield sim.Point("tick")
            rounds.append(s.now)
            if len(rounds) == 1:
                raise RuntimeError("first round broke")

        def main():
            yield sim.Sleep(25)
        s.every(10, tick, name="tick")
        s.spawn(main(), "main")
        result = s.run()
        self.assertEqual([10, 20], rounds)
        self.assertEqual(["tick"], sorted(result.failures))
        self.assertIn("first round broke", str(result.failures["tick"]))

    def test_every_validates_arguments(self):
        s = sim.Scheduler()
        self.assertRaises(sim.SimError, s.every, 0, lambda: None)
        self.assertRaises(sim.SimError, s.every, 5, "nope")

    def test_time_limit(self):
        s = sim.Scheduler(max_time=100)

        def slow():
            yield sim.Sleep(50)
            yield sim.Sleep(60)
        s.spawn(slow(), "slow")
        result = s.run()
        self.assertTrue(result.hit_time_limit)
        self.assertEqual(50, result.now)
        self.assertEqual(["slow"], [b.name for b in result.blocked])
        self.assertEqual([], result.deadlocked)
        self.assertFalse(result.ok)


class TestEventsAndTimeouts(testtools.TestCase):

    def test_wait_returns_the_value_set(self):
        s = sim.Scheduler()
        ev = s.event("reply")
        got = []

        def waiter():
            got.append((yield sim.Wait(ev)))

        def setter():
            yield sim.Sleep(4)
            ev.set({"status": 200})
        s.spawn(waiter(), "waiter")
        s.spawn(setter(), "setter")
        result = s.run()
        self.assertEqual([{"status": 200}], got)
        self.assertTrue(ev.is_set)
        set_step = [st for st in result.trace.steps if st.dyn][0]
        self.assertEqual([ev.key], set_step.dyn)
        woken = [st for st in result.trace.steps if st.label == "wait reply"][0]
        self.assertEqual(set_step.index, woken.cause)

    def test_wait_on_a_set_event_does_not_block_and_clear_resets(self):
        s = sim.Scheduler()
        ev = s.event("e")
        ev.set(1)
        out = []

        def t():
            out.append((yield ev.wait()))
            ev.clear()
            try:
                yield sim.Wait(ev, timeout=3)
            except sim.Timeout:
                out.append(s.now)
        s.spawn(t())
        s.run()
        self.assertEqual([1, 3], out)
        self.assertFalse(ev.is_set)

    def test_wait_timeout_raises_timeout_and_later_set_does_not_wake(self):
        s = sim.Scheduler()
        ev = s.event("reply")
        out = []

        def caller():
            try:
                yield sim.Wait(ev, timeout=60)
            except sim.Timeout as exc:
                out.append(("timeout", s.now, str(exc)))

        def late():
            yield sim.Sleep(61)
            ev.set("late")
            out.append(("set", s.now))
        s.spawn(caller(), "caller")
        s.spawn(late(), "late")
        result = s.run()
        self.assertEqual([("timeout", 60, "wait for reply timed out after 60s"), ("set", 61)],
                         out)
        self.assertTrue(result.ok)

    def test_set_before_timeout_wins_and_cancels_the_timer(self):
        s = sim.Scheduler()
        ev = s.event("reply")
        out = []

        def caller():
            out.append((yield sim.Wait(ev, timeout=60)))
            yield sim.Sleep(100)
            out.append(s.now)

        def replier():
            yield sim.Sleep(5)
            ev.set("ok")
        s.spawn(caller(), "caller")
        s.spawn(replier(), "replier")
        s.run()
        self.assertEqual(["ok", 105], out)


class TestJoins(testtools.TestCase):

    def test_join_returns_result_and_raises_failure(self):
        s = sim.Scheduler()
        out = []

        def good():
            yield sim.Point("good")
            return 42

        def bad():
            yield sim.Point("bad")
            raise KeyError("missing")

        def main():
            g = s.spawn(good(), "good")
            b = s.spawn(bad(), "bad")
            out.append((yield sim.Join(g)))
            try:
                yield sim.Join(b)
            except KeyError as exc:
                out.append(repr(exc))
        s.spawn(main(), "main")
        result = s.run()
        self.assertEqual([42, "KeyError('missing')"], out)
        self.assertEqual({}, result.failures)

    def test_join_of_already_failed_task_observes_it(self):
        s = sim.Scheduler()
        out = []

        def bad():
            raise ValueError("early")
            yield

        def main(b):
            yield sim.Sleep(1)
            try:
                yield sim.Join(b)
            except ValueError as exc:
                out.append(str(exc))
        b = s.spawn(bad(), "bad")
        s.spawn(main(b), "main")
        result = s.run()
        self.assertEqual(["early"], out)
        self.assertEqual({}, result.failures)
        self.assertTrue(b.failed)

    def test_unjoined_failure_goes_to_failures_not_out_of_run(self):
        s = sim.Scheduler()

        def bad(n):
            yield sim.Point("p")
            raise RuntimeError("boom %d" % n)
        s.spawn(bad(1), "worker")
        s.spawn(bad(2), "worker")
        s.spawn(bad(3), "other")
        result = s.run()
        self.assertEqual(["other", "worker#0", "worker#1"], sorted(result.failures))
        self.assertEqual("boom 2", str(result.failures["worker#1"]))
        self.assertFalse(result.ok)

    def test_join_timeout(self):
        s = sim.Scheduler()
        out = []

        def slow():
            yield sim.Sleep(100)
            return "late"

        def main(t):
            try:
                yield sim.Join(t, timeout=10)
            except sim.Timeout as exc:
                out.append((s.now, str(exc)))
            out.append((yield sim.Join(t)))
        t = s.spawn(slow(), "slow")
        s.spawn(main(t), "main")
        s.run()
        self.assertEqual([(10, "join of slow timed out after 10s"), "late"], out)

    def test_join_self_fails_the_task(self):
        s = sim.Scheduler()

        def selfish():
            yield sim.Join(s.current)
        s.spawn(selfish(), "selfish")
        result = s.run()
        self.assertIn("cannot join itself", str(result.failures["selfish"]))


class TestCancellation(testtools.TestCase):

    def test_cancel_blocked_task_runs_its_cleanup(self):
        s = sim.Scheduler()
        out = []
        ev = s.event("never")

        def victim():
            try:
                yield sim.Wait(ev, timeout=1000)
            finally:
                out.append(("cleanup", s.now))

        def killer(v):
            yield sim.Sleep(3)
            self.assertTrue(v.cancel())
        v = s.spawn(victim(), "victim")
        s.spawn(killer(v), "killer")
        result = s.run()
        self.assertEqual([("cleanup", 3)], out)
        self.assertTrue(v.cancelled)
        self.assertEqual({}, result.failures)
        self.assertEqual(3, result.now)
        self.assertFalse(v.cancel())

    def test_cancel_enabled_task_from_another_task(self):
        s = sim.Scheduler(strategy=sim.Replay([0, 1, 2, 2]))
        out = []
        targets = []

        def worker(name):
            try:
                yield sim.Point(name)
                out.append(name)
            except sim.Cancelled:
                out.append("cancelled " + name)
                raise

        def killer():
            yield sim.Point("kill")
            for t in targets:
                t.cancel()
        targets.append(s.spawn(worker("a"), "a"))
        s.spawn(worker("b"), "b")
        s.spawn(killer(), "k")
        result = s.run()
        # a and b wait at their points; k cancels a, which sees Cancelled in its try block
        self.assertEqual(["b", "cancelled a"], sorted(out))
        self.assertTrue(targets[0].cancelled)
        kill_step = [st for st in result.trace.steps if st.label == "kill"][0]
        self.assertEqual([targets[0].key], kill_step.dyn)

    def test_cancel_not_started_task(self):
        s = sim.Scheduler()
        out = []

        def worker():
            out.append("ran")
            yield sim.Point("x")
        t = s.spawn(worker(), "w")
        t.cancel()
        result = s.run()
        self.assertEqual([], out)
        self.assertTrue(t.cancelled)
        self.assertTrue(result.ok)

    def test_self_cancel_is_delivered_at_next_yield_and_joiner_sees_cancelled(self):
        s = sim.Scheduler()
        out = []

        def worker():
            s.current.cancel()
            out.append("still running")
            yield sim.Point("after")
            out.append("never")

        def main(t):
            try:
                yield sim.Join(t)
            except sim.Cancelled:
                out.append("joined cancelled")
        t = s.spawn(worker(), "w")
        s.spawn(main(t), "main")
        s.run()
        self.assertEqual(["still running", "joined cancelled"], out)

    def test_cancelled_is_not_swallowed_by_except_exception(self):
        s = sim.Scheduler()
        out = []

        def victim():
            try:
                yield sim.Sleep(10)
            except Exception:
                out.append("swallowed")
            out.append("after")

        def killer(v):
            yield sim.Point("kill")
            v.cancel()
        v = s.spawn(victim(), "v")
        s.spawn(killer(v), "k")
        s.run()
        self.assertEqual([], out)
        self.assertTrue(v.cancelled)


class TestLimitsAndDeadlock(testtools.TestCase):

    def test_deadlock_lists_blocked_tasks_and_what_they_wait_for(self):
        s = sim.Scheduler()
        ev = s.event("reply")

        def waiter():
            yield sim.Wait(ev)

        def joiner(t):
            yield sim.Join(t)

        def fine():
            yield sim.Point("ok")
        w = s.spawn(waiter(), "waiter")
        s.spawn(joiner(w), "joiner")
        s.spawn(fine(), "fine")
        s.spawn(waiter(), "daemon", daemon=True)
        result = s.run()
        self.assertEqual([("waiter", "wait reply"), ("joiner", "join waiter")],
                         [(b.name, b.waiting_for) for b in result.deadlocked])
        self.assertEqual(result.deadlocked, result.blocked)
        self.assertFalse(result.hit_step_limit)
        self.assertFalse(result.ok)

    def test_no_deadlock_when_all_finish(self):
        s = sim.Scheduler()
        s.spawn(_point("x", []), "x")
        result = s.run()
        self.assertEqual([], result.deadlocked)
        self.assertEqual([], result.blocked)

    def test_step_limit(self):
        s = sim.Scheduler(max_steps=50)

        def forever():
            while True:
                yield sim.Point("spin")
        s.spawn(forever(), "spin")
        result = s.run()
        self.assertTrue(result.hit_step_limit)
        self.assertEqual(50, result.steps)
        self.assertEqual([], result.deadlocked)
        self.assertEqual(["spin"], [b.name for b in result.blocked])

    def test_task_limit(self):
        s = sim.Scheduler(max_tasks=3)
        for i in range(3):
            s.spawn(_point("p", []), "t%d" % i)
        err = self.assertRaises(sim.SimLimitError, s.spawn, _point("p", []), "t3")
        self.assertIn("max_tasks=3", str(err))


class TestHooks(testtools.TestCase):

    def test_step_hook_sees_every_step_and_can_stop(self):
        s = sim.Scheduler()
        seen = []

        def hook(sched, step):
            seen.append((step.index, step.task.name, step.label))
            if step.label == "b1":
                sched.stop("invariant broke")

        def worker(name):
            for i in range(3):
                yield sim.Point("%s%d" % (name, i))
        s.spawn(worker("a"), "a")
        s.spawn(worker("b"), "b")
        s.add_step_hook(hook)
        result = s.run()
        self.assertEqual("invariant broke", result.stopped)
        self.assertEqual(7, result.steps)
        self.assertEqual((6, "b", "b1"), seen[-1])
        self.assertEqual(list(range(7)), [i for i, _n, _l in seen])
        self.assertEqual([], result.deadlocked)
