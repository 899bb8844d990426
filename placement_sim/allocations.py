"""Allocations and consumers: PUT/POST/GET/DELETE with consumer generations.

The write follows placement's `ensure_consumer` and `_set_allocations`: consumer generation
checks (in request order), provider existence, resource class lookup, then the capacity and
min/max/step checks per allocation with the running sum over the request's consumers; only
when everything passes is anything changed, so a failed write leaves no trace. A successful
write bumps the generation of every provider named in the request (including providers that
only lose allocations) and of every consumer that had an allocation row in it, then deletes
consumers left without allocations.
"""

import uuid as uuidlib

from placement_sim import exceptions as exc
from placement_sim.records import Consumer, INCOMPLETE_CONSUMER_ID

_NO_CHECK = object()


def _canonical_consumer(consumer_uuid):
    try:
        return str(uuidlib.UUID(consumer_uuid))
    except (TypeError, ValueError, AttributeError):
        raise exc.BadRequest('Malformed consumer_uuid: %s' % (consumer_uuid,))


def _check_resources(rp_uuid, resources):
    if not isinstance(resources, dict) or not resources:
        raise exc.BadRequest("Allocation for resource provider '%s' needs a non-empty "
                             "'resources' dict of {resource class: amount}." % rp_uuid)
    for rc, amount in resources.items():
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise exc.BadRequest("Allocation of %s on resource provider '%s' must be an "
                                 "integer of at least 1, got %r." % (rc, rp_uuid, amount))


def check_shapes(entries):
    """Reject malformed bodies before anything is looked up (the real JSON schema step)."""
    for cu, allocs, _project, _user, _gen, _ctype in entries:
        if not isinstance(allocs, dict):
            raise exc.BadRequest('Allocations of consumer %s must be a dict keyed by resource '
                                 'provider uuid.' % cu)
        for rp_uuid, body in allocs.items():
            _check_resources(rp_uuid, body.get('resources') if isinstance(body, dict) else None)


