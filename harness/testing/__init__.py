"""Scenarios as testtools tests (for stestr's load_tests hook), and fixtures for your own tests.

    # tests/scenarios/__init__.py
    from harness.testing import load_scenario_tests

    def load_tests(loader, tests, pattern):
        tests.addTests(load_scenario_tests('scenarios'))
        return tests

Fixtures: `SimulationFixture` (a scheduler and a simulated Nova) and `PlacementFixture` (an
in-memory Placement and its WSGI app).
"""
from harness.testing.fixtures import PlacementFixture  # noqa: F401
from harness.testing.fixtures import SimulationFixture  # noqa: F401
from harness.testing.scenario_tests import load_scenario_tests  # noqa: F401
