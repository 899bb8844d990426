"""One run of a scenario: build the world, drive the steps, check the oracle, return a Verdict.

A run builds a `sim.Scheduler` with the chosen strategy, a simulated Nova (`Cloud`) on it with the
scenario's computes, flavors and faults, and the concurrent work (periodic tasks, a delete or
another resize racing the steps). The steps run as one task. After the steps comes a liveness
phase: faults off, stalls released, stopped computes started, the periodic task run on every
host, pending messages delivered. Then the quiescence check and the scenario's expectations.

`run()` runs one schedule; `run_case()` explores many (random, pct, exhaustive) and shrinks the
first failing schedule to a minimal one, whose `replay_command` reproduces it bit for bit.
"""
import shlex

from harness import sim
from harness.sim import tasks as sim_tasks
from harness.oracle import expectations
from harness.oracle import findings as fnd
from harness.oracle import invariants
from harness.oracle import quiescence

API_CALLS = {
    'boot': ('boot', ('server', 'flavor', 'host')),
    'resize': ('resize', ('server', 'flavor', 'host')),
    'migrate': ('migrate', ('server', 'host')),
    'confirm': ('confirm_resize', ('server',)),
    'revert': ('revert_resize', ('server',)),
    'delete': ('delete', ('server',)),
    'stop_server': ('stop', ('server',)),
    'start_server': ('start', ('server',)),
}
DEFAULT_WAIT_TIMEOUT = 600.0    # virtual seconds
SETTLE_POLL = 1.0
SETTLE_LIMIT = 3600             # polls before the liveness phase goes on regardless
MAX_TIMELINE = 5000
MAX_JOIN_DEPTH = 50
STEP_FAILED = 'step-failed'
WAIT_TIMEOUT = 'wait-timeout'
HARNESS_ERROR = 'harness-error'
DEADLOCK = 'deadlock'
STEP_LIMIT = 'step-limit'


class Verdict(object):
    """The result of a run (or of an exploration: its first failing schedule, shrunk)."""

    def __init__(self, scenario, passed, findings, trace, choices, replay_command, **extra):
        self.scenario = scenario
        self.passed = passed
        self.findings = findings
        self.trace = trace
        self.choices = choices
        self.replay_command = replay_command
        self.timeline = extra.get('timeline', [])
        self.marks = extra.get('marks', [])
        self.hosts = extra.get('hosts', [])
        self.schedule = extra.get('schedule', [])
        self.strategy = extra.get('strategy', 'fifo')
        self.seed = extra.get('seed', 0)
        self.schedules = extra.get('schedules', 1)
        self.steps = extra.get('steps', 0)
        self.notes = extra.get('notes', [])
        self.reintroduce = tuple(extra.get('reintroduce', ()))
        self.original_choices = extra.get('original_choices')
        self.exhausted = False

    # The trace text and the schedule lines are made on first use (a callable stands for them
    # until then): most runs of an exploration never show them.

    @property
    def trace(self):
        if callable(self._trace):
            self._trace = self._trace()
        return self._trace

    @trace.setter
    def trace(self, value):
        self._trace = value

    @property
    def schedule(self):
        if callable(self._schedule):
            self._schedule = self._schedule()
        return self._schedule

    @schedule.setter
    def schedule(self, value):
        self._schedule = value

    def summary(self):
        """One line: the first finding, or 'passed'."""
        if self.passed:
            return 'passed'
        first = self.findings[0]
        more = ' (+%d more)' % (len(self.findings) - 1) if len(self.findings) > 1 else ''
        return '%s: %s%s' % (first.invariant, first.message, more)

    def report(self):
        """Every finding in full, then the replay command (once)."""
        lines = []
        for finding in self.findings:
            lines.extend(line for line in finding.format().splitlines()
                         if not line.startswith('  replay: '))
        lines.append('replay: %s' % self.replay_command)
        return '\n'.join(lines)

    def as_dict(self):
        return {
            'scenario': self.scenario.variant_name, 'file': self.scenario.filename,
            'passed': self.passed, 'findings': [f.as_dict() for f in self.findings],
            'choices': list(self.choices), 'replay_command': self.replay_command,
            'strategy': self.strategy, 'seed': self.seed, 'schedules': self.schedules,
            'steps': self.steps, 'reintroduce': list(self.reintroduce), 'notes': self.notes,
            'schedule': self.schedule, 'exhausted': self.exhausted,
        }