class AllocationsMixin:
    """Allocation operations of `Placement`."""

    # ----------------------------------------------------------------- reads

    def get_allocations(self, consumer_uuid):
        """The consumer's allocations as GET /allocations/{c} shows them at 1.38+.

        A consumer without allocations gives only {'allocations': {}}, like the real service.
        """
        if self.faults.active:
            self._read_fault('get_allocations', (consumer_uuid,))
        consumer = self._consumers.get(consumer_uuid)
        if consumer is None or not consumer.allocations:
            return {'allocations': {}}
        rps = self._rps
        return {
            'allocations': {rp: {'resources': dict(res), 'generation': rps[rp].generation}
                            for rp, res in consumer.allocations.items()},
            'project_id': consumer.project_id,
            'user_id': consumer.user_id,
            'consumer_generation': consumer.generation,
            'consumer_type': consumer.consumer_type or 'unknown',
        }

    def get_consumer_generation(self, consumer_uuid):
        """The stored consumer generation, or None when there is no consumer record.

        Unlike get_allocations this also sees a consumer without allocations (the record
        that PUT {} with a null generation leaves behind).
        """
        consumer = self._consumers.get(consumer_uuid)
        return None if consumer is None else consumer.generation

    def get_provider_allocations(self, rp_uuid):
        """{consumer: {'resources': {rc: n}, 'consumer_generation': g}} on one provider."""
        if self.faults.active:
            self._read_fault('get_provider_allocations', ())
        rp = self._rps.get(rp_uuid)
        if rp is None:
            raise exc.NotFound("Resource provider '%s' not found: No resource provider with "
                               "uuid %s found" % (rp_uuid, rp_uuid))
        consumers = self._consumers
        return {c: {'resources': dict(res), 'consumer_generation': consumers[c].generation}
                for c, res in rp.allocs.items()}

    # ---------------------------------------------------------------- writes

    def put_allocations(self, consumer_uuid, allocations, project_id=None, user_id=None,
                        consumer_generation=None, consumer_type=None,
                        check_consumer_generation=True):
        """Replace one consumer's allocations (PUT /allocations/{consumer}).

        `allocations` is {rp_uuid: {'resources': {rc: amount}}} (a 'generation' key there is
        ignored); {} removes them. `consumer_generation` is None for a new consumer.
        `check_consumer_generation=False` gives the behaviour below microversion 1.28;
        `project_id=None` the one below 1.8 (the incomplete-consumer ids are used);
        `consumer_type=None` leaves an existing consumer's type alone (below 1.38).
        """
        consumer_uuid = _canonical_consumer(consumer_uuid)
        entries = ((consumer_uuid, allocations, project_id, user_id, consumer_generation,
                    consumer_type),)
        if self.faults.active:
            return self._with_faults('put_allocations', (consumer_uuid,), self._write,
                                     entries, check_consumer_generation, False)
        return self._write(entries, check_consumer_generation, False)

    def post_allocations(self, request, check_consumer_generation=True):
        """Replace the allocations of several consumers atomically (POST /allocations).

        `request` is {consumer_uuid: {'allocations': {...}, 'project_id', 'user_id',
        'consumer_generation', 'consumer_type'?}}; all are written or none.
        """
        if not isinstance(request, dict) or not request:
            raise exc.BadRequest('post_allocations needs a non-empty dict of consumers.')
        entries = []
        for consumer_uuid, body in request.items():
            if not isinstance(body, dict) or 'allocations' not in body:
                raise exc.BadRequest("Consumer %s needs a dict with 'allocations'."
                                     % consumer_uuid)
            entries.append((consumer_uuid, body['allocations'], body.get('project_id'),
                            body.get('user_id'), body.get('consumer_generation'),
                            body.get('consumer_type')))
        if self.faults.active:
            return self._with_faults('post_allocations', tuple(request), self._write,
                                     entries, check_consumer_generation, True)
        return self._write(entries, check_consumer_generation, True)

    def delete_allocations(self, consumer_uuid):
        """Remove all of a consumer's allocations, unchecked; no provider generation bump."""
        if self.faults.active:
            return self._with_faults('delete_allocations', (consumer_uuid,),
                                     self._delete_allocations, consumer_uuid)
        return self._delete_allocations(consumer_uuid)

    def _delete_allocations(self, consumer_uuid):
        consumer = self._consumers.get(consumer_uuid)
        if consumer is None or not consumer.allocations:
            raise exc.NotFound("No allocations for consumer '%s'" % consumer_uuid)
        self._drop_consumer_allocations(consumer)
        del self._consumers[consumer_uuid]
        self.revision += 1

    def _drop_consumer_allocations(self, consumer):
        rps = self._rps
        cu = consumer.uuid
        for rp_uuid, res in consumer.allocations.items():
            rp = rps[rp_uuid]
            usage = rp.usage
            for rc, amount in res.items():
                left = usage[rc] - amount
                if left:
                    usage[rc] = left
                else:
                    del usage[rc]
            del rp.allocs[cu]
        consumer.allocations = {}

    def _write(self, entries, check_gen, post):
        """Validate the whole request, then apply it; see the module docstring."""
        check_shapes(entries)
        created = self._ensure_consumers(entries, check_gen)
        rows = self._allocation_rows(entries, created)
        self._check_rows(rows, entries, 'post' if post else 'put')
        self._apply(entries, rows, created)

    def _ensure_consumers(self, entries, check_gen):
        """Consumer generation checks in request order; {uuid: None} of new consumers."""
        consumers = self._consumers
        created = {}
        for cu, _allocs, _project, _user, gen, _ctype in entries:
            consumer = consumers.get(cu)
            if consumer is not None:
                if check_gen and consumer.generation != gen:
                    raise exc.Conflict('consumer generation conflict - expected %s but got %s'
                                       % (consumer.generation, gen),
                                       code=exc.CONCURRENT_UPDATE)
            else:
                if check_gen and gen is not None:
                    raise exc.Conflict('consumer generation conflict - expected null but '
                                       'got %s' % (gen,), code=exc.CONCURRENT_UPDATE)
                created[cu] = None
        return created

    def _allocation_rows(self, entries, created):
        """[(consumer, rp, rc, amount)] in request order; amount 0 marks a removal."""
        rps = self._rps
        rows = []
        for cu, allocs, _p, _u, _g, _t in entries:
            if allocs:
                for rp_uuid in allocs:
                    if rp_uuid not in rps:
                        self._leave_ghosts(entries, created)
                        raise exc.BadRequest("Allocation for resource provider '%s' that does "
                                             "not exist." % rp_uuid)
                for rp_uuid, body in allocs.items():
                    for rc, amount in body['resources'].items():
                        rows.append((cu, rp_uuid, rc, amount))
            elif cu not in created:
                for rp_uuid, res in self._consumers[cu].allocations.items():
                    for rc in res:
                        rows.append((cu, rp_uuid, rc, 0))
        return rows

    def _leave_ghosts(self, entries, created):
        """What placement leaves behind when a write fails on an unknown provider: the
        consumer records it created before looking the providers up (generation 0)."""
        for cu, _allocs, project_id, user_id, _gen, ctype in entries:
            if cu in created:
                if project_id is None:
                    project_id = user_id = INCOMPLETE_CONSUMER_ID
                self._consumers[cu] = Consumer(cu, project_id, user_id, ctype)
                self.revision += 1

    def _check_rows(self, rows, entries, mode):
        """Class names, then inventory presence, then min/max/step and capacity per row."""
        if not rows:
            return
        self._check_classes(rows, mode)
        row_rcs = {row[2] for row in rows}
        missing = sorted({row[1] for row in rows
                          if row_rcs.isdisjoint(self._rps[row[1]].inventories)})
        if missing:
            raise self._invalid_inventory(', '.join(self._rc_sort(row_rcs)), ', '.join(missing))
        self._check_capacity(rows, self._removed_usage(entries))

    def _check_classes(self, rows, mode):
        rcs = self._rcs
        for cu, _rp, rc, _amount in rows:
            if rc not in rcs:
                if mode == 'post':
                    raise exc.BadRequest('Unable to allocate inventory No such resource class '
                                         '%s.' % rc)
                if mode == 'reshape':
                    raise exc.BadRequest('malformed reshaper data: No such resource class %s.'
                                         % rc)
                raise exc.BadRequest('Unable to allocate inventory for consumer %s: No such '
                                     'resource class %s.' % (cu, rc))

    def _removed_usage(self, entries):
        """{(rp, rc): amount} the request's consumers hold now (replaced by the write)."""
        removed = {}
        for cu in {entry[0] for entry in entries}:
            consumer = self._consumers.get(cu)
            if consumer is None:
                continue
            for rp_uuid, res in consumer.allocations.items():
                for rc, amount in res.items():
                    key = (rp_uuid, rc)
                    removed[key] = removed.get(key, 0) + amount
        return removed

    def _check_capacity(self, rows, removed):
        """placement's _check_capacity_exceeded: per row, with the running sum per (rp, rc);
        an over-capacity result passes when it is no worse than the usage before."""
        rps = self._rps
        running = {}
        for _cu, rp_uuid, rc, amount in rows:
            key = (rp_uuid, rc)
            needed_all = running.get(key, 0) + amount
            running[key] = needed_all
            if not amount:
                continue
            rp = rps[rp_uuid]
            inv = rp.inventories.get(rc)
            if inv is None:
                raise self._invalid_inventory(rc, rp_uuid)
            if (amount < inv['min_unit'] or amount > inv['max_unit']
                    or amount % inv['step_size']):
                raise exc.Conflict("Unable to allocate inventory: Unable to create allocation "
                                   "for '%s' on resource provider '%s'. The requested amount "
                                   "would violate inventory constraints." % (rc, rp_uuid))
            prev_used = rp.usage.get(rc, 0)
            used = prev_used - removed.get(key, 0)
            cap = (inv['total'] - inv['reserved']) * inv['allocation_ratio']
            if (cap < used + amount or cap < used + needed_all) and not (
                    prev_used and used + needed_all <= prev_used):
                raise exc.Conflict("Unable to allocate inventory: Unable to create allocation "
                                   "for '%s' on resource provider '%s'. The requested amount "
                                   "would exceed the capacity." % (rc, rp_uuid))

    @staticmethod
    def _invalid_inventory(rc_text, rp_text):
        return exc.Conflict("Unable to allocate inventory: Inventory for '%s' on resource "
                            "provider '%s' invalid." % (rc_text, rp_text))

    def _apply(self, entries, rows, created):
        consumers = self._consumers
        rps = self._rps
        for cu, _allocs, project_id, user_id, _gen, ctype in entries:
            if project_id is None:
                project_id = user_id = INCOMPLETE_CONSUMER_ID
            consumer = consumers.get(cu)
            if consumer is None:
                consumers[cu] = Consumer(cu, project_id, user_id, ctype)
                continue
            if consumer.allocations and rows:
                self._drop_consumer_allocations(consumer)
            consumer.project_id = project_id
            consumer.user_id = user_id
            if ctype is not None:
                consumer.consumer_type = ctype
        touched_rps = {}
        touched_consumers = {}
        for cu, rp_uuid, rc, amount in rows:
            touched_rps[rp_uuid] = None
            touched_consumers[cu] = None
            if not amount:
                continue
            rp = rps[rp_uuid]
            consumer = consumers[cu]
            res = consumer.allocations.get(rp_uuid)
            if res is None:
                res = consumer.allocations[rp_uuid] = {}
                rp.allocs[cu] = res
            res[rc] = amount
            rp.usage[rc] = rp.usage.get(rc, 0) + amount
        for rp_uuid in touched_rps:
            rps[rp_uuid].generation += 1
        for cu in touched_consumers:
            consumer = consumers[cu]
            consumer.generation += 1
            if not consumer.allocations:
                del consumers[cu]
        self.revision += 1
