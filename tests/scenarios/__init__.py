"""The scenario library (scenarios/*.yaml) as tests: stestr discovers them through load_tests."""
import os

from harness.testing import load_scenario_tests

LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scenarios')


def load_tests(loader, tests, pattern):
    tests.addTests(load_scenario_tests(os.path.normpath(LIBRARY)))
    return tests
