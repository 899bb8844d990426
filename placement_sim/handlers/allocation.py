"""Handlers of /allocations, /allocations/{consumer} and provider allocations."""

from placement_sim.handlers import resource_provider as rp_handlers
from placement_sim.handlers import util
from placement_sim.schemas import allocation as schema

PREFIX = 'placement:allocations:'
DICT_FORM_VERSION = (1, 12)
CONSUMER_GENERATION_VERSION = (1, 28)
CONSUMER_TYPE_VERSION = (1, 38)


def list_for_consumer(req):
    req.check_accept()
    req.can(PREFIX + 'list')
    found = req.placement.get_allocations(req.args['consumer_uuid'])
    allocations = found.get('allocations') or {}
    body = {'allocations': {
        rp_uuid: {'resources': entry['resources'],
                  'generation': entry['generation']}
        for rp_uuid, entry in allocations.items()}}
    if allocations and req.at_least(DICT_FORM_VERSION):
        body['project_id'] = found['project_id']
        body['user_id'] = found['user_id']
        if req.at_least(CONSUMER_GENERATION_VERSION):
            body['consumer_generation'] = found['consumer_generation']
        if req.at_least(CONSUMER_TYPE_VERSION):
            body['consumer_type'] = found.get('consumer_type') or 'unknown'
    return util.json_response(req, body)


def list_for_resource_provider(req):
    req.check_accept()
    req.can('placement:resource_providers:allocations:list')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(
        req, rp_uuid, "Resource provider '%(uuid)s' not found: %(error)s")
    placement = req.placement
    found = placement.get_provider_allocations(rp_uuid)
    with_generation = req.at_least(CONSUMER_GENERATION_VERSION)
    allocations = {}
    for consumer_uuid, entry in found.items():
        shown = {'resources': entry['resources']}
        if with_generation:
            generation = entry.get('consumer_generation')
            if generation is None and 'consumer_generation' not in entry:
                generation = placement.get_allocations(
                    consumer_uuid).get('consumer_generation')
            shown['consumer_generation'] = generation
        allocations[consumer_uuid] = shown
    generation = placement.get_provider(rp_uuid)['generation']
    return util.json_response(req, {
        'allocations': allocations,
        'resource_provider_generation': generation})


def _dict_form(req, data):
    """The allocations of a PUT body as {rp_uuid: {'resources': {...}}}."""
    allocations = data['allocations']
    if req.at_least(DICT_FORM_VERSION):
        return {rp_uuid: {'resources': entry['resources']}
                for rp_uuid, entry in allocations.items()}
    converted = {}
    for item in allocations:
        converted[item['resource_provider']['uuid']] = {
            'resources': item['resources']}
    return converted


def _owner(data):
    project_id = data.get('project_id')
    if project_id is None:
        return util.INCOMPLETE_CONSUMER_ID, util.INCOMPLETE_CONSUMER_ID
    return project_id, data.get('user_id')


def set_allocations_for_consumer(req):
    req.require_content()
    req.can(PREFIX + 'update')
    consumer_uuid = req.args['consumer_uuid']
    canonical = util.canonical_uuid(consumer_uuid)
    if canonical is None:
        raise util.bad_request('Malformed consumer_uuid: %s' % consumer_uuid)
    data = req.json(schema.pick(schema.PUT_V, req.version))
    project_id, user_id = _owner(data)
    req.placement.put_allocations(
        canonical, _dict_form(req, data), project_id, user_id,
        data.get('consumer_generation'),
        consumer_type=data.get('consumer_type'),
        check_consumer_generation=req.at_least(CONSUMER_GENERATION_VERSION))
    return util.empty_response(req)


def set_allocations(req):
    req.require_version((1, 13))
    req.require_content()
    req.can(PREFIX + 'manage')
    data = req.json(schema.pick(schema.POST_V, req.version))
    request = {}
    for consumer_uuid, entry in data.items():
        project_id, user_id = _owner(entry)
        request[consumer_uuid] = {
            'allocations': {rp_uuid: {'resources': alloc['resources']}
                            for rp_uuid, alloc in entry['allocations'].items()},
            'project_id': project_id,
            'user_id': user_id,
            'consumer_generation': entry.get('consumer_generation'),
            'consumer_type': entry.get('consumer_type'),
        }
    req.placement.post_allocations(
        request,
        check_consumer_generation=req.at_least(CONSUMER_GENERATION_VERSION))
    return util.empty_response(req)


def delete_allocations(req):
    req.can(PREFIX + 'delete')
    req.placement.delete_allocations(req.args['consumer_uuid'])
    return util.empty_response(req)
