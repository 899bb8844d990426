"""Tests of the strategies on toy worlds with known answers (lost update, alternation)."""

import math

import testtools

from harness import sim
from harness.sim import hbgraph
from harness.sim.replay import run_world
from tests.unit.sim import toy_worlds


def _enumerate(world, strategy, limit=1000):
    """Run an exhaustive strategy to the end: (complete results, outcomes, runs)."""
    complete, outcomes, runs = [], set(), 0
    while not strategy.exhausted and runs < limit:
        result, _sig, state = run_world(world, strategy)
        runs += 1
        if not result.pruned:
            complete.append(result)
            outcomes.add(state)
    return complete, outcomes, runs


class TestFifoAndRandom(testtools.TestCase):

    def test_fifo_misses_the_lost_update(self):
        result, sig, state = run_world(toy_worlds.lost_update, sim.Fifo())
        self.assertIsNone(sig)
        self.assertEqual(2, state)

    def test_random_finds_the_lost_update(self):
        found = []
        for seed in range(20):
            _result, sig, _state = run_world(toy_worlds.lost_update, sim.RandomStrategy(seed))
            if sig is not None:
                found.append(seed)
        self.assertNotEqual([], found)
        self.assertNotEqual(list(range(20)), found)

    def test_random_is_deterministic_per_seed(self):
        a, _s, _st = run_world(toy_worlds.busy, sim.RandomStrategy(11))
        b, _s, _st = run_world(toy_worlds.busy, sim.RandomStrategy(11))
        c, _s, _st = run_world(toy_worlds.busy, sim.RandomStrategy(12))
        self.assertEqual(a.trace.text(), b.trace.text())
        self.assertNotEqual(a.trace.text(), c.trace.text())


class TestExhaustive(testtools.TestCase):

    def test_plain_enumeration_covers_every_interleaving(self):
        complete, outcomes, runs = _enumerate(toy_worlds.lost_update, sim.Exhaustive(reduce=False))
        # two tasks of three steps each: C(6, 3) interleavings
        self.assertEqual(math.comb(6, 3), len(complete))
        self.assertEqual(runs, len(complete))
        self.assertEqual({1, 2}, outcomes)
        self.assertEqual(len(complete), len({r.trace.text() for r in complete}))

    def test_sleep_sets_explore_one_schedule_per_equivalence_class(self):
        plain, plain_outcomes, _ = _enumerate(toy_worlds.lost_update,
                                              sim.Exhaustive(reduce=False))
        strategy = sim.Exhaustive()
        reduced, outcomes, runs = _enumerate(toy_worlds.lost_update, strategy)
        self.assertTrue(strategy.exhausted)
        self.assertEqual(plain_outcomes, outcomes)
        classes = {hbgraph.canonical(r.trace) for r in plain}
        reduced_classes = [hbgraph.canonical(r.trace) for r in reduced]
        # read/read commute: a and b may read in either order -> 4 classes of 20 orders
        self.assertEqual(4, len(classes))
        self.assertEqual(len(classes), len(reduced))
        self.assertEqual(classes, set(reduced_classes))
        self.assertLess(runs, len(plain))
        self.assertEqual(1, runs - len(reduced))   # one sleep-set-blocked partial run

    def test_opaque_steps_are_never_reordered_away(self):
        plain, plain_outcomes, _ = _enumerate(toy_worlds.lost_update_opaque,
                                              sim.Exhaustive(reduce=False))
        reduced, outcomes, _ = _enumerate(toy_worlds.lost_update_opaque, sim.Exhaustive())
        classes = {hbgraph.canonical(r.trace) for r in plain}
        self.assertEqual(plain_outcomes, outcomes)
        self.assertEqual(classes, {hbgraph.canonical(r.trace) for r in reduced})
        self.assertEqual(len(classes), len(reduced))
        self.assertLess(len(reduced), len(plain))

    def test_alternation_classes(self):
        plain, _o, _r = _enumerate(toy_worlds.alternation, sim.Exhaustive(reduce=False))
        reduced, outcomes, _r = _enumerate(toy_worlds.alternation, sim.Exhaustive())
        # four steps all writing "log": C(4, 2) orders of the ops; starts commute
        self.assertEqual(math.comb(4, 2), len(reduced))
        self.assertEqual({"alternated", None}, outcomes)
        self.assertEqual({hbgraph.canonical(r.trace) for r in plain},
                         {hbgraph.canonical(r.trace) for r in reduced})

    def test_preemption_bound(self):
        zero, outcomes0, _ = _enumerate(toy_worlds.lost_update, sim.Exhaustive(0))
        one, outcomes1, _ = _enumerate(toy_worlds.lost_update, sim.Exhaustive(1))
        # without preemption each task runs to completion: a;b or b;a
        self.assertEqual(2, len(zero))
        self.assertEqual({2}, outcomes0)
        self.assertEqual({1, 2}, outcomes1)
        self.assertLess(len(one), math.comb(6, 3))
        self.assertGreater(len(one), len(zero))

    def test_exhausted_strategy_refuses_another_run(self):
        strategy = sim.Exhaustive()
        _enumerate(toy_worlds.lost_update, strategy)
        self.assertRaises(sim.SimError, run_world, toy_worlds.lost_update, strategy)

    def test_nondeterministic_world_is_reported(self):
        calls = []

        def flaky(sched):
            calls.append(1)
            n = 2 if len(calls) == 1 else 3
            for i in range(n):
                sched.spawn(toy_worlds.read_modify_write({"x": 0}, "x", "t%d" % i),
                            name="t%d" % i)
            return lambda r: None
        strategy = sim.Exhaustive()
        run_world(flaky, strategy)
        err = self.assertRaises(sim.NondeterminismError, run_world, flaky, strategy)
        self.assertIn("not deterministic", str(err))


