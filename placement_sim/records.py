"""The stored records of the simulated Placement: providers and consumers as plain objects.

These are internal; the public API hands out fresh dicts built from them, never the records.
"""

MAX_INT = 2147483647
INCOMPLETE_CONSUMER_ID = '00000000-0000-0000-0000-000000000000'
INVENTORY_FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
                    'allocation_ratio')
INVENTORY_DEFAULTS = {'reserved': 0, 'min_unit': 1, 'max_unit': MAX_INT, 'step_size': 1,
                      'allocation_ratio': 1.0}


class Provider:
    """A resource provider with its inventory, usage, traits and aggregates.

    `usage` holds the summed amount per class (classes with no allocation are absent) and
    `allocs` the per-consumer amounts on this provider, so reads need no scan.
    """

    __slots__ = ('id', 'uuid', 'name', 'generation', 'parent', 'root', 'children',
                 'inventories', 'usage', 'allocs', 'traits', 'aggregates')

    def __init__(self, id_, uuid, name, parent, root):
        self.id = id_
        self.uuid = uuid
        self.name = name
        self.generation = 0
        self.parent = parent
        self.root = root
        self.children = {}
        self.inventories = {}
        self.usage = {}
        self.allocs = {}
        self.traits = set()
        self.aggregates = set()

    def as_dict(self):
        """The provider as the REST API shows it at 1.14+ (without links)."""
        return {'uuid': self.uuid, 'name': self.name, 'generation': self.generation,
                'parent_provider_uuid': self.parent, 'root_provider_uuid': self.root}


class Consumer:
    """A consumer (instance, migration, ...) and its allocations: {rp: {rc: amount}}."""

    __slots__ = ('uuid', 'generation', 'project_id', 'user_id', 'consumer_type',
                 'allocations')

    def __init__(self, uuid, project_id, user_id, consumer_type):
        self.uuid = uuid
        self.generation = 0
        self.project_id = project_id
        self.user_id = user_id
        self.consumer_type = consumer_type
        self.allocations = {}


def capacity(inv):
    """Inventory capacity as placement's Inventory.capacity computes it (an int)."""
    return int((inv['total'] - inv['reserved']) * inv['allocation_ratio'])
