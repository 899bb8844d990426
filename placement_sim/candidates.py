"""Allocation candidates (GET /allocation_candidates), following placement 16.0.0's search.

The search mirrors `objects/allocation_candidate.py` and `research_context.py`: each request
group is matched on its own (a suffixed group by one provider; the unsuffixed group by one
tree plus sharing providers when trees or sharing providers exist), the per-group results are
combined per anchor root (depth-first product), then group_policy, same_subtree and the
combined capacity are applied, and `limit` keeps the first N.

Order: the real service collects the candidates in a Python set whose order depends on string
hashing (PYTHONHASHSEED), so it has no stable order. Here candidates come in generation order:
anchors by provider creation order, providers by creation order, groups in request order; `limit`
keeps the first N of that order (the real one keeps the first N of its own order).

Not reproduced: when a resource class appears in the unsuffixed group and in a suffixed group and
group_policy is not 'none', placement 16.0.0 adds amounts into shared request objects in place, so
later candidates can carry inflated amounts (in hash-seed order). The simulator returns the sums
the request asked for.
"""

import itertools

from placement_sim import exceptions as exc
from placement_sim.records import capacity

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'
MAX_CANDIDATES = 100000


class _Empty(Exception):
    """No candidate is possible (an empty 200 answer, not an error)."""


class _Group:
    """One request group, its provider look-ups done."""

    def __init__(self, suffix, spec):
        self.suffix = suffix
        self.use_same_provider = bool(suffix)
        self.resources = dict(spec.get('resources') or {})
        self.required = [frozenset(any_of) for any_of in spec.get('required_traits') or ()]
        self.forbidden = frozenset(spec.get('forbidden_traits') or ())
        self.member_of = [list(any_of) for any_of in spec.get('member_of') or ()]
        self.forbidden_aggs = frozenset(spec.get('forbidden_aggs') or ())
        self.in_tree = spec.get('in_tree')
        self.rps_in_aggs = set()
        self.tree_root = None
        self.with_resource = {}


class _Request:
    """One allocation request: [(provider, rc, amount)], anchor root, mappings."""

    __slots__ = ('rrs', 'anchor', 'mappings', 'use_same_provider')

    def __init__(self, rrs, anchor, mappings, use_same_provider=False):
        self.rrs = rrs
        self.anchor = anchor
        self.mappings = mappings
        self.use_same_provider = use_same_provider

    def key(self):
        return (frozenset([(rp.id, rc, amount) for rp, rc, amount in self.rrs]),
                frozenset([(s, frozenset(u)) for s, u in self.mappings.items()]))


class _Search:
    """The request-wide state of one search (RequestWideSearchContext)."""

    def __init__(self, placement, group_policy, limit, nested_aware, same_subtrees):
        self.p = placement
        self.rps = list(placement._rps.values())
        self.by_id = {rp.id: rp for rp in self.rps}
        self.by_uuid = placement._rps
        self.group_policy = group_policy
        self.limit = limit
        self.nested_aware = nested_aware
        self.same_subtrees = [set(s) for s in same_subtrees or ()]
        self.has_trees = any(rp.parent is not None for rp in self.rps)
        self.root_of = {rp.id: self.by_uuid[rp.root].id for rp in self.rps}
        self.anchor_roots = None
        self.summaries = {}          # rp id -> provider record, for every fetched tree
        self.multi_group_rcs = set()
        self.rcs_amounts = {}
        # placement narrows this set in place when a group has member_of; kept as is
        self.sharing = {rp.id for rp in self.rps if SHARING_TRAIT in rp.traits}

    def root_id(self, rp):
        return self.root_of[rp.id]

    def in_anchors(self, root_id):
        return self.anchor_roots is None or root_id in self.anchor_roots

    def fetch_trees(self, ids):
        roots = {self.root_id(self.by_id[i]) for i in ids} | set(ids)
        for rp in self.rps:
            if rp.id not in self.summaries and self.root_id(rp) in roots:
                self.summaries[rp.id] = rp

    def with_resource(self, rc, amount, tree_root):
        out = set()
        root_of = self.root_of
        for rp in self.rps:
            inv = rp.inventories.get(rc)
            if inv is None:
                continue
            root = root_of[rp.id]
            if tree_root is not None and root != tree_root:
                continue
            room = (inv['total'] - inv['reserved']) * inv['allocation_ratio']
            if (rp.usage.get(rc, 0) + amount <= room and inv['min_unit'] <= amount
                    <= inv['max_unit'] and amount % inv['step_size'] == 0):
                out.add((rp.id, root))
        return out

    def matching_aggregates(self, member_of):
        out = set()
        for rp in self.rps:
            if all(not rp.aggregates.isdisjoint(any_of) for any_of in member_of):
                out.add(rp.id)
        return out

    def anchors_for_sharing(self, rp_ids):
        """{(sharing rp id, anchor root id)}: roots of trees sharing an aggregate with it."""
        out = set()
        for rp_id in rp_ids:
            aggs = self.by_id[rp_id].aggregates
            if not aggs:
                continue
            for other in self.rps:
                if not aggs.isdisjoint(other.aggregates):
                    out.add((rp_id, self.root_id(other)))
        return out


