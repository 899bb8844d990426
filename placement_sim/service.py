"""`Placement`: one independent in-memory Placement service (openstack-placement 16.0.0).

The methods come from the mixins named for what they hold (providers, inventories,
allocations, usages, traits, aggregates, resource classes, allocation candidates). Everything
they return is a fresh structure: callers may keep or change it without touching the state.
"""

import random

from placement_sim import exceptions as exc
from placement_sim import faults as faults_mod
from placement_sim.aggregates import AggregatesMixin
from placement_sim.allocations import AllocationsMixin
from placement_sim.candidates import CandidatesMixin
from placement_sim.inventories import InventoriesMixin
from placement_sim.providers import ProvidersMixin
from placement_sim.reshaper import ReshaperMixin
from placement_sim.resource_classes import ResourceClassesMixin, standard_classes
from placement_sim.traits import TraitsMixin, standard_traits
from placement_sim.usages import UsagesMixin

_RP_CONFLICT_MESSAGES = {
    'put_allocations': 'Inventory and/or allocations changed while attempting to allocate: '
                       'Another thread concurrently updated the resource provider data. '
                       'Please retry your update',
    'set_inventories': 'resource provider generation conflict',
    'set_inventory': 'resource provider generation conflict',
    'set_provider_aggregates': "Resource provider's generation already changed. Please "
                               "update the generation and try again.",
}
_RP_CONFLICT_MESSAGES['post_allocations'] = _RP_CONFLICT_MESSAGES['put_allocations']
_RP_CONFLICT_MESSAGES['set_provider_traits'] = _RP_CONFLICT_MESSAGES['set_provider_aggregates']
_RP_CONFLICT_MESSAGES['reshape'] = ('update conflict: Another thread concurrently updated the '
                                    'resource provider data. Please retry your update')


class Placement(ProvidersMixin, InventoriesMixin, AllocationsMixin, UsagesMixin,
                TraitsMixin, AggregatesMixin, ResourceClassesMixin, CandidatesMixin,
                ReshaperMixin):
    """An in-memory Placement service; see doc/contracts.md §1 for the API.

    `seed` drives the uuids of providers created without one (a private random.Random).
    """

    def __init__(self, seed=0):
        self._rng = random.Random(seed)
        self._rps = {}          # uuid -> records.Provider, in creation order
        self._names = {}        # provider name -> uuid
        self._rp_seq = 0
        self._consumers = {}    # uuid -> records.Consumer
        self._rcs = standard_classes()
        self._traits = standard_traits()
        self._aggregates = {}   # aggregate uuid -> id (every aggregate ever linked)
        self.revision = 0       # bumped by every successful write: a cheap "changed?" check
        self.faults = faults_mod.FaultPlan()

    # ------------------------------------------------------------- faults

    def _with_faults(self, operation, consumers, fn, *args):
        """Run a write `fn(*args)` under the planned faults of `operation`."""
        kind = self.faults.check(operation, consumers)
        if kind is None:
            return fn(*args)
        self._raise_fault(operation, kind, consumers)
        try:
            fn(*args)
        except exc.PlacementError:
            raise exc.Timeout(operation, applied=False)
        raise exc.Timeout(operation, applied=True)

    def _read_fault(self, operation, consumers):
        kind = self.faults.check(operation, consumers)
        if kind is not None:
            self._raise_fault(operation, kind, consumers)

    def _raise_fault(self, operation, kind, consumers):
        """Raise what `kind` answers with; return for timeout_after_write."""
        if kind == faults_mod.UNAVAILABLE:
            raise exc.ServiceUnavailable()
        if kind == faults_mod.TIMEOUT_BEFORE_WRITE:
            raise exc.Timeout(operation, applied=False)
        if kind == faults_mod.PROVIDER_GENERATION_CONFLICT:
            raise exc.Conflict(_RP_CONFLICT_MESSAGES.get(
                operation, 'Update conflict: Another thread concurrently updated the data. '
                           'Please retry your update'), code=exc.CONCURRENT_UPDATE)
        if kind == faults_mod.CONSUMER_GENERATION_CONFLICT:
            target = consumers[0] if consumers else None
            for planned in self.faults.planned:
                if planned.operation == operation and planned.consumer in consumers:
                    target = planned.consumer
                    break
            consumer = self._consumers.get(target)
            gen = None if consumer is None else consumer.generation
            expected = 1 if gen is None else gen + 1
            raise exc.Conflict('consumer generation conflict - expected %s but got %s'
                               % (expected, gen), code=exc.CONCURRENT_UPDATE)

    # ------------------------------------------------------- introspection

    def providers(self):
        """uuid -> provider dict with 'inventories', 'usages', 'traits', 'aggregates'.

        Read-only for the oracle: no fault point, no generation change.
        """
        out = {}
        for uuid, rp in self._rps.items():
            body = rp.as_dict()
            body['inventories'] = {rc: dict(inv) for rc, inv in rp.inventories.items()}
            body['usages'] = dict(rp.usage)
            body['traits'] = self._trait_order(rp.traits)
            body['aggregates'] = self._aggregate_order(rp.aggregates)
            out[uuid] = body
        return out

    def consumer_providers(self, consumer_uuid):
        """Sorted uuids of the providers the consumer has allocations on (no fault point)."""
        consumer = self._consumers.get(consumer_uuid)
        return sorted(consumer.allocations) if consumer is not None else []

    def consumers(self):
        """uuid -> {'allocations': {rp: {'resources': {...}}}, 'consumer_generation',
        'project_id', 'user_id', 'consumer_type'} for every consumer record (including one
        without allocations, which the REST API never shows)."""
        out = {}
        for uuid, consumer in self._consumers.items():
            out[uuid] = {
                'allocations': {rp: {'resources': dict(res)}
                                for rp, res in consumer.allocations.items()},
                'consumer_generation': consumer.generation,
                'project_id': consumer.project_id,
                'user_id': consumer.user_id,
                'consumer_type': consumer.consumer_type or 'unknown',
            }
        return out
