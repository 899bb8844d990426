"""The REST facade: a WSGI app speaking Placement's API (1.0 to 1.39).

`make_app(placement=None)` returns a WSGI callable over a
`placement_sim.Placement`. The request path mirrors the middleware stack of
openstack-placement 16.0.0: request id, default Accept, no-auth token
check, microversion negotiation, the content-length check, routing (404,
405 with `allow`), then the handler; every refusal is answered with
Placement's JSON error body. Nothing a client sends makes the app raise.

Known, deliberate differences from the real service:
- `Last-Modified` is a fixed date (or `clock()`), not row timestamps;
  request ids come from a seeded generator, so runs are reproducible.
- Bodies nested too deeply for the JSON parser get a 400 (the real one
  answers 500); a body shorter than its Content-Length gets a 400.
- Texts that quote the real database (the SQL of a duplicate inventory
  insert) are shortened by the Python API.
"""

import datetime
import random

import webob.exc

from placement_sim import microversion
from placement_sim.handlers import aggregate
from placement_sim.handlers import allocation
from placement_sim.handlers import allocation_candidate
from placement_sim.handlers import cors as cors_module
from placement_sim.handlers import inventory
from placement_sim.handlers import policy
from placement_sim.handlers import reshaper
from placement_sim.handlers import resource_class
from placement_sim.handlers import resource_provider
from placement_sim.handlers import root
from placement_sim.handlers import trait
from placement_sim.handlers import usage
from placement_sim.handlers import util

VERSION_KEY = 'placement.microversion'
REQUEST_ID_KEY = 'openstack.request_id'
ERROR_CODE_KEY = 'placement.error_code'
DEFAULT_CODE = 'placement.undefined_code'
ERROR_CODE_VERSION = (1, 23)

# A fixed moment for Last-Modified: the simulated world has no wall clock.
FIXED_MOMENT = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)

# Path template -> {method: handler}, in the real service's order (the
# order of the methods is the order of the `allow` header on a 405).
ROUTES = (
    ('/', {'GET': root.home}),
    ('', {'GET': root.home}),
    ('/resource_classes', {
        'GET': resource_class.list_resource_classes,
        'POST': resource_class.create_resource_class}),
    ('/resource_classes/{name}', {
        'GET': resource_class.get_resource_class,
        'PUT': resource_class.update_resource_class,
        'DELETE': resource_class.delete_resource_class}),
    ('/resource_providers', {
        'GET': resource_provider.list_resource_providers,
        'POST': resource_provider.create_resource_provider}),
    ('/resource_providers/{uuid}', {
        'GET': resource_provider.get_resource_provider,
        'DELETE': resource_provider.delete_resource_provider,
        'PUT': resource_provider.update_resource_provider}),
    ('/resource_providers/{uuid}/inventories', {
        'GET': inventory.get_inventories,
        'POST': inventory.create_inventory,
        'PUT': inventory.set_inventories,
        'DELETE': inventory.delete_inventories}),
    ('/resource_providers/{uuid}/inventories/{resource_class}', {
        'GET': inventory.get_inventory,
        'PUT': inventory.update_inventory,
        'DELETE': inventory.delete_inventory}),
    ('/resource_providers/{uuid}/usages', {
        'GET': usage.list_usages}),
    ('/resource_providers/{uuid}/aggregates', {
        'GET': aggregate.get_aggregates,
        'PUT': aggregate.set_aggregates}),
    ('/resource_providers/{uuid}/allocations', {
        'GET': allocation.list_for_resource_provider}),
    ('/allocations', {
        'POST': allocation.set_allocations}),
    ('/allocations/{consumer_uuid}', {
        'GET': allocation.list_for_consumer,
        'PUT': allocation.set_allocations_for_consumer,
        'DELETE': allocation.delete_allocations}),
    ('/allocation_candidates', {
        'GET': allocation_candidate.list_allocation_candidates}),
    ('/traits', {
        'GET': trait.list_traits}),
    ('/traits/{name}', {
        'GET': trait.get_trait,
        'PUT': trait.put_trait,
        'DELETE': trait.delete_trait}),
    ('/resource_providers/{uuid}/traits', {
        'GET': trait.list_traits_for_resource_provider,
        'PUT': trait.update_traits_for_resource_provider,
        'DELETE': trait.delete_traits_for_resource_provider}),
    ('/usages', {
        'GET': usage.get_total_usages}),
    ('/reshaper', {
        'POST': reshaper.reshape}),
)


