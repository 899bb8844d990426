"""Schemas of POST /reshaper (1.30+; 1.34 mappings; 1.38 consumer_type)."""

from placement_sim.handlers.util import Validator
from placement_sim.schemas import allocation
from placement_sim.schemas import common
from placement_sim.schemas import inventory


def _reshaper(allocations):
    return common.closed_object({
        'inventories': {
            'type': 'object',
            'patternProperties': {common.UUID_PATTERN: inventory.ALL},
            'minProperties': 1,
            'additionalProperties': False},
        'allocations': allocations,
    }, ['inventories', 'allocations'])


RESHAPE_1_30 = _reshaper(allocation.by_consumer(allocation.DICT_FORM_1_28, 0))
RESHAPE_1_34 = _reshaper(allocation.by_consumer(allocation.DICT_FORM_1_34, 0))
RESHAPE_1_38 = _reshaper(allocation.by_consumer(allocation.DICT_FORM_1_38, 0))

RESHAPE_V = (((1, 38), Validator(RESHAPE_1_38)),
             ((1, 34), Validator(RESHAPE_1_34)),
             ((1, 30), Validator(RESHAPE_1_30)))
