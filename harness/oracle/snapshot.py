"""Read-only views of Placement and of Nova's records, as the oracle needs them.

``PlacementState.read(placement)`` takes one consistent picture: providers (name, generation,
inventory, usages) and consumers (allocations per provider, generation, type).  It uses the
introspection methods of ``placement_sim.Placement`` (``providers()``, ``consumers()``) and falls
back to the public read methods when they are missing.  ``PlacementState.build`` makes one from
plain dicts (unit tests, reports).

``World`` wraps a Cloud of ``harness.nova`` (doc/contracts.md §4): host <-> provider names,
flavors by id, instances by uuid, migrations by consumer uuid.  Only attributes named in the
contract are read, each through ``getattr`` with a default so a partial model still works.
"""

import math

RESOURCE_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')


class ProviderView:
    __slots__ = ('uuid', 'name', 'generation', 'inventories', 'usages')

    def __init__(self, uuid, name, generation, inventories, usages):
        self.uuid = uuid
        self.name = name
        self.generation = generation
        self.inventories = inventories
        self.usages = usages

    def capacity(self, rc):
        """(total - reserved) * allocation_ratio, as Placement checks it; None if no inventory."""
        inv = self.inventories.get(rc)
        if inv is None:
            return None
        ratio = inv.get('allocation_ratio', 1.0)
        return int((inv['total'] - inv.get('reserved', 0)) * ratio)


class ConsumerView:
    __slots__ = ('uuid', 'allocations', 'generation', 'consumer_type')

    def __init__(self, uuid, allocations, generation=None, consumer_type=None):
        self.uuid = uuid
        self.allocations = allocations        # {rp_uuid: {rc: amount}}
        self.generation = generation
        self.consumer_type = consumer_type

    def total(self):
        out = {}
        for resources in self.allocations.values():
            for rc, amount in resources.items():
                out[rc] = out.get(rc, 0) + amount
        return out


class PlacementState:
    def __init__(self, providers, consumers):
        self.providers = providers            # uuid -> ProviderView
        self.consumers = consumers            # uuid -> ConsumerView (only those holding some)

    @classmethod
    def build(cls, providers, allocations, generations=None, consumer_generations=None,
              usages=None):
        """From plain data: ``providers`` uuid -> {'name', 'inventories'} (+'generation'),
        ``allocations`` consumer -> {rp: {rc: n}}; usages default to the sums."""
        generations = generations or {}
        consumer_generations = consumer_generations or {}
        consumers = {c: ConsumerView(c, {rp: dict(r) for rp, r in allocs.items() if r},
                                     consumer_generations.get(c))
                     for c, allocs in allocations.items() if any(allocs.values())}
        sums = _sum_usages(consumers)
        views = {}
        for uuid, data in providers.items():
            use = (usages or {}).get(uuid)
            if use is None:
                use = {rc: sums.get(uuid, {}).get(rc, 0) for rc in data.get('inventories', {})}
            views[uuid] = ProviderView(uuid, data.get('name', uuid),
                                       generations.get(uuid, data.get('generation', 0)),
                                       data.get('inventories', {}), dict(use))
        return cls(views, consumers)

    @classmethod
    def read(cls, placement):
        if hasattr(placement, 'providers') and hasattr(placement, 'consumers'):
            return cls._read_introspection(placement)
        return cls._read_public(placement)

    @classmethod
    def _read_introspection(cls, placement):
        providers = {}
        for uuid, p in placement.providers().items():
            providers[uuid] = ProviderView(uuid, p.get('name', uuid), p.get('generation', 0),
                                           p.get('inventories', {}), p.get('usages', {}))
        consumers = {}
        for uuid, c in placement.consumers().items():
            allocs = {}
            for rp, entry in c['allocations'].items():
                resources = entry['resources']
                if any(resources.values()):
                    allocs[rp] = {rc: n for rc, n in resources.items() if n}
            if allocs:
                consumers[uuid] = ConsumerView(uuid, allocs, c.get('consumer_generation'),
                                               c.get('consumer_type'))
        return cls(providers, consumers)

    @classmethod
    def _read_public(cls, placement):
        providers, consumers = {}, {}
        for p in placement.list_providers():
            uuid = p['uuid']
            inv = placement.get_inventories(uuid)
            inv = inv.get('inventories', inv)
            providers[uuid] = ProviderView(uuid, p['name'], p['generation'],
                                           _plain_inventories(inv),
                                           dict(placement.get_usages(uuid)))
            for consumer in sorted(placement.get_provider_allocations(uuid)):
                if consumer not in consumers:
                    consumers[consumer] = _consumer_view(
                        consumer, placement.get_allocations(consumer))
        return cls(providers, {u: c for u, c in consumers.items() if c.allocations})

    def usage_sums(self):
        """provider uuid -> {rc: sum of allocations} computed from the consumers."""
        return _sum_usages(self.consumers)

    def allocations_of(self, consumer):
        view = self.consumers.get(consumer)
        return view.allocations if view else {}


