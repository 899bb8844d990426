"""Placement's own gabbi files run against placement_sim's WSGI app (stestr entry point).

`load_tests` builds one suite per YAML file of the installed openstack-placement 16.0.0 wheel
(minus the excluded files of `exclusions.py`), with the fixtures of `fixtures.py` seeding a fresh
`placement_sim.Placement()` per file. The count of passing gabbi tests is printed on stderr when
the suite finishes.
"""
from tests.conformance import loader as conformance_loader


def load_tests(loader, standard_tests, pattern):
    return conformance_loader.build_suite(loader, __name__)
