"""Configuration options of the harness (oslo.config), registered on a ConfigOpts passed in.

There is no global CONF: `resize-harness` builds one ConfigOpts, calls `register_opts(conf)`,
reads `--config-file`, and hands plain values down. `list_opts()` is the `oslo.config.opts`
entry point (`harness.conf:list_opts`) that `tox -e genconfig` turns into a sample file.
"""
from oslo_config import cfg

STRATEGIES = ('fifo', 'random', 'pct', 'exhaustive')

simulation_group = cfg.OptGroup(
    'simulation', title='Deterministic scheduler',
    help='How runs are scheduled and how many schedules an exploration tries.')

simulation_opts = [
    cfg.IntOpt('seed', default=0, min=0,
               help='Base seed. Each test derives its own seed from this and its test id, so '
                    'a run is reproducible from (scenario, seed, strategy).'),
    cfg.StrOpt('strategy', default='fifo', choices=STRATEGIES,
               help='Who runs next: fifo (the order a normal deployment takes), random '
                    '(seeded), pct (probabilistic concurrency testing, seeded), exhaustive '
                    '(every distinct order up to the bound). A scenario\'s explore: section '
                    'overrides this for that scenario unless the command line sets it.'),
    cfg.IntOpt('schedules', default=1, min=1, max=1000000,
               help='Schedules tried per test with the random, pct and exhaustive '
                    'strategies.'),
    cfg.IntOpt('pct_depth', default=3, min=1, max=100,
               help='Bug depth d of the pct strategy (d - 1 priority change points).'),
    cfg.IntOpt('max_steps', default=100000, min=10, max=100000000,
               help='Scheduling steps after which one run is stopped and reported.'),
    cfg.IntOpt('exhaustive_bound', default=None, min=0, max=1000,
               help='Preemption bound of the exhaustive strategy: how many times a schedule '
                    'may switch away from a task that could go on. Unset: no bound, with '
                    'reduction of equivalent orders; `schedules` caps the search either way.'),
    cfg.BoolOpt('shrink', default=True,
                help='Shrink a failing schedule to a minimal one before reporting it.'),
    cfg.IntOpt('max_shrink_runs', default=200, min=0, max=100000,
               help='Replays the shrinker may spend on one failing schedule.'),
]

placement_group = cfg.OptGroup(
    'placement_sim', title='Simulated Placement',
    help='The in-memory Placement service that the simulated Nova talks to.')

placement_opts = [
    cfg.BoolOpt('check_invariants', default=True,
                help='Check Placement\'s own invariants (usage equals the sum of allocations, '
                     'generations only grow, capacity) after every scheduling step.'),
    cfg.BoolOpt('faults_enabled', default=True,
                help='Honour the Placement fault points that scenarios declare; off runs the '
                     'scenarios as if no Placement fault were planned.'),
]

nova_group = cfg.OptGroup(
    'nova', title='Simulated Nova',
    help='Nova options the model honours. A scenario\'s options: section overrides these.')

nova_opts = [
    cfg.BoolOpt('allow_resize_to_same_host', default=False,
                help='Nova\'s [DEFAULT] allow_resize_to_same_host: a resize may pick the '
                     'source host.'),
    cfg.IntOpt('max_attempts', default=3, min=1, max=100,
               help='Nova\'s [scheduler] max_attempts: the selected host plus alternates.'),
    cfg.IntOpt('rpc_response_timeout', default=60, min=1, max=86400,
               help='Virtual seconds an RPC call waits for a stopped compute before '
                    'MessagingTimeout.'),
    cfg.IntOpt('update_resources_interval', default=0, min=0, max=86400,
               help='Virtual seconds between automatic update_available_resource runs on '
                    'every compute; 0 (as in Nova\'s functional tests, which disable '
                    'periodic tasks) runs it only from run_periodic steps, periodic '
                    'concurrent entries and the liveness phase.'),
    cfg.IntOpt('reclaim_instance_interval', default=0, min=0, max=86400 * 365,
               help='Nova\'s soft-delete window; 0 deletes allocations on delete.'),
]

_GROUPS = ((simulation_group, simulation_opts), (placement_group, placement_opts),
           (nova_group, nova_opts))

NOVA_OPTION_NAMES = tuple(o.name for o in nova_opts)


def register_opts(conf):
    """Register every option group on `conf` (a cfg.ConfigOpts)."""
    for group, opts in _GROUPS:
        conf.register_group(group)
        conf.register_opts(opts, group=group)
    return conf


def list_opts():
    """The option groups for oslo-config-generator and Sphinx (oslo.config.opts entry point)."""
    return [(group, list(opts)) for group, opts in _GROUPS]


def make_conf(config_files=()):
    """A fresh ConfigOpts with the harness options, reading `config_files` (raises on errors)."""
    conf = register_opts(cfg.ConfigOpts())
    conf(args=[], project='nova-resize-harness', default_config_files=list(config_files),
         default_config_dirs=[], use_env=False)
    return conf


def nova_options(conf):
    """The [nova] values as a plain dict, for the model's options."""
    return {name: getattr(conf.nova, name) for name in NOVA_OPTION_NAMES}
