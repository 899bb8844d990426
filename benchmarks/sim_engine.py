"""Benchmark of the harness.sim engine: steps per second and complete schedules per second.

A toy model of about 100 steps (four tasks of 24 footprinted steps, nested with ``yield from``,
plus their start steps) runs under fifo, random and pct, and through ``sim.explore``.  Prints
figures per CPU second (process time); the goal is at least 50,000 steps per second per core.
Usage:

    python benchmarks/sim_engine.py [--seconds 2]
"""

import argparse
import time

from harness import sim

TASKS = 4
ROUNDS = 8   # each round is 3 steps


def _round(state, name, i):
    yield sim.Point("%s read" % name, reads=("x",))
    value = state["x"]
    yield sim.Point("%s compute" % name, reads=("own:" + name,))
    yield sim.Point("%s write" % name, writes=("x",))
    state["x"] = value + i


def _worker(state, name):
    for i in range(ROUNDS):
        yield from _round(state, name, i)


def world(sched):
    state = {"x": 0}
    for t in range(TASKS):
        sched.spawn(_worker(state, "w%d" % t), name="w%d" % t)
    return lambda result: None


def _timed(fn, seconds):
    """Repeat ``fn`` (returning a step count) for about ``seconds`` of CPU time.

    Returns (runs, steps, cpu seconds): process CPU time, so the figure is per core even on a
    machine that other work shares.
    """
    runs = steps = 0
    start = time.process_time()
    while True:
        steps += fn()
        runs += 1
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return runs, steps, elapsed


def _single(strategy_factory, record=True):
    def once():
        sched = sim.Scheduler(strategy=strategy_factory(), record=record)
        world(sched)
        return sched.run().steps
    return once


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args(argv)
    rng_seed = iter(range(10 ** 9))
    cases = [
        ("fifo", _single(sim.Fifo)),
        ("fifo, no trace", _single(sim.Fifo, record=False)),
        ("random", _single(lambda: sim.RandomStrategy(next(rng_seed)))),
        ("pct depth 3", _single(lambda: sim.Pct(next(rng_seed), 3, steps=100))),
    ]
    print("toy model: %d tasks x %d steps + starts" % (TASKS, ROUNDS * 3))
    for name, fn in cases:
        runs, steps, elapsed = _timed(fn, args.seconds)
        print("%-16s %8.0f steps/s  %7.0f schedules/s  (%d steps per schedule)"
              % (name, steps / elapsed, runs / elapsed, steps // runs))
    for name in ("random", "exhaustive"):
        cpu = time.process_time()
        res = sim.explore(world, name, schedules=10 ** 9, seed=1, stop_at_first=False,
                          max_runs=int(2000 * args.seconds))
        cpu = time.process_time() - cpu
        print("explore %-8s %8.0f steps/s  %7.0f schedules/s  (%d schedules, %d pruned;"
              " wall-clock %.0f steps/s)" % (name, res.steps / cpu, res.schedules / cpu,
                                             res.schedules, res.pruned, res.steps_per_second))


if __name__ == "__main__":
    main()
