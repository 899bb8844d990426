"""Request, response and error helpers shared by the REST handlers.

A handler is a plain function `handler(req) -> Response`. It raises
`HTTPError` for every refusal; the WSGI app turns that into Placement's
error body. `Request` is a thin wrapper over the WSGI environ that parses
the body and the query string lazily and knows the microversion.
"""

import email.utils
import json
import uuid as uuidlib

import jsonschema
from jsonschema import exceptions as js_exceptions
import webob
import webob.acceptparse

JSON_TYPE = 'application/json'
INCOMPLETE_CONSUMER_ID = '00000000-0000-0000-0000-000000000000'
_JSON_HEADER = ('Content-Type', JSON_TYPE)


class HTTPError(Exception):
    """An error answer: status, detail text and Placement error code.

    `vary` is False for errors that the real service raises outside its
    handler wrapper (unknown providers found by a lookup the handler does
    not catch, policy refusals): those answers lack the `vary` header.
    """

    def __init__(self, status, detail='', code=None, headers=None,
                 vary=True):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.headers = headers or []
        self.vary = vary


def not_found(detail='', vary=True):
    """A 404 answer."""
    return HTTPError(404, detail, vary=vary)


def bad_request(detail, code=None):
    """A 400 answer."""
    return HTTPError(400, detail, code=code)


class Response(object):
    """What a handler returns: status line, headers and body bytes."""

    __slots__ = ('status', 'headers', 'body')

    def __init__(self, status, headers, body=b''):
        self.status = status
        self.headers = headers
        self.body = body


def _uuid_canonical(value):
    """Return the canonical text of a uuid-like string, or None.

    Mirrors oslo's is_uuid_like: dashes, braces and a urn prefix are
    tolerated and letters may be upper case.
    """
    if not isinstance(value, str):
        return None
    try:
        canonical = str(uuidlib.UUID(value))
    except (TypeError, ValueError, AttributeError):
        return None
    stripped = value.lower()
    for junk in ('urn:', 'uuid:', '{', '}', '-'):
        stripped = stripped.replace(junk, '')
    if canonical.replace('-', '') != stripped:
        return None
    return canonical


def is_uuid_like(value):
    """True for the strings the real service accepts as uuids."""
    return _uuid_canonical(value) is not None


def canonical_uuid(value):
    """The dashed lower-case form of a uuid-like string."""
    return _uuid_canonical(value)


BODY_FORMATS = jsonschema.FormatChecker()
BODY_FORMATS.checks('uuid')(is_uuid_like)
QUERY_FORMATS = jsonschema.FormatChecker()


class Validator(object):
    """A precompiled JSON-schema check that raises with the real texts."""

    def __init__(self, schema, format_checker=BODY_FORMATS, fast=None):
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        self.schema = schema
        self._validator = cls(schema, format_checker=format_checker)
        # `fast(data)` may answer True only for data the schema accepts.
        self._fast = fast

    def first_error(self, data):
        """The error the real service would report, or None."""
        if self._fast is not None and self._fast(data):
            return None
        return js_exceptions.best_match(self._validator.iter_errors(data))


def query_validator(schema):
    """A Validator for query strings (jsonschema's default formats)."""
    return Validator(schema, format_checker=QUERY_FORMATS)


