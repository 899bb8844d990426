"""Nova's Placement report client (nova/scheduler/client/report.py), over placement_sim.

Every Placement request is one scheduling point that declares the consumers and providers it
touches, then one call of the Python API. Error handling follows reference §6.2: provider
generation conflicts raise the internal ``Retry`` and ``@retries`` tries 4 times (sleeping 0, 1,
2, 3 virtual seconds: the mean of Nova's random back-off); consumer generation conflicts are
never retried (AllocationUpdateFailed / AllocationMoveFailed / AllocationDeleteFailed); other
non-2xx answers return False; a timeout is a connection failure that ``safe_connect`` turns into
None.
"""

from harness import sim
from harness.nova import exceptions as exc

RETRY_ATTEMPTS = 4


def consumer_key(uuid):
    return "placement:consumer:" + uuid


def provider_key(uuid):
    return "placement:provider:" + uuid


def _is_consumer_conflict(error):
    return (getattr(error, "code", None) == "placement.concurrent_update"
            and "consumer generation conflict" in str(getattr(error, "message", "")))


def _is_concurrent_update(error):
    return getattr(error, "code", None) == "placement.concurrent_update"


def _is_timeout(error):
    return exc.is_kind(error, "Timeout")


def _error_text(error):
    return "%s %s" % (getattr(error, "status", ""), getattr(error, "message", error))


