"""Build placement's own gabbi files into a test suite against placement_sim, and count results.

The YAML files come from the installed openstack-placement wheel
(`placement/tests/functional/gabbits`). Files listed as excluded in `exclusions.py` are not loaded;
tests listed as expected failures become real unittest expected failures (an unexpected success
fails the run). Files are loaded in sorted order, so test ids and order are the same everywhere.

`ConformanceSuite` counts the outcomes of the gabbi tests it runs and prints one summary line on
stderr when it finishes (`conformance: N gabbi tests passed, ...`); `LAST_TALLY` keeps the counts
for the summary test that runs after it in the same process.
"""
import os
import sys
import unittest

from gabbi import handlers
from gabbi import suitemaker
from gabbi import utils

from tests.conformance import exclusions
from tests.conformance import fixtures


def gabbits_dir():
    """The folder of placement's gabbi YAML files in the installed wheel."""
    import placement.tests.functional as functional
    return os.path.join(os.path.dirname(functional.__file__), 'gabbits')


def yaml_files(path=None):
    path = path or gabbits_dir()
    return sorted(name for name in os.listdir(path) if name.endswith('.yaml'))


def build_file_suite(loader, path, name, test_loader_name, fixture_module=fixtures):
    """One gabbi file as a GabbiSuite (its tests chained, its fixtures around them)."""
    suite_dict = utils.load_yaml(yaml_file=os.path.join(path, name), safe=True)
    handler_objects = [handler() for handler in handlers.RESPONSE_HANDLERS]
    return suitemaker.test_suite_from_dict(
        loader, os.path.splitext(name)[0], suite_dict, path, 'conformance', None,
        fixture_module, fixture_module.setup_app, test_loader_name=test_loader_name,
        handlers=handler_objects)


def mark_expected_failures(file_suite, name, expected):
    """Turn the listed tests of one file into expected failures; return the names marked."""
    marked = []
    for test in file_suite:
        if (name, test.test_data['name']) in expected:
            setattr(test, '__unittest_expecting_failure__', True)
            marked.append(test.test_data['name'])
    return marked


class Tally(object):
    """Outcome counts of the gabbi tests run so far."""

    KINDS = ('passed', 'expected_failures', 'failed', 'errors', 'unexpected_successes',
             'skipped')

    def __init__(self):
        for kind in self.KINDS:
            setattr(self, kind, 0)

    def total(self):
        return sum(getattr(self, kind) for kind in self.KINDS)

    def line(self):
        return ('conformance: %d gabbi tests passed, %d expected failures, %d failed, '
                '%d errors, %d unexpected successes, %d skipped (of %d run)'
                % (self.passed, self.expected_failures, self.failed, self.errors,
                   self.unexpected_successes, self.skipped, self.total()))


LAST_TALLY = Tally()


class _CountingResult(object):
    """Forwards everything to the real result, counting the outcomes on the way."""

    _COUNTED = {
        'addSuccess': 'passed', 'addExpectedFailure': 'expected_failures',
        'addFailure': 'failed', 'addError': 'errors',
        'addUnexpectedSuccess': 'unexpected_successes', 'addSkip': 'skipped',
    }

    def __init__(self, result, tally):
        object.__setattr__(self, '_result', result)
        object.__setattr__(self, '_tally', tally)

    def __getattr__(self, name):
        attribute = getattr(self._result, name)
        kind = self._COUNTED.get(name)
        if kind is None:
            return attribute

        def counted(*args, **kwargs):
            setattr(self._tally, kind, getattr(self._tally, kind) + 1)
            return attribute(*args, **kwargs)
        return counted

    def __setattr__(self, name, value):
        setattr(self._result, name, value)


class ConformanceSuite(unittest.TestSuite):
    """The gabbi file suites; counts their outcomes and reports them on stderr."""

    def __init__(self, tests=(), report=True):
        super().__init__(tests)
        self.report = report

    def run(self, result, debug=False):
        tally = Tally()
        global LAST_TALLY
        LAST_TALLY = tally
        super().run(_CountingResult(result, tally), debug)
        if self.report and tally.total():
            sys.stderr.write('\n' + tally.line() + '\n')
            sys.stderr.flush()
        return result


def build_suite(loader, test_loader_name, path=None, fixture_module=fixtures, excluded=None,
                expected=None, only=None, report=True):
    """All non-excluded gabbi files, expected failures marked, in a ConformanceSuite.

    `excluded` (file names) and `expected` ({(file, test): reason}) default to the table in
    exclusions.py; `only` restricts the files loaded.
    """
    path = path or gabbits_dir()
    excluded = set(exclusions.excluded_files() if excluded is None else excluded)
    expected = exclusions.expected_failures() if expected is None else expected
    top = ConformanceSuite(report=report)
    for name in yaml_files(path):
        if name in excluded or (only is not None and name not in only):
            continue
        file_suite = build_file_suite(loader, path, name, test_loader_name, fixture_module)
        mark_expected_failures(file_suite, name, expected)
        top.addTest(file_suite)
    return top
