"""The Cloud facade: one simulated Nova deployment on one sim scheduler and one Placement.

Usage (doc/contracts.md §4)::

    s = sim.Scheduler(strategy=sim.Fifo())
    cloud = Cloud(s, placement=Placement(), options=NovaOptions(), reintroduce=("1825537",))
    cloud.add_compute("host1")
    cloud.add_compute("host2", driver="FakeFinishMigrationFailDriver")
    s.spawn(cloud.api.boot("vm1", "m1.tiny", host="host1"), name="boot vm1")
    s.run()

Actions (``cloud.api.*``) are generators to spawn as tasks; ``run_periodic`` is a generator;
``start_compute`` spawns the start-up (init_host, startup periodic, then the queued messages)
and returns its task. Introspection: ``instances``, ``migrations``, ``transitions``,
``changed``, ``compute_rp(host)``, ``hosts``, ``logs``.
"""

import collections
import dataclasses

from harness import sim
from harness.nova import exceptions as exc
from harness.nova.api import API
from harness.nova.bugs import Bugs
from harness.nova.conductor import Conductor
from harness.nova.database import Database
from harness.nova.flavors import default_flavors, lookup, make_flavor
from harness.nova.records import ComputeNode
from harness.nova.report_client import ReportClient
from harness.nova.rpc import Endpoint, Messaging
from harness.nova.scheduler import SchedulerService
from harness.nova.service import ComputeService
from harness.nova.virt import SERVICE_POINTS, StallEvents

MAX_LOGS = 10_000
MAX_HOSTS = 64

LogRecord = collections.namedtuple("LogRecord", "time level source message")


@dataclasses.dataclass
class NovaOptions:
    """Nova configuration options the model honours (Nova's defaults unless noted).

    update_resources_interval: seconds between automatic ``update_available_resource`` runs
    on every running compute; 0 (the default here, as in Nova's functional tests which set
    periodic_enable=False) means only explicit ``run_periodic`` runs it.
    """

    allow_resize_to_same_host: bool = False
    max_attempts: int = 3
    rpc_response_timeout: float = 60.0
    update_resources_interval: float = 0.0
    reclaim_instance_interval: int = 0
    resize_confirm_window: float = 0.0

    def validate(self):
        if not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ValueError("max_attempts must be an integer >= 1 (Nova's "
                             "[scheduler]max_attempts), got %r" % (self.max_attempts,))
        if not self.rpc_response_timeout > 0:
            raise ValueError("rpc_response_timeout must be > 0 seconds, got %r"
                             % (self.rpc_response_timeout,))
        if self.resize_confirm_window < 0:
            raise ValueError("resize_confirm_window must be >= 0 seconds (0: no auto-confirm), "
                             "got %r" % (self.resize_confirm_window,))
        if self.update_resources_interval < 0:
            raise ValueError("update_resources_interval must be >= 0 (0: only run_periodic), "
                             "got %r" % (self.update_resources_interval,))


