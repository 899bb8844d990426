"""Shrinking failing schedules to the known minimal one."""

import testtools

from harness import sim
from harness.sim.replay import replay, run_world
from tests.unit.sim import toy_worlds


def _failing_random_runs(world, count):
    found = []
    seed = 0
    while len(found) < count and seed < 500:
        result, sig, _state = run_world(world, sim.RandomStrategy(seed))
        if sig is not None:
            found.append((result.choices, sig))
        seed += 1
    return found


class TestShrink(testtools.TestCase):

    def test_lost_update_shrinks_to_b_reading_first(self):
        runs = _failing_random_runs(toy_worlds.lost_update, 5)
        self.assertEqual(5, len(runs))
        for choices, sig in runs:
            minimal = sim.shrink(toy_worlds.lost_update, choices, sig)
            # b starts and reads; fifo then runs a to the end and b writes last
            self.assertEqual([1, 1], minimal)
            result, again = replay(toy_worlds.lost_update, minimal, strict=False)
            self.assertEqual(sig, again)
            self.assertLessEqual(len(minimal), len(choices))

    def test_alternation_shrinks_to_a_minimal_schedule(self):
        strategy = sim.Exhaustive()
        while True:
            result, sig, _ = run_world(toy_worlds.alternation, strategy)
            if sig is not None:
                break
        minimal = sim.shrink(toy_worlds.alternation, result.choices, sig)
        _r, again = replay(toy_worlds.alternation, minimal, strict=False)
        self.assertEqual("alternated", again)
        for i in range(len(minimal)):
            shorter = minimal[:i] + minimal[i + 1:]
            _r, other = replay(toy_worlds.alternation, shorter, strict=False)
            self.assertIsNone(other)

    def test_a_passing_schedule_is_refused(self):
        err = self.assertRaises(sim.SimError, sim.shrink, toy_worlds.lost_update, [0, 0, 0],
                                "lost update: x=1")
        self.assertIn("does not reproduce", str(err))

    def test_budget_returns_best_so_far(self):
        choices, sig = _failing_random_runs(toy_worlds.lost_update, 1)[0]
        minimal = sim.shrink(toy_worlds.lost_update, choices, sig, max_runs=2)
        _r, again = replay(toy_worlds.lost_update, minimal, strict=False)
        self.assertEqual(sig, again)

    def test_failure_under_fifo_shrinks_to_empty(self):
        result, sig, _state = run_world(toy_worlds.busy, sim.RandomStrategy(4))
        self.assertEqual(["w2"], sig)
        self.assertNotEqual([], result.choices)
        self.assertEqual([], sim.shrink(toy_worlds.busy, result.choices, sig))

    def test_result_replays_strictly(self):
        strategy = sim.Exhaustive()
        found = []
        while not strategy.exhausted:
            result, sig, _ = run_world(toy_worlds.alternation, strategy)
            if sig is not None:
                found.append((result.choices, sig))
        self.assertNotEqual([], found)
        for choices, sig in found:
            minimal = sim.shrink(toy_worlds.alternation, choices, sig)
            _r, again = replay(toy_worlds.alternation, minimal, strict=True)
            self.assertEqual(sig, again)
            self.assertLessEqual(len(minimal), len(choices))
