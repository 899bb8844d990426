"""Benchmark: bug 1825537's scenario on the simulated Nova, beside Nova's own test (DESIGN §10).

Prints, for the scenario of regressions/test_bug_1825537.py (boot m1.tiny on host1, resize to
m1.small onto a FakeFinishMigrationFailDriver host2, wait for ERROR):

1. one fifo run (cloud set-up included): the median over many runs, bare and with the oracle
   (invariants after every step, quiescence at the end); target <= 2 ms;
2. exploration of the same scenario with a periodic update_available_resource racing on every
   host and a delete racing the resize: complete schedules per second for the random, pct and
   exhaustive strategies (oracle included); target >= 500/s;

3. how many schedules each strategy needs to find the open leaks of reference §8.2 with the
   periodics and a delete racing (the delete requested first, so the fifo run is clean), and
   the size of the shrunk schedule;

next to the 2.9 s that Nova's functional test takes on this machine (reference §7.3).
Wall-clock figures vary with the machine's load; they are printed, never asserted.
Usage: ``python benchmarks/nova_model.py [RUNS] [SCHEDULES] [--no-hunt]``.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from harness import sim  # noqa: E402
from harness import runner  # noqa: E402
from harness import scenario as scenario_loader  # noqa: E402
from harness.nova.cloud import Cloud  # noqa: E402
from harness.oracle import invariants  # noqa: E402
from harness.oracle import quiescence  # noqa: E402
from placement_sim import Placement  # noqa: E402
from tests.unit.nova_mirror import worlds  # noqa: E402
from tests.unit.nova_mirror.worlds import RaceWorld  # noqa: E402

NOVA_TEST_SECONDS = 2.9
"""regressions/test_bug_1825537.py, test time measured on this machine (reference §7.3)."""
TARGET_RUN_MS = 2.0
TARGET_SCHEDULES_PER_S = 500


def one_run(oracle=False):
    """One fifo run of the scenario; returns (RunResult, findings).

    With the oracle, the invariants run after every step that may have changed Placement or
    the database (as harness.runner does; Placement is re-read only after steps whose
    footprint writes it), and quiescence at the end.
    """
    scheduler = sim.Scheduler(strategy=sim.Fifo(), max_steps=100_000)
    cloud = Cloud(scheduler, placement=Placement())
    cloud.add_compute("host1")
    cloud.add_compute("host2", driver="FakeFinishMigrationFailDriver")
    found = []
    if oracle:
        def hook(_scheduler, step):
            if runner._may_change_state(step):
                found.extend(invariants.check_step(
                    cloud, placement_changed=invariants.step_writes_placement(step)))
        scheduler.add_step_hook(hook)

    def steps():
        yield from cloud.api.boot("vm1", "m1.tiny", host="host1")
        vm = cloud.instances["vm1"]
        while vm.status != "ACTIVE":
            yield sim.Wait(cloud.changed)
        yield from cloud.api.resize("vm1", "m1.small", host="host2")
        while not (vm.status == "ERROR" and cloud.migrations[-1].status == "error"):
            yield sim.Wait(cloud.changed)
    scheduler.spawn(steps(), name="steps")
    result = scheduler.run()
    if oracle:
        found.extend(quiescence.check(cloud))
    return result, found


def median_ms(fn, runs):
    """Median CPU time of ``fn`` in ms (process time: the 2 cores are shared)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000.0


def explore_rate(strategy, schedules):
    """Exploration of the racing world; returns (ExplorationResult, CPU seconds)."""
    world = RaceWorld(move="resize", heal=False, dest_driver="FakeFinishMigrationFailDriver")
    start = time.process_time()
    res = sim.explore(world, strategy, schedules=schedules, seed=1, stop_at_first=False,
                      max_runs=schedules * 2)
    return res, time.process_time() - start


