"""The base fake virt driver and the capacity presets of ``nova.virt.fake``.

``FakeDriver`` keeps a per-host table of guests (uuid -> FakeInstance) and answers every
driver method the move flows call, as plain Python methods without a request context:
``spawn``, ``destroy``, ``cleanup``, ``migrate_disk_and_power_off``, ``finish_migration``,
``confirm_migration``, ``finish_revert_migration``, ``power_off``, ``power_on``, ``reboot``,
``get_info``, ``get_available_resource``, ``get_inventory``/``update_provider_tree``,
``live_migration`` and friends.  Behaviour mirrors Nova's FakeDriver (34.0.0): resize steps
succeed, ``finish_migration`` spawns the guest on the destination, ``confirm_migration``
destroys the source guest unless the resize stayed on one host.

The driver does not consult its fault plan by itself: Nova's model calls each method through a
gate that asks ``plan.check("driver.<method>", host, server_uuid)`` first (doc/contracts.md §3).
``fault_for`` is a convenience for that gate.

Instances passed in are any objects with ``uuid`` and ``flavor`` (``vcpus``, ``memory_mb``,
``root_gb``), and optionally ``display_name`` and ``vm_state``; migrations need
``source_compute`` and ``dest_compute``.
"""

import uuid as uuidlib

from fake_drivers import exceptions

# nova.compute.power_state values
NOSTATE = 0
RUNNING = 1
PAUSED = 3
SHUTDOWN = 4
CRASHED = 6
SUSPENDED = 7

# Nova's configuration defaults that shape a compute node's inventory (nova/conf/compute.py).
DEFAULT_RESERVED = {'VCPU': 0, 'MEMORY_MB': 512, 'DISK_GB': 0}
DEFAULT_ALLOCATION_RATIOS = {'VCPU': 4.0, 'MEMORY_MB': 1.0, 'DISK_GB': 1.0}

_NODE_NAMESPACE = uuidlib.UUID('6b6f7661-7265-7369-7a65-6861726e6573')

BASE_CAPABILITIES = {
    'has_imagecache': True,
    'supports_evacuate': True,
    'supports_migrate_to_same_host': False,
    'supports_attach_interface': True,
    'supports_device_tagging': True,
    'supports_multiattach': True,
    'supports_pcpus': False,
}

MOVE_METHODS = (
    'spawn', 'destroy', 'cleanup', 'migrate_disk_and_power_off', 'finish_migration',
    'confirm_migration', 'finish_revert_migration', 'power_off', 'power_on', 'reboot',
    'get_info', 'get_available_resource', 'get_inventory', 'update_provider_tree',
    'init_host', 'live_migration', 'live_migration_force_complete', 'live_migration_abort',
    'post_live_migration', 'post_live_migration_at_destination',
    'rollback_live_migration_at_destination', 'pre_live_migration',
    'check_can_live_migrate_destination', 'check_can_live_migrate_source',
)
"""Driver methods that are fault points (``driver.<method>``)."""


def node_uuid(nodename):
    """A stable compute-node uuid for ``nodename`` (Nova's fake uses a per-node sentinel)."""
    return str(uuidlib.uuid5(_NODE_NAMESPACE, 'node_%s' % nodename))


class FakeInstance:
    """A guest on the fake hypervisor."""

    def __init__(self, name, state, uuid):
        self.name = name
        self.state = state
        self.uuid = uuid

    def __repr__(self):
        return 'FakeInstance(%r, state=%r)' % (self.uuid, self.state)


class Resources:
    """Hypervisor-side resource counters, as nova.virt.fake.Resources keeps them."""

    def __init__(self, vcpus, memory_mb, local_gb):
        self.vcpus = vcpus
        self.memory_mb = memory_mb
        self.local_gb = local_gb
        self.vcpus_used = 0
        self.memory_mb_used = 0
        self.local_gb_used = 0

    def claim(self, flavor):
        self.vcpus_used += flavor.vcpus
        self.memory_mb_used += flavor.memory_mb
        self.local_gb_used += flavor.root_gb

    def release(self, flavor):
        self.vcpus_used -= flavor.vcpus
        self.memory_mb_used -= flavor.memory_mb
        self.local_gb_used -= flavor.root_gb

    def dump(self):
        return {
            'vcpus': self.vcpus, 'memory_mb': self.memory_mb, 'local_gb': self.local_gb,
            'vcpus_used': self.vcpus_used, 'memory_mb_used': self.memory_mb_used,
            'local_gb_used': self.local_gb_used,
        }


