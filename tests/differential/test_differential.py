"""Differential suite: 300 seeded sequences of 30 API calls, real Placement vs placement_sim.

Each test generates one sequence (`generator.generate`, seed from a sha256 of the test number,
so the same calls everywhere), sends every call to the real openstack-placement app (in-process,
one in-memory database per process) and to a fresh `placement_sim.wsgi.make_app()`, and compares
status and normalized JSON call by call. A divergence is shrunk to a minimal sequence (delta
debugging, keeping the calls later calls depend on) and the failure message shows it with both
answers. When the class finishes it prints on stderr how many sequences and calls ran, how long
they took, and the estimated time of the full run.
"""
import hashlib
import sys
import time

import testtools

from tests.differential import executor
from tests.differential import generator
from tests.differential import known_divergences
from tests.differential import realservice
from tests.differential import shrink

SEQUENCES = 300
CALLS_PER_SEQUENCE = 30
# Shrinking costs up to shrink.minimal's budget of executions; only the first few divergences of
# a process are shrunk, so a broken simulator cannot make the run take hours.
SHRINK_AT_MOST = 3


def sequence_seed(number):
    """A stable seed for sequence `number` (sha256, independent of PYTHONHASHSEED)."""
    digest = hashlib.sha256(b'placement-differential:%d' % number).digest()
    return int.from_bytes(digest[:8], 'big')


def make_sim_app():
    from placement_sim import Placement
    from placement_sim.wsgi import make_app
    return make_app(Placement())


class Stats(object):
    """What this process ran, for the closing line."""

    sequences = 0
    calls = 0
    divergent = 0
    seconds = 0.0

    @classmethod
    def line(cls):
        per_sequence = cls.seconds / cls.sequences if cls.sequences else 0.0
        return ('differential: %d sequences, %d calls to each service, %d divergent, %.1f s '
                '(%.0f ms per sequence; all %d sequences take about %.0f s on one core)'
                % (cls.sequences, cls.calls, cls.divergent, cls.seconds, per_sequence * 1000,
                   SEQUENCES, per_sequence * SEQUENCES))


def explain(number, seed, sequence, divergence, sim_factory=make_sim_app, shrinking=True):
    """The failure message: the minimal diverging sequence and both answers."""
    prefix = sequence[:divergence.position + 1]
    if shrinking:
        runner = executor.Executor(seed, realservice.real_app(), sim_factory)
        calls, smallest, runs = shrink.minimal(prefix, runner.run, divergence.signature())
        title = 'minimal sequence (%d calls, found in %d runs):' % (len(calls), runs)
    else:
        calls, smallest = prefix, None
        title = ('sequence up to the divergence (%d calls; not shrunk: only the first %d '
                 'divergences of a run are)' % (len(calls), SHRINK_AT_MOST))
    lines = ['sequence %d (seed %d) diverged at call %d of %d: %s'
             % (number, seed, divergence.position, len(sequence), divergence.call.label),
             title]
    lines.extend('  %2d. %s' % (i, call.describe()) for i, call in enumerate(calls))
    shown = smallest or divergence
    lines.append('first different answer: ' + shown.report())
    return '\n'.join(lines)


class TestDifferential(testtools.TestCase):
    """One test per sequence (`test_sequence_000` ... `test_sequence_299`)."""

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        if Stats.sequences:
            sys.stderr.write('\n' + Stats.line() + '\n')
            sys.stderr.flush()

    def check_sequence(self, number):
        seed = sequence_seed(number)
        sequence = generator.generate(seed, CALLS_PER_SEQUENCE)
        self.assertEqual(CALLS_PER_SEQUENCE, len(sequence))
        started = time.perf_counter()
        runner = executor.Executor(seed, realservice.real_app(), make_sim_app)
        divergence = runner.run(sequence)
        Stats.seconds += time.perf_counter() - started
        Stats.sequences += 1
        Stats.calls += runner.calls_sent
        listed = known_divergences.listing(number)
        if divergence is None:
            self.assertEqual(CALLS_PER_SEQUENCE, runner.calls_sent)
            if listed is not None:
                self.expectFailure(listed.reason, lambda: None)
            return
        Stats.divergent += 1
        known = known_divergences.find(divergence)
        if known is not None and known is listed:
            message = 'known divergence: %s\n%s' % (known.reason, divergence.report())
            self.expectFailure(known.reason, self.fail, message)
        elif known is not None:
            self.fail('sequence %d meets a known divergence (%s) but is not listed in '
                      'tests/differential/known_divergences.py:\n%s'
                      % (number, known.reason, divergence.report()))
        else:
            self.fail(explain(number, seed, sequence, divergence,
                              shrinking=Stats.divergent <= SHRINK_AT_MOST))


def _make_test(number):
    def test(self):
        self.check_sequence(number)
    test.__name__ = 'test_sequence_%03d' % number
    test.__doc__ = 'Sequence %d: %d calls agree between real Placement and placement_sim.' % (
        number, CALLS_PER_SEQUENCE)
    return test


for _number in range(SEQUENCES):
    setattr(TestDifferential, 'test_sequence_%03d' % _number, _make_test(_number))
del _number
