"""A base for tests that mirror Nova's functional tests step by step on the model.

``MirrorTestCase`` plays the part of ``nova.tests.functional.integrated_helpers.
ProviderUsageBaseTestCase``: a fresh cloud per scenario (``self.make``), computes started with
``compute_driver``, Nova's default flavors (``flavor1`` = m1.tiny, ``flavor2`` = m1.small), and
helper generators with the names and checks of Nova's helpers (``boot_and_check_allocations``,
``resize_and_check_allocations``, ``confirm_resize``, ``run_periodics``,
``delete_and_check_allocations``, ...).  A scenario is one generator (the steps of the real
test) run by ``self.run_script``; the oracle's invariants are checked after every step.

Assertions go through the oracle (``assert_end_state``): a failure message lists the oracle's
findings, so a reintroduced bug fails with a message that names the leak.
"""

import testtools

from harness import sim
from harness.nova.cloud import Cloud, NovaOptions
from harness.oracle import expectations
from harness.oracle import findings as fnd
from harness.oracle import invariants
from harness.oracle import quiescence
from placement_sim import Placement

MAX_STEPS = 200_000
SETTLE = 1.0
"""Virtual seconds a step waits for the cloud to go idle (Nova's tests poll 0.5 s at a time):
virtual time only moves when no task can run, so after it every cast has been handled."""