class TestPct(testtools.TestCase):

    def _hit_rate(self, world, depth, seeds, steps):
        hits = 0
        for i in range(seeds):
            strategy = sim.Pct(sim.stable_seed("pct-%s" % world.__name__, i), depth, steps)
            result, sig, _state = run_world(world, strategy)
            self.assertEqual(steps, result.steps)
            hits += sig is not None
        return hits / seeds

    def test_depth_two_bug_found_within_bound(self):
        n, k, d = 2, 6, 2
        rate = self._hit_rate(toy_worlds.lost_update, d, 200, k)
        self.assertGreaterEqual(rate, 1 / (n * k ** (d - 1)))
        self.assertLess(rate, 1.0)

    def test_depth_three_bug_found_within_bound(self):
        n, k, d = 2, 6, 3
        rate = self._hit_rate(toy_worlds.alternation, d, 200, k)
        self.assertGreaterEqual(rate, 1 / (n * k ** (d - 1)))

    def test_depth_three_bug_needs_depth_three(self):
        self.assertEqual(0.0, self._hit_rate(toy_worlds.alternation, 2, 200, 6))

    def test_step_estimate_adapts(self):
        strategy = sim.Pct(5, depth=3)
        self.assertEqual(0, strategy.steps_estimate)
        run_world(toy_worlds.lost_update, strategy)
        self.assertEqual(6, strategy.steps_estimate)

    def test_bad_depth(self):
        self.assertRaises(sim.SimError, sim.Pct, 1, 0)


class TestReplayStrategy(testtools.TestCase):

    def test_replay_reproduces_a_random_run(self):
        original, sig, _ = run_world(toy_worlds.busy, sim.RandomStrategy(5))
        again, sig2, _ = run_world(toy_worlds.busy, sim.Replay(original.choices))
        self.assertEqual(original.trace.text(), again.trace.text())
        self.assertEqual(original.trace.dumps(), again.trace.dumps())
        self.assertEqual(sig, sig2)

    def test_strict_replay_reports_divergence(self):
        err = self.assertRaises(sim.ReplayDivergence, run_world, toy_worlds.lost_update,
                                sim.Replay([7]))
        self.assertIn("t7 is not enabled", str(err))
        self.assertIn("t0 a, t1 b", str(err))

    def test_lenient_replay_falls_back_to_fifo(self):
        strategy = sim.Replay([7, 1], strict=False)
        result, _sig, _state = run_world(toy_worlds.lost_update, strategy)
        self.assertEqual(1, strategy.divergences)
        self.assertEqual([0, 1, 0, 0], result.choices)

    def test_make_strategy(self):
        self.assertIsInstance(sim.make_strategy("fifo"), sim.Fifo)
        self.assertEqual(3, sim.make_strategy("pct", seed=1, depth=3).depth)
        self.assertEqual(2, sim.make_strategy("exhaustive", bound=2).bound)
        self.assertEqual([1], sim.make_strategy("replay", choices=[1]).choices)
        err = self.assertRaises(sim.SimError, sim.make_strategy, "randmo")
        self.assertIn("Did you mean 'random'?", str(err))
        self.assertRaises(sim.SimError, sim.make_strategy, "replay")
