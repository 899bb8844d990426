"""Aggregates of a provider (GET/PUT /resource_providers/{u}/aggregates)."""

from placement_sim import exceptions as exc


class AggregatesMixin:
    """Aggregate operations of `Placement`."""

    def get_provider_aggregates(self, rp_uuid):
        """{'aggregates': [uuids, oldest aggregate first], 'resource_provider_generation': g}."""
        if self.faults.active:
            self._read_fault('get_provider_aggregates', ())
        rp = self._rp(rp_uuid)
        return {'aggregates': self._aggregate_order(rp.aggregates),
                'resource_provider_generation': rp.generation}

    def set_provider_aggregates(self, rp_uuid, generation, aggregates):
        """Replace a provider's aggregates.

        With a `generation` (1.19+) it is checked and the provider generation is bumped
        even when nothing changed; `generation=None` is the unchecked, unbumped form of
        1.1-1.18. Returns the body of the response, aggregates as given.
        """
        if self.faults.active:
            return self._with_faults('set_provider_aggregates', (),
                                     self._set_provider_aggregates, rp_uuid, generation,
                                     aggregates)
        return self._set_provider_aggregates(rp_uuid, generation, aggregates)

    def _aggregate_order(self, aggregates):
        ids = self._aggregates
        return sorted(aggregates, key=ids.__getitem__)

    def _set_provider_aggregates(self, rp_uuid, generation, aggregates):
        rp = self._rp(rp_uuid)
        if generation is not None and rp.generation != generation:
            raise exc.Conflict("Resource provider's generation already changed. Please "
                               "update the generation and try again.",
                               code=exc.CONCURRENT_UPDATE)
        aggregates = list(aggregates)
        known = self._aggregates
        for agg in aggregates:
            if agg not in known:
                known[agg] = len(known) + 1
        rp.aggregates = set(aggregates)
        if generation is not None:
            rp.generation += 1
        self.revision += 1
        return {'aggregates': aggregates, 'resource_provider_generation': rp.generation}
