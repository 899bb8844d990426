"""Fault points of the simulated Placement: planned failures of named operations.

A scenario plans a fault with `placement.faults.add(operation, kind, nth=None, consumer=None)`.
The operation then answers as the real service would in that situation (a consumer or provider
generation conflict, a 503) or the client times out before or after the write is applied.
`nth` picks the Nth matching call (1-based); without it every matching call fails. `consumer`
limits the fault to calls that touch that consumer. With nothing planned, `FaultPlan.active` is
False and the operations pay one attribute check.
"""

import difflib

CONSUMER_GENERATION_CONFLICT = 'consumer_generation_conflict'
PROVIDER_GENERATION_CONFLICT = 'provider_generation_conflict'
UNAVAILABLE = 'unavailable'
TIMEOUT_BEFORE_WRITE = 'timeout_before_write'
TIMEOUT_AFTER_WRITE = 'timeout_after_write'

KINDS = (CONSUMER_GENERATION_CONFLICT, PROVIDER_GENERATION_CONFLICT, UNAVAILABLE,
         TIMEOUT_BEFORE_WRITE, TIMEOUT_AFTER_WRITE)

_ALLOCATION_KINDS = KINDS
_PROVIDER_KINDS = (PROVIDER_GENERATION_CONFLICT, UNAVAILABLE, TIMEOUT_BEFORE_WRITE,
                   TIMEOUT_AFTER_WRITE)
_PLAIN_WRITE_KINDS = (UNAVAILABLE, TIMEOUT_BEFORE_WRITE, TIMEOUT_AFTER_WRITE)
_READ_KINDS = (UNAVAILABLE, TIMEOUT_BEFORE_WRITE)

# operation name -> the fault kinds that make sense for it
OPERATIONS = {
    'put_allocations': _ALLOCATION_KINDS,
    'post_allocations': _ALLOCATION_KINDS,
    'delete_allocations': _PLAIN_WRITE_KINDS,
    'reshape': _ALLOCATION_KINDS,
    'set_inventories': _PROVIDER_KINDS,
    'set_inventory': _PROVIDER_KINDS,
    'create_inventory': _PLAIN_WRITE_KINDS,
    'delete_inventory': _PLAIN_WRITE_KINDS,
    'delete_inventories': _PLAIN_WRITE_KINDS,
    'set_provider_traits': _PROVIDER_KINDS,
    'set_provider_aggregates': _PROVIDER_KINDS,
    'create_provider': _PLAIN_WRITE_KINDS,
    'update_provider': _PLAIN_WRITE_KINDS,
    'delete_provider': _PLAIN_WRITE_KINDS,
    'get_allocations': _READ_KINDS,
    'get_provider_allocations': _READ_KINDS,
    'get_usages': _READ_KINDS,
    'get_total_usages': _READ_KINDS,
    'get_inventories': _READ_KINDS,
    'get_provider': _READ_KINDS,
    'list_providers': _READ_KINDS,
    'get_provider_traits': _READ_KINDS,
    'get_provider_aggregates': _READ_KINDS,
    'allocation_candidates': _READ_KINDS,
}

# operations that name consumers, so that a fault can be limited to one of them
CONSUMER_OPERATIONS = ('put_allocations', 'post_allocations', 'delete_allocations',
                       'get_allocations', 'reshape')

MAX_FAULTS = 1000


def _unknown(what, name, valid):
    close = difflib.get_close_matches(str(name), valid, n=1)
    hint = ' Did you mean %r?' % close[0] if close else ''
    return ValueError('Unknown Placement fault %s %r.%s Valid %ss: %s.'
                      % (what, name, hint, what, ', '.join(sorted(valid))))


class Fault:
    """One planned fault and how often its operation has been seen and failed."""

    __slots__ = ('operation', 'kind', 'nth', 'consumer', 'calls', 'fired')

    def __init__(self, operation, kind, nth, consumer):
        self.operation = operation
        self.kind = kind
        self.nth = nth
        self.consumer = consumer
        self.calls = 0
        self.fired = 0

    def __repr__(self):
        return 'Fault(%r, %r, nth=%r, consumer=%r)' % (
            self.operation, self.kind, self.nth, self.consumer)


class FaultPlan:
    """The planned faults of one Placement and the record of those that fired."""

    def __init__(self):
        self._faults = []
        self.active = False
        self.fired = []

    def add(self, operation, kind, nth=None, consumer=None):
        """Plan `kind` for `operation`; return the Fault (for `remove`)."""
        if operation not in OPERATIONS:
            raise _unknown('operation', operation, list(OPERATIONS))
        if kind not in KINDS:
            raise _unknown('kind', kind, list(KINDS))
        if kind not in OPERATIONS[operation]:
            raise ValueError('Fault kind %r does not apply to %r; it takes: %s.'
                             % (kind, operation, ', '.join(OPERATIONS[operation])))
        if nth is not None and (isinstance(nth, bool) or not isinstance(nth, int) or nth < 1):
            raise ValueError('nth must be a positive integer (1 is the first call), got %r.'
                             % (nth,))
        if consumer is not None and operation not in CONSUMER_OPERATIONS:
            raise ValueError('A fault on %r cannot be limited to a consumer; consumer= applies '
                             'to: %s.' % (operation, ', '.join(CONSUMER_OPERATIONS)))
        if len(self._faults) >= MAX_FAULTS:
            raise ValueError('Too many planned Placement faults (limit %d).' % MAX_FAULTS)
        fault = Fault(operation, kind, nth, consumer)
        self._faults.append(fault)
        self.active = True
        return fault

    def remove(self, fault):
        """Forget one planned fault."""
        self._faults.remove(fault)
        self.active = bool(self._faults)

    def clear(self):
        """Forget every planned fault (the record of fired ones stays)."""
        self._faults = []
        self.active = False

    @property
    def planned(self):
        """The planned faults, in the order they were added."""
        return list(self._faults)

    def check(self, operation, consumers=()):
        """Count one call of `operation`; return the kind that fires on it, or None."""
        chosen = None
        for fault in self._faults:
            if fault.operation != operation:
                continue
            if fault.consumer is not None and fault.consumer not in consumers:
                continue
            fault.calls += 1
            if chosen is None and (fault.nth is None or fault.calls == fault.nth):
                fault.fired += 1
                chosen = fault
        if chosen is not None:
            self.fired.append((operation, chosen.kind, tuple(consumers)))
            return chosen.kind
        return None
