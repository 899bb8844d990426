"""Schemas of PUT /resource_providers/{uuid}/aggregates."""

from placement_sim.handlers.util import Validator
from placement_sim.schemas import common

_LIST = {'type': 'array', 'items': common.string(fmt='uuid'),
         'uniqueItems': True}
PUT_1_1 = dict(_LIST)
PUT_1_19 = common.closed_object(
    {'aggregates': dict(_LIST),
     'resource_provider_generation': {'type': 'integer'}},
    ['aggregates', 'resource_provider_generation'])

PUT_1_1_V = Validator(PUT_1_1)
PUT_1_19_V = Validator(PUT_1_19)
