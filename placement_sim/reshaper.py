"""The reshaper (POST /reshaper, 1.30+): move inventory and allocations in one step.

As in placement: the providers' inventories are first widened (new records added or
replacing old ones, nothing removed), then the allocations are replaced as POST /allocations
would, then each provider's inventory is set to exactly what was given. All or nothing.
Each inventory step bumps the provider generation; the allocation step bumps every provider
it names.
"""

from placement_sim import exceptions as exc
from placement_sim.allocations import check_shapes
from placement_sim.inventories import make_inventory
from placement_sim.records import Consumer


class ReshaperMixin:
    """The reshape operation of `Placement`."""

    def reshape(self, inventories, allocations, check_consumer_generation=True):
        """inventories: {rp: {'resource_provider_generation': g, 'inventories': {rc: {...}}}};
        allocations: a post_allocations body (may be {})."""
        if self.faults.active:
            return self._with_faults('reshape', tuple(allocations or ()), self._reshape,
                                     inventories, allocations, check_consumer_generation)
        return self._reshape(inventories, allocations, check_consumer_generation)

    def _reshape(self, inventories, allocations, check_gen):
        new_inventories = {}
        for rp_uuid, body in inventories.items():
            rp = self._rps.get(rp_uuid)
            if rp is None:
                raise exc.BadRequest('Resource provider %s in inventories not found: No '
                                     'resource provider with uuid %s found'
                                     % (rp_uuid, rp_uuid),
                                     code=exc.RESOURCE_PROVIDER_NOT_FOUND)
            given = body.get('resource_provider_generation')
            if given != rp.generation:
                raise exc.Conflict('resource provider generation conflict for provider %s: '
                                   'actual: %s, given: %s' % (rp_uuid, rp.generation, given),
                                   code=exc.CONCURRENT_UPDATE)
            new_inventories[rp_uuid] = {rc: make_inventory(rc, fields) for rc, fields in
                                        (body.get('inventories') or {}).items()}
        entries = [(cu, b['allocations'], b.get('project_id'), b.get('user_id'),
                    b.get('consumer_generation'), b.get('consumer_type'))
                   for cu, b in (allocations or {}).items()]
        check_shapes(entries)
        created = self._ensure_consumers(entries, check_gen)
        rows = self._allocation_rows(entries, created)
        saved = self._snapshot()
        try:
            for rp_uuid, records in new_inventories.items():
                if records:
                    merged = dict(self._rps[rp_uuid].inventories)
                    merged.update(records)
                    self._replace_inventory(rp_uuid, merged)
            self._check_rows(rows, entries, 'reshape')
            self._apply(entries, rows, created)
            for rp_uuid, records in new_inventories.items():
                self._replace_inventory(rp_uuid, records)
        except exc.PlacementError:
            self._restore(saved)
            raise

    def _replace_inventory(self, rp_uuid, records):
        rp = self._rps[rp_uuid]
        for rc in records:
            if rc not in self._rcs:
                raise exc.BadRequest('malformed reshaper data: No such resource class %s.' % rc)
        in_use = self._in_use_message(rp, [rc for rc in rp.inventories if rc not in records])
        if in_use:
            raise exc.Conflict('update conflict: ' + in_use, code=exc.INVENTORY_INUSE)
        rp.inventories = {rc: dict(records[rc]) for rc in self._rc_sort(records)}
        rp.generation += 1
        self.revision += 1

    def _snapshot(self):
        rps = {u: (rp.generation, rp.inventories) for u, rp in self._rps.items()}
        consumers = {u: (c.generation, c.project_id, c.user_id, c.consumer_type,
                         {rp: dict(res) for rp, res in c.allocations.items()})
                     for u, c in self._consumers.items()}
        return rps, consumers

    def _restore(self, saved):
        rps, consumers = saved
        for uuid, (generation, inventories) in rps.items():
            rp = self._rps[uuid]
            rp.generation = generation
            rp.inventories = inventories
            rp.usage = {}
            rp.allocs = {}
        self._consumers = {}
        for uuid, (generation, project, user, ctype, allocs) in consumers.items():
            consumer = Consumer(uuid, project, user, ctype)
            consumer.generation = generation
            consumer.allocations = allocs
            self._consumers[uuid] = consumer
            for rp_uuid, res in allocs.items():
                rp = self._rps[rp_uuid]
                rp.allocs[uuid] = res
                for rc, amount in res.items():
                    rp.usage[rc] = rp.usage.get(rc, 0) + amount
