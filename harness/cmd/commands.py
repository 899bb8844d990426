"""The sub-commands of `resize-harness` (main.py parses, this module does the work)."""
import json
import os

from harness import scenario as scenario_mod
from harness.cmd import main as main_mod
from harness.cmd import output
from harness.testing import cases as cases_mod

EXPLORE_SCHEDULES = 1000


def _load(paths):
    """Suites under `paths` plus every problem of the files that did not load."""
    suites, problems = scenario_mod.load_many(paths)
    return suites, problems


def _select(suites, name):
    """Restrict suites to the scenario called `name` (with or without its [matrix] part)."""
    if not name:
        return suites
    chosen, errors = [], []
    for suite in suites:
        try:
            scenarios = suite.find(name)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        chosen.append(scenario_mod.model.Suite(suite.filename, suite.flavors, scenarios))
    if not chosen:
        raise main_mod.BadInput('\n'.join(errors) or 'no scenario %r' % name)
    return chosen


def _bugs(values):
    from harness.nova import bugs
    from harness.scenario.validate import suggest
    out = []
    for value in values:
        key = str(value).lstrip('#')
        if key not in bugs.HISTORICAL:
            raise main_mod.BadInput(
                "--reintroduce %s: no historical bug %s in the model%s (known: %s)"
                % (value, value, suggest(key, bugs.HISTORICAL), ', '.join(sorted(
                    bugs.HISTORICAL))))
        out.append(key)
    return tuple(out)


def settings_from(args, conf, explore=False, on_progress=None):
    sim_conf = conf.simulation
    strategy = getattr(args, 'strategy', None)
    schedules = getattr(args, 'schedules', None)
    if schedules is not None and schedules < 1:
        raise main_mod.BadInput('--schedules must be at least 1, got %d' % schedules)
    if explore and schedules is None:
        schedules = max(sim_conf.schedules, EXPLORE_SCHEDULES)
    seed = args.seed if getattr(args, 'seed', None) is not None else sim_conf.seed
    if seed < 0:
        raise main_mod.BadInput('--seed must be 0 or more, got %d' % seed)
    return cases_mod.Settings(
        seed=seed, strategy=strategy, schedules=schedules,
        reintroduce=_bugs(getattr(args, 'reintroduce', [])),
        pct_depth=sim_conf.pct_depth, max_steps=sim_conf.max_steps,
        exhaustive_bound=sim_conf.exhaustive_bound, shrink=sim_conf.shrink,
        max_shrink_runs=sim_conf.max_shrink_runs, nova_options=_nova(conf),
        default_strategy=sim_conf.strategy, explore=explore, on_progress=on_progress,
        check_invariants=conf.placement_sim.check_invariants,
        placement_faults=conf.placement_sim.faults_enabled)


def _nova(conf):
    from harness import conf as conf_mod
    return conf_mod.nova_options(conf)


def _cases(suites, settings):
    out = []
    for suite in suites:
        out.extend(cases_mod.expand(suite, prefix='scenarios',
                                    with_catches=not settings.reintroduce))
    return out


def cmd_validate(args, conf, stdout, stderr):
    suites, problems = _load(args.paths)
    for problem in problems:
        stderr.write('%s\n' % problem)
    count = sum(len(s.scenarios) for s in suites)
    if problems:
        stderr.write('%d problem(s); %d file(s) valid with %d scenario(s)\n'
                     % (len(problems), len(suites), count))
        return main_mod.EXIT_BAD_INPUT
    stdout.write('%d file(s) valid with %d scenario(s)\n' % (len(suites), count))
    return main_mod.EXIT_OK


def cmd_list(args, conf, stdout, stderr):
    suites, problems = _load(args.paths)
    cases = []
    for suite in suites:
        cases.extend(cases_mod.expand(suite, prefix='scenarios'))
    if args.format == 'json':
        stdout.write(main_mod.dumps([{
            'id': c.id, 'file': c.suite.filename, 'scenario': c.scenario.variant_name,
            'line': c.scenario.line, 'xfail': bool(c.xfail), 'catches': c.catches,
            'bug': c.scenario.bug} for c in cases]) + '\n')
    else:
        for case in cases:
            tag = ''
            if case.xfail:
                tag = ' (xfail: bug %s)' % case.xfail.bug if case.xfail.bug else ' (xfail)'
            stdout.write('%s%s\n' % (case.id, tag))
    for problem in problems:
        stderr.write('%s\n' % problem)
    return main_mod.EXIT_BAD_INPUT if problems else main_mod.EXIT_OK


