"""Explicit expectations of a scenario, checked at the end of a run.

``check(cloud, expect) -> [Finding]`` where ``expect`` is the scenario's ``expect:`` mapping:

- ``usages: {host: {RC: n}}``: Placement usage of the host's compute node provider; only the
  listed classes are compared (list all three to check as Nova's
  ``assertEqual({'VCPU': 0, ...}, usages)`` does).
- ``allocations: {consumer: {host: flavor}}``: what a consumer holds; ``flavor`` is a flavor
  name or ``{RC: n}``; ``{}`` means nothing.  ``consumer`` is a server name (its instance
  consumer) or ``<server>/migration`` (also ``migration:<server>``: the consumer of the
  server's latest migration).  Like
  ``assertFlavorMatchesAllocation``, it compares exactly and forbids any other provider.
- ``server: {name: {status, vm_state, task_state, host, fault, flavor}}``: ``fault`` is a
  substring of the fault message (``assertIn``), the others are compared exactly; ``status:
  DELETED`` also accepts a server that is gone.
- ``migration: {server: status}`` or ``{server: {status, source_compute (source), dest_compute
  (dest), migration_type (type), count}}``: the server's latest migration; ``count`` is how
  many migrations the server has.
- ``no_leaks``: accepted and ignored here (the runner always runs the quiescence check).

Unknown keys raise ValueError naming the valid ones (the scenario loader validates first; this is
a second line of defence).
"""

from fake_drivers import exceptions as fd_exceptions
from harness.oracle import findings as fnd
from harness.oracle import snapshot

TOP_KEYS = ('usages', 'allocations', 'server', 'servers', 'migration', 'migrations', 'no_leaks')
SERVER_KEYS = ('status', 'vm_state', 'task_state', 'host', 'fault', 'flavor')
MIGRATION_KEYS = ('status', 'source_compute', 'dest_compute', 'count', 'migration_type')
MIGRATION_ALIASES = {'source': 'source_compute', 'dest': 'dest_compute',
                     'type': 'migration_type'}
MIGRATION_PREFIX = 'migration:'
MIGRATION_SUFFIX = '/migration'

_API_STATUS = {
    'building': 'BUILD', 'active': 'ACTIVE', 'stopped': 'SHUTOFF', 'resized': 'VERIFY_RESIZE',
    'error': 'ERROR', 'deleted': 'DELETED', 'soft-delete': 'SOFT_DELETED',
}
_TASK_STATUS = {
    'resize_prep': 'RESIZE', 'resize_migrating': 'RESIZE', 'resize_migrated': 'RESIZE',
    'resize_finish': 'RESIZE', 'resize_reverting': 'REVERT_RESIZE', 'migrating': 'MIGRATING',
}


def check(cloud, expect, step=None):
    """Findings for every expectation that does not hold (empty when all hold)."""
    expect = expect or {}
    _known('expect', expect, TOP_KEYS)
    world = snapshot.World(cloud)
    state = snapshot.PlacementState.read(cloud.placement)
    out = []
    out += _usages(world, state, expect.get('usages') or {}, step)
    out += _allocations(world, state, expect.get('allocations') or {}, step)
    out += _servers(world, cloud, expect.get('server') or expect.get('servers') or {}, step)
    out += _migrations(world, expect.get('migration') or expect.get('migrations') or {}, step)
    return out


def api_status(inst):
    """The API status of an instance record (its ``status`` when the model provides one)."""
    status = getattr(inst, 'status', None)
    if status:
        return status
    if getattr(inst, 'deleted', False):
        return 'DELETED'
    task = getattr(inst, 'task_state', None)
    if inst.vm_state in ('active', 'stopped') and task in _TASK_STATUS:
        return _TASK_STATUS[task]
    return _API_STATUS.get(inst.vm_state, str(inst.vm_state).upper())


def _known(where, mapping, valid):
    if not isinstance(mapping, dict):
        raise ValueError('%s: expected a mapping, got %r' % (where, mapping))
    for key in mapping:
        if key not in valid:
            raise ValueError('%s: %s' % (
                where, fd_exceptions.unknown_name_message('key', key, valid)))


def _rp(world, host, what):
    rp = world.rp_of_host.get(host)
    if rp is None:
        raise ValueError('%s: %s' % (what, fd_exceptions.unknown_name_message(
            'host', host, world.rp_of_host)))
    return rp


def _usages(world, state, expected, step):
    out = []
    for host in sorted(expected):
        rp = _rp(world, host, 'expect.usages')
        want = {rc: n for rc, n in expected[host].items()}
        view = state.providers.get(rp)
        have = dict(view.usages) if view else {}
        got = {rc: have.get(rc, 0) for rc in want}
        if got != want:
            out.append(fnd.Finding(
                fnd.EXPECT_USAGE,
                'usage on %s: expected %s, got %s%s' % (
                    host, _resources_or_zero(want), _resources_or_zero(got),
                    _held_by(world, state, rp)),
                provider=rp, expected=want, actual=got, step=step, cwe=fnd.CWE_LEAK,
                details={'host': host}))
    return out


def _held_by(world, state, rp):
    holders = []
    for consumer in sorted(state.consumers):
        res = state.consumers[consumer].allocations.get(rp)
        if res:
            holders.append('%s %s' % (world.describe_consumer(consumer),
                                      fnd.format_resources(res)))
    return ' (held by: %s)' % '; '.join(holders) if holders else ''


