"""Fault plans for the fake drivers: which driver call fails, stalls or crashes its host.

A ``FaultPlan`` holds rules.  Nova's model asks ``plan.check(point, host, server_uuid)`` before
each driver call (``point`` is ``driver.<method>``) and before the compute-manager steps that
Nova's tests stub out (``compute.prep_resize``, ...: ``STEP_POINTS``); it answers the ``Fault``
to apply or None.  ``FaultPlan(extra_points=...)`` accepts more point names.

- Matching: a rule matches a call when the point is equal and the rule's ``host`` and ``server``
  (a uuid or a server name) are unset or equal.  Matching calls are counted per rule.
- When: by default on the first matching call; ``nth=N`` on the Nth; ``every=True`` on every
  matching call (from the Nth on when ``nth`` is given too).
- Actions: ``raise`` (``fault.exception()`` builds Nova's exception with Nova's message),
  ``stall`` (the gate blocks until ``plan.release(point, host)``), ``crash`` (the compute
  service on that host dies).
- ``plan.disable()`` turns all faults off (the liveness phase); ``plan.fired`` lists what fired.

Bad input (unknown point, action or exception, nonsense counts) raises ValueError that names the
valid values and suggests the closest one.
"""

from fake_drivers import base
from fake_drivers import exceptions

DEFAULT_EXCEPTION = 'TestingException'
STEP_POINTS = (
    'compute.confirm_resize', 'compute.finish_resize', 'compute.finish_revert_resize',
    'compute.prep_resize', 'compute.resize_claim', 'compute.resize_instance',
    'compute.revert_resize',
)
"""Compute-manager steps Nova's functional tests stub out to fail (``_prep_resize``,
``_resize_instance``, ``_finish_resize``, ``ResourceTracker.resize_claim``, ...); the model
checks them through the same gate as driver calls."""

POINTS = tuple(sorted('driver.' + m for m in base.MOVE_METHODS)) + STEP_POINTS

POINT_DEFAULTS = {
    'compute.prep_resize': (DEFAULT_EXCEPTION, 'Simulated _prep_resize failure.'),
    'compute.resize_instance': (DEFAULT_EXCEPTION, 'Simulated resize failure.'),
    'compute.finish_resize': (DEFAULT_EXCEPTION, 'Simulated resize failure.'),
    'compute.resize_claim': ('ComputeResourcesUnavailable', 'Simulated claim failure'),
    'driver.finish_migration': ('VirtualInterfaceCreateException', None),
    'driver.confirm_migration': ('MigrationPreCheckError', 'test_migration_confirm_resize_error'),
}
"""What a ``raise`` fault without an exception raises at these points: what Nova's own tests
raise there (test_servers.py stubs, test_bug_1843090's claim failure, FakeFinishMigrationFail-
Driver, test_migration_confirm_resize_error)."""
ACTIONS = ('raise', 'stall', 'crash')
MAX_RULES = 256
MAX_NTH = 100_000
MAX_FIRES = 100_000


