"""Tests of harness.conf: option groups on a ConfigOpts passed in, and the generator hook."""
import os

import fixtures
import testtools
from oslo_config import cfg

from harness import conf


class ConfTest(testtools.TestCase):

    def test_defaults(self):
        c = conf.make_conf()
        self.assertEqual((0, 'fifo', 1, 3), (c.simulation.seed, c.simulation.strategy,
                                             c.simulation.schedules, c.simulation.pct_depth))
        self.assertEqual({'allow_resize_to_same_host': False, 'max_attempts': 3,
                          'rpc_response_timeout': 60, 'update_resources_interval': 0,
                          'reclaim_instance_interval': 0}, conf.nova_options(c))

    def test_config_file_and_no_global_state(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'h.conf')
        with open(path, 'w') as f:
            f.write('[simulation]\nseed = 7\nstrategy = pct\n[nova]\nmax_attempts = 2\n')
        c = conf.make_conf([path])
        self.assertEqual((7, 'pct', 2), (c.simulation.seed, c.simulation.strategy,
                                         c.nova.max_attempts))
        self.assertEqual(0, conf.make_conf().simulation.seed)

    def test_bad_value_is_reported(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'h.conf')
        with open(path, 'w') as f:
            f.write('[simulation]\nschedules = 0\n')
        c = conf.make_conf([path])
        self.assertRaises(cfg.ConfigFileValueError, getattr, c.simulation, 'schedules')

    def test_list_opts_covers_every_group(self):
        groups = dict((g.name, [o.name for o in opts]) for g, opts in conf.list_opts())
        self.assertEqual(['nova', 'placement_sim', 'simulation'], sorted(groups))
        self.assertIn('exhaustive_bound', groups['simulation'])
        self.assertIn('allow_resize_to_same_host', groups['nova'])
        for group, opts in conf.list_opts():
            for opt in opts:
                self.assertTrue(opt.help, '%s.%s has no help' % (group.name, opt.name))
