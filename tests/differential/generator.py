"""Seeded random sequences of Placement API calls, valid and invalid, the way clients send them.

`generate(seed, length)` returns `length` calls (`calls.Call`). A small model of the expected
state (providers with parents, inventories, traits, aggregates; consumers with allocations)
steers the choice so that most calls are meaningful: allocations fit (or deliberately do not:
over capacity, min_unit/max_unit/step_size violations, unknown providers and classes), moves are
Nova's at 1.28 (POST /allocations: the migration consumer takes the source allocation, the
instance's goes to the destination; revert swaps back, confirm deletes the migration's), and
some calls are broken on purpose (stale generations, malformed JSON, bad microversions, unknown
routes). The model is a guide only: the services' answers are what is compared.

Queries that could see other sequences' data in the real service's shared database are always
scoped to this sequence (in_tree, member_of of its aggregates, its custom traits and classes).
"""
import random

from tests.differential.calls import Call
from tests.differential.calls import ConsumerGen
from tests.differential.calls import Gen
from tests.differential.calls import Ref

STANDARD_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')
STANDARD_TRAITS = ('HW_CPU_X86_AVX', 'HW_CPU_X86_SSE', 'COMPUTE_STATUS_DISABLED',
                   'MISC_SHARES_VIA_AGGREGATE')
ALLOCATION_VERSIONS = ('1.28', '1.28', '1.36', '1.38', '1.39')


class Provider(object):
    def __init__(self, index, parent):
        self.index = index
        self.parent = parent
        self.alive = True
        self.inventory = {}
        self.traits = set()
        self.aggregates = set()
        self.name = None

    @property
    def ref(self):
        return Ref('rp', self.index)


class Consumer(object):
    def __init__(self, index, project, user):
        self.index = index
        self.project = project
        self.user = user
        self.allocations = {}

    @property
    def ref(self):
        return Ref('consumer', self.index)


class Model(object):
    """What the generator expects the state to be after the calls so far."""

    def __init__(self):
        self.providers = []
        self.consumers = []
        self.traits = 0
        self.classes = 0
        self.aggregates = 0
        self.names = 0

    def alive(self):
        return [rp for rp in self.providers if rp.alive]

    def with_inventory(self):
        return [rp for rp in self.alive() if rp.inventory]

    def holders(self):
        return [c for c in self.consumers if c.allocations]

    def children(self, rp):
        return [p for p in self.alive() if p.parent == rp.index]

    def used(self, rp, rc):
        return sum(c.allocations.get(rp.index, {}).get(rc, 0) for c in self.consumers)

    def free(self, rp, rc):
        inv = rp.inventory[rc]
        capacity = int((inv['total'] - inv['reserved']) * inv['allocation_ratio'])
        return capacity - self.used(rp, rc)

    def ancestors(self, rp):
        """The providers above `rp`, nearest first (bounded: the model never holds a cycle)."""
        found = []
        while rp.parent is not None and len(found) < len(self.providers):
            rp = self.providers[rp.parent]
            found.append(rp)
        return found

    def root(self, rp):
        above = self.ancestors(rp)
        return above[-1] if above else rp


