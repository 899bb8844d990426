"""The JSON Schema of a scenario file (doc/scenario-format.md describes every key).

The schema checks shapes and types only. Names that refer to other things (hosts, servers,
flavors, drivers, fault points, exception classes, bug numbers) are checked by `resolve`.
Steps and concurrent entries are one-key mappings (`- resize: {server: vm1, flavor: m1.small}`);
steps that act on one server or one host also take the short form `- confirm: vm1`.
"""

NAME = {'type': 'string', 'minLength': 1, 'maxLength': 200}
COUNT = {'type': 'integer', 'minimum': 0, 'maximum': 1000000}
POSITIVE = {'type': 'integer', 'minimum': 1, 'maximum': 1000000}
SECONDS = {'type': 'number', 'minimum': 0, 'maximum': 86400 * 365}
BUG = {'type': 'integer', 'minimum': 1, 'maximum': 99999999}
RESOURCE_CLASS = '^(VCPU|MEMORY_MB|DISK_GB|PCPU|[A-Z][A-Z0-9_]{0,254})$'

SERVER_STATUSES = ['ACTIVE', 'BUILD', 'DELETED', 'ERROR', 'MIGRATING', 'RESIZE', 'REVERT_RESIZE',
                   'SHUTOFF', 'VERIFY_RESIZE']
MIGRATION_STATUSES = ['accepted', 'confirmed', 'confirming', 'error', 'failed', 'finished',
                      'migrating', 'post-migrating', 'pre-migrating', 'reverted', 'reverting']
TASK_STATES = [None, 'resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish',
               'resize_reverting', 'resize_confirming', 'deleting', 'powering-off',
               'powering-on', 'scheduling', 'spawning', 'block_device_mapping', 'networking']
VM_STATES = ['active', 'building', 'deleted', 'error', 'resized', 'stopped']
STRATEGIES = ['fifo', 'random', 'pct', 'exhaustive']
FAULT_ACTIONS = ['raise', 'stall', 'crash']
PLACEMENT_KINDS = ['consumer_generation_conflict', 'provider_generation_conflict',
                   'unavailable', 'timeout_before_write', 'timeout_after_write']


def _obj(properties, required=(), short=None):
    """A closed mapping; `short` names the key that the one-string short form fills in."""
    schema = {'type': 'object', 'properties': properties, 'additionalProperties': False}
    if required:
        schema['required'] = list(required)
    if short:
        return {'anyOf': [NAME, schema], 'x-short': short}
    return schema


INVENTORY_RECORD = _obj({
    'total': COUNT, 'reserved': COUNT, 'min_unit': POSITIVE, 'max_unit': POSITIVE,
    'step_size': POSITIVE, 'allocation_ratio': {'type': 'number', 'exclusiveMinimum': 0},
}, required=['total'])

INVENTORY = {
    'type': 'object',
    'propertyNames': {'pattern': RESOURCE_CLASS},
    'additionalProperties': {'anyOf': [COUNT, INVENTORY_RECORD]},
}

RESOURCES = {
    'type': 'object',
    'propertyNames': {'pattern': RESOURCE_CLASS},
    'additionalProperties': COUNT,
}

FLAVOR = _obj({
    'vcpus': POSITIVE, 'ram_mb': POSITIVE, 'disk_gb': COUNT, 'ephemeral_gb': COUNT, 'swap': COUNT,
    'flavorid': NAME,
}, required=['vcpus', 'ram_mb', 'disk_gb'])

COMPUTE = {'anyOf': [{'type': 'null'}, _obj({'driver': NAME, 'inventory': INVENTORY})]}

OPTIONS = _obj({
    'allow_resize_to_same_host': {'type': 'boolean'},
    'max_attempts': POSITIVE,
    'rpc_response_timeout': SECONDS,
    'reclaim_instance_interval': SECONDS,
    'update_resources_interval': SECONDS,
})