def _resources_or_zero(resources):
    return ' '.join('%s=%s' % (rc, resources[rc]) for rc in fnd.sort_classes(resources)) or (
        'nothing')


def _consumer(world, key):
    """consumer uuid and words for an ``allocations`` key (server or migration:server)."""
    if key.startswith(MIGRATION_PREFIX):
        server = key[len(MIGRATION_PREFIX):]
    elif key.endswith(MIGRATION_SUFFIX):
        server = key[:-len(MIGRATION_SUFFIX)]
    else:
        server = key
    inst = _instance(world, server, 'expect.allocations')
    if server == key:
        return inst.uuid, server
    mig = world.latest_migration(inst.uuid)
    if mig is None:
        return None, 'migration of %s' % server
    return mig.uuid, 'migration of %s' % server


def _instance(world, name, what):
    by_name = {world.name_of[u]: i for u, i in world.instances.items()}
    if name not in by_name:
        raise ValueError('%s: %s' % (what, fd_exceptions.unknown_name_message(
            'server', name, by_name)))
    return by_name[name]


def _allocations(world, state, expected, step):
    out = []
    for key in sorted(expected):
        consumer, words = _consumer(world, key)
        want = {}
        for host, flavor in sorted((expected[key] or {}).items()):
            want[_rp(world, host, 'expect.allocations')] = _flavor(world, flavor)
        have = state.allocations_of(consumer) if consumer else {}
        if have != want:
            out.append(fnd.Finding(
                fnd.EXPECT_ALLOCATION,
                'allocations of %s (%s): expected %s, got %s' % (
                    words, consumer or 'no migration', _alloc_words(world, want),
                    _alloc_words(world, have)),
                consumer=consumer, provider=_diff_provider(want, have),
                expected=_by_host(world, want), actual=_by_host(world, have), step=step,
                cwe=fnd.CWE_LEAK, details={'role': 'migration' if words != key else 'instance'}))
    return out


def _flavor(world, flavor):
    if isinstance(flavor, dict):
        return {rc: n for rc, n in flavor.items() if n}
    found = world.flavor_named(flavor)
    if found is None:
        names = sorted({snapshot._get(f, 'name', None) for f in world.flavors.values()} - {None})
        raise ValueError('expect.allocations: %s' % fd_exceptions.unknown_name_message(
            'flavor', flavor, names))
    return snapshot.flavor_resources(found)


def _alloc_words(world, allocs):
    if not allocs:
        return 'nothing'
    return ', '.join('%s on %s%s' % (
        fnd.format_resources(res), world.host_name(rp),
        ' (%s)' % world.flavor_matching(res) if world.flavor_matching(res) else '')
        for rp, res in sorted(allocs.items()))


def _by_host(world, allocs):
    return {world.host_name(rp): dict(res) for rp, res in sorted(allocs.items())}


def _diff_provider(want, have):
    for rp in sorted(set(want) | set(have)):
        if want.get(rp) != have.get(rp):
            return rp
    return None


def _servers(world, cloud, expected, step):
    out = []
    for name in sorted(expected):
        want = expected[name] or {}
        _known('expect.server.%s' % name, want, SERVER_KEYS)
        inst = _instance(world, name, 'expect.server')
        fault = getattr(inst, 'fault', None)
        fault_text = getattr(fault, 'message', None) if fault is not None else None
        flavor = getattr(inst, 'flavor', None)
        have = {'status': api_status(inst), 'vm_state': inst.vm_state,
                'task_state': getattr(inst, 'task_state', None), 'host': inst.host,
                'fault': fault_text, 'flavor': world.flavor_name(flavor)}
        for field in SERVER_KEYS:
            if field not in want:
                continue
            if _server_field_ok(field, want[field], have[field], inst):
                continue
            out.append(fnd.Finding(
                fnd.EXPECT_SERVER,
                'server %s: expected %s %s %r, got %r' % (
                    name, field, 'containing' if field == 'fault' else '=', want[field],
                    have[field]),
                consumer=inst.uuid, expected={field: want[field]}, actual={field: have[field]},
                step=step, details={'field': field}))
    return out


def _server_field_ok(field, want, have, inst):
    if field == 'fault':
        return have is not None and str(want) in have
    if field == 'status' and want == 'DELETED' and getattr(inst, 'deleted', False):
        return True
    return want == have


def _migrations(world, expected, step):
    out = []
    for name in sorted(expected):
        want = expected[name]
        if not isinstance(want, dict):
            want = {'status': want}
        want = {MIGRATION_ALIASES.get(k, k): v for k, v in want.items()}
        _known('expect.migration.%s' % name, want, MIGRATION_KEYS)
        inst = _instance(world, name, 'expect.migration')
        migs = world.migrations_of(inst.uuid)
        latest = migs[-1] if migs else None
        have = {'count': len(migs)}
        for field in MIGRATION_KEYS[:3] + MIGRATION_KEYS[4:]:
            have[field] = getattr(latest, field, None) if latest else None
        for field in MIGRATION_KEYS:
            if field in want and want[field] != have[field]:
                out.append(fnd.Finding(
                    fnd.EXPECT_MIGRATION,
                    'migration of %s: expected %s %r, got %r' % (
                        name, field, want[field], have[field]),
                    consumer=getattr(latest, 'uuid', None), expected={field: want[field]},
                    actual={field: have[field]}, step=step, details={'field': field}))
    return out