def _finding(invariant, message, step=None, cwe=()):
    return fnd.Finding(invariant, message, step=step, cwe=cwe)


class World(object):
    """A scenario built on one scheduler: the Cloud, the faults, the step task, the checks."""

    def __init__(self, scenario, scheduler, reintroduce=(), settings=None, record=False):
        from harness.nova.cloud import Cloud
        from placement_sim import Placement
        self.scenario = scenario
        self.s = scheduler
        self.settings = settings
        self.record = record
        options = dict(settings.nova_options if settings else {})
        options.update(scenario.options)
        self.cloud = Cloud(scheduler, placement=Placement(), options=_nova_options(options),
                           reintroduce=tuple(reintroduce))
        self.findings = []
        self._seen = set()
        self.notes = []
        self.timeline = []
        self.marks = []
        self._last_usage = None
        self._usage_key = None
        self._checker = None
        self.step_index = 0
        self.check_invariants = settings.check_invariants if settings is not None else True
        self.pending_faults = []
        self.stall_faults = []
        self._build()
        self.driver = scheduler.spawn(self._drive(), name='scenario steps')
        scheduler.add_step_hook(self._on_step)

    # ---- building -----------------------------------------------------------------------

    def _build(self):
        cloud = self.cloud
        for name in sorted(self.scenario.flavors):
            flavor = self.scenario.flavors[name]
            if flavor.custom:
                cloud.add_flavor(name, vcpus=flavor.vcpus, ram_mb=flavor.ram_mb,
                                 disk_gb=flavor.disk_gb, ephemeral_gb=flavor.ephemeral_gb,
                                 swap=flavor.swap)
        for compute in self.scenario.computes:
            cloud.add_compute(compute.host, driver=compute.driver,
                              inventory=compute.inventory or None)
        for fault in self.scenario.faults:
            self._install(fault)
        self._start_concurrent(0)

    def _install(self, fault):
        args = fault.args
        if fault.is_placement:
            if self.settings is not None and not self.settings.placement_faults:
                return
            if args.get('server') and self._placement_consumer(args) is None:
                self.pending_faults.append(fault)
                return
            nth = None if args.get('every') else args.get('nth', 1)
            self.cloud.placement.faults.add(args['operation'], args['kind'], nth=nth,
                                            consumer=self._placement_consumer(args))
            return
        self.cloud.faults.add(args['point'], host=args.get('host'), server=args.get('server'),
                              nth=args.get('nth'), every=bool(args.get('every')),
                              action=args.get('action', 'raise'),
                              exception=args.get('exception'), message=args.get('message'))
        if args.get('action') == 'stall':
            self.stall_faults.append((args['point'], args.get('host')))

    def _placement_consumer(self, args):
        if not args.get('server'):
            return None
        inst = self.cloud.instances.get(args['server'])
        if inst is None:
            return None
        if args.get('consumer', 'instance') == 'instance':
            return inst.uuid
        migration = _latest_migration(self.cloud, inst)
        return migration.uuid if migration is not None else None

    def _start_concurrent(self, after):
        for entry in self.scenario.concurrent:
            if entry.after == after:
                self._spawn_concurrent(entry)

    def _spawn_concurrent(self, entry):
        s = self.s
        args = entry.args
        if entry.kind == 'periodic':
            interval = args.get('interval') or _option(self, 'update_resources_interval', 0) or 60
            hosts = [args['host']] if args.get('host') else self.scenario.host_names()
            for host in hosts:
                s.every(interval, _bind(self.cloud.run_periodic, host),
                        name='periodic update_available_resource %s' % host)
            return
        s.spawn(self._race(entry), name='concurrent %s' % entry.describe())

    def _race(self, entry):
        """A concurrent action: wait its delay, then act; errors are outcomes of the race."""
        if entry.args.get('delay'):
            yield sim.Sleep(entry.args['delay'])
        try:
            yield from self._act(entry.kind, entry.args)
        except Exception as exc:    # a racing request may be refused; that is not a finding
            self.notes.append('concurrent %s: %s: %s' % (entry.describe(), type(exc).__name__,
                                                         exc))

    # ---- the steps ------------------------------------------------------------------------

    def _drive(self):
        for step in self.scenario.steps:
            self.step_index = step.index
            try:
                yield from self._step(step)
            except sim.Cancelled:
                raise
            except _StepFailed as exc:
                self._add(_finding(STEP_FAILED, 'step %d (%s, line %d): %s'
                                   % (step.index, step.describe(), step.line, exc),
                                   step=step.index, cwe=(fnd.CWE_FAILURE_PATH,)))
                break
            self._start_concurrent(step.index)
            self._sample('after step %d: %s' % (step.index, step.describe()))
            if len(self.marks) < MAX_TIMELINE:
                self.marks.append((self.s.step_count, '%d: %s' % (step.index, step.describe())))
        self.step_index = len(self.scenario.steps) + 1
        yield from self._liveness()

    def _step(self, step):
        kind = step.kind
        args = step.args
        if kind in API_CALLS:
            return (yield from self._api_step(step))
        if kind == 'wait':
            return (yield from self._wait(step))
        if kind == 'check':
            for finding in expectations.check(self.cloud, args, step=step.index):
                finding.message = 'at step %d: %s' % (step.index, finding.message)
                self._add(finding)
            return None
        if kind == 'inject':
            from harness.scenario.model import FaultSpec
            self._install(FaultSpec(args, step.line))
            return None
        return (yield from self._act(kind, args))

    def _api_step(self, step):
        expected = step.args.get('error')
        try:
            yield from self._act(step.kind, step.args)
        except Exception as exc:
            if expected is not None and _error_matches(exc, expected):
                return None
            raise _StepFailed('the request failed: %s: %s%s'
                              % (type(exc).__name__, exc,
                                 ' (expected %s)' % expected if expected else ''))
        if expected:
            raise _StepFailed('the request succeeded but %s was expected' % expected)
        if step.kind == 'boot' and step.args.get('wait', True):
            yield from self._until_built(step.args['server'])
        return None

    def _until_built(self, name):
        """Like Nova's functional-test helpers: a boot returns once the server left BUILD."""
        start = self.s.now
        while self._observe(name)['status'] == 'BUILD':
            remaining = DEFAULT_WAIT_TIMEOUT - (self.s.now - start)
            if remaining <= 0:
                raise _StepFailed('the server is still building after %g virtual seconds'
                                  % DEFAULT_WAIT_TIMEOUT)
            try:
                yield sim.Wait(self.cloud.changed, timeout=remaining,
                               reads=self._wait_keys({'server': name}))
            except sim.Timeout:
                pass

    def _act(self, kind, args):
        """Perform one action (an API request, a service change, a periodic run, ...)."""
        cloud = self.cloud
        if kind in API_CALLS:
            method, names = API_CALLS[kind]
            values = [args.get(n) for n in names]
            label = 'api.%s %s' % (method, args['server'])
            task = self.s.spawn(getattr(cloud.api, method)(*values), name=label)
            return (yield sim.Join(task))
        if kind == 'sleep':
            yield sim.Sleep(args['seconds'])
            return None
        if kind == 'run_periodic':
            hosts = [args['host']] if args.get('host') else self.scenario.host_names()
            for host in hosts:
                task = self.s.spawn(cloud.run_periodic(host),
                                    name='update_available_resource %s' % host)
                yield sim.Join(task)
            return None
        if kind in ('restart', 'stop', 'start', 'crash'):
            return (yield from self._service(kind, args['host']))
        if kind == 'release':
            cloud.release(args['point'], args.get('host'))
            yield sim.Point('scenario.release %s' % args['point'])
            return None
        if kind == 'set_inventory':
            return (yield from self._set_inventory(args['host'], args['inventory']))
        if kind == 'driver_inventory':
            cloud.set_compute_inventory(args['host'], args['inventory'])
            yield sim.Point('scenario.driver_inventory %s' % args['host'],
                            writes=('host:%s' % args['host'],))
            return None
        raise _StepFailed('unknown action %r' % kind)

    def _service(self, kind, host):
        cloud = self.cloud
        calls = {'stop': ('stop_compute',), 'start': ('start_compute',),
                 'crash': ('crash_compute',), 'restart': ('stop_compute', 'start_compute')}
        for name in calls[kind]:
            started = yield from _maybe_gen(getattr(cloud, name)(host))
            if isinstance(started, sim.Task):
                yield sim.Join(started)
        yield sim.Point('scenario.%s %s' % (kind, host), writes=('host:%s' % host,))

    def _set_inventory(self, host, changes):
        placement = self.cloud.placement
        rp = self.cloud.compute_rp(host)
        yield sim.Point('scenario.set_inventory %s' % host,
                        writes=('placement:provider:%s' % rp,))
        current = placement.get_inventories(rp)
        records = current.get('inventories', current)
        generation = current.get('resource_provider_generation',
                                 placement.get_provider(rp)['generation'])
        new = {rc: dict(rec) for rc, rec in records.items()}
        for rc, value in changes.items():
            record = new.get(rc, {})
            record.update({'total': value} if isinstance(value, int) else value)
            new[rc] = record
        placement.set_inventories(rp, generation, new)

    def _wait(self, step):
        args = step.args
        timeout = args.get('timeout', DEFAULT_WAIT_TIMEOUT)
        start = self.s.now
        while True:
            state = self._observe(args['server'])
            missing = _unmet(args, state)
            if not missing:
                return None
            remaining = timeout - (self.s.now - start)
            if remaining <= 0:
                raise _StepFailed('timed out after %g virtual seconds; %s' % (
                    timeout, '; '.join('%s is %s, wanted %s' % m for m in missing)))
            try:
                yield sim.Wait(self.cloud.changed, timeout=remaining,
                               reads=self._wait_keys(args))
            except sim.Timeout:
                pass

    def _wait_keys(self, args):
        """The footprint of a wait's next check: the server's and its migrations' records.

        None (opaque) while the condition looks at a migration that does not exist yet.
        """
        inst = self.cloud.instances.get(args['server'])
        if inst is None:
            return None
        migrations = ['db:migration:%s' % m.uuid for m in self.cloud.migrations
                      if m.instance_uuid == inst.uuid]
        if 'migration' in args and not migrations:
            return None
        return tuple(['db:instance:%s' % inst.uuid] + migrations)

    def _observe(self, name):
        inst = self.cloud.instances.get(name)
        if inst is None:
            return {'status': 'DELETED', 'vm_state': 'deleted', 'task_state': None,
                    'migration': None}
        migration = _latest_migration(self.cloud, inst)
        return {'status': expectations.api_status(inst), 'vm_state': inst.vm_state,
                'task_state': inst.task_state,
                'migration': migration.status if migration is not None else None}

    # ---- after the steps ------------------------------------------------------------------

    def _settle(self):
        """Let in-flight work finish: poll until no other task can still make progress."""
        for _ in range(SETTLE_LIMIT):
            if not self._busy():
                return
            yield sim.Sleep(SETTLE_POLL)

    def _busy(self):
        """True while another task can still make progress without outside help."""
        me = self.s.current
        return any(_can_progress(task, 0) for task in self.s.tasks
                   if task is not me and not task.daemon and not task.done)

    def _liveness(self):
        cloud = self.cloud
        yield from self._settle()
        self.step_index = len(self.scenario.steps) + 2
        cloud.faults.disable()
        cloud.placement.faults.clear()
        self.pending_faults = []
        for point, host in self.stall_faults:
            cloud.release(point, host)
        for host in self.scenario.host_names():
            if not _service_up(cloud, host):
                started = cloud.start_compute(host)
                if isinstance(started, sim.Task):
                    yield sim.Join(started)
        yield sim.Point('liveness.begin')
        yield from self._settle()
        for host in self.scenario.host_names():
            task = self.s.spawn(cloud.run_periodic(host),
                                name='liveness update_available_resource %s' % host)
            try:
                yield sim.Join(task)
            except Exception as exc:
                self.notes.append('liveness periodic on %s: %s: %s'
                                  % (host, type(exc).__name__, exc))
        yield from self._settle()
        self._sample('end')

    # ---- hooks and findings ---------------------------------------------------------------

    def _on_step(self, scheduler, step):
        if self.pending_faults:
            waiting, self.pending_faults = self.pending_faults, []
            for fault in waiting:
                self._install(fault)
        if self.check_invariants and _may_change_state(step):
            if self._checker is None:
                self._checker = invariants.checker_for(self.cloud)
            for finding in self._checker.check(self.step_index):
                self._add(finding)
        if self.record:
            self._sample(step.label if hasattr(step, 'label') else str(step))

    def _add(self, finding):
        key = finding.key()
        if key not in self._seen:
            self._seen.add(key)
            finding.step = self.describe_step(finding.step)
            self.findings.append(finding)

    def describe_step(self, index):
        """`5` -> `5 (wait migration=error server=vm1, line 19)`; after the steps: `end`."""
        steps = self.scenario.steps
        if isinstance(index, int) and 1 <= index <= len(steps):
            step = steps[index - 1]
            return '%d (%s, line %d)' % (index, step.describe(), step.line)
        if index == len(steps) + 1:
            return 'after the last step (work in flight and concurrent work)'
        if index == len(steps) + 2:
            return 'liveness phase (faults off, periodic tasks on every host)'
        if isinstance(index, int) and index > len(steps):
            return 'end (after the steps and the liveness phase)'
        return index

    def _sample(self, label):
        if not self.record or len(self.timeline) >= MAX_TIMELINE:
            return
        hosts = self.scenario.host_names()
        key = _usage_key(self.cloud, hosts)
        if key is not None and key == self._usage_key and label != 'end':
            return      # no Placement write and the same providers: the usages are unchanged
        self._usage_key = key
        usage = _usages(self.cloud, hosts)
        if usage != self._last_usage or label == 'end':
            self._last_usage = usage
            self.timeline.append((self.s.step_count, label, usage))

    def finish(self, result):
        """Every finding of the run, after the end-of-run checks."""
        findings = list(self.findings)
        seen = set(f.key() for f in findings)
        if self.driver.failed:
            exc = self.driver.exception
            findings.append(_finding(HARNESS_ERROR, 'the scenario task crashed: %s: %s'
                                     % (type(exc).__name__, exc)))
        if result.hit_step_limit:
            findings.append(_finding(STEP_LIMIT, 'the run did not finish within %d steps'
                                     % self.s.max_steps))
        if result.deadlocked:
            findings.append(_finding(DEADLOCK, 'work still blocked after the liveness phase: %s'
                                     % '; '.join(str(b) for b in result.deadlocked[:5])))
        end = self.describe_step(len(self.scenario.steps) + 3)
        for finding in quiescence.check(self.cloud, step=end) + expectations.check(
                self.cloud, self.scenario.expect, step=end):
            if finding.key() not in seen:
                seen.add(finding.key())
                finding.step = self.describe_step(finding.step)
                findings.append(finding)
        return findings

    def signature(self, result):
        """What identifies this failure across schedules (for exploration and shrinking)."""
        found = self.finish(result)
        if not found:
            return None
        return tuple(sorted(set(f.signature() for f in found)))