class Fault:
    """One rule of a plan, and what it has done so far."""

    def __init__(self, point, host=None, server=None, nth=None, every=False, action='raise',
                 exception=None, message=None):
        self.point = point
        self.host = host
        self.server = server
        self.nth = nth
        self.every = every
        self.action = action
        self.default_exception = exception is None
        self.exception_name = exception or POINT_DEFAULTS.get(point, (DEFAULT_EXCEPTION,))[0]
        self.message = message
        self.calls = 0
        self.fires = 0
        self.released_hosts = set()

    def __repr__(self):
        where = ' '.join('%s=%s' % (k, v) for k, v in (
            ('host', self.host), ('server', self.server), ('nth', self.nth)) if v is not None)
        return 'Fault(%s %s%s%s)' % (self.point, self.action, ' ' + where if where else '',
                                     ' every' if self.every else '')

    @property
    def method(self):
        return self.point.split('.', 1)[-1]

    def matches(self, point, host, server_uuid=None, server_name=None):
        if point != self.point or (self.host is not None and host != self.host):
            return False
        return self.server is None or self.server in (server_uuid, server_name)

    def due(self):
        """Count one matching call; True when the fault fires on it."""
        self.calls += 1
        first = self.nth or 1
        fire = self.calls >= first if self.every else self.calls == first
        if fire and self.fires >= MAX_FIRES:
            return False
        return fire

    def exception(self, host=None, server_uuid=None):
        """Nova's exception this fault raises, with Nova's message (or the rule's message).

        Without an exception name, a point raises what Nova's tests raise there
        (``POINT_DEFAULTS``), else ``TestingException('Simulated <method> failure.')``.
        """
        name, message, reason = self.exception_name, self.message, None
        if self.default_exception:
            name, text = POINT_DEFAULTS.get(self.point, (DEFAULT_EXCEPTION, None))
            if name == DEFAULT_EXCEPTION:
                message = message or text or 'Simulated %s failure.' % self.method
            else:
                reason = text
        elif message is None and name == DEFAULT_EXCEPTION:
            message = 'Simulated %s failure.' % self.method
        return exceptions.build(name, message=message, host=host, instance_uuid=server_uuid,
                                reason=reason or 'fault injected at %s' % self.point)

    def released(self, host):
        """True once ``plan.release`` freed this stall for ``host``."""
        return host in self.released_hosts or None in self.released_hosts


class FaultPlan:
    """The faults of one run: rules, counters, releases of stalls."""

    def __init__(self, extra_points=()):
        self.points = tuple(POINTS) + tuple(sorted(extra_points))
        self.rules = []
        self.fired = []
        self.enabled = True
        self._listeners = []

    def __bool__(self):
        return bool(self.rules) and self.enabled

    def add(self, point, host=None, server=None, nth=None, every=False, action='raise',
            exception=None, message=None):
        """Add a rule; returns the Fault.  See the module docstring for the meaning."""
        _check_choice('fault point', point, self.points)
        _check_choice('fault action', action, ACTIONS)
        if exception is not None:
            if action != 'raise':
                raise ValueError('fault %s: an exception only goes with action "raise", not '
                                 '%r' % (point, action))
            exceptions.get_exception_class(exception)
        if nth is not None and (not isinstance(nth, int) or isinstance(nth, bool)
                                or not 1 <= nth <= MAX_NTH):
            raise ValueError('fault %s: nth must be an integer from 1 to %d (the Nth matching '
                             'call), got %r' % (point, MAX_NTH, nth))
        if len(self.rules) >= MAX_RULES:
            raise ValueError('a fault plan holds at most %d faults' % MAX_RULES)
        fault = Fault(point, host=host, server=server, nth=nth, every=bool(every),
                      action=action, exception=exception, message=message)
        self.rules.append(fault)
        return fault

    def check(self, point, host, server_uuid=None, server_name=None):
        """The fault to apply to this call, or None.  Counts the call for every matching rule.

        The first matching rule (in the order added) that is due wins.
        """
        if not self.rules or not self.enabled:
            return None
        chosen = None
        for fault in self.rules:
            if fault.matches(point, host, server_uuid, server_name) and fault.due():
                if chosen is None:
                    chosen = fault
        if chosen is not None:
            chosen.fires += 1
            self.fired.append((point, host, server_uuid, chosen.action, chosen.calls))
        return chosen

    def release(self, point, host=None):
        """Free the stalls at ``point`` (on ``host``, or on every host when None).

        Returns how many rules it released; tells the listeners ``(point, host)``.
        """
        _check_choice('fault point', point, self.points)
        count = 0
        for fault in self.rules:
            if fault.point == point and fault.action == 'stall' and (
                    host is None or fault.host in (None, host)):
                fault.released_hosts.add(host)
                count += 1
        for listener in list(self._listeners):
            listener(point, host)
        return count

    def subscribe(self, listener):
        """Call ``listener(point, host)`` on every release (the gate wakes its waiters)."""
        self._listeners.append(listener)

    def disable(self):
        """Faults off: check() answers None from now on (stalls already blocked stay so)."""
        self.enabled = False

    def enable(self):
        self.enabled = True


def _check_choice(kind, value, valid):
    if value not in valid:
        raise ValueError(exceptions.unknown_name_message(kind, value, valid))