class Request(object):
    """One request as the handlers see it."""

    __slots__ = ('environ', 'version', 'app', 'placement', 'args', 'context',
                 '_webob')

    def __init__(self, environ, version, app, args, context):
        self.environ = environ
        self.version = version
        self.app = app
        self.placement = app.placement
        self.args = args
        self.context = context
        self._webob = None

    # ----- reading the request
    @property
    def webob(self):
        if self._webob is None:
            self._webob = webob.Request(self.environ)
        return self._webob

    @property
    def method(self):
        return self.environ['REQUEST_METHOD']

    def body(self):
        try:
            return self.webob.body
        except (OSError, ValueError, MemoryError) as exc:
            raise bad_request('The request body could not be read: %s' % exc)

    def params(self):
        """The query string as a webob MultiDict (may raise UnicodeError)."""
        return self.webob.GET

    def require_content(self):
        """415 unless the body is declared application/json."""
        ctype = self.environ.get('CONTENT_TYPE', '')
        if ctype == JSON_TYPE:
            return
        ctype = self.webob.content_type
        if ctype != JSON_TYPE:
            if not ctype:
                # As the real service does, so webob's text names it too.
                self.environ['CONTENT_TYPE'] = 'None'
            raise HTTPError(
                415, 'The media type %s is not supported, use %s'
                % (ctype or 'None', JSON_TYPE))

    def check_accept(self):
        """406 unless the Accept header allows application/json."""
        accept = self.environ.get('HTTP_ACCEPT')
        if not accept or accept == JSON_TYPE:
            return
        header = webob.acceptparse.create_accept_header(accept)
        if not header:
            return
        if not header.acceptable_offers([JSON_TYPE]):
            raise HTTPError(406, 'Only %s is provided' % JSON_TYPE)

    def json(self, validator):
        """Parse the body as JSON and check it against a Validator."""
        raw = self.body()
        try:
            data = json.loads(raw.decode('utf-8'))
        except ValueError as exc:
            raise bad_request('Malformed JSON: %s' % exc)
        except RecursionError:
            raise bad_request(
                'Malformed JSON: maximum recursion depth exceeded')
        error = validator.first_error(data)
        if error is not None:
            raise bad_request('JSON does not validate: %s' % error)
        return data

    def validate_query(self, validator):
        """Check the query string; return the MultiDict of parameters."""
        try:
            params = self.params()
            error = validator.first_error(dict(params))
        except UnicodeDecodeError as exc:
            raise bad_request('Invalid query string parameters: %s' % exc)
        if error is not None:
            raise bad_request('Invalid query string parameters: %s' % error)
        return params

    def require_version(self, min_version, max_version=None, status=404):
        """Refuse the request when the microversion is out of range."""
        if self.version < min_version or (
                max_version is not None and self.version > max_version):
            raise HTTPError(status)

    def at_least(self, min_version):
        return self.version >= min_version

    def can(self, action, target=None):
        """Apply the policy; 403 (without vary) when refused."""
        if not self.app.policy.allows(action, self.context, target):
            raise HTTPError(
                403, 'Policy does not allow %s to be performed.' % action,
                vary=False)

    # ----- building URLs and answers
    def url(self, path):
        return self.environ.get('SCRIPT_NAME', '') + path

    def absolute(self, path):
        """Absolute Location value, as webob makes it."""
        env = self.environ
        scheme = env.get('wsgi.url_scheme', 'http')
        host = env.get('HTTP_HOST')
        if not host:
            host = env.get('SERVER_NAME', 'localhost')
            port = str(env.get('SERVER_PORT', ''))
            if port and (scheme, port) not in (('http', '80'),
                                               ('https', '443')):
                host = '%s:%s' % (host, port)
        if (scheme, host[-3:]) == ('http', ':80'):
            host = host[:-3]
        elif (scheme, host[-4:]) == ('https', ':443'):
            host = host[:-4]
        return '%s://%s%s' % (scheme, host, self.url(path))

    def cache_headers(self, headers):
        """Add last-modified and cache-control from 1.15 on."""
        if self.version >= (1, 15):
            headers.append(('Last-Modified', self.app.last_modified()))
            headers.append(('Cache-Control', 'no-cache'))
        return headers


def json_response(req, data, status='200 OK', cache=True, location=None):
    """A JSON answer, with cache headers where the real one sends them."""
    body = json.dumps(data).encode('utf-8')
    headers = [('Content-Length', str(len(body))), _JSON_HEADER]
    if location is not None:
        headers.append(('Location', req.absolute(location)))
    if cache:
        req.cache_headers(headers)
    return Response(status, headers, body)


def empty_response(req, status='204 No Content', location=None,
                   cache=False):
    """An answer without a body (204, or 201 with a Location)."""
    headers = [('Content-Length', '0')]
    if location is not None:
        headers.append(('Location', req.absolute(location)))
    if cache:
        req.cache_headers(headers)
    return Response(status, headers)


def http_date(moment):
    """Format an aware datetime as an HTTP date."""
    return email.utils.format_datetime(moment, usegmt=True)
