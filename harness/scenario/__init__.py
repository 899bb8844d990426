"""Scenario files: load YAML with line marks, validate every problem at once, build Scenarios.

    suite = harness.scenario.load('scenarios/bug_1825537.yaml')   # -> model.Suite
    for scenario in suite.scenarios: ...

`load` raises `ScenarioError` whose `problems` are `file:line:col: path: message` lines.
"""
import os

from harness.scenario import loader
from harness.scenario import resolve
from harness.scenario import validate
from harness.scenario.exceptions import Problem  # noqa: F401
from harness.scenario.exceptions import ScenarioError

SUFFIXES = ('.yaml', '.yml')
MAX_FILES = 10000


def load_text(text, filename='<string>', registry=None):
    """Load a scenario file from text; raise ScenarioError listing every problem."""
    return _build(loader.load_text(text, filename), registry)


def load(path, registry=None):
    """Load one scenario file; raise ScenarioError listing every problem."""
    return _build(loader.load_file(path), registry)


def _build(doc, registry):
    problems = validate.schema_problems(doc)
    broken = set()
    for problem in problems:
        index = _scenario_index(problem.path)
        if index is None:
            raise ScenarioError(problems)
        broken.add(index)
    suite, more = resolve.resolve_suite(doc, registry, tolerant=broken)
    covered = set(p.path for p in problems)
    more = [p for p in more if not any(p.path.startswith(c) or c.startswith(p.path)
                                       for c in covered)]
    if problems or more:
        raise ScenarioError(problems + more)
    return suite


def _scenario_index(path):
    """The scenario index a problem path is in (`scenarios[3].steps...` -> 3), else None."""
    if path.startswith('scenarios['):
        return int(path[len('scenarios['):path.index(']')])
    return None


def find_files(paths):
    """The scenario files under `paths` (files or folders), sorted; missing paths are problems.

    Returns (files, problems).
    """
    files, problems = [], []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
                files.extend(os.path.join(root, n) for n in sorted(names)
                             if n.endswith(SUFFIXES) and not n.startswith('.'))
        elif os.path.isfile(path):
            files.append(path)
        else:
            problems.append(Problem(path, 1, 1, '', 'no such file or folder'))
        if len(files) > MAX_FILES:
            problems.append(Problem(path, 1, 1, '', 'more than %d scenario files' % MAX_FILES))
            break
    return files, problems


def load_many(paths, registry=None):
    """Load every file under `paths`; one bad file loses nothing else.

    Returns (suites, problems): the suites that loaded and every problem of the others.
    """
    files, problems = find_files(paths)
    suites = []
    for path in files:
        try:
            suites.append(load(path, registry))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    return suites, problems
