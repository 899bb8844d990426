"""Schemas of the resource provider routes (bodies and list query strings)."""

from placement_sim.handlers.util import query_validator
from placement_sim.handlers.util import Validator
from placement_sim.schemas import common

_NAME = common.string(max_length=200)
_UUID = common.string(fmt='uuid')
_PARENT = {'anyOf': [{'type': 'string', 'format': 'uuid'}, {'type': 'null'}]}

CREATE = common.closed_object({'name': _NAME, 'uuid': _UUID}, ['name'])
CREATE_1_14 = common.with_property(CREATE, 'parent_provider_uuid', _PARENT)
UPDATE = common.without_property(CREATE, 'uuid')
UPDATE_1_14 = common.without_property(CREATE_1_14, 'uuid')

LIST_1_0 = common.closed_object({'name': {'type': 'string'}, 'uuid': _UUID})
LIST_1_3 = common.with_property(LIST_1_0, 'member_of', {'type': 'string'})
LIST_1_4 = common.with_property(LIST_1_3, 'resources', {'type': 'string'})
LIST_1_14 = common.with_property(LIST_1_4, 'in_tree', _UUID)
LIST_1_18 = common.with_property(LIST_1_14, 'required', {'type': 'string'})

CREATE_V = Validator(CREATE)
CREATE_1_14_V = Validator(CREATE_1_14)
UPDATE_V = Validator(UPDATE)
UPDATE_1_14_V = Validator(UPDATE_1_14)
# (minimum microversion, validator), highest first.
LIST_V = (((1, 18), query_validator(LIST_1_18)),
          ((1, 14), query_validator(LIST_1_14)),
          ((1, 4), query_validator(LIST_1_4)),
          ((1, 3), query_validator(LIST_1_3)),
          ((1, 0), query_validator(LIST_1_0)))