class _StepFailed(Exception):
    pass


def _can_progress(task, depth):
    """Enabled, sleeping, waiting with a timeout, or joined on a task that can progress.

    A task blocked forever (a stalled fault, an event nobody will set) cannot.
    """
    if task.done:
        return False
    if task.state == sim_tasks.ENABLED:
        return True
    waiting = task.waiting
    if isinstance(waiting, sim.Sleep) or getattr(waiting, 'timeout', None) is not None:
        return True
    if isinstance(waiting, sim.Join) and depth < MAX_JOIN_DEPTH:
        return _can_progress(waiting.task, depth + 1)
    return False


_STATE_KEYS = ('placement:', 'db:')


def _may_change_state(step):
    """False only for a step whose footprint says it wrote neither Placement nor the DB."""
    try:
        if step.opaque:
            return True
        for key in step.writes:
            if key.startswith(_STATE_KEYS):
                return True
        return False
    except AttributeError:
        return True


def _error_matches(exc, expected):
    """True when `exc` is the expected error: an HTTP status or an exception class name."""
    chain = [exc]
    if exc.__cause__ is not None:
        chain.append(exc.__cause__)
    for error in chain:
        if isinstance(expected, int) and getattr(error, 'status', None) == expected:
            return True
        if str(expected) in [c.__name__ for c in type(error).__mro__]:
            return True
    return False