# Keys shared by actions that can be steps or concurrent work.
_API_ERROR = {'error': {'anyOf': [NAME, {'type': 'integer', 'minimum': 400, 'maximum': 599}]}}
_RACE = {'after': COUNT, 'delay': SECONDS}

STEP_BODIES = {
    'boot': _obj(dict(server=NAME, flavor=NAME, host=NAME, wait={'type': 'boolean'},
                      **_API_ERROR), required=['server', 'flavor']),
    'resize': _obj(dict(server=NAME, flavor=NAME, host=NAME, **_API_ERROR),
                   required=['server', 'flavor']),
    'migrate': _obj(dict(server=NAME, host=NAME, **_API_ERROR), required=['server'],
                    short='server'),
    'confirm': _obj(dict(server=NAME, **_API_ERROR), required=['server'], short='server'),
    'revert': _obj(dict(server=NAME, **_API_ERROR), required=['server'], short='server'),
    'delete': _obj(dict(server=NAME, **_API_ERROR), required=['server'], short='server'),
    'wait': _obj({
        'server': NAME, 'status': {'enum': SERVER_STATUSES},
        'task_state': {'enum': TASK_STATES}, 'vm_state': {'enum': VM_STATES},
        'migration': {'enum': MIGRATION_STATUSES}, 'timeout': SECONDS,
    }),
    'sleep': SECONDS,
    'restart': _obj({'host': NAME}, required=['host'], short='host'),
    'stop': _obj({'host': NAME}, required=['host'], short='host'),
    'start': _obj({'host': NAME}, required=['host'], short='host'),
    'crash': _obj({'host': NAME}, required=['host'], short='host'),
    'run_periodic': _obj({'host': NAME}, short='host'),
    'release': _obj({'point': NAME, 'host': NAME}, required=['point'], short='point'),
    'set_inventory': _obj({'host': NAME, 'inventory': INVENTORY},
                          required=['host', 'inventory']),
    'driver_inventory': _obj({'host': NAME, 'inventory': INVENTORY},
                             required=['host', 'inventory']),
    'stop_server': _obj(dict(server=NAME, **_API_ERROR), required=['server'], short='server'),
    'start_server': _obj(dict(server=NAME, **_API_ERROR), required=['server'],
                         short='server'),
    'inject': None,   # filled in below: a fault, installed when the step runs
    'check': None,    # filled in below: expectations checked in the middle of the steps
}

CONCURRENT_BODIES = {
    'periodic': _obj({'host': NAME, 'interval': {'type': 'number', 'exclusiveMinimum': 0},
                      'after': COUNT}, short='host'),
    'run_periodic': _obj(dict(host=NAME, **_RACE), short='host'),
    'delete': _obj(dict(server=NAME, **_RACE), required=['server'], short='server'),
    'confirm': _obj(dict(server=NAME, **_RACE), required=['server'], short='server'),
    'revert': _obj(dict(server=NAME, **_RACE), required=['server'], short='server'),
    'resize': _obj(dict(server=NAME, flavor=NAME, host=NAME, **_RACE),
                   required=['server', 'flavor']),
    'migrate': _obj(dict(server=NAME, host=NAME, **_RACE), required=['server'], short='server'),
    'restart': _obj(dict(host=NAME, **_RACE), required=['host'], short='host'),
    'crash': _obj(dict(host=NAME, **_RACE), required=['host'], short='host'),
}

FAULT = _obj({
    # driver faults (fake_drivers.FaultPlan)
    'point': NAME, 'host': NAME, 'server': NAME, 'nth': POSITIVE, 'every': {'type': 'boolean'},
    'action': {'enum': FAULT_ACTIONS}, 'exception': NAME, 'message': {'type': 'string'},
    # placement faults (placement_sim FaultPlan)
    'operation': NAME, 'kind': {'enum': PLACEMENT_KINDS},
    'consumer': {'enum': ['instance', 'migration']},
})

