"""Usages: per provider (every class with inventory) and per project/user/consumer type."""

from placement_sim import exceptions as exc

UNKNOWN_TYPE = 'unknown'


class UsagesMixin:
    """Usage reads of `Placement`."""

    def get_usages(self, rp_uuid):
        """{rc: used} for every class the provider has inventory of (0 when unused)."""
        if self.faults.active:
            self._read_fault('get_usages', ())
        rp = self._rps.get(rp_uuid)
        if rp is None:
            raise exc.NotFound('No resource provider with uuid %s found: No resource provider '
                               'with uuid %s found' % (rp_uuid, rp_uuid))
        usage = rp.usage
        return {rc: usage.get(rc, 0) for rc in rp.inventories}

    def get_total_usages(self, project_id, user_id=None, consumer_type=None,
                         by_consumer_type=False):
        """Usage summed over a project's (and user's) consumers (GET /usages).

        Without `by_consumer_type` (below 1.38): {rc: amount}. With it: {type: {rc: amount,
        'consumer_count': n}}, where untyped consumers count as 'unknown'; `consumer_type`
        filters: a type name, 'all' (one group named 'all') or 'unknown'.
        """
        if self.faults.active:
            self._read_fault('get_total_usages', ())
        groups = {}
        counts = {}
        for consumer in self._consumers.values():
            if not consumer.allocations or consumer.project_id != project_id:
                continue
            if user_id and consumer.user_id != user_id:
                continue
            if by_consumer_type:
                ctype = consumer.consumer_type or UNKNOWN_TYPE
                if consumer_type == 'all':
                    ctype = 'all'
                elif consumer_type is not None and ctype != consumer_type:
                    continue
                if consumer_type == UNKNOWN_TYPE and consumer.consumer_type is not None:
                    continue
            else:
                ctype = None
            totals = groups.setdefault(ctype, {})
            counts[ctype] = counts.get(ctype, 0) + 1
            for res in consumer.allocations.values():
                for rc, amount in res.items():
                    totals[rc] = totals.get(rc, 0) + amount
        if not by_consumer_type:
            return {rc: n for rc, n in self._sorted_usage(groups.get(None, {}))}
        out = {}
        for ctype in sorted(groups):
            body = dict(self._sorted_usage(groups[ctype]))
            body['consumer_count'] = counts[ctype]
            out[ctype] = body
        return out

    def _sorted_usage(self, totals):
        return [(rc, totals[rc]) for rc in self._rc_sort(totals)]
