"""Replay determinism: same schedule, same trace bytes, in this and in other processes."""

import json
import os
import subprocess
import sys

import testtools

from harness import sim
from harness.sim.replay import load_choices, replay, run_world
from tests.unit.sim import toy_worlds

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def _trace_in_subprocess(strategy, seed, hashseed):
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.unit.sim.toy_worlds", strategy, str(seed)],
        cwd=_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode:
        raise AssertionError("subprocess failed: %s" % proc.stderr)
    return proc.stdout


class TestReplayAcrossProcesses(testtools.TestCase):

    def test_random_trace_is_identical_whatever_the_hash_seed(self):
        here = toy_worlds.trace_json("random", 21)
        outputs = [_trace_in_subprocess("random", 21, h) for h in (0, 1, 4242)]
        self.assertEqual([here] * 3, outputs)
        self.assertIn('"choices"', here)

    def test_replay_in_another_process_reproduces_the_schedule(self):
        trace_text = _trace_in_subprocess("pct", 3, 77)
        data = json.loads(trace_text.split("\n", 1)[0])
        result, sig = replay(toy_worlds.busy, load_choices(json.dumps(data)))
        self.assertEqual(trace_text.split("\n", 1)[1], result.trace.text())
        self.assertEqual(data["steps"], result.trace.to_json()["steps"])
        self.assertEqual(["w2"], sig)


class TestLoadChoices(testtools.TestCase):

    def test_from_trace_and_from_list(self):
        result, _sig, _state = run_world(toy_worlds.lost_update, sim.RandomStrategy(2))
        self.assertEqual(result.choices, load_choices(result.trace.dumps()))
        self.assertEqual([1, 0], load_choices("[1, 0]"))

    def test_errors_are_clear(self):
        self.assertIn("not a JSON", str(self.assertRaises(sim.SimError, load_choices, "{x")))
        self.assertIn("unknown trace format", str(
            self.assertRaises(sim.SimError, load_choices, '{"format": "other"}')))
        self.assertIn("list of task ids", str(
            self.assertRaises(sim.SimError, load_choices, '["a"]')))
