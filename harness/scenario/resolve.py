"""Resolve the names in a schema-valid scenario file and build the model objects.

Checked here, all at once, with did-you-mean suggestions: hosts against `computes`, servers
against the `boot` steps before them, flavors against Nova's defaults and the file's `flavors`,
drivers against fake_drivers' registry, fault points, exception classes, Placement operations and
fault kinds, bug numbers against harness.nova.bugs. The matrix is expanded here (`${name}` in a
string value is replaced by the matrix value), so each variant is checked on its own.
"""
import re

from harness.scenario import model
from harness.scenario.validate import suggest

_VAR = re.compile(r'\$\{([^}]*)\}')
SERVER_KINDS = ('migrate', 'confirm', 'revert', 'delete', 'stop_server', 'start_server')
HOST_KINDS = ('restart', 'stop', 'start', 'crash', 'run_periodic')
MAX_VARIANTS = 500
MIGRATION_PREFIX = 'migration:'


def names(items, limit=12):
    """'a, b, c' for messages; long lists are cut after `limit` names."""
    items = sorted(str(i) for i in items)
    if len(items) > limit:
        return '%s, ... (%d in all)' % (', '.join(items[:limit]), len(items))
    return ', '.join(items)


class Registry(object):
    """The names a scenario may use, gathered from the layers below."""

    def __init__(self, drivers, points, exceptions, api_errors, placement_operations, bugs,
                 default_flavors):
        self.drivers = drivers                      # name -> class
        self.points = tuple(points)                 # driver fault points
        self.exceptions = exceptions                # name -> class (fault exceptions)
        self.api_errors = frozenset(api_errors)     # names a step's `error:` may use
        self.placement_operations = placement_operations   # operation -> allowed kinds
        self.bugs = bugs                            # '1825537' -> class
        self.default_flavors = default_flavors      # name -> model.Flavor

    @classmethod
    def default(cls):
        import fake_drivers
        from fake_drivers import exceptions as driver_exceptions
        from harness.nova import bugs
        from harness.nova import exceptions as nova_exceptions
        from harness.nova import flavors
        from placement_sim import faults as placement_faults
        api_errors = set(driver_exceptions.EXCEPTIONS)
        api_errors.update(name for name, value in vars(nova_exceptions).items()
                          if isinstance(value, type) and issubclass(value, BaseException))
        defaults = {}
        for name, rec in flavors.default_flavors().items():
            defaults[name] = model.Flavor(name, rec.vcpus, rec.memory_mb, rec.root_gb,
                                          rec.ephemeral_gb or 0, rec.swap or 0, rec.flavorid,
                                          custom=False)
        from harness.nova import virt
        points = tuple(fake_drivers.POINTS) + tuple(sorted(virt.SERVICE_POINTS))
        return cls(dict(fake_drivers.DRIVERS), points,
                   dict(driver_exceptions.EXCEPTIONS), api_errors,
                   dict(placement_faults.OPERATIONS), dict(bugs.HISTORICAL), defaults)


_DEFAULT = []


def default_registry():
    """The registry of the installed layers (built once per process)."""
    if not _DEFAULT:
        _DEFAULT.append(Registry.default())
    return _DEFAULT[0]


class _Checker(object):
    """Problems for one scenario variant; messages carry the matrix label when there is one."""

    def __init__(self, doc, base, label):
        self.doc = doc
        self.base = base
        self.label = label
        self.problems = []

    def add(self, path, message, key=False, plain=False):
        if self.label and not plain:
            message = '%s (matrix %s)' % (message, self.label)
        self.problems.append(self.doc.problem(self.base + tuple(path), message, key=key))