class Route(object):
    """One compiled path template."""

    __slots__ = ('parts', 'names', 'methods', 'allow')

    def __init__(self, template, methods):
        self.parts = tuple(
            None if part.startswith('{') else part
            for part in template.split('/'))
        self.names = tuple(
            part[1:-1] for part in template.split('/')
            if part.startswith('{'))
        self.methods = methods
        self.allow = ', '.join(methods)

    def match(self, parts):
        """Return the path arguments, or None."""
        values = []
        for want, got in zip(self.parts, parts):
            if want is None:
                if not got:
                    return None
                values.append(got)
            elif want != got:
                return None
        return dict(zip(self.names, values))


class Router(object):
    """Precompiled routes: exact lookup for static paths, then templates."""

    def __init__(self, declarations):
        self.static = {}
        self.by_length = {}
        for template, methods in declarations:
            route = Route(template, methods)
            if not route.names:
                self.static[template] = route
            else:
                self.by_length.setdefault(len(route.parts), []).append(route)

    def match(self, path):
        """Return (route, args) or (None, None)."""
        route = self.static.get(path)
        if route is not None:
            return route, {}
        parts = path.split('/')
        for route in self.by_length.get(len(parts), ()):
            args = route.match(parts)
            if args is not None:
                return route, args
        return None, None


ROUTER = Router(ROUTES)


def _json_error_formatter(body, status, title, environ):
    """Placement's error document (placement/util.py json_error_formatter)."""
    status_code = int(status.split(None, 1)[0])
    error = {
        'status': status_code,
        'title': title,
        'detail': webob.exc.strip_tags(body),
    }
    version = environ.get(VERSION_KEY)
    if version is not None and version >= ERROR_CODE_VERSION:
        error['code'] = environ.get(ERROR_CODE_KEY) or DEFAULT_CODE
    if REQUEST_ID_KEY in environ:
        error['request_id'] = environ[REQUEST_ID_KEY]
    if status_code == 406 and VERSION_KEY not in environ:
        error['max_version'] = str(microversion.MAX)
        error['min_version'] = str(microversion.MIN)
    return {'errors': [error]}


