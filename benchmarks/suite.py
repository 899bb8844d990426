"""How long the whole scenario library takes, beside Nova's own test of bug 1825537.

Prints the wall time of `stestr run tests.scenarios` (every scenario of `scenarios/`, with
stestr's start-up, as a developer runs it) next to the 11 s that `stestr run` takes for Nova's
single functional test `test_bug_1825537` on this kind of machine (2 cores; reference:
nova-resize-flow.md §7.3), then the same library run in-process and one fifo run of the bug
1825537 scenario.

    python benchmarks/suite.py [--concurrency N] [--repeat N]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOVA_STESTR_SECONDS = 11.0
NOVA_TEST_SECONDS = 2.9


def stestr_run(concurrency, test_path):
    """Wall seconds and test count of one `stestr run tests.scenarios` in a scratch repository.

    `test_path` is what stestr discovers: `tests` (the whole tree, as `stestr run
    tests.scenarios` in a checkout does) or `tests/scenarios` (only the library).
    """
    with tempfile.TemporaryDirectory() as scratch:
        conf = os.path.join(scratch, '.stestr.conf')
        with open(conf, 'w') as f:
            f.write('[DEFAULT]\ntest_path=%s\ntop_dir=%s\n'
                    % (os.path.join(ROOT, test_path), ROOT))
        cmd = [sys.executable, '-m', 'stestr', '--config', conf, '--here', scratch, 'run',
               '--subunit', 'tests.scenarios']
        if concurrency:
            cmd[cmd.index('run') + 1:cmd.index('run') + 1] = ['--concurrency', str(concurrency)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=scratch, capture_output=True, timeout=600)
        seconds = time.perf_counter() - start
    return seconds, _count(proc.stdout), proc.returncode


def _count(subunit_bytes):
    import io

    import subunit
    import testtools
    summary = testtools.StreamSummary()
    summary.startTestRun()
    subunit.ByteStreamToStreamResult(io.BytesIO(subunit_bytes)).run(summary)
    summary.stopTestRun()
    return summary.testsRun


def in_process():
    """Seconds for every case of the library in this process, and their count."""
    sys.path.insert(0, ROOT)
    import harness.scenario as hs
    from harness.testing import cases
    suites, problems = hs.load_many([os.path.join(ROOT, 'scenarios')])
    all_cases = [c for s in suites for c in cases.expand(s)]
    start = time.perf_counter()
    for case in all_cases:
        cases.run_case(case)
    return time.perf_counter() - start, len(all_cases)


def one_run(repeat):
    """Milliseconds per fifo run of the bug 1825537 scenario (best of `repeat`)."""
    import harness.scenario as hs
    from harness import runner
    scenario = hs.load(os.path.join(ROOT, 'scenarios', 'bug_1825537.yaml')).scenarios[0]
    runner.run(scenario, record=False)
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        runner.run(scenario, record=False)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best * 1000.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--concurrency', type=int, default=0,
                        help='stestr workers (0: one per core)')
    parser.add_argument('--repeat', type=int, default=20, help='runs for the per-run figure')
    args = parser.parse_args()
    print("Nova's stestr run of test_bug_1825537: 1 test in %.1f s wall (%.1f s test time)"
          % (NOVA_STESTR_SECONDS, NOVA_TEST_SECONDS))
    for path, what in (('tests/scenarios', 'discovering only tests/scenarios'),
                       ('tests', 'discovering the whole tests/ tree')):
        seconds, tests, code = stestr_run(args.concurrency, path)
        print('stestr run tests.scenarios (%s): %d tests in %.1f s wall (exit %d), %.2fx '
              "Nova's one test" % (what, tests, seconds, code, seconds / NOVA_STESTR_SECONDS))
    lib_seconds, count = in_process()
    print('in-process, no stestr start-up: %d tests in %.2f s (%.0f ms per test)'
          % (count, lib_seconds, 1000.0 * lib_seconds / max(count, 1)))
    print('one fifo run of the bug 1825537 scenario: %.2f ms (best of %d), against %.1f s for '
          "Nova's test" % (one_run(args.repeat), args.repeat, NOVA_TEST_SECONDS))
    return 0


if __name__ == '__main__':
    sys.exit(main())
