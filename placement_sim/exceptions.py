"""Errors of the simulated Placement, carrying the real HTTP status, error code and message.

Every failure of the Python API is a `PlacementError`: `status` is the HTTP status the real
openstack-placement 16.0.0 answers with, `code` the error code it puts in the JSON body (from
microversion 1.23), and `message` the handler's text (the part of `detail` after webob's title).
"""

UNDEFINED = 'placement.undefined_code'
CONCURRENT_UPDATE = 'placement.concurrent_update'
DUPLICATE_NAME = 'placement.duplicate_name'
INVENTORY_INUSE = 'placement.inventory.inuse'
PROVIDER_IN_USE = 'placement.resource_provider.inuse'
PROVIDER_CANNOT_DELETE_PARENT = 'placement.resource_provider.cannot_delete_parent'
RESOURCE_PROVIDER_NOT_FOUND = 'placement.resource_provider.not_found'
QUERY_DUPLICATE_KEY = 'placement.query.duplicate_key'
QUERY_BAD_VALUE = 'placement.query.bad_value'
QUERY_MISSING_VALUE = 'placement.query.missing_value'

TITLES = {
    400: 'Bad Request',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
}


class PlacementError(Exception):
    """A refused request: HTTP `status`, Placement error `code` and `message`."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    @property
    def title(self):
        """The HTTP reason phrase of the status (the error body's `title`)."""
        return TITLES.get(self.status, 'Error')

    def __repr__(self):
        return '%s(%d, %r, %r)' % (type(self).__name__, self.status, self.code, self.message)


class BadRequest(PlacementError):
    """400: the request is malformed or names something that does not exist."""

    def __init__(self, message, code=UNDEFINED):
        super().__init__(400, code, message)


class NotFound(PlacementError):
    """404: the addressed provider, consumer, class or trait does not exist."""

    def __init__(self, message, code=UNDEFINED):
        super().__init__(404, code, message)


class Conflict(PlacementError):
    """409: a generation conflict, a capacity problem or a thing still in use."""

    def __init__(self, message, code=UNDEFINED):
        super().__init__(409, code, message)


class ServiceUnavailable(PlacementError):
    """503: an injected outage (fault kind `unavailable`)."""

    def __init__(self, message='The server is currently unavailable. '
                               'Please try again at a later time.',
                 code=UNDEFINED):
        super().__init__(503, code, message)


class Timeout(PlacementError):
    """An injected client-side timeout; `applied` says whether the write happened anyway."""

    def __init__(self, operation, applied):
        when = 'after' if applied else 'before'
        super().__init__(504, UNDEFINED,
                         'Timed out waiting for a response to %s (injected %s the write).'
                         % (operation, when))
        self.operation = operation
        self.applied = applied
