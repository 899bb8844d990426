"""Shared helpers for the harness.nova unit tests: a cloud on a fifo scheduler, and waiters."""

from harness import sim
from harness.nova.cloud import Cloud, NovaOptions
from placement_sim import Placement

MAX_STEPS = 100_000


def make_cloud(computes, reintroduce=(), strategy=None, **options):
    """A Cloud with ``computes`` ({host: driver name}) on a fresh scheduler."""
    scheduler = sim.Scheduler(strategy=strategy or sim.Fifo(), max_steps=MAX_STEPS)
    cloud = Cloud(scheduler, placement=Placement(), options=NovaOptions(**options),
                  reintroduce=reintroduce)
    for host, driver in computes.items():
        cloud.add_compute(host, driver=driver)
    return cloud


def wait_until(cloud, condition, timeout=None):
    """A generator: block on cloud.changed until ``condition()`` holds."""
    while not condition():
        if timeout is None:
            yield sim.Wait(cloud.changed)
        else:
            yield sim.Wait(cloud.changed, timeout=timeout)


def status_is(cloud, name, status):
    return lambda: cloud.instances[name].status == status


def migration_is(cloud, name, status):
    def check():
        migrations = cloud.migrations_of(name)
        return bool(migrations) and migrations[-1].status == status
    return check


def boot(cloud, name, flavor, host):
    """A generator: boot and wait for ACTIVE."""
    yield from cloud.api.boot(name, flavor, host=host)
    yield from wait_until(cloud, status_is(cloud, name, "ACTIVE"))


def run(cloud, *generators):
    """Spawn the generators as tasks in order and run to the end; returns the RunResult."""
    tasks = [cloud.sim.spawn(gen, name="step %d" % i) for i, gen in enumerate(generators)]
    result = cloud.sim.run()
    return result, tasks


def usage(cloud, host):
    """Placement usage of the host's provider, without zero entries."""
    return {rc: n for rc, n in cloud.placement.get_usages(cloud.compute_rp(host)).items() if n}


def allocations(cloud, consumer):
    """{host: resources} that ``consumer`` (a uuid) holds."""
    body = cloud.placement.get_allocations(consumer).get("allocations") or {}
    return {cloud.host_of_rp(rp): dict(a["resources"]) for rp, a in body.items()}


def flavor_resources(cloud, name):
    return cloud.flavor(name).resources()


def when_emptied(cloud, consumer_of):
    """Record how many transitions had been observed when a consumer first held nothing.

    ``consumer_of()`` names the consumer (None while unknown). Returns a list that gets one
    entry: the number of cloud.transitions at the first step after which the consumer, having
    held allocations, holds none.
    """
    state = {"held": False}
    marks = []

    def hook(scheduler, step):
        consumer = consumer_of()
        if consumer is None or marks:
            return
        record = cloud.placement.consumers().get(consumer) or {}   # no fault counting
        held = bool(record.get("allocations"))
        if held:
            state["held"] = True
        elif state["held"]:
            marks.append(len(cloud.transitions))
    cloud.sim.add_step_hook(hook)
    return marks


def latest_migration_uuid(cloud, name):
    migrations = cloud.migrations_of(name)
    return migrations[-1].uuid if migrations else None
