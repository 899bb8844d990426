"""Tests of case expansion (stable ids, seeds, matrix, catches) and of judging verdicts."""
import textwrap

import testtools

import harness.scenario as hs
from harness.testing import cases

TEXT = textwrap.dedent('''\
    scenarios:
      - name: Plain one!
        computes: {host1: }
        steps: [{boot: {server: vm1, flavor: m1.tiny}}]
      - name: explored
        explore: {strategy: random, seeds: [3, 5], schedules: 4}
        computes: {host1: }
        steps: [{boot: {server: vm1, flavor: m1.tiny}}]
      - name: with matrix
        matrix: {flavor: [m1.tiny, m1.small]}
        catches: [1825537]
        computes: {host1: }
        steps: [{boot: {server: vm1, flavor: "${flavor}"}}]
      - name: known bad
        xfail: {bug: 1790204, reason: not fixed}
        computes: {host1: }
        steps: [{boot: {server: vm1, flavor: m1.tiny}}]
    ''')


class _Verdict(object):
    def __init__(self, passed):
        self.passed = passed

    def summary(self):
        return 'passed' if self.passed else 'allocation-leak: something'


class ExpandTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.suite = hs.load_text(TEXT, 'dir/My-File.yaml')

    def test_ids_from_file_and_scenario_names(self):
        ids = [c.id for c in cases.expand(self.suite)]
        self.assertEqual([
            'tests.scenarios.my_file.plain_one',
            'tests.scenarios.my_file.explored[seed=3]',
            'tests.scenarios.my_file.explored[seed=5]',
            'tests.scenarios.my_file.with_matrix[flavor=m1.tiny]',
            'tests.scenarios.my_file.with_matrix[flavor=m1.tiny,reintroduce=1825537]',
            'tests.scenarios.my_file.with_matrix[flavor=m1.small]',
            'tests.scenarios.my_file.with_matrix[flavor=m1.small,reintroduce=1825537]',
            'tests.scenarios.my_file.known_bad',
        ], ids)

    def test_ids_do_not_depend_on_other_scenarios(self):
        text = TEXT.replace('  - name: Plain one!\n    computes: {host1: }\n'
                            '    steps: [{boot: {server: vm1, flavor: m1.tiny}}]\n', '')
        other = hs.load_text(text, 'dir/My-File.yaml')
        before = set(c.id for c in cases.expand(self.suite))
        after = set(c.id for c in cases.expand(other))
        self.assertEqual(before - {'tests.scenarios.my_file.plain_one'}, after)

    def test_without_catches(self):
        ids = [c.id for c in cases.expand(self.suite, prefix='scenarios', with_catches=False)]
        self.assertNotIn('reintroduce', ' '.join(ids))
        self.assertTrue(all(i.startswith('scenarios.my_file.') for i in ids))

    def test_judging(self):
        by_id = dict((c.id, c) for c in cases.expand(self.suite))
        plain = by_id['tests.scenarios.my_file.plain_one']
        xfail = by_id['tests.scenarios.my_file.known_bad']
        catch = by_id['tests.scenarios.my_file.with_matrix[flavor=m1.tiny,reintroduce=1825537]']
        self.assertEqual(cases.PASS, cases.judge(plain, _Verdict(True)).status)
        self.assertEqual(cases.FAIL, cases.judge(plain, _Verdict(False)).status)
        self.assertEqual(cases.XFAIL, cases.judge(xfail, _Verdict(False)).status)
        outcome = cases.judge(xfail, _Verdict(True))
        self.assertEqual(cases.UXSUCCESS, outcome.status)
        self.assertFalse(outcome.ok)
        self.assertIn('remove xfail', outcome.message)
        self.assertEqual(cases.PASS, cases.judge(catch, _Verdict(False)).status)
        missed = cases.judge(catch, _Verdict(True))
        self.assertEqual(cases.FAIL, missed.status)
        self.assertIn('does not catch bug 1825537', missed.message)

    def test_strategy_choice(self):
        plain, explored = self.suite.scenarios[0], self.suite.scenarios[1]
        settings = cases.Settings()
        self.assertEqual('fifo', settings.strategy_for(plain))
        self.assertEqual('random', settings.strategy_for(explored))
        self.assertEqual('pct', cases.Settings(strategy='pct').strategy_for(explored))
        self.assertEqual('random', cases.Settings(explore=True).strategy_for(plain))
        self.assertEqual('exhaustive',
                         cases.Settings(default_strategy='exhaustive').strategy_for(plain))