def _bind(fn, *args):
    def call():
        return fn(*args)
    return call


def _maybe_gen(value):
    if hasattr(value, 'send') and hasattr(value, 'throw'):
        return (yield from value)
    return value


def _option(world, name, default):
    merged = dict(world.settings.nova_options if world.settings else {})
    merged.update(world.scenario.options)
    return merged.get(name, default)


def _nova_options(values):
    import dataclasses

    from harness.nova.cloud import NovaOptions
    known = set(f.name for f in dataclasses.fields(NovaOptions))
    return NovaOptions(**{k: v for k, v in values.items() if k in known})


def _service_up(cloud, host):
    return cloud.services[host].running


def _latest_migration(cloud, inst):
    found = [m for m in cloud.migrations if m.instance_uuid == inst.uuid]
    return found[-1] if found else None


def _unmet(args, state):
    missing = []
    for key in ('status', 'vm_state', 'task_state', 'migration'):
        if key in args and state[key] != args[key]:
            missing.append((key.replace('_', ' '), state[key], args[key]))
    return missing


def _usage_key(cloud, hosts):
    """What `_usages` depends on: Placement's write counter and each host's provider.

    None when Placement keeps no counter (then the usages are read every time).
    """
    revision = getattr(cloud.placement, 'revision', None)
    if revision is None:
        return None
    return (revision,) + tuple(cloud.compute_rp(host) for host in hosts)


