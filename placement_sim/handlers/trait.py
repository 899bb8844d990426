"""Handlers of /traits, /traits/{name} and /resource_providers/{uuid}/traits."""

from placement_sim.handlers import resource_provider as rp_handlers
from placement_sim.handlers import util
from placement_sim.schemas import trait as schema

PREFIX = 'placement:traits:'
RP_PREFIX = 'placement:resource_providers:traits:'
TRAITS_VERSION = (1, 6)


def put_trait(req):
    req.require_version(TRAITS_VERSION)
    req.can(PREFIX + 'update')
    name = req.args['name']
    if schema.CUSTOM_TRAIT_V.first_error(name) is not None:
        raise util.bad_request(
            'The trait is invalid. A valid trait must be no longer than 255 '
            'characters, start with the prefix "CUSTOM_" and use following '
            'characters: "A"-"Z", "0"-"9" and "_"')
    created = req.placement.ensure_trait(name)
    status = '201 Created' if created else '204 No Content'
    return util.empty_response(req, status, location='/traits/%s' % name,
                               cache=True)


def get_trait(req):
    req.require_version(TRAITS_VERSION)
    req.can(PREFIX + 'show')
    req.placement.get_trait(req.args['name'])
    return util.empty_response(req, cache=True)


def delete_trait(req):
    req.require_version(TRAITS_VERSION)
    req.can(PREFIX + 'delete')
    req.placement.delete_trait(req.args['name'])
    return util.empty_response(req)


def list_traits(req):
    req.require_version(TRAITS_VERSION)
    req.check_accept()
    req.can(PREFIX + 'list')
    params = req.validate_query(schema.LIST_V)
    filters = {}
    if 'name' in params:
        text = params['name']
        try:
            op, value = text.split(':', 1)
        except ValueError:
            raise util.bad_request(
                'Badly formatted name parameter. Expected name query string '
                'parameter in form: ?name=[in|startswith]:[name1,name2|prefix]'
                '. Got: "%s"' % text)
        if op == 'in':
            filters['name_in'] = value.split(',')
        elif op == 'startswith':
            filters['prefix'] = value
    if 'associated' in params:
        associated = params['associated'].lower()
        if associated not in ('true', 'false'):
            raise util.bad_request(
                'The query parameter "associated" only accepts "true" or '
                '"false"')
        filters['associated'] = associated == 'true'
    names = req.placement.list_traits(**filters)
    return util.json_response(req, {'traits': names})


def list_traits_for_resource_provider(req):
    req.require_version(TRAITS_VERSION)
    req.check_accept()
    req.can(RP_PREFIX + 'list')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(
        req, rp_uuid, 'No resource provider with uuid %(uuid)s found: '
        '%(error)s')
    return util.json_response(req, _provider_traits(req, rp_uuid))


def _provider_traits(req, rp_uuid):
    found = req.placement.get_provider_traits(rp_uuid)
    return {'traits': found['traits'],
            'resource_provider_generation':
                found['resource_provider_generation']}


def update_traits_for_resource_provider(req):
    req.require_version(TRAITS_VERSION)
    req.require_content()
    req.can(RP_PREFIX + 'update')
    rp_uuid = req.args['uuid']
    data = req.json(schema.SET_FOR_PROVIDER_V)
    rp_handlers.require_provider(req, rp_uuid)
    found = req.placement.set_provider_traits(
        rp_uuid, data['resource_provider_generation'], data['traits'])
    return util.json_response(req, {
        'traits': found['traits'],
        'resource_provider_generation': found['resource_provider_generation']})


def delete_traits_for_resource_provider(req):
    req.require_version(TRAITS_VERSION)
    req.can(RP_PREFIX + 'delete')
    rp_uuid = req.args['uuid']
    rp_handlers.require_provider(req, rp_uuid)
    req.placement.delete_provider_traits(rp_uuid)
    return util.empty_response(req)
