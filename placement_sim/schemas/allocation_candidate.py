"""Query-string schemas of GET /allocation_candidates, per microversion."""

from placement_sim.handlers.util import query_validator
from placement_sim.schemas import common

_STR = {'type': 'string'}
_LIMIT = {'type': ['integer', 'string'], 'pattern': '^[1-9][0-9]*$',
          'minimum': 1, 'minLength': 1}

V1_10 = common.closed_object({'resources': _STR}, ['resources'])
V1_16 = common.with_property(V1_10, 'limit', _LIMIT)
V1_17 = common.with_property(V1_16, 'required', {'type': ['string']})
V1_21 = common.with_property(V1_17, 'member_of', {'type': ['string']})


def _granular(suffix, kinds, extra=()):
    schema = common.closed_object(
        {'limit': _LIMIT,
         'group_policy': {'type': 'string', 'enum': ['none', 'isolate']}})
    for name in extra:
        schema['properties'][name] = {'type': ['string']}
    schema['patternProperties'] = {
        '^%s(%s)?$' % (kind, suffix): {'type': 'string'} for kind in kinds}
    return schema


_KINDS = ('resources', 'required', 'member_of')
V1_25 = _granular(common.GROUP_SUFFIX, _KINDS)
V1_31 = _granular(common.GROUP_SUFFIX, _KINDS + ('in_tree',))
V1_33 = _granular(common.GROUP_SUFFIX_1_33, _KINDS + ('in_tree',))
V1_35 = _granular(common.GROUP_SUFFIX_1_33, _KINDS + ('in_tree',),
                  ('root_required',))
V1_36 = _granular(common.GROUP_SUFFIX_1_33, _KINDS + ('in_tree',),
                  ('root_required', 'same_subtree'))

QUERY_V = tuple((version, query_validator(schema)) for version, schema in (
    ((1, 36), V1_36), ((1, 35), V1_35), ((1, 33), V1_33), ((1, 31), V1_31),
    ((1, 25), V1_25), ((1, 21), V1_21), ((1, 17), V1_17), ((1, 16), V1_16),
    ((1, 10), V1_10)))
