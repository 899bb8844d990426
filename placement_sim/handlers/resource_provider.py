"""Handlers of /resource_providers and /resource_providers/{uuid}."""

from placement_sim.handlers import query
from placement_sim.handlers import util
from placement_sim.schemas import resource_provider as schema

PREFIX = 'placement:resource_providers:'


def provider_url(req, rp_uuid):
    return req.url('/resource_providers/%s' % rp_uuid)


def require_provider(req, rp_uuid, template=None, vary=False):
    """404 unless the provider exists.

    Without a template the text is the object layer's own (and the real
    service answers without `vary`); a template wraps it the way the
    handler of that route does.
    """
    if req.placement.provider_exists(rp_uuid):
        return
    message = 'No resource provider with uuid %s found' % rp_uuid
    if template is not None:
        message = template % {'uuid': rp_uuid, 'error': message}
        vary = True
    raise util.not_found(message, vary=vary)


def serialize(req, provider):
    """A provider as the requested microversion shows it."""
    url = provider_url(req, provider['uuid'])
    links = [{'rel': 'self', 'href': url}]
    rels = ['inventories', 'usages']
    version = req.version
    if version >= (1, 1):
        rels.append('aggregates')
    if version >= (1, 6):
        rels.append('traits')
    if version >= (1, 11):
        rels.append('allocations')
    for rel in rels:
        links.append({'rel': rel, 'href': '%s/%s' % (url, rel)})
    data = {'uuid': provider['uuid'], 'name': provider['name'],
            'generation': provider['generation'], 'links': links}
    if version >= (1, 14):
        data['parent_provider_uuid'] = provider['parent_provider_uuid']
        data['root_provider_uuid'] = provider['root_provider_uuid']
    return data


def create_resource_provider(req):
    req.require_content()
    req.can(PREFIX + 'create')
    validator = schema.CREATE_1_14_V if req.at_least((1, 14)) else \
        schema.CREATE_V
    data = req.json(validator)
    rp_uuid = data.get('uuid')
    if rp_uuid:
        rp_uuid = util.canonical_uuid(rp_uuid)
    provider = req.placement.create_provider(
        data['name'], uuid=rp_uuid,
        parent_provider_uuid=_parent(data.get('parent_provider_uuid')))
    location = '/resource_providers/%s' % provider['uuid']
    if req.at_least((1, 20)):
        return util.json_response(req, serialize(req, provider),
                                  location=location)
    return util.empty_response(req, '201 Created', location=location)


def _parent(value):
    """The parent uuid exactly as sent: unlike the provider's own uuid the
    real service does not normalise it (an upper-case parent is unknown)."""
    return value


def delete_resource_provider(req):
    rp_uuid = req.args['uuid']
    req.can(PREFIX + 'delete')
    req.placement.delete_provider(rp_uuid)
    return util.empty_response(req)


def get_resource_provider(req):
    req.check_accept()
    rp_uuid = req.args['uuid']
    req.can(PREFIX + 'show')
    require_provider(req, rp_uuid)
    provider = req.placement.get_provider(rp_uuid)
    return util.json_response(req, serialize(req, provider))


def list_resource_providers(req):
    req.check_accept()
    req.can(PREFIX + 'list')
    validator = schema.LIST_V[-1][1]
    for minimum, candidate in schema.LIST_V:
        if req.version >= minimum:
            validator = candidate
            break
    params = req.validate_query(validator)
    filters = {}
    if 'member_of' in params:
        filters['member_of'], filters['forbidden_aggs'] = (
            query.member_of_filters(req, params))
    if 'required' in params:
        filters['required_traits'], filters['forbidden_traits'] = (
            query.required_filters(req, params))
    for key in ('uuid', 'name', 'in_tree'):
        if key in params:
            filters[key] = params[key]
    if 'resources' in params:
        filters['resources'] = query.parse_resources(params['resources'])
    providers = req.placement.list_providers(**filters)
    return util.json_response(req, {'resource_providers': [
        serialize(req, provider) for provider in providers]})


def update_resource_provider(req):
    req.require_content()
    rp_uuid = req.args['uuid']
    req.can(PREFIX + 'update')
    require_provider(req, rp_uuid)
    new_style = req.at_least((1, 14))
    data = req.json(schema.UPDATE_1_14_V if new_style else schema.UPDATE_V)
    kwargs = {'allow_reparenting': req.at_least((1, 37))}
    if 'parent_provider_uuid' in data:
        kwargs['parent_provider_uuid'] = _parent(data['parent_provider_uuid'])
    before = req.placement.get_provider(rp_uuid)
    provider = req.placement.update_provider(rp_uuid, data['name'], **kwargs)
    response = util.json_response(req, serialize(req, provider), cache=False)
    if req.at_least((1, 15)):
        if _has_updated_at(req, before):
            response.headers.append(('Last-Modified',
                                     req.app.last_modified()))
        response.headers.append(('Cache-Control', 'no-cache'))
    if (provider['name'], provider['parent_provider_uuid']) != (
            before['name'], before['parent_provider_uuid']):
        # An unchanged row is not written, so updated_at stays as it was.
        req.app.updated_providers.add(rp_uuid)
    return response


def _has_updated_at(req, provider):
    """Whether the real row would have an updated_at before this PUT.

    The real answer's Last-Modified is the row's previous updated_at. A
    root provider gets one at creation (its root id is written by a second
    UPDATE), any provider gets one from a generation bump or an earlier
    PUT; only a child never touched since its creation has none.
    """
    return (provider['parent_provider_uuid'] is None or
            provider['generation'] > 0 or
            provider['uuid'] in req.app.updated_providers)
