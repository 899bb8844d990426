"""The legal-transition graphs and their coverage report."""

import testtools

from harness.oracle import transitions


class TestGraphs(testtools.TestCase):

    def test_instance_graph_has_the_resize_flow(self):
        g = transitions.instance_graph()
        flow = ['new', 'building/scheduling', 'active/None', 'active/resize_prep',
                'active/resize_migrating', 'active/resize_migrated', 'active/resize_finish',
                'resized/None', 'resized/resize_reverting', 'active/None']
        for old, new in zip(flow, flow[1:]):
            self.assertTrue(g.has_edge(old, new), '%s -> %s' % (old, new))
        self.assertTrue(g.has_edge('resized/None', 'active/None'))
        self.assertTrue(g.has_edge('stopped/resize_finish', 'resized/None'))
        self.assertTrue(g.has_edge('active/resize_migrating', 'active/None'), 'bug 1836369')
        self.assertTrue(g.has_edge('resized/deleting', 'active/None'), 'confirm-on-delete')
        self.assertTrue(g.has_edge('active/None', 'error/None'), 'reschedule failed')
        self.assertIn('§', g.edges['active/None', 'active/resize_prep']['why'])

    def test_instance_graph_forbids_shortcuts(self):
        g = transitions.instance_graph()
        for old, new in (('active/None', 'resized/None'), ('resized/None', 'active/resize_prep'),
                         ('deleted/None', 'active/None'), ('error/None', 'resized/None'),
                         ('active/resize_prep', 'active/resize_finish')):
            self.assertFalse(g.has_edge(old, new), '%s -> %s' % (old, new))

    def test_delete_from_anywhere(self):
        g = transitions.instance_graph()
        for node in ('active/resize_migrating', 'resized/resize_reverting', 'error/None'):
            self.assertTrue(g.has_edge(node, node.split('/')[0] + '/deleting'))
            self.assertTrue(g.has_edge(node, 'deleted/None'))
        self.assertEqual(['deleted/resize_prep', 'error/None'],
                         sorted(g.successors('deleted/None')))
        self.assertFalse(g.has_edge('deleted/None', 'active/None'))

    def test_migration_graph(self):
        g = transitions.migration_graph()
        flow = ['new', 'pre-migrating', 'migrating', 'post-migrating', 'finished', 'confirming',
                'confirmed', 'error']
        for old, new in zip(flow, flow[1:]):
            self.assertTrue(g.has_edge(old, new), '%s -> %s' % (old, new))
        self.assertTrue(g.has_edge('reverting', 'reverted'))
        self.assertFalse(g.has_edge('confirmed', 'reverted'))
        self.assertFalse(g.has_edge('error', 'finished'))
        self.assertEqual([], list(g.successors('error')))


class TestChecker(testtools.TestCase):

    def test_feed_and_coverage(self):
        checker = transitions.TransitionChecker()
        log = [('migration', 'm', None, 'pre-migrating'),
               ('migration', 'm', 'pre-migrating', 'pre-migrating'),
               ('migration', 'm', 'pre-migrating', 'finished')]
        bad = checker.feed(log)
        self.assertEqual([('pre-migrating', 'finished')], [b.edge() for b in bad])
        cov = checker.coverage()
        self.assertEqual(1, cov['migration']['covered'])
        total = transitions.migration_graph().number_of_edges()
        self.assertEqual(total, cov['migration']['total'])
        self.assertEqual(total - 1, len(cov['migration']['missing']))
        self.assertNotIn(('new', 'pre-migrating'), cov['migration']['missing'])
        log.append(('instance', 'i', ('active', None), 'active/resize_prep'))
        self.assertEqual([], checker.feed(log))
        self.assertEqual(1, checker.coverage()['instance']['covered'])

    def test_unknown_state_explained(self):
        obs = transitions.observed(('instance', 'i', ('shelved', None), ('active', None), 'vm'))
        self.assertEqual('instance vm went shelved/None -> active/None, which Nova never does; '
                         'legal next states: none (unknown state)',
                         transitions.explain_illegal(obs))
