"""Handler of GET /allocation_candidates (1.10+).

Parses the request groups the way openstack-placement 16.0.0 does
(placement/lib.py), asks the Python API for candidates in the 1.39 shape
and cuts the answer down to what the requested microversion shows.
"""

import re

from placement_sim.handlers import query
from placement_sim.handlers import util
from placement_sim.schemas import allocation_candidate as schema
from placement_sim.schemas import common

BAD_VALUE = 'placement.query.bad_value'
MISSING_VALUE = 'placement.query.missing_value'
DUPLICATE_KEY = 'placement.query.duplicate_key'
_KINDS = '(resources|required|member_of|in_tree)'
_KEY = re.compile(r'^%s(%s)?$' % (_KINDS, common.GROUP_SUFFIX))
_KEY_1_33 = re.compile(r'^%s(%s)?$' % (_KINDS, common.GROUP_SUFFIX_1_33))


def _new_group(suffix):
    return {'use_same_provider': bool(suffix), 'resources': {},
            'required_traits': [], 'forbidden_traits': set(),
            'member_of': [], 'forbidden_aggs': set(), 'in_tree': None}


def _parse_groups(req, params):
    pattern = _KEY_1_33 if req.at_least((1, 33)) else _KEY
    groups = {}
    for key, value in params.items():
        match = pattern.match(key)
        if not match:
            continue
        kind, suffix = match.groups()
        suffix = suffix or ''
        group = groups.setdefault(suffix, _new_group(suffix))
        if kind == 'resources':
            group['resources'] = query.parse_resources(value)
        elif kind == 'required':
            group['required_traits'], group['forbidden_traits'] = (
                query.required_filters(req, params, suffix))
        elif kind == 'member_of':
            group['member_of'], group['forbidden_aggs'] = (
                query.member_of_filters(req, params, suffix))
        else:
            tree = value.strip()
            if not util.is_uuid_like(tree):
                raise util.bad_request(
                    "Invalid query string parameters: Expected 'in_tree' "
                    "parameter to be a format of uuid. Got: %s" % value)
            group['in_tree'] = tree
    return groups


def _request_wide(params):
    limit = params.getall('limit')
    limit = int(limit[0]) if limit else None
    group_policy = params.getall('group_policy')
    group_policy = group_policy[0] if group_policy else None
    root_required = params.getall('root_required')
    anchor_required = anchor_forbidden = None
    if root_required:
        if len(root_required) > 1:
            raise util.bad_request(
                "Query parameter 'root_required' may be specified only once.",
                code=DUPLICATE_KEY)
        required, forbidden = query.parse_traits(
            root_required[0], True, False)
        anchor_required = set().union(*required) if required else set()
        anchor_forbidden = forbidden
        conflicts = anchor_required & anchor_forbidden
        if conflicts:
            raise util.bad_request(
                'Conflicting required and forbidden traits found in '
                'root_required: %s' % ', '.join(sorted(conflicts)),
                code=BAD_VALUE)
    same_subtrees = []
    for value in params.getall('same_subtree'):
        suffixes = set(part.strip() for part in value.split(','))
        if '' in suffixes:
            raise util.bad_request(
                'Empty string (unsuffixed group) can not be specified in '
                '`same_subtree` ', code=BAD_VALUE)
        same_subtrees.append(suffixes)
    return limit, group_policy, anchor_required, anchor_forbidden, \
        same_subtrees


def _check_groups(req, groups, same_subtrees):
    if req.at_least((1, 36)):
        resourceless = [suffix for suffix, group in groups.items()
                        if not group['resources']]
        if len(resourceless) == len(groups):
            raise util.bad_request(
                'There must be at least one resources or resources[$S] '
                'parameter.', code=MISSING_VALUE)
        in_subtrees = set().union(*same_subtrees)
        bad = [suffix for suffix in resourceless if suffix not in in_subtrees]
        if bad:
            raise util.bad_request(
                'Resourceless suffixed group request should be specified in '
                '`same_subtree` query param: bad group(s) - %s.' % bad,
                code=BAD_VALUE)
        bad = [suffix for suffix in sorted(in_subtrees)
               if suffix not in groups]
        if bad:
            raise util.bad_request(
                'Real suffixes should be specified in `same_subtree`: %s not '
                'found in %s.' % (bad, list(groups)), code=BAD_VALUE)
    else:
        _check_orphans(groups)
    if req.at_least((1, 22)):
        conflicts = []
        for suffix, group in groups.items():
            for any_of in group['required_traits']:
                if all(name in group['forbidden_traits'] for name in any_of):
                    conflicts.append('required%s: (%s)' % (
                        suffix, ', '.join(sorted(any_of))))
        if conflicts:
            raise util.bad_request(
                'Conflicting required and forbidden traits found in the '
                'following traits keys: %s' % ', '.join(sorted(conflicts)))


