"""Placement microversions: the version list and header negotiation.

The REST facade reads `OpenStack-API-Version: placement X.Y` (or `latest`)
the way openstack-placement 16.0.0 does (through microversion-parse): no
header means the minimum version, a malformed value is a 400, a value that
is not one of the known versions is a 406.
"""

SERVICE_TYPE = 'placement'
HEADER = 'openstack-api-version'
ENVIRON_KEY = 'HTTP_OPENSTACK_API_VERSION'

MIN_VERSION = (1, 0)
MAX_VERSION = (1, 39)
VERSIONS = tuple('1.%d' % minor for minor in range(MAX_VERSION[1] + 1))
_KNOWN = frozenset(VERSIONS)


class Version(tuple):
    """A (major, minor) pair that compares like a tuple."""

    __slots__ = ()

    def __new__(cls, major, minor):
        return tuple.__new__(cls, (major, minor))

    def __str__(self):
        return '%d.%d' % (self[0], self[1])

    def matches(self, min_version, max_version=MAX_VERSION):
        """True when min_version <= self <= max_version."""
        return min_version <= self <= max_version


# One shared instance per known version keeps the per-request path lean.
_BY_STRING = {text: Version(*map(int, text.split('.'))) for text in VERSIONS}
MIN = _BY_STRING['1.0']
MAX = _BY_STRING['1.%d' % MAX_VERSION[1]]


class MalformedVersion(ValueError):
    """The header value is not of the form X.Y (answered with 400)."""


class UnacceptableVersion(ValueError):
    """The header names a version this service does not have (406)."""


def _requested_string(header_value):
    """Return the version text meant for placement, or None."""
    for item in reversed(header_value.split(',')):
        parts = item.strip().split(None, 1)
        if len(parts) == 2 and parts[0].lower() == SERVICE_TYPE:
            return parts[1].strip()
    return None


def parse_version_string(text):
    """Turn 'X.Y' into a Version; raise MalformedVersion otherwise."""
    try:
        numbers = [int(part) for part in text.split('.', 1)]
    except ValueError as exc:
        raise MalformedVersion(
            'invalid version string: %s; %s' % (text, exc)) from None
    if len(numbers) != 2:
        raise MalformedVersion(
            "invalid version string: %s; Version.__new__() missing 1 "
            "required positional argument: 'minor'" % text)
    return Version(*numbers)


def from_environ(environ):
    """Return the Version a request asks for.

    Raises MalformedVersion or UnacceptableVersion with the real texts.
    """
    header_value = environ.get(ENVIRON_KEY)
    if not header_value:
        return MIN
    text = _requested_string(header_value)
    if text is None:
        return MIN
    known = _BY_STRING.get(text)
    if known is not None:
        return known
    if text == 'latest':
        return MAX
    version = parse_version_string(text)
    canonical = str(version)
    if canonical in _KNOWN:
        return _BY_STRING[canonical]
    raise UnacceptableVersion('Unacceptable version header: %s' % text)


_HEADER_VALUES = {version: '%s %s' % (SERVICE_TYPE, text)
                  for text, version in _BY_STRING.items()}


def response_header(version):
    """The value of the openstack-api-version response header."""
    return _HEADER_VALUES[version]
