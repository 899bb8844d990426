"""Racing worlds for exploration: a resize with a delete and periodic tasks racing it.

``RaceWorld(...)`` is a ``world_factory`` for ``harness.sim.explore``/``shrink``/``replay``:
called with a fresh scheduler it builds a two-host cloud, boots ``vm1`` (m1.tiny) on host1 and
runs the setup steps, then starts the racing tasks at once -- one ``update_available_resource``
per host, the move action and a delete of the server -- and joins them.  After them comes the
liveness phase of DESIGN §7 (faults off, one periodic per host, the cloud left to settle) unless
``heal=False``.  The check returns the sorted signatures of the oracle's quiescence findings (or
None), and keeps the findings themselves in ``self.findings`` for the report.

Moves: ``resize`` (m1.tiny -> m1.small), ``revert`` (resize, wait for VERIFY_RESIZE, then
revertResize races the delete), ``migrate``.  ``delete_first`` spawns the delete before the move
request, so the fifo schedule (the order a deployment normally takes) deletes first.
"""

from harness import sim
from harness.nova import exceptions as nova_exc
from harness.nova.cloud import Cloud, NovaOptions
from harness.oracle import quiescence
from placement_sim import Placement

MOVES = ('resize', 'revert', 'migrate')
MAX_STEPS = 20_000
SETTLE = 1.0


class RaceWorld:
    """A world factory; one instance can build any number of independent worlds."""

    def __init__(self, move='resize', heal=True, dest_driver='MediumFakeDriver', delete=True,
                 periodic=True, delete_first=False, reintroduce=()):
        if move not in MOVES:
            raise ValueError('move must be one of %s, got %r' % (', '.join(MOVES), move))
        self.move = move
        self.heal = heal
        self.dest_driver = dest_driver
        self.delete = delete
        self.periodic = periodic
        self.delete_first = delete_first
        self.reintroduce = tuple(reintroduce)
        self.cloud = None
        self.findings = []

    def __call__(self, scheduler):
        cloud = Cloud(scheduler, placement=Placement(), options=NovaOptions(),
                      reintroduce=self.reintroduce)
        cloud.add_compute('host1', driver='MediumFakeDriver')
        cloud.add_compute('host2', driver=self.dest_driver)
        self.cloud = cloud
        self.findings = []
        scheduler.spawn(self._steps(cloud, scheduler), name='scenario')
        return self._check

    def __repr__(self):
        return 'RaceWorld(move=%r, heal=%r, delete_first=%r, periodic=%r)' % (
            self.move, self.heal, self.delete_first, self.periodic)

    def _check(self, result=None):
        self.findings = quiescence.check(self.cloud)
        if not self.findings:
            return None
        return tuple(sorted({f.signature() for f in self.findings}))

    # --- the steps ----------------------------------------------------------------------

    def _steps(self, cloud, scheduler):
        yield from cloud.api.boot('vm1', 'm1.tiny', host='host1')
        yield from _wait(cloud, lambda: cloud.instances['vm1'].status == 'ACTIVE')
        if self.move == 'revert':
            yield from cloud.api.resize('vm1', 'm1.small')
            yield from _wait(cloud, lambda: cloud.instances['vm1'].status in (
                'VERIFY_RESIZE', 'ERROR'))
        requests = [('api.' + self.move, self._move_call(cloud))]
        if self.delete:
            requests.insert(0 if self.delete_first else 1,
                            ('api.delete', cloud.api.delete('vm1')))
        racers = []
        if self.periodic:
            for host in cloud.hosts:
                racers.append(scheduler.spawn(cloud.run_periodic(host),
                                              name='periodic ' + host))
        racers += [scheduler.spawn(_guard(gen), name=name) for name, gen in requests]
        for task in racers:
            yield sim.Join(task)
        yield sim.Sleep(SETTLE)
        if self.heal:
            cloud.faults.disable()
            for host in cloud.hosts:
                yield from cloud.run_periodic(host)
            yield sim.Sleep(SETTLE)

    def _move_call(self, cloud):
        if self.move == 'resize':
            return cloud.api.resize('vm1', 'm1.small')
        if self.move == 'migrate':
            return cloud.api.migrate('vm1')
        return cloud.api.revert_resize('vm1')


def _guard(request):
    """An API request whose refusal (409, 404) is a normal outcome of the race."""
    try:
        yield from request
    except nova_exc.ApiError:
        return None


def _wait(cloud, condition):
    while not condition():
        yield sim.Wait(cloud.changed, timeout=600.0)


class Hunt:
    """What one exploration found: the failure, its shrunk schedule and the report."""

    def __init__(self, world, exploration, failure, minimal, findings, fifo_signature):
        self.world = world
        self.exploration = exploration
        self.failure = failure
        self.minimal = minimal
        self.findings = findings
        self.fifo_signature = fifo_signature

    @property
    def signature(self):
        return self.failure.signature

    def report(self):
        lines = ['%s found %s after %d schedules; shrunk from %d to %d choices:' % (
            self.exploration.strategy, ', '.join(self.signature), self.failure.schedule + 1,
            len(self.failure.choices), len(self.minimal))]
        lines += [f.format() for f in self.findings]
        lines.append('minimal choices: %s' % (self.minimal,))
        lines.append('replay: harness.sim.replay(%r, %s, strict=False)' % (
            self.world, self.minimal))
        return '\n'.join(lines)


def hunt(world, strategy, schedules=300, seed=0, max_runs=None):
    """Explore ``world`` until the first failure, shrink it, replay the minimal schedule.

    Returns a Hunt (None when nothing failed).  A finding that the fifo schedule does not
    produce needs an interleaving: it is marked CWE-362.
    """
    exploration = sim.explore(world, strategy, schedules=schedules, seed=seed,
                              stop_at_first=True, max_runs=max_runs)
    if not exploration.failures:
        return None
    failure = exploration.failures[0]
    minimal = sim.shrink(world, failure.choices, failure.signature, max_runs=500)
    _result, signature = sim.replay(world, minimal, strict=False)
    if signature != failure.signature:
        raise AssertionError('the shrunk schedule does not reproduce %r' % (failure.signature,))
    findings = list(world.findings)
    _result, fifo_signature = sim.replay(world, [], strict=False)
    for finding in findings:
        if finding.signature() not in (fifo_signature or ()):
            finding.mark_interleaving()
    return Hunt(world, exploration, failure, minimal, findings, fifo_signature)
