"""Schemas of the resource class routes."""

from placement_sim.handlers.util import Validator
from placement_sim.schemas import common

NAMED = common.closed_object(
    {'name': common.string(max_length=255, pattern=common.CUSTOM_PATTERN)},
    ['name'])

NAMED_V = Validator(NAMED)