def resolve_suite(doc, registry=None, tolerant=()):
    """Build a model.Suite from a schema-valid Document; return (suite, problems)."""
    registry = registry or default_registry()
    data = doc.data
    problems = []
    flavors = dict(registry.default_flavors)
    for name in sorted(data.get('flavors') or {}):
        spec = data['flavors'][name]
        default = registry.default_flavors.get(name)
        if default is not None:
            if _same_flavor(default, spec):
                continue
            problems.append(doc.problem(('flavors', name), "flavor '%s' is one of Nova's default "
                                        "flavors (vcpus %d, ram_mb %d, disk_gb %d); repeat it "
                                        "unchanged or give your flavor another name"
                                        % (name, default.vcpus, default.ram_mb,
                                           default.disk_gb), key=True))
            continue
        flavors[name] = model.Flavor(name, spec['vcpus'], spec['ram_mb'], spec['disk_gb'],
                                     spec.get('ephemeral_gb', 0), spec.get('swap', 0),
                                     spec.get('flavorid'))
    scenarios = []
    seen = {}
    for index, raw in enumerate(data['scenarios']):
        base = ('scenarios', index)
        if index in tolerant:
            problems.extend(_partial(doc, base, raw, flavors, registry))
            continue
        key = model.slug(raw['name'])
        if key in seen:
            problems.append(doc.problem(base + ('name',), "scenario name '%s' is used twice "
                                        "(first at line %d); test ids need unique names"
                                        % (raw['name'], seen[key])))
            continue
        seen[key] = doc.mark(base + ('name',)).line
        built, found = _expand(doc, base, raw, flavors, registry)
        scenarios.extend(built)
        problems.extend(found)
    return model.Suite(doc.filename, flavors, scenarios), _unique(problems)


def _partial(doc, base, raw, flavors, registry):
    """Name problems of a scenario that also has schema problems (best effort: the shapes
    may be wrong, so anything that does not fit is left to the schema's messages)."""
    try:
        return _expand(doc, base, raw, flavors, registry)[1]
    except Exception:    # noqa: BLE001 - a malformed scenario; the schema problems say why
        return []


def _same_flavor(flavor, spec):
    return (spec['vcpus'], spec['ram_mb'], spec['disk_gb'], spec.get('ephemeral_gb', 0),
            spec.get('swap', 0)) == (flavor.vcpus, flavor.ram_mb, flavor.disk_gb,
                                     flavor.ephemeral_gb, flavor.swap)


def _unique(problems):
    seen = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _expand(doc, base, raw, flavors, registry):
    """One scenario per matrix combination, each substituted and checked."""
    matrix = raw.get('matrix') or {}
    keys = sorted(matrix)
    combos = [{}]
    for name in keys:
        combos = [dict(c, **{name: v}) for c in combos for v in matrix[name]]
        if len(combos) > MAX_VARIANTS:
            return [], [doc.problem(base + ('matrix',), 'the matrix makes more than %d '
                                    'variants; split the scenario' % MAX_VARIANTS)]
    built, problems = [], []
    used = set()
    for values in combos:
        label = ','.join('%s=%s' % (k, values[k]) for k in keys)
        check = _Checker(doc, base, label)
        body = {k: v for k, v in raw.items() if k not in ('matrix', 'name')}
        body = _substitute(body, values, (), check, used)
        body['name'] = raw['name']
        if check.problems:
            problems.extend(check.problems)
            continue
        scenario = _build(doc, base, body, values, flavors, registry, check)
        problems.extend(check.problems)
        if scenario is not None and not check.problems:
            built.append(scenario)
    for name in keys:
        if name not in used:
            problems.append(doc.problem(base + ('matrix', name), "matrix variable '%s' is not "
                                        "used; write ${%s} where its value goes" % (name, name),
                                        key=True))
    return built, problems


def _substitute(value, values, path, check, used):
    if isinstance(value, dict):
        return {k: _substitute(v, values, path + (k,), check, used) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, values, path + (i,), check, used) for i, v in enumerate(value)]
    if not isinstance(value, str) or '${' not in value:
        return value
    whole = _VAR.fullmatch(value)
    for name in _VAR.findall(value):
        if name not in values:
            check.add(path, "unknown matrix variable '${%s}'%s" % (name, suggest(name, values)),
                      plain=True)
            return value
        used.add(name)
    if whole:
        return values[whole.group(1)]
    return _VAR.sub(lambda m: str(values[m.group(1)]), value)


