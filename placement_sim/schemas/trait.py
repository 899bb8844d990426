"""Schemas of the trait routes."""

from placement_sim.handlers.util import query_validator
from placement_sim.handlers.util import Validator
from placement_sim.schemas import common

TRAIT = common.string(min_length=1, max_length=255)
CUSTOM_TRAIT = dict(TRAIT, pattern=common.CUSTOM_PATTERN)
SET_FOR_PROVIDER = common.closed_object(
    {'traits': {'type': 'array', 'items': TRAIT},
     'resource_provider_generation': {'type': 'integer'}},
    ['traits', 'resource_provider_generation'])
LIST = common.closed_object({'name': {'type': 'string'},
                             'associated': {'type': 'string'}})

CUSTOM_TRAIT_V = Validator(CUSTOM_TRAIT)
SET_FOR_PROVIDER_V = Validator(SET_FOR_PROVIDER)
LIST_V = query_validator(LIST)