def cmd_run(args, conf, stdout, stderr, explore=False):
    suites, problems = _load(args.paths)
    suites = _select(suites, args.scenario)
    for problem in problems:
        stderr.write('%s\n' % problem)
    with output.progress(stderr, enabled=explore) as progress:
        settings = settings_from(args, conf, explore=explore, on_progress=progress.update)
        cases = _cases(suites, settings)
        sink = output.make_sink(args.format, stdout)
        sink.start(len(cases))
        outcomes = []
        for case in cases:
            progress.start(case.id, settings.schedules or case.scenario.explore.schedules)
            sink.begin(case)
            outcome = _run_one(case, settings)
            outcomes.append(outcome)
            sink.outcome(outcome)
        sink.finish(outcomes, problems)
    if problems:
        return main_mod.EXIT_BAD_INPUT
    return main_mod.EXIT_OK if all(o.ok for o in outcomes) else main_mod.EXIT_FAILED


def _run_one(case, settings):
    try:
        return cases_mod.run_case(case, settings)
    except Exception as exc:      # a harness bug must not hide the other results
        return cases_mod.error_outcome(case, exc)


def cmd_explore(args, conf, stdout, stderr):
    return cmd_run(args, conf, stdout, stderr, explore=True)


def cmd_replay(args, conf, stdout, stderr):
    from harness import runner
    target = args.paths[0]
    spec = _replay_spec(args, target)
    suite = _load_one(spec['file'])
    if not spec.get('scenario'):
        raise main_mod.BadInput('replay needs --scenario NAME (the scenario to replay)')
    try:
        scenarios = suite.find(spec['scenario'])
    except ValueError as exc:
        raise main_mod.BadInput(str(exc))
    settings = settings_from(args, conf)
    settings.reintroduce = _bugs(spec.get('reintroduce') or [])
    choices = spec.get('choices')
    verdict = runner.run(scenarios[0], spec.get('strategy') or 'fifo', spec.get('seed') or 0,
                         settings.reintroduce, choices=choices or None, settings=settings)
    stdout.write('%s: %s\n' % ('PASS' if verdict.passed else 'FAIL', verdict.summary()))
    if not verdict.passed:
        stdout.write(verdict.report() + '\n')
    if args.trace:
        stdout.write(verdict.trace + '\n')
    return main_mod.EXIT_OK if verdict.passed else main_mod.EXIT_FAILED


def _load_one(path):
    try:
        return scenario_mod.load(path)
    except scenario_mod.ScenarioError as exc:
        raise main_mod.BadInput(str(exc))


def _replay_spec(args, target):
    if target.endswith('.json'):
        return _spec_from_json(target)
    choices = None
    if args.choices:
        try:
            choices = [int(c) for c in args.choices.split(',') if c.strip()]
        except ValueError:
            raise main_mod.BadInput('--choices must be comma-separated task ids, like 3,1,4; '
                                    'got %r' % args.choices)
    return {'file': target, 'scenario': args.scenario, 'strategy': args.strategy,
            'seed': args.seed, 'choices': choices, 'reintroduce': args.reintroduce}


def _spec_from_json(path):
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise main_mod.BadInput('%s:1:1: cannot read a JSON result: %s' % (path, exc))
    results = data.get('results', [data]) if isinstance(data, dict) else []
    for result in results:
        verdict = result.get('verdict', result) if isinstance(result, dict) else None
        if isinstance(verdict, dict) and verdict.get('passed') is False:
            return verdict
    raise main_mod.BadInput('%s:1:1: no failing result to replay in this file' % path)


def cmd_report(args, conf, stdout, stderr):
    from harness.cmd import report
    suites, problems = _load(args.paths)
    suites = _select(suites, args.scenario)
    for problem in problems:
        stderr.write('%s\n' % problem)
    settings = settings_from(args, conf)
    settings.record = True
    cases = _cases(suites, settings)
    if not cases:
        raise main_mod.BadInput('no scenario to report on')
    chosen = None
    for case in cases:
        outcome = _run_one(case, settings)
        if chosen is None or (chosen.ok and not outcome.ok):
            chosen = outcome
        if not outcome.ok:
            break
    page = report.render([chosen])
    try:
        with open(args.output, 'w', encoding='utf-8') as f:
            f.write(page)
    except OSError as exc:
        raise main_mod.BadInput('cannot write %s: %s' % (args.output, exc))
    stdout.write('%s: %s\nreport written to %s\n'
                 % (chosen.status.upper(), chosen.case.id, os.path.abspath(args.output)))
    return main_mod.EXIT_OK if chosen.ok else main_mod.EXIT_FAILED


COMMANDS = {
    'run': cmd_run, 'explore': cmd_explore, 'validate': cmd_validate, 'list': cmd_list,
    'replay': cmd_replay, 'report': cmd_report,
}