def _build(doc, base, body, values, flavors, registry, check):
    computes = _computes(body, registry, check)
    hosts = [c.host for c in computes]
    ctx = _Context(hosts, flavors, registry, check, len(body['steps']))
    for number, raw in enumerate(body['steps'], start=1):
        if 'boot' in raw and raw['boot']['server'] not in ctx.all_servers:
            ctx.all_servers[raw['boot']['server']] = number
    faults = [_fault(f, ('faults', i), ctx, ctx.all_servers) for i, f in
              enumerate(body.get('faults') or [])]
    steps = _steps(body, ctx)
    concurrent = _concurrent(body, ctx)
    _check_expect(body.get('expect') or {}, ('expect',), ctx, ctx.all_servers)
    bugs = _bugs(body, registry, check)
    xfail = None
    if body.get('xfail') and body.get('catches'):
        check.add(('catches',), 'catches: needs a scenario that passes, but this one is xfail '
                  '(it fails already); drop one of the two')
    if body.get('xfail'):
        xfail = model.Xfail(body['xfail']['reason'], body['xfail'].get('bug'))
    used_flavors = {n: flavors[n] for n in sorted(ctx.used_flavors) if n in flavors}
    return model.Scenario(
        doc.filename, body['name'], doc.mark(base).line, bug=body.get('bug'),
        description=body.get('description', ''), computes=computes, flavors=used_flavors,
        options=dict(body.get('options') or {}), steps=steps, faults=faults,
        concurrent=concurrent, explore=_explore(body.get('explore'), check), matrix=values,
        reintroduce=bugs['reintroduce'], catches=bugs['catches'], xfail=xfail,
        expect=body.get('expect') or {})


class _Context(object):
    """What is known while walking one scenario: hosts, flavors, servers booted so far."""

    def __init__(self, hosts, flavors, registry, check, step_count):
        self.hosts = hosts
        self.flavors = flavors
        self.registry = registry
        self.check = check
        self.step_count = step_count
        self.booted = {}          # server -> step number (1-based) that boots it
        self.all_servers = {}
        self.stall_points = set()
        self.used_flavors = set()

    def host(self, name, path):
        if name is not None and name not in self.hosts:
            self.check.add(path, "unknown host '%s'%s (hosts in computes: %s)"
                           % (name, suggest(name, self.hosts), ', '.join(self.hosts)))

    def flavor(self, name, path):
        if name not in self.flavors:
            self.check.add(path, "unknown flavor '%s'%s (define it under flavors:, or use one "
                           "of %s)" % (name, suggest(name, self.flavors),
                                       ', '.join(sorted(self.flavors))))
        else:
            self.used_flavors.add(name)

    def server(self, name, path, known):
        if name not in known:
            where = ("it is booted by step %d, which comes later" % self.all_servers[name]
                     if name in self.all_servers else 'no step boots it')
            self.check.add(path, "unknown server '%s': %s%s (add '- boot: {server: %s, flavor: "
                           "m1.tiny}' before it)" % (name, where, suggest(name, known), name))


def _computes(body, registry, check):
    computes = []
    for host in body['computes']:
        spec = body['computes'][host] or {}
        driver = spec.get('driver', 'FakeDriver')
        key = driver[len('fake.'):] if driver.startswith('fake.') else driver
        cls = registry.drivers.get(key)
        if cls is None:
            check.add(('computes', host, 'driver'), "unknown driver '%s'%s (drivers: %s)"
                      % (driver, suggest(key, registry.drivers), names(registry.drivers)))
        computes.append(model.Compute(host, key, cls, dict(spec.get('inventory') or {})))
    return computes


def _steps(body, ctx):
    steps = []
    for number, raw in enumerate(body['steps'], start=1):
        kind = next(iter(raw))
        path = ('steps', number - 1, kind)
        args = _long_form(kind, raw[kind])
        _check_step(kind, args, path, number, ctx)
        steps.append(model.Step(kind, args, number, ctx.check.doc.mark(
            ctx.check.base + path).line))
    return steps


def _long_form(kind, value):
    """`confirm: vm1` -> {'server': 'vm1'}; `restart: host1` -> {'host': 'host1'}."""
    if isinstance(value, dict):
        return dict(value)
    if kind == 'sleep':
        return {'seconds': value}
    if kind == 'release':
        return {'point': value}
    if kind in HOST_KINDS or kind == 'periodic':
        return {'host': value} if value is not None else {}
    return {'server': value}