class FakeDriver:
    """Nova's base fake hypervisor: huge capacity, every move step succeeds."""

    vcpus = 1000
    memory_mb = 800000
    local_gb = 600000
    capabilities = dict(BASE_CAPABILITIES)
    child_inventories = {}
    """Nested child providers: name suffix -> inventory (empty for the plain drivers)."""

    def __init__(self, host, faults=None, shared=None):
        self.host = host
        self.faults = faults
        # State shared by all drivers of one cloud (Nova keeps some of it on the class,
        # e.g. FakeRescheduleDriver.rescheduled); private when not given.
        self.shared = {} if shared is None else shared
        self.instances = {}
        self.resources = Resources(self.vcpus, self.memory_mb, self.local_gb)
        self.calls = []
        self.init_host(host)

    def __repr__(self):
        return '%s(host=%r)' % (type(self).__name__, self.host)

    @property
    def name(self):
        return type(self).__name__

    def fault_for(self, method, server_uuid=None, server_name=None):
        """The fault planned for the next ``method`` call on this host, if any."""
        if self.faults is None:
            return None
        return self.faults.check('driver.' + method, self.host, server_uuid, server_name)

    def _record(self, method, instance=None):
        self.calls.append((method, getattr(instance, 'uuid', None)))

    # --- host --------------------------------------------------------------------------

    def init_host(self, host):
        self.host = host
        self.nodes = ['fake-mini'] if host == 'compute' else [host]

    @property
    def nodename(self):
        return self.nodes[0]

    def get_available_nodes(self, refresh=False):
        return list(self.nodes)

    def list_instance_uuids(self):
        return sorted(self.instances)

    def get_available_resource(self, nodename=None):
        """The compute-node record the resource tracker builds from the hypervisor."""
        nodename = nodename or self.nodename
        if nodename not in self.nodes:
            return {}
        status = self.resources.dump()
        status.update({
            'hypervisor_type': 'fake', 'hypervisor_hostname': nodename,
            'uuid': node_uuid(nodename),
        })
        return status

    def get_inventory(self, nodename=None, reserved=None, allocation_ratios=None):
        """The VCPU/MEMORY_MB/DISK_GB inventory ``update_provider_tree`` reports.

        ``reserved`` and ``allocation_ratios`` override Nova's defaults per resource class
        (reserved_host_memory_mb=512, initial_cpu_allocation_ratio=4.0, ...).
        """
        reserved = dict(DEFAULT_RESERVED, **(reserved or {}))
        ratios = dict(DEFAULT_ALLOCATION_RATIOS, **(allocation_ratios or {}))
        totals = {'VCPU': self.vcpus, 'MEMORY_MB': self.memory_mb, 'DISK_GB': self.local_gb}
        return {
            rc: {'total': total, 'reserved': reserved[rc], 'min_unit': 1, 'max_unit': total,
                 'step_size': 1, 'allocation_ratio': ratios[rc]}
            for rc, total in totals.items()
        }

    def update_provider_tree(self, provider_tree, nodename=None, allocations=None):
        """Fill ``provider_tree`` (a dict: provider name -> inventory) for this node."""
        nodename = nodename or self.nodename
        provider_tree[nodename] = self.get_inventory(nodename)
        for suffix, inventory in sorted(self.child_inventories.items()):
            provider_tree[nodename + suffix] = {rc: dict(v) for rc, v in inventory.items()}
        return provider_tree

    # --- guest lifecycle ---------------------------------------------------------------

    def spawn(self, instance, power_on=True, **kwargs):
        self._record('spawn', instance)
        state = RUNNING if power_on else SHUTDOWN
        self.resources.claim(instance.flavor)
        self.instances[instance.uuid] = FakeInstance(_name(instance), state, instance.uuid)

    def destroy(self, instance, destroy_disks=True, **kwargs):
        self._record('destroy', instance)
        if instance.uuid in self.instances:
            self.resources.release(instance.flavor)
            del self.instances[instance.uuid]

    def cleanup(self, instance, destroy_disks=True, **kwargs):
        self._record('cleanup', instance)
        if instance.uuid in self.instances:
            raise exceptions.InstanceExists(
                'Instance %s has not been destroyed.' % instance.uuid)

    def power_off(self, instance, timeout=0, retry_interval=0):
        self._record('power_off', instance)
        self._guest(instance).state = SHUTDOWN

    def power_on(self, instance, **kwargs):
        self._record('power_on', instance)
        self._guest(instance).state = RUNNING

    def reboot(self, instance, reboot_type='SOFT', **kwargs):
        self._record('reboot', instance)
        self._guest(instance).state = RUNNING

    def get_info(self, instance):
        """The power state of the guest (NOSTATE when this host has no such guest)."""
        guest = self.instances.get(instance.uuid)
        return guest.state if guest else NOSTATE

    def _guest(self, instance):
        try:
            return self.instances[instance.uuid]
        except KeyError:
            raise exceptions.InstanceNotFound(instance_id=instance.uuid) from None

    # --- cold migrate / resize ---------------------------------------------------------

    def migrate_disk_and_power_off(self, instance, dest=None, flavor=None, **kwargs):
        """Source side of a resize: nothing to do on the fake; returns the disk info."""
        self._record('migrate_disk_and_power_off', instance)
        return ''

    def finish_migration(self, migration, instance, disk_info=None, resize_instance=True,
                         power_on=True, **kwargs):
        """Destination side of a resize: the guest is spawned here."""
        self._record('finish_migration', instance)
        self.spawn(instance, power_on=power_on)

    def confirm_migration(self, migration, instance, **kwargs):
        """Source side of confirm: the old guest goes, unless the resize kept the host."""
        self._record('confirm_migration', instance)
        if migration.source_compute != migration.dest_compute:
            self.destroy(instance)

    def finish_revert_migration(self, instance, migration=None, power_on=True, **kwargs):
        """Source side of revert: the guest is recreated here."""
        self._record('finish_revert_migration', instance)
        state = RUNNING if power_on else SHUTDOWN
        self.instances[instance.uuid] = FakeInstance(_name(instance), state, instance.uuid)

    # --- live migration ----------------------------------------------------------------

    def check_can_live_migrate_destination(self, instance, **kwargs):
        self._record('check_can_live_migrate_destination', instance)
        return {'is_shared_block_storage': True, 'is_shared_instance_path': True}

    def check_can_live_migrate_source(self, instance, dest_check_data=None, **kwargs):
        self._record('check_can_live_migrate_source', instance)
        return dest_check_data

    def pre_live_migration(self, instance, migrate_data=None, **kwargs):
        self._record('pre_live_migration', instance)
        return migrate_data

    def live_migration(self, instance, dest, post_method, recover_method, **kwargs):
        """The base fake completes at once: it calls ``post_method``."""
        self._record('live_migration', instance)
        return post_method(instance, dest)

    def live_migration_force_complete(self, instance):
        self._record('live_migration_force_complete', instance)

    def live_migration_abort(self, instance):
        self._record('live_migration_abort', instance)

    def post_live_migration(self, instance, **kwargs):
        self._record('post_live_migration', instance)

    def post_live_migration_at_destination(self, instance, **kwargs):
        self._record('post_live_migration_at_destination', instance)
        self.spawn(instance)

    def rollback_live_migration_at_destination(self, instance, **kwargs):
        self._record('rollback_live_migration_at_destination', instance)


def _name(instance):
    return getattr(instance, 'display_name', None) or getattr(instance, 'name', instance.uuid)


class SmallFakeDriver(FakeDriver):
    """The capacity Nova's API samples expect: 2 VCPU, 8192 MB, 1028 GB."""

    vcpus = 2
    memory_mb = 8192
    local_gb = 1028


class MediumFakeDriver(FakeDriver):
    """Room for a few instances but easy to exhaust: 10 VCPU, 8192 MB, 1028 GB."""

    vcpus = 10
    memory_mb = 8192
    local_gb = 1028