class CandidatesMixin:
    """Allocation candidate search of `Placement`."""

    def allocation_candidates(self, groups, group_policy=None, limit=None, root_required=None,
                              root_forbidden=None, same_subtrees=None, nested_aware=True):
        """Candidates for `groups`: {suffix: {'resources': {rc: n}, 'required_traits':
        [any-of collections], 'forbidden_traits', 'member_of': [any-of lists],
        'forbidden_aggs', 'in_tree'}} ('' is the unsuffixed group), in request order.

        Returns {'allocation_requests': [{'allocations': {rp: {'resources'}}, 'mappings':
        {suffix: [rp]}}], 'provider_summaries': {rp: {'resources': {rc: {'capacity',
        'used'}}, 'traits', 'parent_provider_uuid', 'root_provider_uuid'}}} (the 1.34+
        shape; summaries list every class). `nested_aware=False` is the search before 1.29.
        """
        if self.faults.active:
            self._read_fault('allocation_candidates', ())
        if not groups:
            raise exc.BadRequest('At least one request group (`resources` or '
                                 '`resources{$S}`) is required.')
        if not group_policy and sum(1 for s in groups if s) > 1:
            raise exc.BadRequest('The "group_policy" parameter is required when specifying '
                                 'more than one "resources{N}" parameter.')
        search = _Search(self, group_policy, limit, nested_aware, same_subtrees)
        try:
            self._anchor_filter(search, root_required, root_forbidden)
            requests = self._search_groups(search, groups)
        except _Empty:
            return {'allocation_requests': [], 'provider_summaries': {}}
        return self._candidates_body(search, requests)

    # ------------------------------------------------------------- set-up

    def _check_trait_names(self, names):
        for name in sorted(names):
            if name not in self._traits:
                raise exc.BadRequest('No such trait(s): %s.' % name)

    def _anchor_filter(self, search, required, forbidden):
        if not (required or forbidden):
            return
        self._check_trait_names(required or ())
        self._check_trait_names(forbidden or ())
        required = set(required or ())
        forbidden = set(forbidden or ())
        search.anchor_roots = {rp.id for rp in search.rps if rp.parent is None
                               and required <= rp.traits and rp.traits.isdisjoint(forbidden)}
        if not search.anchor_roots:
            raise _Empty()

    def _prepare_group(self, search, suffix, spec):
        group = _Group(suffix, spec)
        for rc in group.resources:
            if rc not in self._rcs:
                raise exc.BadRequest('Invalid resource class in resources parameter: No such '
                                     'resource class %s.' % rc)
        if group.member_of:
            group.rps_in_aggs = search.matching_aggregates(group.member_of)
            if not group.rps_in_aggs:
                raise _Empty()
        for any_of in group.required:
            self._check_trait_names(any_of)
        self._check_trait_names(group.forbidden)
        if group.in_tree:
            tree_rp = self._rps.get(group.in_tree)
            if tree_rp is None:
                raise _Empty()
            group.tree_root = search.root_id(tree_rp)
        for rc, amount in group.resources.items():
            found = search.with_resource(rc, amount, group.tree_root)
            if not found:
                raise _Empty()
            group.with_resource[rc] = found
        return group

    def _search_groups(self, search, groups):
        by_suffix = {}
        for suffix, spec in groups.items():
            group = self._prepare_group(search, suffix, spec)
            for rc, amount in group.resources.items():
                if rc in search.rcs_amounts:
                    search.multi_group_rcs.add(rc)
                search.rcs_amounts[rc] = search.rcs_amounts.get(rc, 0) + amount
            found = self._one_group(search, group)
            if not found:
                raise _Empty()
            for areq in found:
                areq.use_same_provider = group.use_same_provider
            by_suffix[suffix] = found
        return self._merge(search, by_suffix)

    def _one_group(self, search, group):
        if not group.use_same_provider and (search.sharing or search.has_trees):
            if group.required:
                wanted = set().union(*group.required)
                if not any(not rp.traits.isdisjoint(wanted) for rp in search.rps):
                    return []
            return self._multiple_providers(search, group, self._trees_matching_all(
                search, group))
        return self._single_provider(search, group, self._providers_matching(search, group))

    # ------------------------------------------------- single-provider path

    @staticmethod
    def _bad_ids(search, group):
        bad = set()
        if group.forbidden_aggs:
            bad |= search.matching_aggregates([group.forbidden_aggs])
        if group.forbidden:
            bad |= {rp.id for rp in search.rps if not rp.traits.isdisjoint(group.forbidden)}
        return bad

    def _providers_matching(self, search, group):
        """[(rp id, root id)] of single providers meeting the whole group."""
        filtered = set()
        if group.required:
            filtered = {rp.id for rp in search.rps
                        if all(not rp.traits.isdisjoint(a) for a in group.required)}
            if not filtered:
                return []
        if group.member_of:
            filtered = filtered & group.rps_in_aggs if filtered else set(group.rps_in_aggs)
            if not filtered:
                return []
        forbidden = self._bad_ids(search, group)
        if filtered and forbidden:
            filtered -= forbidden
            if not filtered:
                return []
        provs = set()
        first = True
        for rc in group.resources:
            provs = group.with_resource[rc]
            ids = {pair[0] for pair in provs}
            if first:
                first = False
                filtered = filtered & ids if filtered else ids - forbidden
            else:
                filtered &= ids
            if not filtered:
                return []
        if not group.resources:
            provs = {(rp.id, search.root_id(rp)) for rp in search.rps
                     if (not filtered or rp.id in filtered) and rp.id not in forbidden}
        return sorted(pair for pair in provs if pair[0] in filtered)

    def _single_provider(self, search, group, pairs):
        if not pairs:
            return []
        search.fetch_trees({root for _rp, root in pairs})
        out = []
        for rp_id, root_id in pairs:
            rp = search.by_id[rp_id]
            rrs = [(rp, rc, amount) for rc, amount in group.resources.items()]
            if search.in_anchors(root_id):
                out.append(_Request(rrs, rp.root, {group.suffix: {rp.uuid}}))
            if SHARING_TRAIT in rp.traits:
                for _sp, anchor_id in sorted(search.anchors_for_sharing([rp_id])):
                    if anchor_id == root_id or not search.in_anchors(anchor_id):
                        continue
                    out.append(_Request(rrs, search.by_id[anchor_id].uuid,
                                        {group.suffix: {rp.uuid}}))
        return out

    # ---------------------------------------------------- multi-provider path

    def _trees_matching_all(self, search, group):
        """{(rp id, anchor root id, rc id)} of providers in trees able to meet the group.

        Built with the same set operations as placement's RPCandidateList, so that iterating
        it visits the trees in the same order as the real service (this decides which anchor
        keeps a candidate that several trees share).
        """
        bad_aggs = (search.matching_aggregates([group.forbidden_aggs])
                    if group.forbidden_aggs else set())
        cands = set()
        for rc in group.resources:
            rc_id = self._rcs[rc]
            rc_cands = set((pair[0], pair[1], rc_id) for pair in group.with_resource[rc])
            sharing = search.sharing
            if group.rps_in_aggs:
                sharing &= group.rps_in_aggs
            sharing = sharing & {pair[0] for pair in group.with_resource[rc]}
            if sharing and group.tree_root is None:
                anchors = set(sorted(search.anchors_for_sharing(sharing)))
                rc_cands |= set((sp, anchor, rc_id) for sp, anchor in anchors)
            if search.anchor_roots:
                rc_cands = set(c for c in rc_cands if c[1] in search.anchor_roots)
                if not rc_cands:
                    return set()
            if group.member_of:
                rc_cands = set(c for c in rc_cands
                               if c[0] in group.rps_in_aggs or c[1] in group.rps_in_aggs)
                if not rc_cands:
                    return set()
            if group.forbidden_aggs:
                rc_cands = set(c for c in rc_cands
                               if c[0] not in bad_aggs and c[1] not in bad_aggs)
                if not rc_cands:
                    return set()
            if not cands:
                cands = rc_cands
            elif rc_cands:
                both = set(c[1] for c in cands) & set(c[1] for c in rc_cands)
                cands |= rc_cands
                cands = set(c for c in cands if c[1] in both)
            if not cands:
                return set()
        if (not group.required and not group.forbidden) or search.sharing:
            return cands
        keep = self._trees_with_traits(search, set(c[0] for c in cands), group)
        return set(c for c in cands if (c[0], c[1]) in keep)

    @staticmethod
    def _trees_with_traits(search, rp_ids, group):
        original = {i: search.root_id(search.by_id[i]) for i in rp_ids}
        good = {i: root for i, root in original.items()
                if search.by_id[i].traits.isdisjoint(group.forbidden)}
        if not group.required:
            good_roots = set(good.values())
            return {(i, root) for i, root in original.items() if root in good_roots}
        root_traits = {}
        for i, root in good.items():
            traits = search.by_id[i].traits
            if traits:
                root_traits.setdefault(root, set()).update(traits)
        out = set()
        for root, traits in root_traits.items():
            if all(not traits.isdisjoint(any_of) for any_of in group.required):
                out |= {(i, r) for i, r in original.items() if r == root}
        return out

    def _multiple_providers(self, search, group, cands):
        if not cands:
            return []
        search.fetch_trees(set(c[0] for c in cands) | set(c[1] for c in cands))
        trees = {}
        for rp_id, root_id, rc_id in cands:      # placement's visiting order, see above
            trees.setdefault(root_id, {}).setdefault(rc_id, []).append(search.by_id[rp_id])
        names = {rc_id: rc for rc, rc_id in self._rcs.items()}
        kept = {}
        for root_id, by_rc in trees.items():
            rc_ids = sorted(by_rc)
            for combo in itertools.product(*[by_rc[rc_id] for rc_id in rc_ids]):
                if not self._traits_ok(combo, group):
                    continue
                rrs = [(rp, names[rc_id], group.resources[names[rc_id]])
                       for rp, rc_id in zip(combo, rc_ids)]
                areq = _Request(rrs, search.by_id[root_id].uuid,
                                {group.suffix: {rp.uuid for rp in combo}})
                # equal requests from different trees: the first tree visited keeps it
                kept.setdefault(areq.key(), (root_id, len(kept), areq))
                if len(kept) > MAX_CANDIDATES:
                    raise exc.BadRequest('Too many allocation candidates (limit %d); narrow '
                                         'the request.' % MAX_CANDIDATES)
        return [entry[2] for entry in sorted(kept.values(), key=lambda e: (e[0], e[1]))]

    @staticmethod
    def _traits_ok(combo, group):
        have = set()
        for rp in combo:
            if not rp.traits.isdisjoint(group.forbidden):
                return False
            have |= rp.traits
        return all(not have.isdisjoint(any_of) for any_of in group.required)

    # ------------------------------------------------------------- merging

    def _merge(self, search, by_suffix):
        by_anchor = {}
        for suffix, areqs in by_suffix.items():
            for areq in areqs:
                by_anchor.setdefault(areq.anchor, {}).setdefault(suffix, []).append(areq)
        all_suffixes = set(by_suffix)
        granular = len(all_suffixes - {''})
        if len(by_suffix) == 1:
            return self._merge_one(search, by_anchor)
        out = {}
        for anchor in sorted(by_anchor, key=lambda u: search.by_uuid[u].id):
            lists = by_anchor[anchor]
            if set(lists) != all_suffixes or not self._overall_capacity(search, lists):
                continue
            for combo in itertools.product(*lists.values()):
                if not _group_policy_ok(combo, search.group_policy, granular):
                    continue
                if not _same_subtree_ok(combo, search):
                    continue
                areq = _consolidate(combo)
                if _exceeds_capacity(areq):
                    continue
                out.setdefault(areq.key(), areq)
                if len(out) > MAX_CANDIDATES:
                    raise exc.BadRequest('Too many allocation candidates (limit %d); narrow '
                                         'the request.' % MAX_CANDIDATES)
        return list(out.values())

    @staticmethod
    def _merge_one(search, by_anchor):
        """One group: each request stands alone (policy and same_subtree cannot refuse it)."""
        out = {}
        for anchor in sorted(by_anchor, key=lambda u: search.by_uuid[u].id):
            for areq in next(iter(by_anchor[anchor].values())):
                if not _exceeds_capacity(areq):
                    out.setdefault(areq.key(), areq)
        return list(out.values())

    @staticmethod
    def _overall_capacity(search, lists):
        if not search.multi_group_rcs:
            return True
        rps = {}
        for areqs in lists.values():
            for areq in areqs:
                for rp, _rc, _amount in areq.rrs:
                    rps[rp.id] = rp
        for rc in search.multi_group_rcs:
            available = sum(capacity(rp.inventories[rc]) for rp in rps.values()
                            if rc in rp.inventories)
            if search.rcs_amounts[rc] > available:
                return False
        return True

    # ------------------------------------------------------------ the body

    def _candidates_body(self, search, requests):
        if not search.nested_aware and search.has_trees:
            kept = []
            for areq in requests:
                roots = {}
                for rp, _rc, _amount in areq.rrs:
                    roots[rp.uuid] = rp.root
                if len(roots) == len(set(roots.values())):
                    kept.append(areq)
            requests = kept
            used = {rp.uuid for areq in requests for rp, _rc, _a in areq.rrs}
            summary_filter = used.__contains__
        else:
            summary_filter = None
        if search.limit and search.limit < len(requests):
            requests = requests[:search.limit]
        roots = {rp.root for areq in requests for rp, _rc, _a in areq.rrs}
        summaries = {}
        for rp_id in sorted(search.summaries):
            rp = search.summaries[rp_id]
            if rp.root not in roots or (summary_filter and not summary_filter(rp.uuid)):
                continue
            usage = rp.usage
            summaries[rp.uuid] = {
                'resources': {rc: {'capacity': int((inv['total'] - inv['reserved'])
                                                   * inv['allocation_ratio']),
                                   'used': usage.get(rc, 0)}
                              for rc, inv in rp.inventories.items()},
                'traits': self._trait_order(rp.traits),
                'parent_provider_uuid': rp.parent,
                'root_provider_uuid': rp.root,
            }
        body = []
        for areq in requests:
            allocs = {}
            for rp, rc, amount in areq.rrs:
                allocs.setdefault(rp.uuid, {'resources': {}})['resources'][rc] = amount
            body.append({'allocations': allocs,
                         'mappings': {s: sorted(u) for s, u in areq.mappings.items()}})
        return {'allocation_requests': body, 'provider_summaries': summaries}