def _check_step(kind, args, path, number, ctx):
    known = ctx.booted
    if kind == 'boot':
        name = args['server']
        if name in known:
            ctx.check.add(path + ('server',), "server '%s' is already booted by step %d; "
                          "use another name" % (name, known[name]))
        ctx.flavor(args['flavor'], path + ('flavor',))
        ctx.host(args.get('host'), path + ('host',))
        known[name] = number
    elif kind in ('resize', 'migrate') + SERVER_KINDS:
        ctx.server(args['server'], path + ('server',), known)
        if 'flavor' in args:
            ctx.flavor(args['flavor'], path + ('flavor',))
        ctx.host(args.get('host'), path + ('host',))
    elif kind == 'wait':
        _check_wait(args, path, ctx)
    elif kind in HOST_KINDS or kind in ('set_inventory', 'driver_inventory'):
        ctx.host(args.get('host'), path + ('host',))
    elif kind == 'release':
        _check_release(args, path, ctx)
    elif kind == 'inject':
        _fault(args, path, ctx, known)
    elif kind == 'check':
        _check_expect(args, path, ctx, known)
    if isinstance(args.get('error'), str) and args['error'] not in ctx.registry.api_errors:
        ctx.check.add(path + ('error',), "unknown exception '%s'%s" % (
            args['error'], suggest(args['error'], ctx.registry.api_errors)))


def _check_wait(args, path, ctx):
    conditions = [k for k in ('status', 'task_state', 'vm_state', 'migration') if k in args]
    if not conditions:
        ctx.check.add(path, 'wait needs a condition: status, task_state, vm_state or migration')
    if 'server' not in args:
        ctx.check.add(path, 'wait needs a server')
    else:
        ctx.server(args['server'], path + ('server',), ctx.booted)


def _check_release(args, path, ctx):
    point = args['point']
    if not (point.startswith('scheduler.') and args.get('host') == 'scheduler'):
        ctx.host(args.get('host'), path + ('host',))
    if point not in ctx.stall_points:
        ctx.check.add(path + ('point',), "no stall fault at '%s' to release%s; add a fault with "
                      "action: stall first" % (point, suggest(point, ctx.stall_points)))


def _fault(args, path, ctx, servers):
    args = dict(args)
    exception_class = None
    if 'server' in args:
        ctx.server(args['server'], path + ('server',), servers)
    if 'operation' in args:
        _check_placement_fault(args, path, ctx)
    elif 'point' in args:
        exception_class = _check_driver_fault(args, path, ctx)
    else:
        ctx.check.add(path, 'a fault needs point (a driver fault such as driver.finish_migration)'
                      ' or operation and kind (a Placement fault)')
    return model.FaultSpec(args, ctx.check.doc.mark(ctx.check.base + path).line, exception_class)


def _check_driver_fault(args, path, ctx):
    registry = ctx.registry
    point = args['point']
    for key in ('kind', 'consumer'):
        if key in args:
            ctx.check.add(path + (key,), "'%s' is for Placement faults (with operation:), not "
                          "driver faults" % key)
    if point not in registry.points:
        ctx.check.add(path + ('point',), "unknown fault point '%s'%s (points: %s)"
                      % (point, suggest(point, registry.points), names(registry.points)))
    if point.startswith('scheduler.'):
        if args.get('host') not in (None, 'scheduler'):
            ctx.check.add(path + ('host',), "%s runs on host 'scheduler'; leave host out"
                          % point)
    else:
        ctx.host(args.get('host'), path + ('host',))
    action = args.get('action', 'raise')
    if action == 'stall':
        ctx.stall_points.add(point)
    if 'exception' in args and action != 'raise':
        ctx.check.add(path + ('exception',), "an exception only goes with action: raise, not "
                      "'%s'" % action)
    name = args.get('exception')
    if name is None:
        return None
    if name not in registry.exceptions:
        ctx.check.add(path + ('exception',), "unknown exception '%s'%s" % (
            name, suggest(name, registry.exceptions)))
        return None
    return registry.exceptions[name]


def _check_placement_fault(args, path, ctx):
    operations = ctx.registry.placement_operations
    op = args['operation']
    for key in ('point', 'host', 'action', 'exception', 'message'):
        if key in args:
            ctx.check.add(path + (key,), "'%s' is for driver faults (with point:), not "
                          "Placement faults" % key)
    if 'kind' not in args:
        ctx.check.add(path, "a Placement fault needs kind (one of %s)"
                      % ', '.join(sorted(set(k for v in operations.values() for k in v))))
    if op not in operations:
        ctx.check.add(path + ('operation',), "unknown Placement operation '%s'%s (operations: "
                      "%s)" % (op, suggest(op, operations), names(operations)))
    elif 'kind' in args and args['kind'] not in operations[op]:
        ctx.check.add(path + ('kind',), "fault kind '%s' does not apply to %s (it takes: %s)"
                      % (args['kind'], op, ', '.join(operations[op])))
    if 'consumer' in args and 'server' not in args:
        ctx.check.add(path + ('consumer',), 'consumer needs server: (whose instance or '
                      'migration consumer to fail)')
    if args.get('every') and 'nth' in args:
        ctx.check.add(path + ('every',), 'a Placement fault fires on the nth call or on every '
                      'call, not both')


