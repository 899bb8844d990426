"""The gate through which every virt driver call of a compute service goes.

``yield from gate.call("finish_migration", instance, migration, instance)`` yields the
scheduling point ``driver.finish_migration <host>``, asks the driver FaultPlan, then calls the
driver. Fault actions: ``raise`` (Nova's exception from the plan), ``stall`` (the task waits,
without consuming virtual time, until ``plan.release(point, host)``), ``crash`` (the compute
service dies: all its tasks, this one included, are cancelled; later casts wait in its queue).
"""

from harness import sim


class StallEvents:
    """One sim event per (point, host) that stalled tasks wait on; woken by plan.release."""

    def __init__(self, scheduler, plan):
        self.sim = scheduler
        self.events = {}
        if plan is not None and hasattr(plan, "subscribe"):
            plan.subscribe(self.released)

    def event(self, point, host):
        key = (point, host)
        if key not in self.events:
            self.events[key] = self.sim.event("stall %s %s" % key)
        return self.events[key]

    def released(self, point, host):
        """FaultPlan listener: wake the tasks stalled at ``point`` on ``host`` (None: all)."""
        for key in sorted(k for k in self.events if k[0] == point and host in (None, k[1])):
            self.events.pop(key).set(host)


class VirtGate:
    """Calls into one host's driver, one scheduling point per call."""

    def __init__(self, service, driver, plan, stalls):
        self.service = service
        self.driver = driver
        self.plan = plan
        self.stalls = stalls

    def call(self, method, instance, *args, **kwargs):
        """Call ``driver.<method>(*args, **kwargs)`` through the fault point of the method."""
        yield from self.check("driver." + method, instance)
        return getattr(self.driver, method)(*args, **kwargs)

    def check(self, point, instance):
        """A scheduling point named ``<point> <host>``, then the planned fault, if any."""
        return check_fault(self.service.cloud, point, self.service.host, instance, self.stalls)


# Fault points of the always-up services (not driver methods); FaultPlan(extra_points=...).
SERVICE_POINTS = ("scheduler.select_destinations",)


def check_fault(cloud, point, where, instance, stalls):
    """Yield the point ``<point> <where>`` and apply the fault the plan has for it.

    ``where`` is a compute host (crash kills that service) or a service such as "scheduler"
    (crash is not modelled there and acts like raise).
    """
    uuid = getattr(instance, "uuid", None)
    reads = ("db:instance:" + uuid,) if uuid else ()
    plan = cloud.faults
    writes = ("host:" + where, "fault:" + point) if plan else ("host:" + where,)
    yield sim.Point("%s %s" % (point, where), reads=reads, writes=writes)   # rules count calls
    if not plan:
        return
    fault = plan.check(point, where, uuid, getattr(instance, "display_name", None))
    if fault is None:
        return
    if fault.action == "crash" and where in cloud.services:
        cloud.crash_compute(where)
        # The crash cancelled this task: it ends at this point.
        yield sim.Point("%s %s crashed" % (point, where), writes=("host:" + where,))
    if fault.action in ("raise", "crash"):
        raise fault.exception(where, uuid)
    while not fault.released(where):
        yield sim.Wait(stalls.event(point, where), writes=("host:" + where,))
