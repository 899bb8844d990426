"""The `resize-harness` command: run, validate, list, explore, replay and report scenarios.

Exit codes: 0 when every scenario passed (expected failures count as passed), 1 when a scenario
failed, 2 on bad input (every problem listed as `file:line:col: message`). Configuration comes
from `--config-file` (oslo.config; `tox -e genconfig` writes a sample); flags override it.
"""
import argparse
import json
import sys
import time

from harness import conf as conf_mod

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
FORMATS = ('text', 'json', 'subunit')


class BadInput(Exception):
    """A problem with what the user gave us; the message says how to fix it."""


def build_parser():
    parser = argparse.ArgumentParser(
        prog='resize-harness',
        description='Run Nova resize/migrate scenarios against a simulated Nova and Placement.')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')
    sub.required = True

    def add(name, help_text, paths=True):
        p = sub.add_parser(name, help=help_text, description=help_text)
        if paths:
            p.add_argument('paths', nargs='+', metavar='PATH',
                           help='scenario files or folders of them')
        p.add_argument('--config-file', action='append', default=[], metavar='FILE',
                       help='oslo.config file ([simulation], [placement_sim], [nova])')
        return p

    for name, text in (('run', 'run scenarios; exit 1 if one fails'),
                       ('explore', 'explore many schedules of each scenario, with progress')):
        p = add(name, text)
        _run_flags(p)
    p = add('validate', 'check scenario files; list every problem as file:line:col')
    p = add('list', 'list the tests the scenario files expand to')
    p.add_argument('--format', choices=('text', 'json'), default='text')
    p = add('replay', 'replay one recorded schedule (see a failure\'s replay command)',
            paths=False)
    p.add_argument('paths', nargs=1, metavar='FILE',
                   help='the scenario file, or a JSON result written by run --format json')
    p.add_argument('--scenario', metavar='NAME', help='the scenario (with [matrix] if any)')
    p.add_argument('--strategy', default=None, help='the strategy that recorded the choices')
    p.add_argument('--seed', type=int, default=None, help='the seed that recorded them')
    p.add_argument('--choices', default=None, help='comma-separated task ids (the schedule)')
    p.add_argument('--reintroduce', action='append', default=[], metavar='BUG')
    p.add_argument('--trace', action='store_true', help='print the full trace')
    p = add('report', 'run scenarios and write an HTML report of the first failing one')
    _run_flags(p)
    p.add_argument('-o', '--output', default='resize-harness-report.html', metavar='FILE')
    return parser


def _run_flags(p):
    p.add_argument('--scenario', metavar='NAME', help='only the scenario with this name')
    p.add_argument('--seed', type=int, default=None, help='base seed (default from config: 0)')
    p.add_argument('--strategy', choices=conf_mod.STRATEGIES, default=None,
                   help='override every scenario\'s strategy')
    p.add_argument('--schedules', type=int, default=None,
                   help='schedules per test for random, pct and exhaustive')
    p.add_argument('--reintroduce', action='append', default=[], metavar='BUG',
                   help='switch a fixed historical bug back on (repeatable)')
    p.add_argument('--format', choices=FORMATS, default='text')


def main(argv=None, stdout=None, stderr=None):
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    from harness.cmd import commands
    try:
        conf = _load_conf(args.config_file)
        return commands.COMMANDS[args.command](args, conf, stdout, stderr)
    except BadInput as exc:
        stderr.write('%s\n' % exc)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        stderr.write('interrupted\n')
        return EXIT_FAILED
    except BrokenPipeError:     # `resize-harness run ... | head`: the reader went away
        return EXIT_FAILED


def _load_conf(files):
    from oslo_config import cfg
    try:
        conf = conf_mod.make_conf(files)
        for group, opts in conf_mod.list_opts():
            for opt in opts:
                getattr(getattr(conf, group.name), opt.dest)
        return conf
    except (cfg.Error, ValueError) as exc:
        raise BadInput('configuration: %s' % exc)


def now():
    """Wall-clock seconds for the summary line (outside the simulated world)."""
    return time.perf_counter()


def dumps(value):
    return json.dumps(value, indent=2, sort_keys=True, default=str)


if __name__ == '__main__':
    sys.exit(main())