def _concurrent(body, ctx):
    out = []
    steps = ctx.step_count
    for index, raw in enumerate(body.get('concurrent') or []):
        kind = next(iter(raw))
        path = ('concurrent', index, kind)
        args = _long_form(kind, raw[kind])
        if kind != 'periodic':
            args.setdefault('after', steps)
        if 'server' in args:
            ctx.server(args['server'], path + ('server',), ctx.all_servers)
            booted = ctx.all_servers.get(args['server'], 0)
            if args['after'] < booted:
                ctx.check.add(path + ('after',), "'%s' is booted by step %d; start this after: "
                              "%d or later" % (args['server'], booted, booted))
        if args.get('after', 0) > steps:
            ctx.check.add(path + ('after',), 'after: %d is past the last step (%d steps)'
                          % (args['after'], steps))
        if 'flavor' in args:
            ctx.flavor(args['flavor'], path + ('flavor',))
        ctx.host(args.get('host'), path + ('host',))
        out.append(model.Concurrent(kind, args, index, ctx.check.doc.mark(
            ctx.check.base + path).line))
    return out


def _check_expect(expect, path, ctx, servers):
    for name in sorted(expect.get('server') or {}):
        spec = expect['server'][name]
        ctx.server(name, path + ('server', name), servers)
        if spec.get('host') is not None:
            ctx.host(spec['host'], path + ('server', name, 'host'))
        if 'flavor' in spec:
            ctx.flavor(spec['flavor'], path + ('server', name, 'flavor'))
    for host in sorted(expect.get('usages') or {}):
        ctx.host(host, path + ('usages', host))
    for consumer in sorted(expect.get('allocations') or {}):
        server = consumer[len(MIGRATION_PREFIX):] if consumer.startswith(MIGRATION_PREFIX) \
            else consumer
        ctx.server(server, path + ('allocations', consumer), servers)
        held = expect['allocations'][consumer]
        for host in sorted(held):
            ctx.host(host, path + ('allocations', consumer, host))
            if isinstance(held[host], str):
                ctx.flavor(held[host], path + ('allocations', consumer, host))
    for name in sorted(expect.get('migration') or {}):
        ctx.server(name, path + ('migration', name), servers)
        spec = expect['migration'][name]
        if isinstance(spec, dict):
            for key in ('source_compute', 'dest_compute'):
                if key in spec:
                    ctx.host(spec[key], path + ('migration', name, key))


def _bugs(body, registry, check):
    out = {}
    for key in ('reintroduce', 'catches'):
        numbers = []
        for i, number in enumerate(body.get(key) or []):
            if str(number) not in registry.bugs:
                check.add((key, i), "bug %s has no switch in the model%s (historical bugs: %s)"
                          % (number, suggest(number, registry.bugs),
                             ', '.join(sorted(registry.bugs))))
            numbers.append(str(number))
        out[key] = tuple(sorted(set(numbers)))
    return out


def _explore(spec, check):
    if not spec:
        return model.Explore()
    strategy = spec.get('strategy', 'random')
    seeds = spec.get('seeds', 1)
    seeds = tuple(range(seeds)) if isinstance(seeds, int) else tuple(seeds)
    default_schedules = 1 if strategy == 'fifo' else 50
    schedules = spec.get('schedules', default_schedules)
    if strategy == 'fifo' and schedules > 1:
        check.add(('explore', 'schedules'), 'fifo always takes the same schedule; use strategy '
                  'random, pct or exhaustive to try %d schedules' % schedules)
    if 'depth' in spec and strategy != 'pct':
        check.add(('explore', 'depth'), "depth is for strategy pct, not '%s'" % strategy)
    return model.Explore(strategy, seeds, schedules, spec.get('bound'), spec.get('depth', 3),
                         explicit=True)
