"""CORS for the REST facade, answering as oslo.middleware's CORS filter does.

Placement puts that filter outside authentication when `[cors]
allowed_origin` is set; `make_app(cors_allowed_origins=...)` turns it on.
"""


class Cors(object):
    """CORS answers as oslo.middleware's CORS filter gives them.

    It sits outside the rest of the app: a preflight OPTIONS whose answer
    is not 2xx is replaced by an empty 200; an allowed Origin gets the
    access-control headers.
    """

    SIMPLE_HEADERS = ('ACCEPT', 'ACCEPT-LANGUAGE', 'CONTENT-TYPE',
                      'CACHE-CONTROL', 'CONTENT-LANGUAGE', 'EXPIRES',
                      'LAST-MODIFIED', 'PRAGMA')
    METHODS = ('OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE',
               'PATCH')

    def __init__(self, origins, allow_headers=(), expose_headers=(),
                 max_age=3600, allow_credentials=True):
        self.origins = tuple(origins)
        self.allow_headers = tuple(allow_headers)
        self.expose_headers = tuple(expose_headers)
        self.max_age = max_age
        self.allow_credentials = allow_credentials

    def _origin(self, environ):
        origin = environ.get('HTTP_ORIGIN')
        if origin in self.origins:
            return origin
        return '*' if '*' in self.origins else None

    def wrap(self, app, environ, start_response, request_id):
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
        body = b''.join(app(environ, capture, request_id))
        status, headers = captured
        names = {name.lower() for name, _value in headers}
        if 'access-control-allow-origin' not in names:
            if environ['REQUEST_METHOD'] == 'OPTIONS':
                status, headers, body = self._preflight(
                    environ, status, headers, body, request_id)
            else:
                self._simple(environ, headers)
        start_response(status, headers)
        return [body]

    def _preflight(self, environ, status, headers, body, request_id):
        if not status.startswith('2'):
            status, body = '200 OK', b''
            headers = [('Content-Length', '0'),
                       ('x-openstack-request-id', request_id)]
        origin = self._origin(environ)
        method = environ.get('HTTP_ACCESS_CONTROL_REQUEST_METHOD')
        if origin is None or method is None or method not in self.METHODS:
            return status, headers, body
        wanted = [value.strip() for value in environ.get(
            'HTTP_ACCESS_CONTROL_REQUEST_HEADERS', '').split(',')
            if value.strip()]
        permitted = {name.upper() for name in self.allow_headers}
        permitted.update(self.SIMPLE_HEADERS)
        if any(name.upper() not in permitted for name in wanted):
            return status, headers, body
        headers = [item for item in headers if item[0].lower() != 'vary']
        headers += [('Vary', 'Origin'),
                    ('Access-Control-Allow-Origin', origin)]
        if self.allow_credentials:
            headers.append(('Access-Control-Allow-Credentials', 'true'))
        if self.max_age:
            headers.append(('Access-Control-Max-Age', str(self.max_age)))
        headers.append(('Access-Control-Allow-Methods', method))
        if wanted:
            headers.append(('Access-Control-Allow-Headers', ','.join(wanted)))
        return status, headers, body

    def _simple(self, environ, headers):
        origin = self._origin(environ)
        if origin is None:
            return
        for index, (name, value) in enumerate(headers):
            if name.lower() == 'vary':
                headers[index] = (name, value + ',Origin')
                break
        else:
            headers.append(('Vary', 'Origin'))
        headers.append(('Access-Control-Allow-Origin', origin))
        if self.allow_credentials:
            headers.append(('Access-Control-Allow-Credentials', 'true'))
        if self.expose_headers:
            headers.append(('Access-Control-Expose-Headers',
                            ','.join(self.expose_headers)))