def _usages(cloud, hosts):
    providers = cloud.placement.providers()
    out = []
    for host in hosts:
        rp = cloud.compute_rp(host)
        usages = (providers.get(rp) or {}).get('usages') or {}
        out.append((host, tuple(sorted((rc, n) for rc, n in usages.items()))))
    return tuple(out)


# ---- entry points -------------------------------------------------------------------------

def _strategy(name, seed, choices, depth, bound):
    if choices is not None:
        return sim.Replay(list(choices), strict=False)
    return sim.make_strategy(name, seed=seed, depth=depth, bound=bound)


def run(scenario, strategy='fifo', seed=0, reintroduce=(), choices=None, settings=None,
        record=True):
    """Run one schedule of `scenario` and judge it."""
    from harness.testing.cases import Settings
    settings = settings or Settings()
    reintroduce = tuple(sorted(set(tuple(reintroduce) + scenario.reintroduce)))
    sched = sim.Scheduler(strategy=_strategy(strategy, seed, choices, settings.pct_depth or
                                             scenario.explore.depth, settings.exhaustive_bound),
                          max_steps=settings.max_steps)
    world = World(scenario, sched, reintroduce, settings, record=record)
    result = sched.run()
    found = world.finish(result)
    if found and len(scenario.concurrent) and strategy != 'fifo':
        for finding in found:
            finding.mark_interleaving()
    extra_bugs = tuple(b for b in reintroduce if b not in scenario.reintroduce)
    command = replay_command(scenario, strategy, seed, result.choices if strategy != 'fifo'
                             else None, extra_bugs)
    for finding in found:
        finding.replay_command = command
    return Verdict(scenario, not found, found, result.trace.text, result.choices, command,
                   timeline=world.timeline, marks=world.marks, hosts=scenario.host_names(),
                   schedule=lambda: _schedule(result), strategy=strategy, seed=seed,
                   steps=result.steps,
                   notes=world.notes + _task_notes(result), reintroduce=reintroduce)


