"""Patterns and small schema builders shared by the request schemas.

The patterns are the ones openstack-placement 16.0.0 accepts: uuids as 36
hex-or-dash characters, resource class and trait names of upper-case
letters, digits and underscores, custom names prefixed with CUSTOM_.
"""

MAX_INT = 2147483647
FLOAT_MAX = 3.40282e+38

UUID_PATTERN = '^[0-9a-fA-F-]{36}$'
NAME_PATTERN = '^[A-Z0-9_]+$'
CUSTOM_PATTERN = '^CUSTOM_[A-Z0-9_]+$'
CONSUMER_TYPE_GET_PATTERN = NAME_PATTERN + '|^all|^unknown$'
GROUP_SUFFIX = r'[1-9][0-9]*'
GROUP_SUFFIX_1_33 = r'[a-zA-Z0-9_-]{1,64}'


def string(min_length=None, max_length=None, pattern=None, fmt=None):
    """A string schema with the given limits."""
    schema = {'type': 'string'}
    if fmt:
        schema['format'] = fmt
    if pattern:
        schema['pattern'] = pattern
    if min_length is not None:
        schema['minLength'] = min_length
    if max_length is not None:
        schema['maxLength'] = max_length
    return schema


def bounded_int(minimum):
    """An integer between `minimum` and MAX_INT."""
    return {'type': 'integer', 'maximum': MAX_INT, 'minimum': minimum}


def closed_object(properties, required=(), **extra):
    """An object with exactly these properties allowed."""
    schema = {'type': 'object', 'properties': properties}
    if required:
        schema['required'] = list(required)
    schema['additionalProperties'] = False
    schema.update(extra)
    return schema


def with_property(schema, name, subschema, required=False):
    """A copy of an object schema with one more property."""
    props = dict(schema['properties'])
    props[name] = subschema
    new = dict(schema, properties=props)
    if required:
        new['required'] = list(schema.get('required', ())) + [name]
    return new


def without_property(schema, name):
    """A copy of an object schema with one property removed."""
    props = dict(schema['properties'])
    props.pop(name, None)
    new = dict(schema, properties=props)
    if 'required' in schema:
        new['required'] = [item for item in schema['required'] if item != name]
    return new