class ReportClient:
    """One report client per service (API, conductor, scheduler, each compute)."""

    def __init__(self, placement, log):
        self.placement = placement
        self._placement_error = _placement_error_class()
        self.log = log

    # -- helpers -----------------------------------------------------------------------------

    def _providers_of(self, consumer):
        """The providers a consumer holds now, for a footprint (no request, no fault count)."""
        public = getattr(self.placement, "consumer_providers", None)
        if public is not None:
            return tuple(public(consumer))
        record = self.placement._consumers.get(consumer)
        return tuple(sorted(record.allocations)) if record is not None else ()

    def _point(self, op, consumers=(), providers=(), write=True):
        keys = tuple(consumer_key(c) for c in consumers) + tuple(
            provider_key(p) for p in sorted(set(providers)))
        faults = getattr(self.placement, "faults", None)
        counted = ("placement-fault:" + op,) if faults is not None and faults.active else ()
        if write:
            return sim.Point("placement." + op, writes=keys + counted)
        return sim.Point("placement." + op, reads=keys, writes=counted)

    def _retrying(self, operation, attempt):
        for retry in range(RETRY_ATTEMPTS):
            if retry:
                yield sim.Sleep(float(retry))
            try:
                return (yield from attempt())
            except exc.Retry as error:
                self.log("debug", "Unable to %s because %s; retrying..." % (
                    error.operation, error.reason))
        self.log("error", "Failed scheduler client operation %s: out of retries" % operation)
        return False

    # -- reads -------------------------------------------------------------------------------

    def get_allocs_for_consumer(self, consumer):
        """GET /allocations/{consumer}: the whole body (allocations, consumer_generation, ...).

        Raises ConnectFailure on a timeout, ConsumerAllocationRetrievalFailed on an error.
        """
        yield self._point("get_allocations", (consumer,), self._providers_of(consumer), False)
        try:
            body = self.placement.get_allocations(consumer)
        except self._placement_error as error:
            if _is_timeout(error):
                raise ConnectFailure("GET /allocations/%s timed out" % consumer) from error
            raise exc.ConsumerAllocationRetrievalFailed(
                consumer_uuid=consumer, error=_error_text(error)) from error
        return {"allocations": body.get("allocations") or {},
                "consumer_generation": body.get("consumer_generation"),
                "project_id": body.get("project_id"), "user_id": body.get("user_id")}

    def get_allocations_for_consumer(self, consumer):
        """The legacy getter: the allocations dict; None on a timeout, {} on an error."""
        try:
            body = yield from self.get_allocs_for_consumer(consumer)
        except ConnectFailure as error:
            self.log("warning", "Failed to get allocations for consumer %s: %s"
                     % (consumer, error))
            return None
        except exc.ConsumerAllocationRetrievalFailed as error:
            self.log("warning", exc.fault_message(error))
            return {}
        return body["allocations"]

    def get_allocations_for_resource_provider(self, rp_uuid):
        """GET /resource_providers/{rp}/allocations -> {consumer: {"resources": ...}}."""
        yield self._point("get_provider_allocations", (), (rp_uuid,), False)
        try:
            return self.placement.get_provider_allocations(rp_uuid)
        except self._placement_error as error:
            if _is_timeout(error):
                raise ConnectFailure("GET allocations of %s timed out" % rp_uuid) from error
            raise exc.ResourceProviderAllocationRetrievalFailed(
                rp_uuid=rp_uuid, error=_error_text(error)) from error

    def get_allocation_candidates(self, resources, all_providers, extra_reads=()):
        """GET /allocation_candidates for one unnumbered group of ``resources``."""
        point = self._point("allocation_candidates", (), all_providers, False)
        yield sim.Point(point.label, reads=point.reads + tuple(extra_reads), writes=point.writes)
        try:
            return allocation_candidates(self.placement, resources)
        except self._placement_error as error:
            self.log("warning", "Failed to retrieve allocation candidates: %s"
                     % _error_text(error))
            return [], {}

    # -- writes ------------------------------------------------------------------------------

    def claim_resources(self, consumer, alloc_request, project_id, user_id,
                        consumer_generation=None):
        """PUT the scheduler's allocation request for a (new) consumer; True on success."""
        def attempt():
            current = yield from self.get_allocs_for_consumer(consumer)
            generation = consumer_generation
            allocations = alloc_request["allocations"]
            if current["allocations"]:
                # A move claim on top of existing allocations (evacuate): double up.
                generation = current["consumer_generation"]
                allocations = _merge(current["allocations"], allocations)
            return (yield from self._put(consumer, allocations, project_id, user_id,
                                         generation, "claim_resources",
                                         exc.AllocationUpdateFailed))
        return (yield from _safe_connect(self, self._retrying("claim_resources", attempt)))

    def put_allocations(self, consumer, allocations, project_id, user_id, consumer_generation):
        def attempt():
            return (yield from self._put(consumer, allocations, project_id, user_id,
                                         consumer_generation, "put_allocations",
                                         exc.AllocationUpdateFailed))
        return (yield from self._retrying("put_allocations", attempt))

    def _put(self, consumer, allocations, project_id, user_id, generation, operation, failure):
        providers = tuple(allocations) + self._providers_of(consumer)
        yield self._point("put_allocations", (consumer,), providers)
        try:
            self.placement.put_allocations(consumer, _strip(allocations), project_id, user_id,
                                           generation)
        except self._placement_error as error:
            if _is_timeout(error):
                self.log("warning", "Placement API timed out during %s" % operation)
                return None
            if _is_consumer_conflict(error):
                reason = ("another process changed the consumer %s after the report client "
                          "read the consumer state during the claim " % consumer)
                raise failure(consumer_uuid=consumer, error=reason) from error
            if _is_concurrent_update(error):
                raise exc.Retry(operation, "another process changed the resource providers "
                                "involved in our attempt to put allocations for consumer %s"
                                % consumer) from error
            self.log("warning", "Unable to submit allocation for consumer %s (%s)"
                     % (consumer, _error_text(error)))
            return False
        return True

    def move_allocations(self, source, target):
        """Move everything ``source`` holds to ``target`` in one POST /allocations."""
        def attempt():
            source_alloc = yield from self.get_allocs_for_consumer(source)
            target_alloc = yield from self.get_allocs_for_consumer(target)
            if target_alloc["allocations"] and not source_alloc["allocations"]:
                self.log("info", "Allocations not found for consumer %s; assuming they were "
                         "already moved to consumer %s" % (source, target))
                return True
            body = {
                source: {"allocations": {}, "project_id": source_alloc["project_id"],
                         "user_id": source_alloc["user_id"],
                         "consumer_generation": source_alloc["consumer_generation"]},
                target: {"allocations": _strip(source_alloc["allocations"]),
                         "project_id": source_alloc["project_id"],
                         "user_id": source_alloc["user_id"],
                         "consumer_generation": target_alloc["consumer_generation"]},
            }
            providers = tuple(source_alloc["allocations"]) + tuple(target_alloc["allocations"])
            yield self._point("post_allocations", (source, target), providers)
            try:
                self.placement.post_allocations(body)
            except self._placement_error as error:
                if _is_timeout(error):
                    self.log("warning", "Placement API timed out during move_allocations")
                    return None
                if _is_consumer_conflict(error):
                    raise exc.AllocationMoveFailed(source_consumer=source, target_consumer=target,
                                                   error=_error_text(error)) from error
                if _is_concurrent_update(error):
                    raise exc.Retry("move_allocations", "another process changed the resource "
                                    "providers involved in our attempt to post allocations for "
                                    "consumer %s" % target) from error
                self.log("warning", "Unable to post allocations for consumer %s (%s)"
                         % (target, _error_text(error)))
                return False
            return True
        return (yield from _safe_connect(self, self._retrying("move_allocations", attempt)))

    def delete_allocation_for_instance(self, uuid, consumer_type="instance", force=False):
        """Delete a consumer's allocations: DELETE (force) or GET + PUT {} with its generation."""
        return (yield from _safe_connect(self, self._delete_allocation(uuid, consumer_type, force)))

    def _delete_allocation(self, uuid, consumer_type, force):
        if force:
            yield self._point("delete_allocations", (uuid,), self._providers_of(uuid))
            try:
                self.placement.delete_allocations(uuid)
            except self._placement_error as error:
                if _is_timeout(error):
                    self.log("warning", "Placement API timed out deleting %s" % uuid)
                    return None
                if getattr(error, "status", None) == 404:
                    return False
                self.log("warning", "Unable to delete allocation for %s %s: (%s)"
                         % (consumer_type, uuid, _error_text(error)))
                raise exc.AllocationDeleteFailed(consumer_uuid=uuid,
                                                 error=_error_text(error)) from error
            self.log("info", "Deleted allocations for %s %s" % (consumer_type, uuid))
            return True
        try:
            current = yield from self.get_allocs_for_consumer(uuid)
        except exc.ConsumerAllocationRetrievalFailed as error:
            raise exc.AllocationDeleteFailed(consumer_uuid=uuid,
                                             error=exc.fault_message(error)) from error
        if not current["allocations"]:
            return False
        yield self._point("put_allocations", (uuid,), tuple(current["allocations"]))
        try:
            self.placement.put_allocations(uuid, {}, current["project_id"], current["user_id"],
                                           current["consumer_generation"])
        except self._placement_error as error:
            if _is_timeout(error):
                self.log("warning", "Placement API timed out deleting %s" % uuid)
                return None
            self.log("warning", "Unable to delete allocation for %s %s: (%s)"
                     % (consumer_type, uuid, _error_text(error)))
            raise exc.AllocationDeleteFailed(consumer_uuid=uuid,
                                             error=_error_text(error)) from error
        self.log("info", "Deleted allocation for %s %s" % (consumer_type, uuid))
        return True

    def set_inventory(self, rp_uuid, inventory):
        """PUT /resource_providers/{rp}/inventories with the provider's current generation."""
        yield self._point("set_inventories", (), (rp_uuid,))
        generation = self.placement.get_provider(rp_uuid)["generation"]
        self.placement.set_inventories(rp_uuid, generation, inventory)