def _plain_inventories(inventories):
    return {rc: dict(inv) for rc, inv in inventories.items()}


def _consumer_view(uuid, data):
    allocs = data.get('allocations', data) if isinstance(data, dict) else {}
    plain = {}
    for rp, entry in allocs.items():
        if not isinstance(entry, dict):
            continue
        resources = entry.get('resources', entry)
        resources = {rc: n for rc, n in resources.items() if isinstance(n, int) and n}
        if resources:
            plain[rp] = resources
    return ConsumerView(uuid, plain, data.get('consumer_generation'),
                        data.get('consumer_type'))


def _sum_usages(consumers):
    sums = {}
    for uuid in sorted(consumers):
        for rp, resources in consumers[uuid].allocations.items():
            slot = sums.setdefault(rp, {})
            for rc, amount in resources.items():
                slot[rc] = slot.get(rc, 0) + amount
    return sums


def flavor_resources(flavor):
    """Placement resources of a flavor, as Nova's ``resources_from_flavor`` computes them."""
    if flavor is None:
        return {}
    if isinstance(flavor, dict) and all(isinstance(v, int) for v in flavor.values()):
        return dict(flavor)
    disk = (_get(flavor, 'root_gb', 0) + _get(flavor, 'ephemeral_gb', 0)
            + int(math.ceil(_get(flavor, 'swap', 0) / 1024.0)))
    out = {'VCPU': _get(flavor, 'vcpus', 0), 'MEMORY_MB': _get(flavor, 'memory_mb', 0),
           'DISK_GB': disk}
    return {rc: n for rc, n in out.items() if n}


def _get(obj, name, default):
    value = obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)
    return default if value is None else value


class World:
    """The model's records seen through the contract of ``harness.nova.cloud.Cloud``."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.hosts = sorted(getattr(cloud, 'hosts', ()) or ())
        self.rp_of_host = {}
        for host in self.hosts:
            try:
                self.rp_of_host[host] = cloud.compute_rp(host)
            except (KeyError, ValueError, LookupError):
                continue
        self.host_of_rp = {rp: h for h, rp in self.rp_of_host.items()}
        db = getattr(getattr(cloud, 'db', None), 'instances', None)
        if isinstance(db, dict) and db:
            # uuid -> Instance, every instance ever created (a name can be reused)
            self.instances = dict(sorted(db.items()))
        else:
            instances = getattr(cloud, 'instances', {}) or {}
            self.instances = {getattr(i, 'uuid'): i for _, i in sorted(instances.items())}
        self.name_of = {u: (getattr(i, 'display_name', None) or u)
                        for u, i in self.instances.items()}
        self.migrations = list(getattr(cloud, 'migrations', ()) or ())
        self.migration_by_uuid = {m.uuid: m for m in self.migrations}
        self.flavors = _flavor_table(cloud)

    def host_name(self, rp):
        return self.host_of_rp.get(rp, rp)

    def migrations_of(self, instance_uuid):
        return [m for m in self.migrations if m.instance_uuid == instance_uuid]

    def latest_migration(self, instance_uuid):
        found = self.migrations_of(instance_uuid)
        return found[-1] if found else None

    def flavor_by_id(self, type_id):
        return self.flavors.get(type_id) if type_id is not None else None

    def flavor_name(self, flavor):
        if flavor is None:
            return None
        return _get(flavor, 'name', None)

    def flavor_named(self, name):
        for flavor in self.flavors.values():
            if _get(flavor, 'name', None) == name:
                return flavor
        return None

    def describe_consumer(self, consumer):
        """'vm1' for an instance, 'migration of vm1' for a migration, 'unknown' otherwise."""
        if consumer in self.instances:
            return self.name_of[consumer]
        mig = self.migration_by_uuid.get(consumer)
        if mig is not None:
            return 'migration of %s' % self.name_of.get(mig.instance_uuid, mig.instance_uuid)
        return 'unknown consumer'

    def flavor_matching(self, resources):
        """Name of the flavor whose resources equal ``resources`` (None if none does)."""
        for key in sorted(self.flavors, key=str):
            flavor = self.flavors[key]
            if flavor_resources(flavor) == resources:
                return _get(flavor, 'name', None)
        return None


def _flavor_table(cloud):
    table = {}
    flavors = getattr(cloud, 'flavors', None) or {}
    items = flavors.values() if isinstance(flavors, dict) else flavors
    for flavor in items:
        for key in ('id', 'flavorid', 'name'):
            value = _get(flavor, key, None)
            if value is not None:
                table.setdefault(value, flavor)
    return table
