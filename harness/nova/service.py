"""A nova-compute service: its RPC endpoint, driver gate, manager, resource tracker and lifecycle.

Lifecycle (DESIGN §6): ``stop`` stops taking messages (tasks already running finish; later
casts wait in the queue) and marks the service down; ``crash`` does the same and cancels every
running task of the service at its next scheduling point (nothing of a crashed task runs after
it: no clean-up handler, as when the process dies); ``start`` runs ``init_host``, then the
startup ``update_available_resource``, then takes the queued messages, like
nova.service.Service.start. The service counts as up as soon as it is running (the model has no
heartbeat delay).
"""

from harness import sim
from harness.nova.compute_manager import ComputeManager
from harness.nova.records import Service
from harness.nova.resource_tracker import ResourceTracker
from harness.nova.rpc import Endpoint
from harness.nova.virt import VirtGate


class Lock:
    """A mutex for tasks of one service (utils.synchronized); waiting is a sim.Wait."""

    def __init__(self, scheduler, name):
        self.sim = scheduler
        self.name = name
        self.key = "lock:" + name
        self.owner = None
        self.event = None

    def acquire(self):
        yield sim.Point("lock.acquire " + self.name, writes=(self.key,))
        while self.owner is not None:
            if self.event is None:
                self.event = self.sim.event("lock " + self.name)
            yield sim.Wait(self.event, reads=(), writes=())   # the next step only yields again
            yield sim.Point("lock.acquire " + self.name, writes=(self.key,))
        self.owner = self.sim.current

    def release(self):
        self.owner = None
        if self.event is not None:
            event, self.event = self.event, None
            event.set(None)

    def reset(self):
        """The process died: nobody holds the lock any more."""
        self.owner = None
        self.release()

    def run(self, body):
        """Run the generator ``body`` holding the lock; the release is a scheduling point."""
        yield from self.acquire()
        try:
            result = yield from body
        except Exception:
            yield sim.Point("lock.release " + self.name, writes=(self.key,))
            self.release()
            raise
        except BaseException:      # cancelled: the service died, its locks are reset anyway
            self.release()
            raise
        yield sim.Point("lock.release " + self.name, writes=(self.key,))
        self.release()
        return result


class ComputeService(Endpoint):
    """One compute host (one node named after the host, as the fake drivers report)."""

    def __init__(self, cloud, host, driver):
        super().__init__(cloud, "compute", host)
        self.record = Service(host)
        self.driver = driver
        self.gate = VirtGate(self, driver, cloud.faults, cloud.stalls)
        self.nodename = driver.nodename
        self.rt_lock = Lock(cloud.sim, "compute_resources " + host)
        self.instance_locks = {}
        self.report = cloud.report_client("compute " + host)
        self.rt = ResourceTracker(self)
        self.manager = ComputeManager(self)
        self.starting = False
        self.inventory_override = None

    def inventory(self):
        """The inventory this compute reports: the driver's, with the scenario's overrides."""
        inventory = self.driver.get_inventory(self.nodename)
        for rc, override in sorted((self.inventory_override or {}).items()):
            fields = dict(inventory.get(rc) or {"total": 0, "reserved": 0, "min_unit": 1,
                                                "step_size": 1, "allocation_ratio": 1.0})
            if isinstance(override, dict):
                fields.update(override)
            else:
                fields["total"] = override
            if not isinstance(override, dict) or "max_unit" not in override:
                fields["max_unit"] = fields["total"]
            inventory[rc] = fields
        return inventory

    def instance_lock(self, uuid):
        if uuid not in self.instance_locks:
            self.instance_locks[uuid] = Lock(self.cloud.sim, "%s %s" % (self.host, uuid))
        return self.instance_locks[uuid]

    # -- lifecycle ---------------------------------------------------------------------------

    def stop(self):
        """Graceful stop: no new messages; in-flight handlers finish."""
        self.running = False
        self.record.running = False

    def crash(self):
        """The process dies: every task of the service is cancelled; the queue stays."""
        self.running = False
        self.record.running = False
        self.starting = False
        self.cancel_tasks()
        self.rt_lock.reset()
        for lock in self.instance_locks.values():
            lock.reset()

    def start(self, first=False):
        """A generator: init_host, the startup periodic, then take the queued messages."""
        if self.running or self.starting:
            return
        self.starting = True
        if not first:
            yield from self.manager.init_host()
        yield from self.rt.update_available_resource(startup=True)
        self.starting = False
        self.running = True
        self.record.running = True
        self.drain()
