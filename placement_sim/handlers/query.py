"""Parsing of the filter query parameters shared by several routes.

`resources`, `required` (traits, with `!` from 1.22 and `in:` from 1.39) and
`member_of` (aggregates, `in:`, repeats from 1.24, `!` from 1.32), with the
real service's messages.
"""

from placement_sim.handlers import util


def parse_resources(text):
    """'VCPU:2,MEMORY_MB:1024' -> {'VCPU': 2, ...} with the real texts."""
    if text.strip() == '':
        raise util.bad_request(
            'Badly formed resources parameter. Expected resources query '
            'string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. '
            'Got: empty string.')
    result = {}
    for item in text.split(','):
        try:
            rc_name, amount = item.split(':')
        except ValueError:
            raise util.bad_request(
                'Badly formed resources parameter. Expected resources query '
                'string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. '
                'Got: %s.' % item)
        try:
            number = int(amount)
        except ValueError:
            raise util.bad_request(
                'Requested resource %s expected positive integer amount. '
                'Got: %s.' % (rc_name, amount))
        if number < 1:
            raise util.bad_request(
                'Requested resource %s requires amount >= 1. Got: %d.'
                % (rc_name, number))
        result[rc_name] = number
    return result


def parse_traits(value, allow_forbidden, allow_any):
    """One `required` value -> (list of any-of sets, forbidden set)."""
    if value.startswith('in:'):
        if not allow_any:
            raise util.bad_request(
                "Invalid query string parameters: The format "
                "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since "
                "microversion 1.39. Got: %s" % value)
        any_of = set(part.strip() for part in value[3:].split(','))
        if not all(any_of):
            raise util.bad_request(
                "Invalid query string parameters: Expected 'required' "
                "parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. "
                "Got an empty trait in: %s" % value)
        if any(name.startswith('!') for name in any_of):
            raise util.bad_request(
                "Invalid query string parameters: The format "
                "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden "
                "traits. Got: %s" % value)
        return [any_of], set()
    names = [part.strip() for part in value.split(',')]
    forbidden = set(name.lstrip('!') for name in names
                    if name.startswith('!'))
    if not all(names) or not all(forbidden):
        form = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if allow_forbidden
                else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
        raise util.bad_request(
            "Invalid query string parameters: Expected 'required' parameter "
            "value of the form: %s. Got an empty trait in: %s"
            % (form, value))
    required = [{name} for name in names if not name.startswith('!')]
    if forbidden and not allow_forbidden:
        raise util.bad_request(
            "Invalid query string parameters: Expected 'required' parameter "
            "value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: %s" % value)
    return required, forbidden


def required_filters(req, params, suffix=''):
    """All `required<suffix>` values -> (any-of sets, forbidden set)."""
    allow_any = req.at_least((1, 39))
    values = params.getall('required' + suffix)
    if not allow_any:
        values = values[-1:]
    required, forbidden = [], set()
    for value in values:
        more_required, more_forbidden = parse_traits(
            value, req.at_least((1, 22)), allow_any)
        required += more_required
        forbidden |= more_forbidden
    return required, forbidden


def parse_member_of(value):
    """One `member_of` value -> (required any-of set, forbidden set)."""
    if ',' in value and not (value.startswith('in:') or
                             value.startswith('!in:')):
        raise util.bad_request(
            "Multiple values for 'member_of' must be prefixed with the 'in:' "
            "or '!in:' keyword using the valid microversion. Got: %s" % value)
    required = forbidden = set()
    if value.startswith('!in:'):
        forbidden = set(value[4:].split(','))
    elif value.startswith('!'):
        forbidden = {value[1:]}
    elif value.startswith('in:'):
        required = set(value[3:].split(','))
    else:
        required = {value}
    for agg in sorted(required | forbidden):
        if not util.is_uuid_like(agg):
            raise util.bad_request(
                "Invalid query string parameters: Expected 'member_of' "
                "parameter to contain valid UUID(s). Got: %s" % agg)
    return required, forbidden


def member_of_filters(req, params, suffix=''):
    """All `member_of<suffix>` values -> (list of any-of sets, forbidden)."""
    values = params.getall('member_of' + suffix)
    if not req.at_least((1, 24)) and len(values) > 1:
        raise util.bad_request(
            'Multiple member_of%s parameters are not supported' % suffix)
    required, forbidden = [], set()
    for value in values:
        more_required, more_forbidden = parse_member_of(value)
        if more_required:
            required.append(more_required)
        if more_forbidden:
            if not req.at_least((1, 32)):
                raise util.bad_request(
                    'Forbidden member_of%s parameters are not supported in '
                    'the specified microversion' % suffix)
            forbidden |= more_forbidden
    return required, forbidden
