"""Run placement's gabbi files outside stestr, against placement_sim or the REAL placement.

A program, not a test: `python -m tests.conformance.runner [--target sim|real] [--all] [FILE ...]`.
It uses the conformance suite's loader and fixture classes and prints the failing tests grouped by
file (test name, then the assertion) and the counts. Expected-failure marks are not applied here.

`--target real` checks the fixtures themselves: each file's Placement is then the real
openstack-placement app on a fresh in-memory database, seeded through its REST API by
`seeders.HttpSeeder`; every test should pass, and a failure means a fixture does not reproduce
placement's own fixture data. `--all` includes the excluded files. Exit status 0 when all pass.
"""
import argparse
import logging
import sys
import time
import unittest

from tests.conformance import exclusions
from tests.conformance import fixtures
from tests.conformance import loader
from tests.conformance import seeders


class RealBackend(object):
    """The real placement app on a fresh in-memory database with the fixture's policy/CORS."""

    def __init__(self, fixture_name, app_options):
        from oslo_config import cfg
        from oslo_config import fixture as config_fixture
        from oslo_policy import opts as policy_opts
        from placement import conf as placement_conf
        from placement import deploy
        from placement import policies
        from placement.tests import fixtures as placement_fixtures
        from placement.tests.unit import policy_fixture
        self._cleanups = []
        config = self._start(config_fixture.Config(cfg.ConfigOpts()))
        placement_conf.register_opts(config.conf)
        config.config(group='api', auth_strategy='noauth2')
        config.config(group='oslo_policy',
                      enforce_new_defaults=app_options.get('policy_mode') == 'secure')
        self._start(placement_fixtures.Database(config, set_config=True))
        policy_opts.set_defaults(config.conf)
        config.conf([], default_config_files=[])
        policy = self._start(policy_fixture.PolicyFixture(config))
        if app_options.get('policy_mode') == 'open':
            policy.set_rules({rule.name: '@' for rule in policies.list_rules()
                              if rule.name != 'admin_api'})
        if app_options.get('cors_allowed_origins'):
            config.config(group='cors',
                          allowed_origin=list(app_options['cors_allowed_origins']),
                          allow_headers=list(app_options.get('cors_allow_headers', ())))
        self.app = deploy.loadapp(config.conf)
        self.seeder = seeders.HttpSeeder(self.app)

    def _start(self, fixture):
        fixture.setUp()
        self._cleanups.insert(0, fixture)
        return fixture

    def stop(self):
        for fixture in self._cleanups:
            fixture.cleanUp()


def _short(text, limit):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    tail = lines[-1] if lines else ''
    return tail[:limit]


def report(result):
    """The failures grouped by YAML file: '  test name: last line of the assertion'."""
    by_file = {}
    for test, text in result.failures + result.errors:
        name = getattr(test, 'test_base_name', '?')
        title = test.test_data['name'] if hasattr(test, 'test_data') else str(test)
        by_file.setdefault(name, []).append('  %s: %s' % (title, _short(text, 300)))
    lines = []
    for name in sorted(by_file):
        lines.append('%s.yaml (%d)' % (name, len(by_file[name])))
        lines.extend(by_file[name])
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('files', nargs='*', help='YAML file names (default: all not excluded)')
    parser.add_argument('--target', choices=('sim', 'real'), default='sim')
    parser.add_argument('--all', action='store_true', help='include the excluded files')
    args = parser.parse_args(argv)
    if args.target == 'real':
        fixtures.BACKEND = RealBackend
    logging.getLogger().addHandler(logging.NullHandler())
    path = loader.gabbits_dir()
    excluded = set() if args.all else set(exclusions.excluded_files())
    names = args.files or [n for n in loader.yaml_files(path) if n not in excluded]
    top = loader.ConformanceSuite(report=False)
    test_loader = unittest.TestLoader()
    for name in names:
        top.addTest(loader.build_file_suite(test_loader, path, name, 'runner'))
    started = time.perf_counter()
    result = unittest.TestResult()
    top.run(result)
    print(report(result))
    print('%s: %s in %.1f s' % (args.target, loader.LAST_TALLY.line(),
                                time.perf_counter() - started))
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
