"""Handlers of /resource_providers/{uuid}/inventories[/{resource_class}]."""

from placement_sim.exceptions import NotFound
from placement_sim.handlers import resource_provider as rp_handlers
from placement_sim.handlers import util
from placement_sim.schemas import inventory as schema

PREFIX = 'placement:resource_providers:inventories:'


def _echo_ratio(shown, sent):
    """Written records are shown as sent: an integer ratio stays an int."""
    if shown is not None and 'allocation_ratio' in sent:
        shown['allocation_ratio'] = sent['allocation_ratio']


def _reserved_can_be_total(req):
    return req.at_least((1, 26))


def create_inventory(req):
    req.require_content()
    req.can(PREFIX + 'create')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    data = req.json(schema.CREATE_V)
    rc = data.pop('resource_class')
    data.pop('resource_provider_generation', None)
    body = req.placement.create_inventory(
        rp_uuid, rc, data, reserved_can_be_total=_reserved_can_be_total(req))
    _echo_ratio(body, data)
    location = '/resource_providers/%s/inventories/%s' % (rp_uuid, rc)
    return util.json_response(req, body, '201 Created', location=location)


def delete_inventory(req):
    req.can(PREFIX + 'delete')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    req.placement.delete_inventory(rp_uuid, req.args['resource_class'])
    return util.empty_response(req)


def get_inventories(req):
    req.check_accept()
    req.can(PREFIX + 'list')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(
        req, rp_uuid, 'No resource provider with uuid %(uuid)s found : '
        '%(error)s')
    return util.json_response(req, req.placement.get_inventories(rp_uuid))


def get_inventory(req):
    req.check_accept()
    req.can(PREFIX + 'show')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(
        req, rp_uuid, 'No resource provider with uuid %(uuid)s found : '
        '%(error)s')
    body = req.placement.get_inventory(rp_uuid, req.args['resource_class'])
    return util.json_response(req, body)


def set_inventories(req):
    req.require_content()
    req.can(PREFIX + 'update')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    data = req.json(schema.ALL_V)
    records = {rc: {key: value for key, value in record.items()
                    if key != 'resource_provider_generation'}
               for rc, record in data['inventories'].items()}
    body = req.placement.set_inventories(
        rp_uuid, data['resource_provider_generation'], records,
        reserved_can_be_total=_reserved_can_be_total(req))
    for rc, record in records.items():
        _echo_ratio(body['inventories'].get(rc), record)
    return util.json_response(req, body)


def delete_inventories(req):
    req.require_version((1, 5), status=405)
    req.can(PREFIX + 'delete')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    req.placement.delete_inventories(rp_uuid)
    return util.empty_response(req)


def update_inventory(req):
    req.require_content()
    req.can(PREFIX + 'update')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    data = req.json(schema.ONE_V)
    generation = data.pop('resource_provider_generation')
    try:
        body = req.placement.set_inventory(
            rp_uuid, req.args['resource_class'], generation, data,
            reserved_can_be_total=_reserved_can_be_total(req))
    except NotFound as exc:
        # An unknown class escapes the real handler: no `vary` header.
        raise util.not_found(exc.message, vary=False)
    _echo_ratio(body, data)
    return util.json_response(req, body)