class Generator(object):
    """Builds one sequence; `rng` is the only source of choices."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.model = Model()

    # -- helpers ---------------------------------------------------------------------------

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def chance(self, probability):
        return self.rng.random() < probability

    def new_ref(self, kind):
        counters = {'name': 'names', 'trait': 'traits', 'rc': 'classes', 'agg': 'aggregates'}
        attr = counters[kind]
        index = getattr(self.model, attr)
        setattr(self.model, attr, index + 1)
        return Ref(kind, index)

    def classes(self):
        return list(STANDARD_CLASSES) + [Ref('rc', i) for i in range(self.model.classes)]

    def unknown_rp(self):
        return Ref('rp', 900 + self.rng.randrange(50))

    def provider_or_unknown(self):
        alive = self.model.alive()
        if alive and not self.chance(0.1):
            return self.pick(alive)
        return None

    @staticmethod
    def rp_path(ref, *rest):
        return ['/resource_providers/', ref] + list(rest)

    # -- providers -------------------------------------------------------------------------

    def create_provider(self):
        parents = self.model.alive()
        parent = self.pick(parents) if parents and self.chance(0.4) else None
        rp = Provider(len(self.model.providers), parent.index if parent else None)
        self.model.providers.append(rp)
        rp.name = self.new_ref('name')
        body = {'name': rp.name}
        version = '1.14' if self.chance(0.15) else '1.39'
        learns = None
        if version == '1.39' and self.chance(0.1):
            learns = rp.ref
        else:
            body['uuid'] = rp.ref
        if parent:
            body['parent_provider_uuid'] = parent.ref
        return Call('create_provider', 'POST', ['/resource_providers'], body=body,
                    version=version, creates=[rp.ref], learns=learns)

    def create_provider_invalid(self):
        choice = self.rng.randrange(5)
        body = {'name': self.new_ref('name'), 'uuid': Ref('rp', 800 + self.rng.randrange(50))}
        alive = self.model.alive()
        if choice == 0 and alive:
            body['name'] = self.pick(alive).name
        elif choice == 1:
            body['parent_provider_uuid'] = self.unknown_rp()
        elif choice == 2:
            body['name'] = self.rng.randrange(100)
        elif choice == 3:
            body = {'uuid': body['uuid']}
        else:
            body['uuid'] = 'not-a-uuid'
        return Call('create_provider_invalid', 'POST', ['/resource_providers'], body=body)

    def get_provider(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        version = self.pick(('1.0', '1.14', '1.39'))
        return Call('get_provider', 'GET', self.rp_path(ref), version=version)

    def list_providers(self):
        alive = self.model.alive()
        choice = self.rng.randrange(5)
        if choice == 0 and alive:
            query = [('in_tree', [self.pick(alive).ref])]
        elif choice == 1 and self.model.aggregates:
            agg = Ref('agg', self.rng.randrange(self.model.aggregates))
            query = [('member_of', [agg])]
        elif choice == 2 and alive:
            rc = self.pick(STANDARD_CLASSES)
            query = [('resources', ['%s:1' % rc]), ('in_tree', [self.pick(alive).ref])]
        elif choice == 3 and self.model.traits and alive:
            query = [('required', [Ref('trait', self.rng.randrange(self.model.traits))])]
        else:
            ref = self.pick(alive).ref if alive else self.unknown_rp()
            query = [('uuid', [ref])]
        return Call('list_providers', 'GET', ['/resource_providers'], query=query)

    def update_provider(self):
        rp = self.provider_or_unknown()
        if rp is None:
            return Call('update_provider', 'PUT', self.rp_path(self.unknown_rp()),
                        body={'name': self.new_ref('name')})
        rp.name = self.new_ref('name')
        body = {'name': rp.name}
        others = [p for p in self.model.alive() if p is not rp]
        if others and self.chance(0.4):
            target = self.pick(others)
            body['parent_provider_uuid'] = target.ref
            version = self.pick(('1.14', '1.37', '1.39'))
            if version != '1.14' and rp not in self.model.ancestors(target):
                rp.parent = target.index
        else:
            version = '1.39'
            if rp.parent is not None:
                body['parent_provider_uuid'] = self.model.providers[rp.parent].ref
        return Call('update_provider', 'PUT', self.rp_path(rp.ref), body=body, version=version)

    def delete_provider(self):
        rp = self.provider_or_unknown()
        if rp is None:
            return Call('delete_provider', 'DELETE', self.rp_path(self.unknown_rp()))
        in_use = any(rp.index in c.allocations for c in self.model.consumers)
        if not in_use and not self.model.children(rp):
            rp.alive = False
        return Call('delete_provider', 'DELETE', self.rp_path(rp.ref))

    # -- inventories -----------------------------------------------------------------------

    def inventory_record(self, rc):
        if rc == 'MEMORY_MB':
            total = 512 * self.rng.randint(1, 16)
        elif rc == 'DISK_GB':
            total = self.rng.randint(10, 200)
        else:
            total = self.rng.randint(1, 32)
        record = {'total': total}
        if self.chance(0.3):
            record['reserved'] = self.rng.randint(0, max(0, total // 4))
        if self.chance(0.3):
            record['min_unit'] = self.pick((1, 2))
        if self.chance(0.3):
            record['max_unit'] = self.rng.randint(max(1, total // 2), total)
        if self.chance(0.3):
            record['step_size'] = self.pick((1, 2, 4))
        if self.chance(0.3):
            record['allocation_ratio'] = self.pick((1.0, 1.5, 4.0, 16.0))
        return record

    @staticmethod
    def full_record(record):
        full = {'reserved': 0, 'min_unit': 1, 'max_unit': record['total'], 'step_size': 1,
                'allocation_ratio': 1.0}
        full.update(record)
        return full

    def set_inventories(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        classes = self.classes()
        chosen = sorted(set(self.pick(classes) for _ in range(self.rng.randint(1, 3))),
                        key=str)
        inventories = {rc: self.inventory_record(rc) for rc in chosen}
        body = {'resource_provider_generation': Gen(ref), 'inventories': inventories}
        if rp is not None:
            in_use = [rc for rc in rp.inventory if self.model.used(rp, rc)]
            if all(rc in inventories for rc in in_use):
                rp.inventory = {rc: self.full_record(rec) for rc, rec in inventories.items()}
        version = self.pick(('1.26', '1.39'))
        return Call('set_inventories', 'PUT', self.rp_path(ref, '/inventories'), body=body,
                    version=version)

    def set_inventories_invalid(self):
        rp = self.provider_or_unknown() or Provider(0, None)
        rc = self.pick(STANDARD_CLASSES)
        record = self.inventory_record(rc)
        body = {'resource_provider_generation': Gen(rp.ref), 'inventories': {rc: record}}
        choice = self.rng.randrange(8)
        if choice == 0:
            body['resource_provider_generation'] = Gen(rp.ref, self.pick((-1, 1)))
        elif choice == 1:
            record.update(min_unit=record['total'] + 1, max_unit=record['total'])
        elif choice == 2:
            record['step_size'] = 0
        elif choice == 3:
            record['total'] = 0
        elif choice == 4:
            record['reserved'] = record['total'] + 1
        elif choice == 5:
            body['inventories'] = {Ref('rc', 700 + self.rng.randrange(9)): record}
        elif choice == 6:
            del body['resource_provider_generation']
        else:
            record['allocation_ratio'] = 0
        version = self.pick(('1.0', '1.26', '1.39'))
        return Call('set_inventories_invalid', 'PUT', self.rp_path(rp.ref, '/inventories'),
                    body=body, version=version)

    def update_inventory(self):
        candidates = self.model.with_inventory()
        if not candidates:
            return self.set_inventories()
        rp = self.pick(candidates)
        rc = self.pick(sorted(rp.inventory, key=str))
        record = self.inventory_record(rc)
        body = dict(record, resource_provider_generation=Gen(rp.ref))
        if self.chance(0.15):
            body['resource_provider_generation'] = Gen(rp.ref, -1)
        else:
            rp.inventory[rc] = self.full_record(record)
        return Call('update_inventory', 'PUT', self.rp_path(rp.ref, '/inventories/', rc),
                    body=body)

    def delete_inventory(self):
        candidates = self.model.with_inventory()
        rp = self.pick(candidates) if candidates else None
        if rp is None:
            return Call('delete_inventory', 'DELETE',
                        self.rp_path(self.unknown_rp(), '/inventories/VCPU'))
        rc = self.pick(sorted(rp.inventory, key=str) + ['DISK_GB'])
        if rc in rp.inventory and not self.model.used(rp, rc):
            del rp.inventory[rc]
        return Call('delete_inventory', 'DELETE', self.rp_path(rp.ref, '/inventories/', rc))

    def get_inventories(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        return Call('get_inventories', 'GET', self.rp_path(ref, '/inventories'))

    # -- traits, aggregates, resource classes ----------------------------------------------

    def create_trait(self):
        if self.model.traits and self.chance(0.3):
            trait = Ref('trait', self.rng.randrange(self.model.traits))
        elif self.chance(0.1):
            return Call('create_trait', 'PUT', ['/traits/NOT_CUSTOM_TRAIT'])
        else:
            trait = self.new_ref('trait')
        return Call('create_trait', 'PUT', ['/traits/', trait], creates=[trait])

    def set_traits(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        names = set(self.pick(STANDARD_TRAITS) for _ in range(self.rng.randint(0, 2)))
        traits = sorted(names)
        if self.model.traits and self.chance(0.5):
            traits.append(Ref('trait', self.rng.randrange(self.model.traits)))
        if self.chance(0.1):
            traits.append(Ref('trait', 600 + self.rng.randrange(9)))
        gen = Gen(ref, -1) if self.chance(0.1) else Gen(ref)
        body = {'traits': traits, 'resource_provider_generation': gen}
        return Call('set_traits', 'PUT', self.rp_path(ref, '/traits'), body=body,
                    version=self.pick(('1.6', '1.39')))

    def get_traits(self):
        if self.chance(0.5):
            return Call('list_traits', 'GET', ['/traits'],
                        query=[('name', ['startswith:', Ref('prefix', 0)])])
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        return Call('get_provider_traits', 'GET', self.rp_path(ref, '/traits'))

    def delete_trait(self):
        if not self.model.traits:
            return self.create_trait()
        trait = Ref('trait', self.rng.randrange(self.model.traits))
        return Call('delete_trait', 'DELETE', ['/traits/', trait])

    def set_aggregates(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        aggs = []
        for _ in range(self.rng.randint(0, 2)):
            if self.model.aggregates and self.chance(0.6):
                aggs.append(Ref('agg', self.rng.randrange(self.model.aggregates)))
            else:
                aggs.append(self.new_ref('agg'))
        if self.chance(0.25):
            return Call('set_aggregates', 'PUT', self.rp_path(ref, '/aggregates'), body=aggs,
                        version='1.18')
        gen = Gen(ref, 1) if self.chance(0.1) else Gen(ref)
        body = {'aggregates': aggs, 'resource_provider_generation': gen}
        return Call('set_aggregates', 'PUT', self.rp_path(ref, '/aggregates'), body=body)

    def get_aggregates(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        return Call('get_aggregates', 'GET', self.rp_path(ref, '/aggregates'),
                    version=self.pick(('1.1', '1.39')))

    def resource_class_call(self):
        choice = self.rng.randrange(4)
        if choice == 0 or not self.model.classes:
            rc = self.new_ref('rc')
            return Call('create_resource_class', 'PUT', ['/resource_classes/', rc],
                        creates=[rc])
        rc = Ref('rc', self.rng.randrange(self.model.classes))
        if choice == 1:
            return Call('get_resource_class', 'GET', ['/resource_classes/', rc])
        if choice == 2:
            return Call('delete_resource_class', 'DELETE', ['/resource_classes/', rc])
        return Call('create_resource_class_post', 'POST', ['/resource_classes'],
                    body={'name': rc})

    # -- allocations -----------------------------------------------------------------------

    def new_consumer(self):
        project = Ref('project', self.rng.randrange(2))
        user = Ref('user', self.rng.randrange(2))
        consumer = Consumer(len(self.model.consumers), project, user)
        self.model.consumers.append(consumer)
        return consumer

    def fitting_amounts(self, rp):
        """{rc: amount} that fits the provider's free capacity and unit rules, or None."""
        amounts = {}
        for rc in sorted(rp.inventory, key=str):
            inv = rp.inventory[rc]
            top = min(inv['max_unit'], self.model.free(rp, rc))
            step = inv['step_size']
            low = max(inv['min_unit'], step)
            low = ((low + step - 1) // step) * step
            if top < low:
                continue
            amount = self.rng.randint(low, top)
            amounts[rc] = max(low, amount - amount % step)
            if self.chance(0.5):
                break
        return amounts or None

    def allocation_body(self, consumer, allocations, version, ctype='INSTANCE', gen=None):
        body = {
            'allocations': allocations,
            'project_id': consumer.project,
            'user_id': consumer.user,
            'consumer_generation': gen if gen is not None else ConsumerGen(consumer.ref),
        }
        if version in ('1.38', '1.39'):
            body['consumer_type'] = ctype
        return body

    def put_allocations(self):
        candidates = self.model.with_inventory()
        if not candidates:
            return self.set_inventories()
        rp = self.pick(candidates)
        amounts = self.fitting_amounts(rp)
        if amounts is None:
            return self.put_allocations_invalid()
        holders = self.model.holders()
        consumer = self.pick(holders) if holders and self.chance(0.3) else self.new_consumer()
        version = self.pick(ALLOCATION_VERSIONS)
        consumer.allocations = {rp.index: amounts}
        allocations = {rp.ref: {'resources': dict(amounts)}}
        return Call('put_allocations', 'PUT', ['/allocations/', consumer.ref],
                    body=self.allocation_body(consumer, allocations, version), version=version,
                    creates=[consumer.ref])

    def put_allocations_invalid(self):
        candidates = self.model.with_inventory()
        consumer = self.new_consumer()
        version = self.pick(ALLOCATION_VERSIONS)
        rp = self.pick(candidates) if candidates else None
        choice = self.rng.randrange(9)
        resources = {'VCPU': 1}
        ref = rp.ref if rp else self.unknown_rp()
        if rp is not None:
            rc = self.pick(sorted(rp.inventory, key=str))
            inv = rp.inventory[rc]
            resources = {rc: inv['min_unit']}
            if choice == 0:
                resources[rc] = self.model.free(rp, rc) + inv['step_size']
            elif choice == 1 and inv['min_unit'] > 1:
                resources[rc] = inv['min_unit'] - 1
            elif choice == 2:
                resources[rc] = inv['max_unit'] + inv['step_size']
            elif choice == 3 and inv['step_size'] > 1:
                resources[rc] = inv['min_unit'] + 1 if inv['min_unit'] % 2 == 0 else 3
        if choice == 4:
            ref = self.unknown_rp()
        elif choice == 5:
            resources = {Ref('rc', 700 + self.rng.randrange(9)): 1}
        elif choice == 6:
            resources = {}
        elif choice == 7:
            resources = {'VCPU': 0}
        body = self.allocation_body(consumer, {ref: {'resources': resources}}, version)
        if choice == 8:
            body['consumer_generation'] = 3
        if self.chance(0.1):
            del body['project_id']
        return Call('put_allocations_invalid', 'PUT', ['/allocations/', consumer.ref],
                    body=body, version=version)

    def put_allocations_stale(self):
        holders = self.model.holders()
        if not holders:
            return self.put_allocations_invalid()
        consumer = self.pick(holders)
        rp_index = self.pick(sorted(consumer.allocations))
        allocations = {Ref('rp', rp_index): {'resources': dict(consumer.allocations[rp_index])}}
        version = self.pick(ALLOCATION_VERSIONS)
        body = self.allocation_body(consumer, allocations, version,
                                    gen=ConsumerGen(consumer.ref, stale=True))
        return Call('put_allocations_stale', 'PUT', ['/allocations/', consumer.ref], body=body,
                    version=version)

    def empty_allocations(self):
        holders = self.model.holders()
        if not holders:
            return self.get_allocations()
        consumer = self.pick(holders)
        consumer.allocations = {}
        version = self.pick(ALLOCATION_VERSIONS)
        return Call('put_empty_allocations', 'PUT', ['/allocations/', consumer.ref],
                    body=self.allocation_body(consumer, {}, version), version=version)

    def move(self):
        """Nova's resize/cold-migrate at 1.28: migration takes the source, instance the dest."""
        holders = self.model.holders()
        dests = self.model.with_inventory()
        if not holders or not dests:
            return self.put_allocations()
        instance = self.pick(holders)
        dest = self.pick(dests)
        amounts = self.fitting_amounts(dest) or {'VCPU': 1}
        migration = self.new_consumer()
        migration.project, migration.user = instance.project, instance.user
        version = self.pick(('1.28', '1.28', '1.38'))
        source = {Ref('rp', i): {'resources': dict(r)} for i, r in instance.allocations.items()}
        body = {
            migration.ref: self.allocation_body(migration, source, version, 'MIGRATION'),
            instance.ref: self.allocation_body(
                instance, {dest.ref: {'resources': dict(amounts)}}, version),
        }
        if self.chance(0.15):
            body[instance.ref]['consumer_generation'] = ConsumerGen(instance.ref, stale=True)
        else:
            migration.allocations = dict(instance.allocations)
            instance.allocations = {dest.index: amounts}
        return Call('move', 'POST', ['/allocations'], body=body, version=version,
                    creates=[migration.ref])

    def revert_or_confirm(self):
        migrations = [c for c in self.model.holders() if c.index > 0]
        if not migrations:
            return self.move()
        migration = self.pick(migrations)
        if self.chance(0.4):
            migration.allocations = {}
            return Call('confirm', 'DELETE', ['/allocations/', migration.ref])
        others = [c for c in self.model.holders() if c is not migration]
        if not others:
            return self.delete_allocations()
        instance = self.pick(others)
        version = self.pick(('1.28', '1.38'))
        back = {Ref('rp', i): {'resources': dict(r)} for i, r in migration.allocations.items()}
        body = {
            instance.ref: self.allocation_body(instance, back, version),
            migration.ref: self.allocation_body(migration, {}, version, 'MIGRATION'),
        }
        instance.allocations, migration.allocations = dict(migration.allocations), {}
        return Call('revert', 'POST', ['/allocations'], body=body, version=version)

    def delete_allocations(self):
        consumers = self.model.consumers
        if consumers and self.chance(0.8):
            consumer = self.pick(consumers)
            consumer.allocations = {}
            ref = consumer.ref
        else:
            ref = Ref('consumer', 500 + self.rng.randrange(50))
        return Call('delete_allocations', 'DELETE', ['/allocations/', ref])

    def get_allocations(self):
        consumers = self.model.consumers
        ref = (self.pick(consumers).ref if consumers and self.chance(0.8)
               else Ref('consumer', 500 + self.rng.randrange(50)))
        version = self.pick(('1.0', '1.12', '1.28', '1.38'))
        return Call('get_allocations', 'GET', ['/allocations/', ref], version=version)

    def get_provider_allocations(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        return Call('get_provider_allocations', 'GET', self.rp_path(ref, '/allocations'))

    def get_usages(self):
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        return Call('get_usages', 'GET', self.rp_path(ref, '/usages'),
                    version=self.pick(('1.0', '1.39')))

    def total_usages(self):
        query = [('project_id', [Ref('project', self.rng.randrange(2))])]
        if self.chance(0.4):
            query.append(('user_id', [Ref('user', self.rng.randrange(2))]))
        version = self.pick(('1.9', '1.37', '1.38', '1.39'))
        if version in ('1.38', '1.39') and self.chance(0.5):
            query.append(('consumer_type', [self.pick(('INSTANCE', 'MIGRATION', 'all',
                                                       'unknown'))]))
        return Call('total_usages', 'GET', ['/usages'], query=query, version=version)

    # -- allocation candidates -------------------------------------------------------------

    def allocation_candidates(self):
        alive = self.model.alive()
        parts = []
        for rc in sorted(set(self.pick(STANDARD_CLASSES)
                             for _ in range(self.rng.randint(1, 2)))):
            amount = 256 if rc == 'MEMORY_MB' else self.rng.randint(1, 4)
            parts.append('%s:%d' % (rc, amount))
        query = [('resources', [','.join(parts)])]
        scopes = []
        if alive:
            scopes.append(('in_tree', [self.model.root(self.pick(alive)).ref]))
        if self.model.aggregates:
            scopes.append(('member_of', [Ref('agg', self.rng.randrange(self.model.aggregates))]))
        if self.model.traits:
            scopes.append(('required', [Ref('trait', self.rng.randrange(self.model.traits))]))
        if not scopes:
            scopes.append(('in_tree', [self.unknown_rp()]))
        scope = self.pick(scopes)
        if self.chance(0.2):
            # One `required` parameter: before 1.39 a repeated one keeps only the last value.
            if scope[0] == 'required':
                scope = ('required', scope[1] + [',!COMPUTE_STATUS_DISABLED'])
            else:
                query.append(('required', ['!COMPUTE_STATUS_DISABLED']))
        query.append(scope)
        if self.chance(0.15):
            query.append(('limit', [str(self.rng.randint(1, 3))]))
        version = self.pick(('1.31', '1.34', '1.36', '1.39'))
        return Call('allocation_candidates', 'GET', ['/allocation_candidates'], query=query,
                    version=version)

    # -- older microversions, granular requests, reshaper ----------------------------------

    def old_allocations(self):
        """PUT /allocations/{c} in the list form (1.0, 1.8) or the dict form before 1.28."""
        candidates = self.model.with_inventory()
        if not candidates:
            return self.set_inventories()
        rp = self.pick(candidates)
        amounts = self.fitting_amounts(rp) or {'VCPU': 1}
        consumer = self.new_consumer()
        version = self.pick(('1.0', '1.8', '1.12', '1.17'))
        if version in ('1.0', '1.8'):
            body = {'allocations': [{'resource_provider': {'uuid': rp.ref},
                                     'resources': dict(amounts)}]}
        else:
            body = {'allocations': {rp.ref: {'resources': dict(amounts)}}}
        if version != '1.0':
            body.update(project_id=consumer.project, user_id=consumer.user)
        if self.fitting_amounts(rp) is not None:
            consumer.allocations = {rp.index: amounts}
        return Call('old_allocations', 'PUT', ['/allocations/', consumer.ref], body=body,
                    version=version, creates=[consumer.ref])

    def granular_candidates(self):
        """Numbered request groups, each kept inside this sequence by its own in_tree."""
        alive = self.model.alive()
        if not alive:
            return self.allocation_candidates()
        query = []
        for suffix, rc in ((1, 'VCPU'), (2, self.pick(('MEMORY_MB', 'DISK_GB')))):
            amount = 256 if rc == 'MEMORY_MB' else self.rng.randint(1, 2)
            tree = self.model.root(self.pick(alive)).ref
            query.append(('resources%d' % suffix, ['%s:%d' % (rc, amount)]))
            query.append(('in_tree%d' % suffix, [tree]))
        version = self.pick(('1.25', '1.31', '1.35', '1.36', '1.39'))
        if self.chance(0.8):
            query.append(('group_policy', [self.pick(('none', 'isolate'))]))
        if version in ('1.35', '1.36', '1.39') and self.chance(0.3):
            query.append(('root_required', ['!COMPUTE_STATUS_DISABLED']))
        if version in ('1.36', '1.39') and self.chance(0.3):
            query.append(('same_subtree', ['1,2']))
        return Call('granular_candidates', 'GET', ['/allocation_candidates'], query=query,
                    version=version)

    def reshape(self):
        """POST /reshaper: move a consumer's allocation of one class to another provider."""
        holders = [c for c in self.model.holders() if len(c.allocations) == 1]
        targets = self.model.alive()
        if not holders or len(targets) < 2:
            return self.set_inventories()
        consumer = self.pick(holders)
        (source_index, amounts), = consumer.allocations.items()
        source = self.model.providers[source_index]
        dest = self.pick([rp for rp in targets if rp is not source])
        inventories = {}
        for rp in (source, dest):
            records = {rc: dict(inv) for rc, inv in rp.inventory.items()}
            if rp is dest:
                for rc in amounts:
                    records[rc] = self.full_record(
                        {'total': source.inventory.get(rc, {}).get('total', 64) + 64})
            inventories[rp.ref] = {'resource_provider_generation': Gen(rp.ref),
                                   'inventories': records}
        version = self.pick(('1.30', '1.38'))
        allocations = {consumer.ref: self.allocation_body(
            consumer, {dest.ref: {'resources': dict(amounts)}}, version)}
        if self.chance(0.15):
            inventories[dest.ref]['resource_provider_generation'] = Gen(dest.ref, 1)
        else:
            for rc in amounts:
                dest.inventory[rc] = inventories[dest.ref]['inventories'][rc]
            consumer.allocations = {dest.index: amounts}
        return Call('reshape', 'POST', ['/reshaper'],
                    body={'inventories': inventories, 'allocations': allocations},
                    version=version)

    def delete_all(self):
        """DELETE of all inventories or all traits of a provider."""
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        if self.chance(0.5):
            if rp is not None and not any(self.model.used(rp, rc) for rc in rp.inventory):
                rp.inventory = {}
            return Call('delete_all_inventories', 'DELETE', self.rp_path(ref, '/inventories'),
                        version=self.pick(('1.4', '1.5', '1.39')))
        return Call('delete_provider_traits', 'DELETE', self.rp_path(ref, '/traits'))

    def odd_provider_calls(self):
        """Un-parenting, over-long and unicode names, negative member_of, project changes."""
        alive = self.model.alive()
        choice = self.rng.randrange(4)
        if choice == 0 and alive:
            rp = self.pick(alive)
            version = self.pick(('1.36', '1.37', '1.39'))
            if version != '1.36' and not self.model.children(rp):
                rp.parent = None
            return Call('unparent_provider', 'PUT', self.rp_path(rp.ref),
                        body={'name': rp.name, 'parent_provider_uuid': None}, version=version)
        if choice == 1:
            # Names must stay unique to the sequence: the real service's database is shared.
            name = self.pick(('x' * 201, '', Ref('uname', self.rng.randrange(50))))
            return Call('odd_name', 'POST', ['/resource_providers'],
                        body={'name': name, 'uuid': Ref('rp', 850 + self.rng.randrange(50))})
        if choice == 2 and alive and self.model.aggregates:
            agg = Ref('agg', self.rng.randrange(self.model.aggregates))
            query = [('in_tree', [self.model.root(self.pick(alive)).ref]),
                     ('member_of', ['!', agg]), ('resources', ['VCPU:1'])]
            return Call('forbidden_aggregate', 'GET', ['/allocation_candidates'], query=query,
                        version=self.pick(('1.31', '1.32', '1.39')))
        holders = self.model.holders()
        if not holders:
            return self.put_allocations()
        consumer = self.pick(holders)
        consumer.project = Ref('project', 1 - consumer.project.index)
        allocations = {Ref('rp', i): {'resources': dict(r)}
                       for i, r in consumer.allocations.items()}
        version = self.pick(ALLOCATION_VERSIONS)
        return Call('change_project', 'PUT', ['/allocations/', consumer.ref],
                    body=self.allocation_body(consumer, allocations, version), version=version)

    # -- malformed requests ----------------------------------------------------------------

    def malformed(self):
        holders = self.model.consumers
        consumer = self.pick(holders).ref if holders else Ref('consumer', 0)
        rp = self.provider_or_unknown()
        ref = rp.ref if rp else self.unknown_rp()
        choice = self.rng.randrange(7)
        if choice == 0:
            return Call('malformed_json', 'PUT', ['/allocations/', consumer],
                        raw_body=b'{"allocations": {', version='1.28')
        if choice == 1:
            return Call('wrong_content_type', 'PUT', self.rp_path(ref, '/traits'),
                        raw_body=b'{"traits": []}', content_type='text/plain')
        if choice == 2:
            return Call('bad_microversion', 'GET', self.rp_path(ref),
                        version=self.pick(('1.99', '2.0', 'x.y', '1.0.1')))
        if choice == 3:
            return Call('method_not_allowed', 'PATCH', self.rp_path(ref))
        if choice == 4:
            return Call('unknown_route', 'GET', self.rp_path(ref, '/nothing'))
        if choice == 5:
            return Call('bad_uuid', 'GET', ['/resource_providers/not-a-uuid'])
        return Call('allocations_list_body', 'PUT', ['/allocations/', consumer],
                    body={'allocations': [], 'project_id': 'p', 'user_id': 'u',
                          'consumer_generation': None}, version='1.28')


# (method name, weight); weights favour the allocation paths Nova exercises.
CALLS = (
    ('create_provider', 9), ('create_provider_invalid', 2), ('get_provider', 3),
    ('list_providers', 3), ('update_provider', 2), ('delete_provider', 2),
    ('set_inventories', 8), ('set_inventories_invalid', 4), ('update_inventory', 3),
    ('delete_inventory', 2), ('get_inventories', 2),
    ('create_trait', 2), ('set_traits', 3), ('get_traits', 2), ('delete_trait', 1),
    ('set_aggregates', 3), ('get_aggregates', 1), ('resource_class_call', 2),
    ('put_allocations', 12), ('put_allocations_invalid', 6), ('put_allocations_stale', 3),
    ('empty_allocations', 2), ('move', 6), ('revert_or_confirm', 4),
    ('delete_allocations', 3), ('get_allocations', 4), ('get_provider_allocations', 3),
    ('get_usages', 4), ('total_usages', 3), ('allocation_candidates', 6), ('malformed', 3),
    ('old_allocations', 3), ('granular_candidates', 3), ('reshape', 2), ('delete_all', 2),
    ('odd_provider_calls', 3),
)


def generate(seed, length):
    """A sequence of `length` calls, the same for the same seed everywhere."""
    generator = Generator(seed)
    names = [name for name, _weight in CALLS]
    weights = [weight for _name, weight in CALLS]
    sequence = []
    for position in range(length):
        if position < 2 or not generator.model.alive():
            name = 'create_provider'
        elif not generator.model.with_inventory() and position < 5:
            name = 'set_inventories'
        else:
            name = generator.rng.choices(names, weights)[0]
        sequence.append(getattr(generator, name)())
    return sequence