class ConnectFailure(Exception):
    """keystoneauth's connection failure (a Placement request timed out)."""

    def format_message(self):
        return str(self)


def _safe_connect(client, gen):
    """@safe_connect: a connection failure is a warning and the call returns None."""
    try:
        return (yield from gen)
    except ConnectFailure as error:
        client.log("warning", "Placement API service is not responding: %s" % error)
        return None


def _strip(allocations):
    """Allocations as Placement takes them: {rp: {"resources": {...}}} (no generations)."""
    return {rp: {"resources": dict(body["resources"])} for rp, body in allocations.items()}


def _merge(current, requested):
    """Sum two allocation dicts provider by provider (_move_operation_alloc_request)."""
    merged = _strip(current)
    for rp, body in requested.items():
        resources = merged.setdefault(rp, {"resources": {}})["resources"]
        for rc, amount in body["resources"].items():
            resources[rc] = resources.get(rc, 0) + amount
    return merged


def _placement_error_class():
    from placement_sim import PlacementError
    return PlacementError


def allocation_candidates(placement, resources):
    """Ask placement_sim for candidates of one unnumbered request group.

    Returns a list of (allocation_request, provider_summaries) with the allocation request in
    the 1.39 shape ({"allocations": {rp: {"resources": ...}}, ...}).
    """
    answer = placement.allocation_candidates({"": {"resources": dict(resources)}})
    return answer["allocation_requests"], answer["provider_summaries"]
