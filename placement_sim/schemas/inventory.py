"""Schemas of the inventory routes."""

from placement_sim.handlers.util import Validator
from placement_sim.schemas import common

RECORD_PROPERTIES = {
    'resource_provider_generation': {'type': 'integer'},
    'total': common.bounded_int(1),
    'reserved': common.bounded_int(0),
    'min_unit': common.bounded_int(1),
    'max_unit': common.bounded_int(1),
    'step_size': common.bounded_int(1),
    'allocation_ratio': {'type': 'number', 'maximum': common.FLOAT_MAX},
}

ONE = common.closed_object(
    RECORD_PROPERTIES, ['total', 'resource_provider_generation'])
# The real schemas drop the generation from `required` only: a record
# that carries one is accepted (and the value ignored).
CREATE = common.with_property(
    dict(ONE, required=['total']), 'resource_class',
    common.string(pattern=common.NAME_PATTERN), required=True)
RECORD = dict(ONE, required=['total'])
ALL = common.closed_object(
    {'resource_provider_generation': {'type': 'integer'},
     'inventories': {'type': 'object',
                     'patternProperties': {common.NAME_PATTERN: RECORD}}},
    ['resource_provider_generation', 'inventories'])

ONE_V = Validator(ONE)
CREATE_V = Validator(CREATE)
ALL_V = Validator(ALL)