class Cloud:
    """A Nova deployment: API, conductor, scheduler, compute services and the cell DB."""

    def __init__(self, scheduler, placement=None, options=None, reintroduce=()):
        from fake_drivers import FaultPlan
        from placement_sim import Placement
        self.sim = scheduler
        self.placement = placement if placement is not None else Placement()
        self.options = options if options is not None else NovaOptions()
        self.options.validate()
        self.bugs = Bugs(reintroduce)
        self.faults = FaultPlan(extra_points=SERVICE_POINTS)
        self.stalls = StallEvents(scheduler, self.faults)
        self.db = Database(scheduler)
        self.flavors = default_flavors()
        self.instances = {}            # name -> Instance (the newest of that name)
        self.services = {}             # host -> ComputeService, in add order
        self.compute_nodes = {}        # host -> ComputeNode
        self.logs = []
        self.project_id = "project"
        self.user_id = "user"
        self.driver_shared = {}
        self._host_by_rp = {}
        self.rpc = Messaging(self)
        self.conductor_endpoint = Endpoint(self, "conductor")
        self.scheduler_service = SchedulerService(self)
        self.conductor = Conductor(self)
        self.api = API(self)

    # -- configuration -----------------------------------------------------------------------

    def add_flavor(self, name, vcpus, ram_mb, disk_gb, ephemeral_gb=0, swap=0):
        return make_flavor(self.flavors, name, vcpus, ram_mb, disk_gb, ephemeral_gb, swap)

    def add_compute(self, host, driver="FakeDriver", inventory=None):
        """Start a compute service: its node, its resource provider with the driver inventory.

        ``inventory`` overrides the driver's: {rc: total} or {rc: {field: value}}.
        """
        from fake_drivers import get_driver_class
        if host in self.services:
            raise ValueError("compute %r exists already" % host)
        if len(self.services) >= MAX_HOSTS:
            raise ValueError("a cloud holds at most %d computes" % MAX_HOSTS)
        driver_obj = get_driver_class(driver)(host, faults=self.faults, shared=self.driver_shared)
        service = ComputeService(self, host, driver_obj)
        service.inventory_override = _check_inventory(host, inventory)
        rp_uuid = self.db.new_uuid("provider")
        self.placement.create_provider(service.nodename, uuid=rp_uuid)
        inv = service.inventory()
        self.placement.set_inventories(rp_uuid, 0, inv)
        res = driver_obj.get_available_resource(service.nodename)
        self.compute_nodes[host] = ComputeNode(rp_uuid, host, res.get("vcpus", 0),
                                               res.get("memory_mb", 0), res.get("local_gb", 0))
        self.compute_nodes[host].hypervisor_hostname = service.nodename
        self._host_by_rp[rp_uuid] = host
        self.services[host] = service
        service.rt.pushed_inventory = inv
        service.rt.new_node = False
        if self.options.update_resources_interval > 0:
            self.sim.every(self.options.update_resources_interval,
                           lambda: self._periodic_tick(host), "periodic " + host)
        return service

    def set_compute_inventory(self, host, inventory):
        """Change what ``host``'s driver reports (as a hypervisor or reserved_* change would).

        Placement sees it at the next ``update_available_resource`` on that host.
        """
        service = self._service(host)
        service.inventory_override = dict(service.inventory_override or {},
                                          **_check_inventory(host, inventory))

    # -- services ----------------------------------------------------------------------------

    def stop_compute(self, host):
        """Stop the service: it takes no messages (they queue) and the API sees it down."""
        self._service(host).stop()

    def crash_compute(self, host):
        """Kill the service: its running tasks are cancelled; casts queue until it starts."""
        self._service(host).crash()

    def start_compute(self, host):
        """Start the service (init_host, startup periodic, queued messages); returns the task."""
        service = self._service(host)
        return service.spawn(service.start(), "compute.start " + host, writes=("host:" + host,))

    def run_periodic(self, host):
        """A generator: one ``update_available_resource`` on ``host`` (skipped when down)."""
        service = self._service(host)
        if not service.running:
            self.log("info", service.name, "periodic task skipped: service is not running")
            return
        task = service.spawn(service.manager.update_available_resource(),
                             "periodic update_available_resource " + host)
        try:
            yield sim.Join(task, reads=(), writes=())
        except sim.Cancelled:
            if not task.cancelled:
                raise

    def poll_unconfirmed_resizes(self, host):
        """A generator: one ``_poll_unconfirmed_resizes`` on ``host`` (auto-confirm)."""
        service = self._service(host)
        if not service.running:
            return
        task = service.spawn(service.manager.poll_unconfirmed_resizes(),
                             "periodic _poll_unconfirmed_resizes " + host)
        try:
            yield sim.Join(task, reads=(), writes=())
        except sim.Cancelled:
            if not task.cancelled:
                raise

    def _periodic_tick(self, host):
        service = self.services[host]
        yield sim.Point("periodic.tick " + host, writes=("host:" + host,))
        if service.running:
            service.spawn(service.manager.update_available_resource(),
                          "periodic update_available_resource " + host)
            if self.options.resize_confirm_window > 0:
                service.spawn(service.manager.poll_unconfirmed_resizes(),
                              "periodic _poll_unconfirmed_resizes " + host)

    def release(self, point, host=None):
        """Release the stalls at a driver fault point (``FaultPlan.release``)."""
        return self.faults.release(point, host)

    def _service(self, host):
        try:
            return self.services[host]
        except KeyError:
            raise ValueError(exc.unknown_name("compute host", host, self.services)) from None

    # -- lookups -----------------------------------------------------------------------------

    @property
    def hosts(self):
        return tuple(self.services)

    @property
    def migrations(self):
        return self.db.migrations

    @property
    def transitions(self):
        return self.db.transitions

    @property
    def changed(self):
        return self.db.changed

    def flavor(self, name):
        return lookup(self.flavors, name)

    def flavor_by_id(self, flavor_id):
        for flavor in self.flavors.values():
            if flavor.id == flavor_id:
                return flavor
        return None

    def compute_rp(self, host):
        """The uuid of the resource provider of ``host``'s compute node."""
        self._service(host)
        return self.compute_nodes[host].uuid

    def compute_rp_or_none(self, host):
        node = self.compute_nodes.get(host)
        return node.uuid if node is not None else None

    def host_of_rp(self, rp_uuid):
        return self._host_by_rp.get(rp_uuid)

    def rp_uuids(self):
        return [self.compute_nodes[h].uuid for h in self.services]

    def migration_by_uuid(self, uuid):
        for migration in self.db.migrations:
            if migration.uuid == uuid:
                return migration
        return None

    def migrations_of(self, name):
        instance = self.instances.get(name)
        return self.db.migrations_of(instance.uuid) if instance is not None else []

    def report_client(self, name):
        return ReportClient(self.placement, lambda level, message: self.log(level, name, message))

    def log(self, level, source, message):
        if len(self.logs) < MAX_LOGS:
            self.logs.append(LogRecord(self.sim.now, level, source, message))


def _check_inventory(host, inventory):
    if inventory is None:
        return None
    if not isinstance(inventory, dict):
        raise ValueError("compute %s: inventory must be a mapping {RESOURCE_CLASS: total or "
                         "{total: n, reserved: n, allocation_ratio: x}}, got %r"
                         % (host, inventory))
    for rc, value in inventory.items():
        ok = (isinstance(value, int) and not isinstance(value, bool) and value >= 0) or (
            isinstance(value, dict) and value)
        if not ok:
            raise ValueError("compute %s: inventory of %s must be a total >= 0 or a mapping of "
                             "inventory fields, got %r" % (host, rc, value))
    return dict(inventory)