def run_case(scenario, case_id, seed_slot, settings, reintroduce=()):
    """Run a test case: one fifo run, or an exploration that stops at the first failure."""
    strategy = settings.strategy_for(scenario)
    if strategy == 'fifo':
        return run(scenario, 'fifo', 0, reintroduce, settings=settings, record=True)
    seed = sim.stable_seed(case_id, settings.seed + seed_slot)
    schedules = settings.schedules or scenario.explore.schedules
    depth = settings.pct_depth or scenario.explore.depth
    bound = settings.exhaustive_bound or scenario.explore.bound

    def factory(sched):
        world = World(scenario, sched, reintroduce, settings)

        def signature(result):      # a plain function: sim needs no inspect.signature
            return world.signature(result)
        return signature

    result = sim.explore(factory, strategy, schedules=schedules, seed=seed, bound=bound,
                         depth=depth, on_progress=settings.on_progress,
                         max_steps=settings.max_steps)
    if not result.failures:
        verdict = run(scenario, 'fifo', 0, reintroduce, settings=settings)
        verdict.strategy, verdict.seed, verdict.schedules = strategy, seed, result.schedules
        verdict.exhausted = bool(result.exhausted)
        return verdict
    failure = result.failures[0]
    choices = list(failure.choices)
    original = list(choices)
    if settings.shrink:
        try:
            choices = sim.shrink(factory, choices, failure.signature,
                                 max_runs=settings.max_shrink_runs, max_steps=settings.max_steps)
        except sim.SimError:
            choices = original
    verdict = run(scenario, strategy, seed, reintroduce, choices=choices, settings=settings)
    verdict.schedules = result.schedules
    verdict.exhausted = bool(result.exhausted)
    verdict.original_choices = original
    return verdict


def replay_command(scenario, strategy, seed, choices, extra_bugs=()):
    """The one command that reproduces this run."""
    parts = ['resize-harness']
    name = scenario.variant_name
    if choices:
        parts += ['replay', scenario.filename, '--scenario', name, '--strategy', strategy,
                  '--seed', str(seed), '--choices', ','.join(str(c) for c in choices)]
    else:
        parts += ['run', scenario.filename, '--scenario', name]
    for bug in extra_bugs:
        parts += ['--reintroduce', str(bug)]
    return ' '.join(shlex.quote(p) for p in parts)


def _schedule(result):
    """The steps of the run as `task: label` lines (what the report and the details show)."""
    out = []
    for step in list(result.trace.steps)[:2000] if hasattr(result.trace, 'steps') else []:
        out.append(step.text() if hasattr(step, 'text') else str(step))
    return out


def _task_notes(result):
    return ['task %s ended with %s: %s' % (name, type(exc).__name__, exc)
            for name, exc in sorted(result.failures.items())]
