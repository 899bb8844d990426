"""Schemas of PUT /allocations/{consumer} and POST /allocations, per microversion.

History (facts from openstack-placement 16.0.0): below 1.8 a list of
{resource_provider: {uuid}, resources}; 1.8 adds required project_id and
user_id; 1.12 switches to the dict keyed by provider uuid (non-empty);
1.28 adds a required consumer_generation and allows empty allocations;
1.34 accepts `mappings`; 1.38 requires `consumer_type`.
"""

import re

from placement_sim.handlers.util import Validator
from placement_sim.schemas import common

_AMOUNTS = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        common.NAME_PATTERN: {'type': 'integer', 'minimum': 1}},
    'additionalProperties': False,
}
_ID = common.string(min_length=1, max_length=255)

LIST_FORM = common.closed_object({
    'allocations': {
        'type': 'array',
        'minItems': 1,
        'items': common.closed_object({
            'resource_provider': {
                'type': 'object',
                'properties': {'uuid': common.string(fmt='uuid')},
                'additionalProperties': False,
                'required': ['uuid']},
            'resources': _AMOUNTS},
            ['resource_provider', 'resources'])},
}, ['allocations'])
LIST_FORM_1_8 = common.with_property(
    common.with_property(LIST_FORM, 'project_id', _ID, required=True),
    'user_id', _ID, required=True)


def _by_provider(min_providers):
    return {
        'type': 'object',
        'minProperties': min_providers,
        'patternProperties': {
            common.UUID_PATTERN: {
                'type': 'object',
                'properties': {'generation': {'type': 'integer'},
                               'resources': _AMOUNTS},
                'required': ['resources'],
                'additionalProperties': False}},
        'additionalProperties': False,
    }


def _dict_form(min_providers):
    return {
        'type': 'object',
        'properties': {'allocations': _by_provider(min_providers),
                       'project_id': _ID, 'user_id': _ID},
        'additionalProperties': False,
        'required': ['allocations', 'project_id', 'user_id'],
    }


_GENERATION = {'type': ['integer', 'null'], 'additionalProperties': False}
_MAPPINGS = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        common.GROUP_SUFFIX_1_33: {
            'type': 'array', 'minItems': 1,
            'items': common.string(fmt='uuid')}},
}
_CONSUMER_TYPE = common.string(min_length=1, max_length=255,
                               pattern=common.NAME_PATTERN)

DICT_FORM_1_12 = _dict_form(1)
DELETABLE = _dict_form(0)
DICT_FORM_1_28 = common.with_property(
    DELETABLE, 'consumer_generation', _GENERATION, required=True)
DICT_FORM_1_34 = common.with_property(DICT_FORM_1_28, 'mappings', _MAPPINGS)
DICT_FORM_1_38 = common.with_property(
    DICT_FORM_1_34, 'consumer_type', _CONSUMER_TYPE, required=True)


def by_consumer(per_consumer, min_consumers=1):
    """POST /allocations: {consumer uuid: per-consumer body}."""
    return {
        'type': 'object',
        'minProperties': min_consumers,
        'additionalProperties': False,
        'patternProperties': {common.UUID_PATTERN: per_consumer},
    }


POST_1_13 = by_consumer(DELETABLE)
POST_1_28 = by_consumer(DICT_FORM_1_28)
POST_1_34 = by_consumer(DICT_FORM_1_34)
POST_1_38 = by_consumer(DICT_FORM_1_38)

_UUID_KEY = re.compile(common.UUID_PATTERN)
_NAME = re.compile(common.NAME_PATTERN)


def _is_int(value):
    return type(value) is int


def _is_id(value):
    return type(value) is str and 0 < len(value) <= 255


def _fast_dict_form(generation, consumer_type):
    """A quick check of the common PUT body; False means 'ask jsonschema'.

    It accepts only bodies the schema surely accepts (no mappings, no
    float amounts), so the slow path still produces every error text.
    """
    allowed = {'allocations', 'project_id', 'user_id'}
    if generation:
        allowed.add('consumer_generation')
    if consumer_type:
        allowed.add('consumer_type')

    def check(data):
        if type(data) is not dict or data.keys() != allowed:
            return False
        allocations = data['allocations']
        if type(allocations) is not dict or not (allocations or generation):
            return False
        for rp_uuid, entry in allocations.items():
            if not _UUID_KEY.search(rp_uuid) or type(entry) is not dict:
                return False
            if 'generation' in entry:
                if len(entry) != 2 or not _is_int(entry['generation']):
                    return False
            elif len(entry) != 1:
                return False
            resources = entry.get('resources')
            if type(resources) is not dict or not resources:
                return False
            for rc, amount in resources.items():
                if not _NAME.search(rc) or not _is_int(amount) or amount < 1:
                    return False
        if not (_is_id(data['project_id']) and _is_id(data['user_id'])):
            return False
        if generation:
            value = data['consumer_generation']
            if value is not None and not _is_int(value):
                return False
        if consumer_type:
            value = data['consumer_type']
            if not _is_id(value) or not _NAME.search(value):
                return False
        return True
    return check


def _fast_by_consumer(per_consumer):
    def check(data):
        if type(data) is not dict or not data:
            return False
        return all(_UUID_KEY.search(key) and per_consumer(value)
                   for key, value in data.items())
    return check


_FAST_1_28 = _fast_dict_form(True, False)
_FAST_1_38 = _fast_dict_form(True, True)

# (minimum microversion, validator), highest first.
PUT_V = (((1, 38), Validator(DICT_FORM_1_38, fast=_FAST_1_38)),
         ((1, 34), Validator(DICT_FORM_1_34, fast=_FAST_1_28)),
         ((1, 28), Validator(DICT_FORM_1_28, fast=_FAST_1_28)),
         ((1, 12), Validator(DICT_FORM_1_12)),
         ((1, 8), Validator(LIST_FORM_1_8)),
         ((1, 0), Validator(LIST_FORM)))
POST_V = (((1, 38), Validator(POST_1_38, fast=_fast_by_consumer(_FAST_1_38))),
          ((1, 34), Validator(POST_1_34, fast=_fast_by_consumer(_FAST_1_28))),
          ((1, 28), Validator(POST_1_28, fast=_fast_by_consumer(_FAST_1_28))),
          ((1, 13), Validator(POST_1_13)))


def pick(table, version):
    """The validator of the highest minimum version <= version."""
    for minimum, validator in table:
        if version >= minimum:
            return validator
    return table[-1][1]