def _check_orphans(groups):
    orphans = ['required%s' % suffix for suffix, group in groups.items()
               if group['required_traits'] and not group['resources']]
    if orphans:
        raise util.bad_request(
            'All traits parameters must be associated with resources.  Found '
            'the following orphaned traits keys: %s' % ', '.join(orphans))
    orphans = ['member_of%s' % suffix for suffix, group in groups.items()
               if not group['resources'] and (group['member_of'] or
                                              group['forbidden_aggs'])]
    if orphans:
        raise util.bad_request(
            'All member_of parameters must be associated with resources. '
            'Found the following orphaned member_of keys: %s'
            % ', '.join(orphans))
    if not all(group['resources'] for group in groups.values()):
        raise util.bad_request('All request groups must specify resources.')
    if not groups:
        raise util.bad_request(
            'At least one request group (`resources` or `resources{$S}`) is '
            'required.')


def _validator(req):
    for minimum, validator in schema.QUERY_V:
        if req.version >= minimum:
            return validator
    return schema.QUERY_V[-1][1]


def list_allocation_candidates(req):
    req.require_version((1, 10))
    req.check_accept()
    req.can('placement:allocation_candidates:list')
    params = req.validate_query(_validator(req))
    limit, group_policy, anchor_required, anchor_forbidden, same_subtrees = (
        _request_wide(params))
    groups = _parse_groups(req, params)
    _check_groups(req, groups, same_subtrees)
    if not group_policy:
        if len([g for g in groups.values() if g['use_same_provider']]) > 1:
            raise util.bad_request(
                'The "group_policy" parameter is required when specifying '
                'more than one "resources{N}" parameter.')
    found = req.placement.allocation_candidates(
        groups, group_policy=group_policy, limit=limit,
        root_required=anchor_required, root_forbidden=anchor_forbidden,
        same_subtrees=same_subtrees,
        nested_aware=req.at_least((1, 29)))
    return util.json_response(req, _shape(req, found, groups))


def _shape(req, found, groups):
    """Cut the 1.39-shaped answer down to the requested microversion."""
    if req.at_least((1, 34)):
        # Already in the shape these versions show; no copy needed.
        return found
    requests = found['allocation_requests']
    if req.at_least((1, 12)):
        with_mappings = req.at_least((1, 34))
        shown = []
        for request in requests:
            item = {'allocations': request['allocations']}
            if with_mappings:
                item['mappings'] = request.get('mappings', {})
            shown.append(item)
    else:
        shown = [{'allocations': [
            {'resource_provider': {'uuid': rp_uuid},
             'resources': entry['resources']}
            for rp_uuid, entry in request['allocations'].items()]}
            for request in requests]
    all_classes = req.at_least((1, 27))
    requested = set()
    for group in groups.values():
        requested |= set(group['resources'])
    summaries = {}
    for rp_uuid, summary in found['provider_summaries'].items():
        resources = {rc: value for rc, value in summary['resources'].items()
                     if all_classes or rc in requested}
        item = {'resources': resources}
        if req.at_least((1, 17)):
            item['traits'] = summary.get('traits', [])
        if req.at_least((1, 29)):
            item['parent_provider_uuid'] = summary.get('parent_provider_uuid')
            item['root_provider_uuid'] = summary.get('root_provider_uuid')
        summaries[rp_uuid] = item
    return {'allocation_requests': shown, 'provider_summaries': summaries}