ZERO = {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


class MirrorTestCase(testtools.TestCase):
    """Base of the mirrors of Nova's functional tests (one cloud per ``make``)."""

    compute_driver = 'MediumFakeDriver'
    flavor1 = 'm1.tiny'
    flavor2 = 'm1.small'

    def make(self, hosts=('host1', 'host2'), reintroduce=(), strategy=None, drivers=None,
             **options):
        """A cloud with ``hosts`` (all on ``compute_driver`` unless ``drivers`` says)."""
        self.sched = sim.Scheduler(strategy=strategy or sim.Fifo(), max_steps=MAX_STEPS)
        self.cloud = Cloud(self.sched, placement=Placement(), options=NovaOptions(**options),
                           reintroduce=reintroduce)
        drivers = drivers or {}
        for host in hosts:
            self.cloud.add_compute(host, driver=drivers.get(host, self.compute_driver))
        self.step_findings = []
        self.sched.add_step_hook(self._check_step)
        return self.cloud

    def _check_step(self, scheduler, step):
        self.step_findings.extend(invariants.check_step(self.cloud))

    def run_script(self, script):
        """Run the test's steps to the end; the run must end cleanly."""
        self.sched.spawn(script, name='test steps')
        result = self.sched.run()
        if result.failures:
            self.fail('\n'.join('%s: %s' % (name, error) for name, error in
                                sorted(result.failures.items())))
        self.assertEqual([], result.deadlocked)
        self.assertFalse(result.hit_step_limit)
        self.assertEqual([], [f.format() for f in self.step_findings],
                         'step invariants broke')
        return result

    # --- Placement views (Nova's _get_provider_usages / _get_allocations_by_server_uuid) ---

    def rp(self, host):
        return self.cloud.compute_rp(host)

    def usages(self, host):
        """All classes of the host's inventory, zero included (as GET /usages shows)."""
        return dict(self.cloud.placement.get_usages(self.rp(host)))

    def allocations(self, consumer):
        body = self.cloud.placement.get_allocations(consumer).get('allocations') or {}
        return {self.cloud.host_of_rp(rp): dict(a['resources']) for rp, a in body.items()}

    def resources(self, *flavors):
        """Summed Placement resources of flavor names (Nova's _resources_from_flavor)."""
        total = {}
        for name in flavors:
            for rc, n in self.cloud.flavor(name).resources().items():
                total[rc] = total.get(rc, 0) + n
        return total

    def server(self, name='vm1'):
        return self.cloud.instances[name]

    def migration(self, name='vm1'):
        migrations = self.cloud.migrations_of(name)
        return migrations[-1] if migrations else None

    # --- Nova's assertion helpers ----------------------------------------------------------

    def assertFlavorMatchesUsage(self, host, *flavors):
        want = self.resources(*flavors)
        have = {rc: n for rc, n in self.usages(host).items() if n}
        if want != have:
            self.fail_with_oracle('usage on %s: expected %s (%s), got %s' % (
                host, fnd.format_resources(want), ' + '.join(flavors),
                fnd.format_resources(have)))

    def assertRequestMatchesUsage(self, request, host):
        have = self.usages(host)
        have = {rc: have.get(rc, 0) for rc in request}
        if request != have:
            self.fail_with_oracle('usage on %s: expected %s, got %s' % (
                host, _plain(request), _plain(have)))

    def assertFlavorMatchesAllocation(self, flavor, consumer, host):
        want = {host: self.resources(flavor)}
        have = self.allocations(consumer)
        if want != have:
            self.fail_with_oracle('allocations of %s: expected %s on %s (%s), got %s' % (
                consumer, fnd.format_resources(want[host]), host, flavor, have))

    def fail_with_oracle(self, message):
        """Fail with ``message`` and what the oracle sees wrong right now."""
        found = quiescence.check(self.cloud)
        if found:
            message += '\noracle findings now:\n' + fnd.report(found)
        self.fail(message)

    def assert_end_state(self, expect, leaks=True):
        """Nova's end-state assertions through the oracle; fails with its findings."""
        found = expectations.check(self.cloud, expect)
        if leaks:
            found += quiescence.check(self.cloud)
        if found:
            self.fail('the end state is not what Nova gives:\n' + fnd.report(found))

    def quiescence_findings(self):
        return quiescence.check(self.cloud)

    # --- step helpers (generators), named after Nova's ------------------------------------

    def settle(self):
        yield sim.Sleep(SETTLE)

    def wait_for(self, condition, what):
        """Block until ``condition()``; fail the test after 600 virtual seconds."""
        while not condition():
            try:
                yield sim.Wait(self.cloud.changed, timeout=600.0)
            except sim.Timeout:
                self.fail('timed out waiting for %s' % what)

    def wait_for_state_change(self, name, status):
        yield from self.wait_for(lambda: self.server(name).status == status,
                                 '%s to be %s' % (name, status))

    def wait_for_migration_status(self, name, statuses):
        def check():
            mig = self.migration(name)
            return mig is not None and mig.status in statuses
        yield from self.wait_for(check, 'migration of %s in %s' % (name, statuses))

    def run_periodics(self):
        """Nova's _run_periodics: update_available_resource on every compute, in order."""
        for host in self.cloud.hosts:
            yield from self.cloud.run_periodic(host)

    def boot_and_check_allocations(self, flavor, host, name='vm1'):
        yield from self.cloud.api.boot(name, flavor, host=host)
        yield from self.wait_for_state_change(name, 'ACTIVE')
        for _ in range(2):
            self.assertEqual(host, self.server(name).host)
            self.assertFlavorMatchesUsage(host, flavor)
            for other in self.cloud.hosts:
                if other != host:
                    self.assertRequestMatchesUsage(ZERO, other)
            self.assertFlavorMatchesAllocation(flavor, self.server(name).uuid, host)
            yield from self.run_periodics()

    def move_and_check_allocations(self, name, action, old, new, source, dest):
        """Nova's _move_and_check_allocations: act, VERIFY_RESIZE, check, periodics, check."""
        status = yield from action
        self.assertEqual(202, status)
        yield from self.wait_for_state_change(name, 'VERIFY_RESIZE')
        for _ in range(2):
            self.assertFlavorMatchesUsage(source, old)
            self.assertFlavorMatchesUsage(dest, new)
            self.assertFlavorMatchesAllocation(new, self.server(name).uuid, dest)
            self.assertFlavorMatchesAllocation(old, self.migration(name).uuid, source)
            yield from self.run_periodics()

    def resize_and_check_allocations(self, old, new, source, dest, name='vm1'):
        yield from self.move_and_check_allocations(
            name, self.cloud.api.resize(name, new), old, new, source, dest)

    def migrate_and_check_allocations(self, flavor, source, dest, name='vm1'):
        yield from self.move_and_check_allocations(
            name, self.cloud.api.migrate(name), flavor, flavor, source, dest)

    def resize_to_same_host_and_check_allocations(self, old, new, host, name='vm1'):
        status = yield from self.cloud.api.resize(name, new)
        self.assertEqual(202, status)
        yield from self.wait_for_state_change(name, 'VERIFY_RESIZE')
        for _ in range(2):
            self.assertFlavorMatchesUsage(host, old, new)
            self.assertFlavorMatchesAllocation(new, self.server(name).uuid, host)
            self.assertFlavorMatchesAllocation(old, self.migration(name).uuid, host)
            yield from self.run_periodics()

    def confirm_resize(self, name='vm1'):
        """Nova's _confirm_resize: ACTIVE and the confirm finished (M deleted last)."""
        yield from self.cloud.api.confirm_resize(name)
        yield from self.wait_for_state_change(name, 'ACTIVE')
        yield from self.settle()

    def revert_resize(self, name='vm1'):
        """Nova's _revert_resize: ACTIVE, migration reverted, and the source's swap done."""
        yield from self.cloud.api.revert_resize(name)
        yield from self.wait_for_state_change(name, 'ACTIVE')
        yield from self.wait_for_migration_status(name, ('reverted',))
        yield from self.settle()

    def delete_and_check_allocations(self, name='vm1'):
        """Nova's _delete_and_check_allocations: nothing left anywhere, M included."""
        inst, mig = self.server(name), self.migration(name)
        yield from self.cloud.api.delete(name)
        yield from self.wait_for(lambda: inst.deleted, '%s to be deleted' % name)
        yield from self.settle()
        for host in self.cloud.hosts:
            self.assertRequestMatchesUsage(ZERO, host)
        self.assertEqual({}, self.allocations(inst.uuid))
        if mig is not None:
            self.assertEqual({}, self.allocations(mig.uuid))

    def assert_action_failed(self, text):
        """Nova's _assert_resize_migrate_action_fail: the conductor's failure names ``text``."""
        failures = [r.message for r in self.cloud.logs
                    if r.level == 'error' and 'migrate_server failed' in r.message]
        self.assertTrue(any(text in m for m in failures),
                        'no conductor failure naming %r in %s' % (text, failures))


def _plain(resources):
    return ' '.join('%s=%s' % (rc, resources[rc]) for rc in fnd.sort_classes(resources))
