"""Handlers of /resource_providers/{uuid}/aggregates (1.1+)."""

from placement_sim.handlers import resource_provider as rp_handlers
from placement_sim.handlers import util
from placement_sim.schemas import aggregate as schema

PREFIX = 'placement:resource_providers:aggregates:'
GENERATION_VERSION = (1, 19)


def _answer(req, found, aggregates=None):
    body = {'aggregates': found['aggregates'] if aggregates is None
            else aggregates}
    if req.at_least(GENERATION_VERSION):
        body['resource_provider_generation'] = (
            found['resource_provider_generation'])
    return util.json_response(req, body)


def get_aggregates(req):
    req.check_accept()
    req.require_version((1, 1))
    req.can(PREFIX + 'list')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    return _answer(req, req.placement.get_provider_aggregates(rp_uuid))


def set_aggregates(req):
    req.require_content()
    req.require_version((1, 1))
    req.can(PREFIX + 'update')
    with_generation = req.at_least(GENERATION_VERSION)
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    if with_generation:
        data = req.json(schema.PUT_1_19_V)
        generation, aggregates = (data['resource_provider_generation'],
                                  data['aggregates'])
    else:
        generation, aggregates = None, req.json(schema.PUT_1_1_V)
    found = req.placement.set_provider_aggregates(
        rp_uuid, generation, aggregates)
    return _answer(req, found, aggregates)
