"""Hand-built worlds for the oracle's tests: real placement_sim states and stub clouds."""

from placement_sim import Placement

FLAVORS = {
    'm1.tiny': {'name': 'm1.tiny', 'id': 1, 'vcpus': 1, 'memory_mb': 512, 'root_gb': 1},
    'm1.small': {'name': 'm1.small', 'id': 2, 'vcpus': 1, 'memory_mb': 2048, 'root_gb': 20},
}
TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
SMALL = {'VCPU': 1, 'MEMORY_MB': 2048, 'DISK_GB': 20}
INVENTORY = {'VCPU': {'total': 10}, 'MEMORY_MB': {'total': 8192}, 'DISK_GB': {'total': 1028}}

I1 = '11111111-0000-4000-8000-000000000001'
M1 = '22222222-0000-4000-8000-000000000001'
STRANGER = '99999999-0000-4000-8000-000000000001'


class Record:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def instance(uuid=I1, name='vm1', vm_state='active', task_state=None, host='host1',
             flavor='m1.tiny', old=None, new=None, deleted=False, fault=None):
    return Record(uuid=uuid, display_name=name, vm_state=vm_state, task_state=task_state,
                  host=host, flavor=Record(**FLAVORS[flavor]),
                  old_flavor=Record(**FLAVORS[old]) if old else None,
                  new_flavor=Record(**FLAVORS[new]) if new else None, deleted=deleted,
                  fault=Record(message=fault) if fault else None)


def migration(uuid=M1, instance_uuid=I1, source='host1', dest='host2', status='finished',
              old=1, new=2):
    return Record(uuid=uuid, instance_uuid=instance_uuid, source_compute=source,
                  dest_compute=dest, status=status, old_instance_type_id=old,
                  new_instance_type_id=new, migration_type='resize')


class Cloud:
    """The parts of harness.nova's Cloud that the oracle reads."""

    def __init__(self, hosts=('host1', 'host2'), inventory=None):
        self.placement = Placement()
        self.rps = {}
        for host in hosts:
            rp = self.placement.create_provider(host)
            self.placement.set_inventories(rp['uuid'], rp['generation'],
                                           inventory or INVENTORY)
            self.rps[host] = rp['uuid']
        self.hosts = list(hosts)
        self.instances = {}
        self.migrations = []
        self.flavors = {name: Record(**f) for name, f in FLAVORS.items()}
        self.transitions = []
        self.faults = Record(fired=[])

    def compute_rp(self, host):
        return self.rps[host]

    def add(self, *records):
        for rec in records:
            if hasattr(rec, 'display_name'):
                self.instances[rec.display_name] = rec
            else:
                self.migrations.append(rec)
        return self

    def hold(self, consumer, **by_host):
        """consumer holds {host: resources}; an empty call deletes its allocations."""
        allocs = {self.rps[h]: {'resources': dict(r)} for h, r in sorted(by_host.items())}
        current = self.placement.consumers().get(consumer)
        gen = current['consumer_generation'] if current else None
        self.placement.put_allocations(consumer, allocs, 'project', 'user', gen)
        return self


class StubPlacement:
    """A Placement that answers introspection with whatever state a test builds (even broken)."""

    def __init__(self, providers, consumers):
        self._providers = providers
        self._consumers = consumers

    def providers(self):
        return self._providers

    def consumers(self):
        return self._consumers


def provider(name, generation=1, usages=None, total=10, reserved=0, ratio=1.0):
    return {'name': name, 'generation': generation,
            'inventories': {'VCPU': {'total': total, 'reserved': reserved,
                                     'allocation_ratio': ratio}},
            'usages': usages or {'VCPU': 0}}


def consumer(generation=1, **by_rp):
    return {'allocations': {rp: {'resources': r} for rp, r in by_rp.items()},
            'consumer_generation': generation}