# Masks giving a random 128-bit number the version-4 and variant bits.
_UUID4_CLEAR = ~((0xf000 << 64) | (0xc000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


class PlacementApp(object):
    """The WSGI callable; one per Placement instance."""

    def __init__(self, placement, policy_mode='legacy', clock=None,
                 request_id_seed='placement-sim request ids', cors=None):
        self.placement = placement
        self.cors = cors
        # Providers updated through PUT /resource_providers/{uuid}: their
        # row has an updated_at in the real service (Last-Modified).
        self.updated_providers = set()
        self.policy = policy.Policy(policy_mode)
        self._clock = clock
        self._fixed_date = util.http_date(FIXED_MOMENT)
        self._ids = random.Random(request_id_seed)

    # ----- small services the handlers use
    def last_modified(self):
        """The Last-Modified value: the clock's now, or a fixed date."""
        if self._clock is None:
            return self._fixed_date
        return util.http_date(self._clock())

    def _next_request_id(self):
        """'req-' and a version-4 uuid drawn from the app's own generator."""
        bits = (self._ids.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET
        text = '%032x' % bits
        return 'req-%s-%s-%s-%s-%s' % (
            text[:8], text[8:12], text[12:16], text[16:20], text[20:])

    # ----- WSGI entry point
    def __call__(self, environ, start_response):
        request_id = self._next_request_id()
        environ[REQUEST_ID_KEY] = request_id
        if self.cors is not None and 'HTTP_ORIGIN' in environ:
            return self.cors.wrap(self._guarded, environ, start_response,
                                  request_id)
        return self._guarded(environ, start_response, request_id)

    def _guarded(self, environ, start_response, request_id):
        try:
            return self._respond(environ, start_response, request_id)
        except Exception as exc:  # a bug here must not reach the caller
            environ.pop(ERROR_CODE_KEY, None)
            error = util.HTTPError(
                500, 'Unexpected error: %s' % type(exc).__name__)
            try:
                return self._error(environ, start_response, request_id,
                                   error, environ.get(VERSION_KEY))
            except Exception:
                return _bare_500(start_response, request_id)

    def _respond(self, environ, start_response, request_id):
        accept = environ.get('HTTP_ACCEPT')
        if not accept or accept == '*/*':
            environ['HTTP_ACCEPT'] = util.JSON_TYPE
        path = environ.get('PATH_INFO', '')
        context = policy.context_from_environ(environ)
        if context is None and path != '/':
            return self._unauthorized(environ, start_response, request_id)
        try:
            version = microversion.from_environ(environ)
        except microversion.UnacceptableVersion as exc:
            error = util.HTTPError(406, 'Invalid microversion: %s' % exc)
            return self._error(environ, start_response, request_id, error,
                               None)
        except microversion.MalformedVersion as exc:
            error = util.HTTPError(400, 'Invalid microversion: %s' % exc)
            return self._error(environ, start_response, request_id, error,
                               None)
        environ[VERSION_KEY] = version
        try:
            response = self._dispatch(environ, path, version, context)
        except util.HTTPError as error:
            return self._error(environ, start_response, request_id, error,
                               version)
        headers = response.headers
        headers.append((microversion.HEADER,
                        microversion.response_header(version)))
        headers.append(('vary', microversion.HEADER))
        headers.append(('x-openstack-request-id', request_id))
        start_response(response.status, headers)
        if environ['REQUEST_METHOD'] == 'HEAD':
            return [b'']
        return [response.body]

    def _dispatch(self, environ, path, version, context):
        clen = environ.get('CONTENT_LENGTH')
        if clen:
            try:
                length = int(clen)
            except ValueError:
                raise util.HTTPError(
                    400, 'content-length header must be an integer',
                    vary=False)
            if length > 0 and not environ.get('CONTENT_TYPE'):
                raise util.HTTPError(
                    400, 'content-type header required when '
                    'content-length > 0', vary=False)
        route, args = ROUTER.match(path)
        if route is None:
            raise util.HTTPError(404, vary=False)
        handler = route.methods.get(environ['REQUEST_METHOD'])
        if handler is None:
            raise util.HTTPError(
                405, 'The method specified is not allowed for this resource.',
                headers=[('allow', route.allow)])
        req = util.Request(environ, version, self, args, context)
        try:
            return handler(req)
        except util.HTTPError:
            raise
        except RecursionError:
            raise util.bad_request('Request nesting is too deep.')
        except Exception as exc:
            error = _from_api_error(exc)
            if error is None:
                raise
            raise error

    # ----- error answers
    def _unauthorized(self, environ, start_response, request_id):
        def add_id(status, headers, exc_info=None):
            headers.append(('x-openstack-request-id', request_id))
            return start_response(status, headers, exc_info)
        return webob.exc.HTTPUnauthorized()(environ, add_id)

    def _error(self, environ, start_response, request_id, error, version):
        environ[ERROR_CODE_KEY] = error.code
        exc_class = webob.exc.status_map.get(error.status,
                                             webob.exc.HTTPInternalServerError)
        exc = exc_class(detail=error.detail or None,
                        headers=list(error.headers),
                        json_formatter=_json_error_formatter)

        def add_headers(status, headers, exc_info=None):
            if version is not None:
                headers.append((microversion.HEADER,
                                microversion.response_header(version)))
                if error.vary:
                    headers.append(('vary', microversion.HEADER))
            headers.append(('x-openstack-request-id', request_id))
            return start_response(status, headers, exc_info)
        return exc(environ, add_headers)


def _bare_500(start_response, request_id):
    """The last resort when even the error page cannot be built."""
    body = ('{"errors": [{"status": 500, "title": "Internal Server Error", '
            '"detail": "The request could not be processed.", '
            '"request_id": "%s"}]}' % request_id).encode('ascii')
    start_response('500 Internal Server Error', [
        ('Content-Type', util.JSON_TYPE), ('Content-Length', str(len(body))),
        ('x-openstack-request-id', request_id)])
    return [body]


def _from_api_error(exc):
    """Turn a placement_sim.PlacementError into an HTTPError."""
    status = getattr(exc, 'status', None)
    message = getattr(exc, 'message', None)
    if not isinstance(status, int) or message is None:
        return None
    code = getattr(exc, 'code', None)
    if code == DEFAULT_CODE:
        code = None
    return util.HTTPError(status, message, code=code)


def make_app(placement=None, policy_mode='legacy', clock=None,
             cors_allowed_origins=(), cors_allow_headers=()):
    """Return a WSGI app serving `placement` (a new Placement if None).

    policy_mode: 'legacy' (the real default), 'secure' or 'open'.
    clock: a callable returning an aware datetime for Last-Modified
    headers; None (the default) uses a fixed date so answers are
    reproducible.
    cors_allowed_origins / cors_allow_headers: as placement's [cors]
    allowed_origin / allow_headers options; no CORS when empty.

    Like the Placement it serves, the app is not thread-safe: serve it
    with one request at a time (placement-sim does).
    """
    if placement is None:
        from placement_sim import Placement
        placement = Placement()
    cors = None
    if cors_allowed_origins:
        cors = cors_module.Cors(cors_allowed_origins,
                                allow_headers=cors_allow_headers)
    return PlacementApp(placement, policy_mode=policy_mode, clock=clock,
                        cors=cors)