SERVER_EXPECT = _obj({
    'status': {'enum': SERVER_STATUSES}, 'host': {'type': ['string', 'null']},
    'fault': {'type': ['string', 'null']}, 'flavor': NAME,
    'task_state': {'enum': TASK_STATES}, 'vm_state': {'enum': VM_STATES},
})

ALLOCATION_EXPECT = {
    'type': 'object',
    'additionalProperties': {'anyOf': [NAME, RESOURCES]},
}

MIGRATION_EXPECT = {'anyOf': [
    {'enum': MIGRATION_STATUSES},
    _obj({'status': {'enum': MIGRATION_STATUSES}, 'source_compute': NAME, 'dest_compute': NAME,
          'migration_type': {'enum': ['resize', 'migration']}, 'count': COUNT}),
]}

EXPECT = _obj({
    'server': {'type': 'object', 'additionalProperties': SERVER_EXPECT},
    'usages': {'type': 'object', 'additionalProperties': RESOURCES},
    'allocations': {'type': 'object', 'additionalProperties': ALLOCATION_EXPECT},
    'migration': {'type': 'object', 'additionalProperties': MIGRATION_EXPECT},
    'no_leaks': {'type': 'boolean'},
})

STEP_BODIES['inject'] = FAULT
STEP_BODIES['check'] = EXPECT


def _one_of_kinds(bodies):
    return {
        'type': 'object', 'minProperties': 1, 'maxProperties': 1,
        'properties': bodies, 'additionalProperties': False,
    }


EXPLORE = _obj({
    'strategy': {'enum': STRATEGIES},
    'seeds': {'anyOf': [{'type': 'integer', 'minimum': 1, 'maximum': 1000},
                        {'type': 'array', 'items': COUNT, 'minItems': 1, 'maxItems': 1000}]},
    'schedules': {'type': 'integer', 'minimum': 1, 'maximum': 1000000},
    'bound': {'type': 'integer', 'minimum': 1, 'maximum': 1000000},
    'depth': {'type': 'integer', 'minimum': 1, 'maximum': 100},
})

MATRIX = {
    'type': 'object', 'minProperties': 1,
    'propertyNames': {'pattern': '^[A-Za-z_][A-Za-z0-9_]*$'},
    'additionalProperties': {'type': 'array', 'minItems': 1, 'maxItems': 200,
                             'items': {'type': ['string', 'integer', 'number', 'boolean']}},
}

SCENARIO = _obj({
    'name': NAME,
    'bug': BUG,
    'description': {'type': 'string'},
    'computes': {'type': 'object', 'minProperties': 1, 'maxProperties': 100,
                 'additionalProperties': COMPUTE},
    'options': OPTIONS,
    'steps': {'type': 'array', 'minItems': 1, 'maxItems': 1000,
              'items': _one_of_kinds(STEP_BODIES)},
    'faults': {'type': 'array', 'maxItems': 100, 'items': FAULT},
    'concurrent': {'type': 'array', 'maxItems': 100, 'items': _one_of_kinds(CONCURRENT_BODIES)},
    'explore': EXPLORE,
    'matrix': MATRIX,
    'reintroduce': {'type': 'array', 'items': BUG, 'maxItems': 50},
    'catches': {'type': 'array', 'items': BUG, 'maxItems': 50},
    'xfail': _obj({'bug': BUG, 'reason': {'type': 'string', 'minLength': 1}},
                  required=['reason']),
    'expect': EXPECT,
}, required=['name', 'computes', 'steps'])

SUITE = _obj({
    'flavors': {'type': 'object', 'additionalProperties': FLAVOR},
    'scenarios': {'type': 'array', 'minItems': 1, 'maxItems': 1000, 'items': SCENARIO},
}, required=['scenarios'])

SCHEMA = dict(SUITE, **{'$schema': 'https://json-schema.org/draft/2020-12/schema',
                        'title': 'nova-resize-harness scenario file'})
