"""Check a loaded scenario file against the schema and report every problem at once.

Each problem is `file:line:col: path: message`; unknown keys and names get a did-you-mean
suggestion. This module checks shapes (schema.py); resolve.py checks the names that refer to
hosts, servers, flavors, drivers, fault points, exceptions and bugs.
"""
import difflib

import jsonschema

from harness.scenario import schema as schema_mod

_VALIDATOR = jsonschema.Draft202012Validator(schema_mod.SCHEMA)
MAX_PROBLEMS = 200
_TYPE_NAMES = {
    dict: 'a mapping', list: 'a list', str: 'a string', bool: 'a boolean', int: 'an integer',
    float: 'a number', type(None): 'null',
}


def suggest(name, candidates):
    """'; did you mean 'x'?' for the closest candidate, or ''."""
    close = difflib.get_close_matches(str(name), sorted(str(c) for c in candidates), n=1,
                                      cutoff=0.6)
    return "; did you mean '%s'?" % close[0] if close else ''


def describe(value):
    """A short description of a value's type for messages."""
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, (dict, list)) or value is None:
        return kind
    return '%s %r' % (kind, value)


def schema_problems(doc):
    """Every schema violation in `doc` (a loader.Document), as Problems."""
    problems = []
    for error in sorted(_VALIDATOR.iter_errors(doc.data), key=_error_key):
        problems.extend(_explain(doc, error))
        if len(problems) >= MAX_PROBLEMS:
            break
    return _dedupe(problems)


def _error_key(error):
    return (tuple(str(p) for p in error.absolute_path), error.validator, str(error.message))


def _dedupe(problems):
    seen = set()
    out = []
    for problem in problems:
        key = str(problem)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def _explain(doc, error):
    """Turn one jsonschema error into problems with plain-language messages."""
    path = tuple(error.absolute_path)
    schema = error.schema
    instance = error.instance
    kind = error.validator
    if kind == 'additionalProperties' and isinstance(instance, dict):
        return _unknown_keys(doc, path, schema, instance)
    if kind in ('anyOf', 'oneOf'):
        return _explain_alternatives(doc, error)
    if kind == 'required':
        missing = [k for k in error.validator_value if k not in instance]
        return [doc.problem(path, "missing required key '%s'" % k) for k in missing]
    if kind == 'enum':
        allowed = ', '.join('null' if v is None else str(v) for v in error.validator_value)
        hint = suggest(instance, [v for v in error.validator_value if v is not None])
        return [doc.problem(path, '%s is not allowed%s (one of: %s)'
                            % (describe(instance), hint, allowed))]
    if kind == 'type':
        if not path and instance is None:
            return [doc.problem(path, 'the file is empty; it needs a scenarios: list '
                                '(see doc/scenario-format.md)')]
        wanted = _type_word(schema)
        return [doc.problem(path, 'expected %s, got %s' % (wanted, describe(instance)))]
    if kind in ('minProperties', 'maxProperties') and _is_kind_mapping(schema):
        return [_kind_count_problem(doc, path, schema, instance)]
    if 'propertyNames' in error.relative_schema_path:
        return [_bad_key_name(doc, path, error)]
    if kind in ('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'):
        return [doc.problem(path, '%s is out of range (%s %s)'
                            % (describe(instance), kind, error.validator_value))]
    if kind in ('minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties',
                'maxProperties'):
        return [doc.problem(path, 'has %s but needs %s %s'
                            % (_size(instance), _RANGE_WORDS[kind], error.validator_value))]
    return [doc.problem(path, error.message)]


_RANGE_WORDS = {
    'minItems': 'at least', 'maxItems': 'at most', 'minLength': 'at least',
    'maxLength': 'at most', 'minProperties': 'at least', 'maxProperties': 'at most',
}


def _size(instance):
    if isinstance(instance, str):
        return '%d characters' % len(instance)
    return '%d entries' % len(instance)


def _bad_key_name(doc, path, error):
    key = error.instance
    if 'VCPU' in str(error.validator_value):
        fix = key.upper() if isinstance(key, str) else None
        hint = "; did you mean '%s'?" % fix if fix and fix != key else ''
        return doc.problem(path + (key,), "invalid resource class '%s'%s (upper case, like VCPU, "
                           "MEMORY_MB, DISK_GB or CUSTOM_*)" % (key, hint), key=True)
    return doc.problem(path + (key,), "invalid name '%s' (letters, digits and _, not starting "
                       "with a digit)" % key, key=True)


def _is_kind_mapping(schema):
    return schema.get('maxProperties') == 1 and 'properties' in schema


def _kind_count_problem(doc, path, schema, instance):
    kinds = ', '.join(sorted(schema['properties']))
    if not instance:
        return doc.problem(path, 'empty entry; write one of: %s' % kinds)
    return doc.problem(path, 'one entry per list item, found %d (%s); start each with "- "'
                       % (len(instance), ', '.join(sorted(instance))))


def _unknown_keys(doc, path, schema, instance):
    known = sorted(schema.get('properties', {}))
    problems = []
    for key in sorted(instance):
        if key in known:
            continue
        what = 'unknown step or action' if _is_kind_mapping(schema) else 'unknown key'
        hint = suggest(key, known)
        problems.append(doc.problem(path + (key,), "%s '%s'%s (valid: %s)"
                                    % (what, key, hint, ', '.join(known)), key=True))
    return problems


def _explain_alternatives(doc, error):
    """anyOf: report the errors of the alternative whose type matches the value."""
    instance = error.instance
    for sub in error.schema.get(error.validator, []):
        if _type_matches(sub, instance):
            inner = [e for e in error.context or [] if _branch_of(e, error) is sub]
            problems = []
            for e in sorted(inner, key=_error_key):
                problems.extend(_explain(doc, e))
            if problems:
                return problems
    wanted = ' or '.join(_type_word(s) for s in error.schema.get(error.validator, []))
    return [doc.problem(tuple(error.absolute_path), 'expected %s, got %s'
                        % (wanted, describe(instance)))]


def _branch_of(sub_error, parent):
    index = sub_error.schema_path[0] if sub_error.schema_path else None
    return parent.schema[parent.validator][index] if isinstance(index, int) else None


def _type_matches(schema, instance):
    if 'anyOf' in schema:
        return any(_type_matches(s, instance) for s in schema['anyOf'])
    if 'enum' in schema and 'type' not in schema:
        return not isinstance(instance, (dict, list))
    wanted = schema.get('type')
    if wanted is None:
        return True
    wanted = wanted if isinstance(wanted, list) else [wanted]
    return any(_is_type(w, instance) for w in wanted)


def _is_type(name, value):
    if name == 'object':
        return isinstance(value, dict)
    if name == 'array':
        return isinstance(value, list)
    if name == 'string':
        return isinstance(value, str)
    if name == 'boolean':
        return isinstance(value, bool)
    if name == 'integer':
        return isinstance(value, int) and not isinstance(value, bool)
    if name == 'number':
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return value is None


def _type_word(schema):
    if 'anyOf' in schema:
        return ' or '.join(_type_word(s) for s in schema['anyOf'])
    if 'enum' in schema and 'type' not in schema:
        return 'one of %s' % ', '.join(str(v) for v in schema['enum'])
    wanted = schema.get('type', 'a value')
    words = {'object': 'a mapping', 'array': 'a list', 'string': 'a string', 'null': 'null',
             'integer': 'an integer', 'number': 'a number', 'boolean': 'a boolean'}
    if isinstance(wanted, list):
        return ' or '.join(words.get(w, w) for w in wanted)
    return words.get(wanted, wanted)
