"""The exploration runner: strategies by name, limits, statistics, progress."""

import testtools

from harness import sim
from tests.unit.sim import toy_worlds


class TestExplore(testtools.TestCase):

    def test_exhaustive_enumerates_outcomes_and_says_exhausted(self):
        res = sim.explore(toy_worlds.lost_update, "exhaustive", schedules=1000,
                          stop_at_first=False)
        self.assertTrue(res.exhausted)
        self.assertEqual("exhausted", res.stopped_by)
        self.assertEqual({1: 2, 2: 2}, res.outcomes)
        self.assertEqual(2, res.distinct_outcomes)
        self.assertEqual(4, res.schedules)
        self.assertEqual(5, res.runs)
        self.assertEqual(1, res.pruned)
        self.assertEqual(["lost update: x=1"], [f.signature for f in res.failures])
        self.assertEqual(2, res.failures[0].count)
        self.assertGreater(res.steps_per_second, 0)

    def test_random_stops_at_first_failure(self):
        res = sim.explore(toy_worlds.lost_update, "random", schedules=500, seed=3)
        self.assertEqual("failure", res.stopped_by)
        self.assertEqual(1, len(res.failures))
        self.assertFalse(res.exhausted)
        _r, sig = sim.replay(toy_worlds.lost_update, res.failures[0].choices)
        self.assertEqual(res.failures[0].signature, sig)

    def test_schedule_limit_and_progress(self):
        seen = []
        res = sim.explore(toy_worlds.alternation, "random", schedules=50, seed=1,
                          stop_at_first=False, on_progress=lambda r: seen.append(r.runs),
                          progress_every=20)
        self.assertEqual(50, res.schedules)
        self.assertEqual("schedules", res.stopped_by)
        self.assertEqual([20, 40, 50], seen)
        self.assertLessEqual(res.distinct_outcomes, 2)

    def test_fifo_is_one_deterministic_schedule(self):
        res = sim.explore(toy_worlds.lost_update, "fifo", schedules=100)
        self.assertEqual(1, res.schedules)
        self.assertEqual([], res.failures)
        self.assertEqual({2: 1}, res.outcomes)

    def test_pct_by_name_finds_depth_two_bug(self):
        res = sim.explore(toy_worlds.lost_update, "pct", schedules=200, seed=9, depth=2)
        self.assertEqual(1, len(res.failures))

    def test_preemption_bound_by_name(self):
        res = sim.explore(toy_worlds.lost_update, "exhaustive", schedules=100, bound=0,
                          stop_at_first=False)
        self.assertTrue(res.exhausted)
        self.assertEqual([], res.failures)

    def test_check_without_argument_and_bad_factory(self):
        def world(sched):
            sched.spawn(toy_worlds.read_modify_write({"x": 0}, "x", "a"), "a")
            return lambda: None
        self.assertEqual(1, sim.explore(world, "fifo").schedules)
        err = self.assertRaises(sim.SimError, sim.explore, lambda s: 3, "fifo")
        self.assertIn("must return a callable", str(err))
        self.assertRaises(sim.SimError, sim.explore, world, "fifo", schedules=0)
        self.assertIn("Did you mean", str(self.assertRaises(sim.SimError, sim.explore, world,
                                                            "exhaustiv")))

    def test_max_runs_caps_runs(self):
        res = sim.explore(toy_worlds.busy, "random", schedules=10, stop_at_first=False,
                          max_runs=3)
        self.assertEqual(3, res.runs)
        self.assertEqual("max_runs", res.stopped_by)

    def test_replay_by_name(self):
        first = sim.explore(toy_worlds.lost_update, "random", schedules=100, seed=3)
        again = sim.explore(toy_worlds.lost_update, "replay",
                            choices=first.failures[0].choices)
        self.assertEqual(1, again.runs)
        self.assertEqual([first.failures[0].signature], [f.signature for f in again.failures])

    def test_shrink_failures(self):
        res = sim.explore(toy_worlds.lost_update, "random", schedules=100, seed=3,
                          shrink_failures=True)
        self.assertEqual([1, 1], res.failures[0].minimal)
        plain = sim.explore(toy_worlds.lost_update, "random", schedules=100, seed=3)
        self.assertIsNone(plain.failures[0].minimal)
