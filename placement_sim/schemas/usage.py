"""Schemas of the GET /usages query string."""

from placement_sim.handlers.util import query_validator
from placement_sim.schemas import common

_ID = common.string(min_length=1, max_length=255)
TOTAL_1_9 = common.closed_object({'project_id': _ID, 'user_id': _ID},
                                 ['project_id'])
TOTAL_1_38 = common.with_property(
    TOTAL_1_9, 'consumer_type',
    common.string(min_length=1, max_length=255,
                  pattern=common.CONSUMER_TYPE_GET_PATTERN))

TOTAL_1_9_V = query_validator(TOTAL_1_9)
TOTAL_1_38_V = query_validator(TOTAL_1_38)
