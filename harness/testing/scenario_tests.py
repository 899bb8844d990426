"""Scenario files as testtools tests: one test per scenario, matrix value and seed slot.

`load_scenario_tests(path)` returns a unittest suite for stestr's `load_tests` hook. A file that
does not load becomes one failing test (its id is the file's) listing every problem; the other
files still run. `xfail:` is a real expected failure: a failing run is reported as an expected
failure, a passing one as an unexpected success. On failure the test's details carry the minimal
(shrunk) schedule, the replay command, the usage difference and the full trace.
"""
import unittest

import testtools
from testtools import content

from harness import scenario as scenario_mod
from harness.scenario.model import file_stem
from harness.testing import cases as cases_mod
from harness.testing import details as details_mod

PREFIX = 'tests.scenarios'


class ScenarioTest(testtools.TestCase):
    """One scenario case run as a test."""

    def __init__(self, case, settings=None):
        super().__init__('test_scenario')
        self.case = case
        self.settings = settings

    def id(self):
        return self.case.id

    def __str__(self):
        return self.case.id

    def shortDescription(self):
        return self.case.scenario.description.strip().split('\n')[0] or None

    def test_scenario(self):
        outcome = cases_mod.run_case(self.case, self.settings)
        verdict = outcome.verdict
        for name, text in details_mod.details(verdict, outcome.message).items():
            self.addDetail(name, content.text_content(text))
        if outcome.status in (cases_mod.XFAIL, cases_mod.UXSUCCESS):
            self.expectFailure(outcome.message, _assert_passed, verdict)
            return
        if outcome.status != cases_mod.PASS:
            self.fail(outcome.message)


def _assert_passed(verdict):
    if not verdict.passed:
        raise AssertionError(verdict.summary())


class BrokenFileTest(testtools.TestCase):
    """A scenario file that does not load: one failing test that lists every problem."""

    def __init__(self, test_id, problems):
        super().__init__('test_file_loads')
        self._id = test_id
        self.problems = problems

    def id(self):
        return self._id

    def __str__(self):
        return self._id

    def test_file_loads(self):
        self.fail('the scenario file has %d problem(s):\n%s'
                  % (len(self.problems), '\n'.join(str(p) for p in self.problems)))


def load_scenario_tests(*paths, settings=None, prefix=PREFIX):
    """A unittest.TestSuite with one test per case of every scenario file under `paths`."""
    suite = unittest.TestSuite()
    files, problems = scenario_mod.find_files(paths)
    for problem in problems:
        suite.addTest(BrokenFileTest('%s.%s' % (prefix, file_stem(problem.filename)), [problem]))
    for path in files:
        try:
            loaded = scenario_mod.load(path)
        except scenario_mod.ScenarioError as exc:
            suite.addTest(BrokenFileTest('%s.%s' % (prefix, file_stem(path)), exc.problems))
            continue
        for case in cases_mod.expand(loaded, prefix=prefix):
            suite.addTest(ScenarioTest(case, settings))
    return suite
