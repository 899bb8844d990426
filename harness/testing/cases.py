"""Expand scenarios into test cases and run one case to an outcome.

A case is one scenario variant (matrix value) times one seed slot; a scenario with `catches:`
adds one case per bug, which passes only when the scenario fails with that bug reintroduced.
Ids are made only from the file name and the scenario name (plus the matrix values, the seed slot
and the caught bug), so they are stable across runs, machines and edits elsewhere in the file:

    tests.scenarios.bug_1825537.finish_resize_fails_on_the_destination
    tests.scenarios.races.delete_racing_a_resize[seed=3]
    tests.scenarios.bug_1825537.finish_resize_fails_on_the_destination[reintroduce=1825537]
"""

PASS = 'pass'
FAIL = 'fail'
XFAIL = 'xfail'
UXSUCCESS = 'uxsuccess'
ERROR = 'error'
OK_STATUSES = (PASS, XFAIL)


class Settings(object):
    """Overrides from the command line or config; None means "what the scenario says"."""

    def __init__(self, seed=0, strategy=None, schedules=None, reintroduce=(), pct_depth=None,
                 max_steps=100000, exhaustive_bound=None, shrink=True, max_shrink_runs=200,
                 nova_options=None, on_progress=None, default_strategy='fifo', explore=False,
                 record=False, check_invariants=True, placement_faults=True):
        self.seed = seed
        self.strategy = strategy
        self.schedules = schedules
        self.reintroduce = tuple(str(b) for b in reintroduce)
        self.pct_depth = pct_depth
        self.max_steps = max_steps
        self.exhaustive_bound = exhaustive_bound
        self.shrink = shrink
        self.max_shrink_runs = max_shrink_runs
        self.nova_options = dict(nova_options or {})
        self.on_progress = on_progress
        self.default_strategy = default_strategy
        self.explore = explore
        self.record = record
        self.check_invariants = check_invariants
        self.placement_faults = placement_faults

    def strategy_for(self, scenario):
        """The strategy a scenario runs with: the flag, else its explore:, else the config."""
        if self.strategy:
            return self.strategy
        chosen = scenario.explore.strategy if scenario.explore.explicit else \
            self.default_strategy
        if self.explore and chosen == 'fifo':
            return 'random'
        return chosen


class Case(object):
    """One test: a scenario variant, a seed slot, and whether it checks a caught bug."""

    def __init__(self, suite, scenario, seed_slot, seeded, catches=None, prefix='tests.scenarios'):
        self.suite = suite
        self.scenario = scenario
        self.seed_slot = seed_slot
        self.seeded = seeded
        self.catches = catches
        self.prefix = prefix

    @property
    def id(self):
        labels = []
        if self.scenario.matrix:
            labels.append(self.scenario.matrix_label)
        if self.seeded:
            labels.append('seed=%d' % self.seed_slot)
        if self.catches:
            labels.append('reintroduce=%s' % self.catches)
        tail = '[%s]' % ','.join(labels) if labels else ''
        return '%s.%s.%s%s' % (self.prefix, self.suite.stem, self.scenario.slug, tail)

    @property
    def xfail(self):
        return None if self.catches else self.scenario.xfail

    def __repr__(self):
        return '<Case %s>' % self.id


def expand(suite, prefix='tests.scenarios', with_catches=True):
    """Every case of a suite, in file order."""
    cases = []
    for scenario in suite.scenarios:
        seeds = scenario.explore.seeds
        seeded = len(seeds) > 1 or scenario.explore.strategy != 'fifo'
        for slot in seeds:
            cases.append(Case(suite, scenario, slot, seeded, prefix=prefix))
        if with_catches:
            for bug in scenario.catches:
                cases.append(Case(suite, scenario, seeds[0], False, catches=bug, prefix=prefix))
    return cases


class Outcome(object):
    """What running a case gave: a status (pass, fail, xfail, uxsuccess) and the verdict."""

    def __init__(self, case, status, verdict, message):
        self.case = case
        self.status = status
        self.verdict = verdict
        self.message = message

    @property
    def ok(self):
        return self.status in OK_STATUSES


def run_case(case, settings=None):
    """Run one case (an exploration when the strategy is not fifo) and judge it."""
    from harness import runner
    settings = settings or Settings()
    scenario = case.scenario
    reintroduce = tuple(sorted(set(scenario.reintroduce + settings.reintroduce
                                   + ((case.catches,) if case.catches else ()))))
    verdict = runner.run_case(scenario, case_id=case.id, seed_slot=case.seed_slot,
                              settings=settings, reintroduce=reintroduce)
    return judge(case, verdict)


def error_outcome(case, exc):
    """The outcome of a case whose run raised (a harness bug): a failure that says so."""
    return Outcome(case, ERROR, None, 'the harness raised %s: %s' % (type(exc).__name__, exc))


def judge(case, verdict):
    """Turn a verdict into an outcome, with xfail and catches semantics."""
    if case.catches:
        if verdict.passed:
            return Outcome(case, FAIL, verdict, 'the scenario does not catch bug %s: it passes '
                           'with the bug reintroduced' % case.catches)
        return Outcome(case, PASS, verdict, 'fails with bug %s reintroduced, as it should: %s'
                       % (case.catches, verdict.summary()))
    xfail = case.xfail
    if xfail is not None:
        bug = 'bug %s: ' % xfail.bug if xfail.bug else ''
        if verdict.passed:
            return Outcome(case, UXSUCCESS, verdict, 'expected to fail (%s%s) but passed; if the '
                           'bug is fixed, remove xfail:' % (bug, xfail.reason))
        return Outcome(case, XFAIL, verdict, 'expected failure (%s%s): %s'
                       % (bug, xfail.reason, verdict.summary()))
    if verdict.passed:
        return Outcome(case, PASS, verdict, '')
    return Outcome(case, FAIL, verdict, verdict.summary())