def runner_run():
    """The whole pipeline: the YAML scenario through harness.runner (oracle included)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "scenarios", "bug_1825537.yaml")
    suite = scenario_loader.load(path)
    case = [s for s in suite.scenarios if s.name == "finish_resize fails on the destination"][0]
    return lambda: runner.run(case)


def main(argv):
    hunt = "--no-hunt" not in argv
    argv = [a for a in argv if a != "--no-hunt"]
    runs = int(argv[1]) if len(argv) > 1 else 300
    schedules = int(argv[2]) if len(argv) > 2 else 300
    result, found = one_run(oracle=True)
    bare = median_ms(lambda: one_run(False), runs)
    full = median_ms(lambda: one_run(True), runs)
    pipeline = median_ms(runner_run(), runs)
    print("bug 1825537 scenario, one fifo run (%d steps; median of %d runs):" % (
        result.steps, runs))
    print("  model only          %7.3f ms   (%.0fx faster than Nova's %.1f s test)" % (
        bare, NOVA_TEST_SECONDS * 1000 / bare, NOVA_TEST_SECONDS))
    print("  model + oracle      %7.3f ms   (%.0fx faster; target <= %.1f ms: %s)" % (
        full, NOVA_TEST_SECONDS * 1000 / full, TARGET_RUN_MS,
        "met" if full <= TARGET_RUN_MS else "NOT met"))
    print("  YAML through runner %7.3f ms   (%.0fx faster; scenarios/bug_1825537.yaml)" % (
        pipeline, NOVA_TEST_SECONDS * 1000 / pipeline))
    print("  oracle findings on the fixed code: %d (CPU time per run)" % len(found))
    print("exploring it with a periodic racing on every host and a delete racing the resize "
          "(%d schedules, oracle at the end of each):" % schedules)
    for name in ("random", "pct", "exhaustive"):
        strategy = sim.Exhaustive(preemption_bound=1) if name == "exhaustive" else name
        res, cpu = explore_rate(strategy, schedules)
        rate = res.schedules / cpu if cpu > 0 else 0.0
        print("  %-10s %6.0f schedules/s  %7.0f steps/s  %2d distinct outcomes  %d failures  "
              "(target >= %d/s: %s; Nova: %.2f schedules/s)" % (
                  name, rate, res.steps / cpu if cpu > 0 else 0.0, res.distinct_outcomes,
                  len(res.failures),
                  TARGET_SCHEDULES_PER_S, "met" if rate >= TARGET_SCHEDULES_PER_S else "NOT met",
                  1.0 / NOVA_TEST_SECONDS))
        for failure in res.failures:
            print("      found %s (%d schedules)" % (
                ", ".join(failure.signature), failure.count))
    if hunt:
        hunts()


HUNTS = (
    ("bug 1848343 (deleted server keeps its allocation until the next periodic)",
     dict(move="resize", heal=False, delete_first=True)),
    ("probe (c): delete between revertResize and the dest's revert_resize, M leaked for good",
     dict(move="revert", heal=True, delete_first=True)),
)


def hunts():
    print("finding the open leaks (periodic on every host and a delete racing; fifo is clean):")
    for title, kwargs in HUNTS:
        print("  %s" % title)
        for name in ("random", "pct", "exhaustive"):
            world = RaceWorld(**kwargs)
            strategy = sim.Exhaustive(preemption_bound=1) if name == "exhaustive" else name
            start = time.process_time()
            found = worlds.hunt(world, strategy, schedules=10_000, seed=1, max_runs=12_000)
            cpu = time.process_time() - start
            if found is None:
                print("    %-10s nothing in 10000 schedules (%.1f s CPU)" % (name, cpu))
                continue
            print("    %-10s %s after %d schedules, shrunk %d -> %d choices (%.1f s CPU incl. "
                  "shrinking)" % (name, ", ".join(found.signature), found.failure.schedule + 1,
                                  len(found.failure.choices), len(found.minimal), cpu))


if __name__ == "__main__":
    main(sys.argv)
