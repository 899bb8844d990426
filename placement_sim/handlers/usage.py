"""Handlers of /resource_providers/{uuid}/usages and /usages."""

from placement_sim.handlers import resource_provider as rp_handlers
from placement_sim.handlers import util
from placement_sim.schemas import usage as schema


def list_usages(req):
    req.check_accept()
    req.can('placement:resource_providers:usages')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(
        req, rp_uuid, 'No resource provider with uuid %(uuid)s found: '
        '%(error)s')
    placement = req.placement
    usages = placement.get_usages(rp_uuid)
    generation = placement.get_provider(rp_uuid)['generation']
    return util.json_response(req, {'resource_provider_generation': generation,
                                    'usages': usages})


def get_total_usages(req):
    req.require_version((1, 9))
    req.check_accept()
    try:
        params = req.params()
        project_id = params.get('project_id')
    except UnicodeDecodeError:
        params, project_id = None, None
    req.can('placement:usages', target={'project_id': project_id})
    grouped = req.at_least((1, 38))
    params = req.validate_query(
        schema.TOTAL_1_38_V if grouped else schema.TOTAL_1_9_V)
    usages = req.placement.get_total_usages(
        params['project_id'], user_id=params.get('user_id'),
        consumer_type=params.get('consumer_type') if grouped else None,
        by_consumer_type=grouped)
    return util.json_response(req, {'usages': usages})