def _group_policy_ok(combo, policy, granular):
    if policy != 'isolate':
        return True
    used = set()
    for areq in combo:
        if areq.use_same_provider:
            used |= next(iter(areq.mappings.values()))
    return len(used) == granular


def _same_subtree_ok(combo, search):
    for suffixes in search.same_subtrees:
        uuids = set()
        for areq in combo:
            for suffix in suffixes:
                uuids |= areq.mappings.get(suffix) or set()
        if len(uuids) <= 1:
            continue
        common = None
        for uuid in uuids:
            ancestors = set()
            node = uuid
            while node is not None:
                ancestors.add(node)
                node = search.by_uuid[node].parent
            common = ancestors if common is None else common & ancestors
        if not common & uuids:
            return False
    return True


def _consolidate(combo):
    amounts = {}
    rps = {}
    mappings = {}
    for areq in combo:
        for rp, rc, amount in areq.rrs:
            key = (rp.id, rc)
            amounts[key] = amounts.get(key, 0) + amount
            rps[key] = rp
        for suffix, uuids in areq.mappings.items():
            mappings.setdefault(suffix, set()).update(uuids)
    rrs = [(rps[key], key[1], amount) for key, amount in amounts.items()]
    return _Request(rrs, combo[0].anchor, mappings)


def _exceeds_capacity(areq):
    for rp, rc, amount in areq.rrs:
        inv = rp.inventories[rc]
        if (rp.usage.get(rc, 0) + amount
                > int((inv['total'] - inv['reserved']) * inv['allocation_ratio'])
                or amount > inv['max_unit']):
            return True
    return False
