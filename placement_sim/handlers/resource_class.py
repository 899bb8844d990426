"""Handlers of /resource_classes and /resource_classes/{name} (1.2+)."""

import json

from placement_sim.exceptions import NotFound
from placement_sim.handlers import util
from placement_sim.schemas import resource_class as schema

PREFIX = 'placement:resource_classes:'


def _escaping(call, *args):
    """Call the API; an unknown class is a 404 without `vary`, as in the
    real service where ResourceClassNotFound escapes the handler."""
    try:
        return call(*args)
    except NotFound as exc:
        raise util.not_found(exc.message, vary=False)


def _serialize(req, name):
    return {'name': name, 'links': [
        {'rel': 'self', 'href': req.url('/resource_classes/%s' % name)}]}


def create_resource_class(req):
    req.require_version((1, 2))
    req.require_content()
    req.can(PREFIX + 'create')
    data = req.json(schema.NAMED_V)
    req.placement.create_resource_class(data['name'])
    return util.empty_response(
        req, '201 Created', location='/resource_classes/%s' % data['name'])


def delete_resource_class(req):
    req.require_version((1, 2))
    req.can(PREFIX + 'delete')
    _escaping(req.placement.delete_resource_class, req.args['name'])
    return util.empty_response(req)


def get_resource_class(req):
    req.require_version((1, 2))
    req.check_accept()
    req.can(PREFIX + 'show')
    name = req.args['name']
    _escaping(req.placement.get_resource_class, name)
    return util.json_response(req, _serialize(req, name))


def list_resource_classes(req):
    req.require_version((1, 2))
    req.check_accept()
    req.can(PREFIX + 'list')
    classes = req.placement.list_resource_classes()
    return util.json_response(req, {'resource_classes': [
        _serialize(req, rc['name']) for rc in classes]})


def update_resource_class(req):
    req.require_version((1, 2))
    if not req.at_least((1, 7)):
        return _rename(req)
    req.can(PREFIX + 'update')
    name = req.args['name']
    # The real service validates the name by building a JSON body from it.
    try:
        data = json.loads('{"name": "%s"}' % name)
    except ValueError as exc:
        raise util.bad_request('Malformed JSON: %s' % exc)
    error = schema.NAMED_V.first_error(data)
    if error is not None:
        raise util.bad_request('JSON does not validate: %s' % error)
    created = req.placement.ensure_resource_class(name)
    status = '201 Created' if created else '204 No Content'
    return util.empty_response(req, status,
                               location='/resource_classes/%s' % name)


def _rename(req):
    req.require_content()
    req.can(PREFIX + 'update')
    data = req.json(schema.NAMED_V)
    name = req.args['name']
    _escaping(req.placement.update_resource_class, name, data['name'])
    return util.json_response(req, _serialize(req, data['name']), cache=False)
