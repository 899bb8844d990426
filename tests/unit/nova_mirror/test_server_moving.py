"""Mirrors of nova/tests/functional/test_servers.py::ServerMovingTests (resize cases).

MediumFakeDriver on host1 and host2; flavor1 = m1.tiny, flavor2 = m1.small, flavor3 =
test_flavor3 (half of flavor2's RAM, twice its disk).
"""

from tests.unit.nova_mirror import base
from tests.unit.nova_mirror.base import ZERO

FLAVOR3 = 'test_flavor3'


class ServerMovingTest(base.MirrorTestCase):
    """ServerMovingTests."""

    def make(self, *args, **kwargs):
        cloud = super().make(*args, **kwargs)
        small = cloud.flavor(self.flavor2)
        cloud.add_flavor(FLAVOR3, vcpus=1, ram_mb=small.memory_mb // 2,
                         disk_gb=small.root_gb * 2)
        return cloud

    @staticmethod
    def other(host):
        return {'host1': 'host2', 'host2': 'host1'}[host]

    def disable(self, host):
        """put_service(status=disabled): the scheduler skips the host."""
        self.cloud.services[host].record.disabled = True

    # --- resize confirm / revert -------------------------------------------------------

    def _test_resize_revert(self, dest, reintroduce=()):
        source = self.other(dest)
        self.make(reintroduce=reintroduce)

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, source)
            yield from self.resize_and_check_allocations(self.flavor1, self.flavor2, source,
                                                         dest)
            yield from self.revert_resize()
            yield from self.run_periodics()
            self.assertFlavorMatchesUsage(source, self.flavor1)
            self.assertRequestMatchesUsage(ZERO, dest)
            self.assertFlavorMatchesAllocation(self.flavor1, self.server().uuid, source)
            self.assert_end_state({'server': {'vm1': {'status': 'ACTIVE', 'host': source,
                                                      'flavor': self.flavor1}},
                                   'migration': {'vm1': 'reverted'}})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    def test_resize_revert(self):
        """test_resize_revert (dest host1, source host2)."""
        self._test_resize_revert('host1')

    def test_resize_revert_reverse(self):
        """test_resize_revert_reverse (dest host2)."""
        self._test_resize_revert('host2')

    def _test_resize_confirm(self, dest, reintroduce=()):
        source = self.other(dest)
        self.make(reintroduce=reintroduce)

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, source)
            yield from self.resize_and_check_allocations(self.flavor1, self.flavor2, source,
                                                         dest)
            yield from self.confirm_resize()
            for _ in range(2):
                self.assertFlavorMatchesUsage(dest, self.flavor2)
                self.assertRequestMatchesUsage(ZERO, source)
                self.assertFlavorMatchesAllocation(self.flavor2, self.server().uuid, dest)
                yield from self.run_periodics()
            self.assert_end_state({'server': {'vm1': {'status': 'ACTIVE', 'host': dest}},
                                   'migration': {'vm1': 'confirmed'}})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    def test_resize_confirm(self):
        """test_resize_confirm (dest host1)."""
        self._test_resize_confirm('host1')

    def test_resize_confirm_reverse(self):
        """test_resize_confirm_reverse (dest host2)."""
        self._test_resize_confirm('host2')

    def test_migration_confirm_resize_error(self, reintroduce=()):
        """test_migration_confirm_resize_error: driver.confirm_migration raises; the migration
        allocation is removed regardless and the server is ERROR holding flavor1 on dest."""
        self.make(reintroduce=reintroduce)

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            yield from self.migrate_and_check_allocations(self.flavor1, 'host1', 'host2')
            # mock.patch FakeDriver.confirm_migration raising
            # MigrationPreCheckError(reason='test_migration_confirm_resize_error')
            self.cloud.faults.add('driver.confirm_migration')
            status = yield from self.cloud.api.confirm_resize('vm1')
            self.assertEqual(204, status)
            yield from self.wait_for_state_change('vm1', 'ERROR')
            yield from self.settle()
            for _ in range(2):
                self.assertFlavorMatchesUsage('host2', self.flavor1)
                self.assertRequestMatchesUsage(ZERO, 'host1')
                self.assertFlavorMatchesAllocation(self.flavor1, self.server().uuid, 'host2')
                yield from self.run_periodics()
            fault = 'Migration pre-check error: test_migration_confirm_resize_error'
            self.assert_end_state({'server': {'vm1': {'status': 'ERROR', 'fault': fault}},
                                   'migration': {'vm1': 'error'}})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    # --- same host -------------------------------------------------------------------

    def _same_host(self, finish):
        self.make(allow_resize_to_same_host=True)
        self.disable('host2')

        def steps():
            yield from self.boot_and_check_allocations(self.flavor2, 'host1')
            yield from self.resize_to_same_host_and_check_allocations(self.flavor2, FLAVOR3,
                                                                      'host1')
            kept = yield from finish()
            yield from self.run_periodics()
            self.assertFlavorMatchesUsage('host1', kept)
            self.assertFlavorMatchesAllocation(kept, self.server().uuid, 'host1')
            self.assert_end_state({'server': {'vm1': {'status': 'ACTIVE', 'flavor': kept}}})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    def test_resize_revert_same_host(self):
        """test_resize_revert_same_host: after revert only flavor2 (the old one) remains."""
        def revert():
            yield from self.revert_resize()
            return self.flavor2
        self._same_host(revert)

    def test_resize_confirm_same_host(self):
        """test_resize_confirm_same_host: after confirm only flavor3 (the new one) remains."""
        def confirm():
            yield from self.confirm_resize()
            return FLAVOR3
        self._same_host(confirm)

    # --- scheduling failures ------------------------------------------------------------

    def test_resize_not_enough_resource(self):
        """test_resize_not_enough_resource: VCPU above max_unit -> NoValidHost; the server
        stays ACTIVE on the source without a fault, allocations unchanged."""
        self.make()
        big = self.cloud.add_flavor('test_too_big_flavor', vcpus=11, ram_mb=1024, disk_gb=20)

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            status = yield from self.cloud.api.resize('vm1', big.name)
            self.assertEqual(202, status)
            yield from self.settle()
            self.assert_action_failed('No valid host was found')
            self.assertEqual(('ACTIVE', 'host1'), (self.server().status, self.server().host))
            self.assertFlavorMatchesUsage('host1', self.flavor1)
            self.assertRequestMatchesUsage(ZERO, 'host2')
            self.assertFlavorMatchesAllocation(self.flavor1, self.server().uuid, 'host1')
            self.assert_end_state({})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    def test_migrate_no_valid_host(self):
        """test_migrate_no_valid_host: the only other compute is down -> NoValidHost."""
        self.make()

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            self.cloud.stop_compute('host2')
            yield from self.cloud.api.migrate('vm1')
            yield from self.settle()
            self.assert_action_failed('NoValidHost')
            self.assertEqual(('ACTIVE', 'host1'), (self.server().status, self.server().host))
            yield from self.run_periodics()
            self.assertFlavorMatchesUsage('host1', self.flavor1)
            self.assertRequestMatchesUsage(ZERO, 'host2')
            self.assertFlavorMatchesAllocation(self.flavor1, self.server().uuid, 'host1')
            self.assert_end_state({'migration': {'vm1': 'error'}})
            yield from self.delete_and_check_allocations()
        self.run_script(steps())

    # --- delete while VERIFY_RESIZE ------------------------------------------------------

    def test_resize_delete_while_verify(self):
        """test_resize_delete_while_verify: confirm-on-delete removes M, terminate removes I."""
        self.make()

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            yield from self.resize_and_check_allocations(self.flavor1, self.flavor2, 'host1',
                                                         'host2')
            yield from self.delete_and_check_allocations()
        self.run_script(steps())
        self.assert_end_state({'server': {'vm1': {'status': 'DELETED'}}})

    # --- reschedule ----------------------------------------------------------------------

    def test_rescheduling_when_migrating_instance(self):
        """test_rescheduling_when_migrating_instance: _prep_resize fails on the dest (state
        doubled at that moment), no alternate is left: nothing on the dest, flavor1 on the
        source held by the instance."""
        self.make()
        seen = {}

        def at_prep_resize(scheduler, step):
            label = getattr(step.outcome, 'label', '')
            if label.startswith('compute.prep_resize host2') and not seen:
                seen['dest'] = dict(self.usages('host2'))
                seen['instance'] = self.allocations(self.server().uuid)
                seen['migration'] = self.allocations(self.migration().uuid)
        self.sched.add_step_hook(at_prep_resize)
        self.cloud.faults.add('compute.prep_resize', host='host2')

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            yield from self.cloud.api.migrate('vm1')
            yield from self.settle()
            self.assertFlavorMatchesUsage('host1', self.flavor1)
            self.assertRequestMatchesUsage(ZERO, 'host2')
            self.assertIn('host1', self.allocations(self.server().uuid))
        self.run_script(steps())
        tiny = self.resources(self.flavor1)
        self.assertEqual({'host2': tiny}, seen['instance'])
        self.assertEqual({'host1': tiny}, seen['migration'])
        self.assertEqual(tiny, {rc: n for rc, n in seen['dest'].items() if n})
        self.assert_end_state({'server': {'vm1': {
            'status': 'ERROR', 'fault': 'Simulated _prep_resize failure.'}},
            'migration': {'vm1': 'error'}})

    def _test_resize_to_same_host_instance_fails(self, point, kept, reintroduce=()):
        self.make(allow_resize_to_same_host=True, reintroduce=reintroduce)
        self.disable('host2')
        doubled = []

        def at_failure(scheduler, step):
            if getattr(step.outcome, 'label', '').startswith(point + ' host1') and not doubled:
                doubled.append({rc: n for rc, n in self.usages('host1').items() if n})
        self.sched.add_step_hook(at_failure)
        self.cloud.faults.add(point, host='host1', exception='TestingException',
                              message='Simulated resize failure.')

        def steps():
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            status = yield from self.cloud.api.resize('vm1', self.flavor2)
            self.assertEqual(202, status)
            yield from self.settle()
        self.run_script(steps())
        self.assertEqual([self.resources(self.flavor1, self.flavor2)], doubled)
        self.assertFlavorMatchesUsage('host1', kept)
        self.assert_end_state({
            'server': {'vm1': {'status': 'ERROR', 'fault': 'Simulated resize failure.'}},
            'allocations': {'vm1': {'host1': kept}, 'vm1/migration': {}},
            'migration': {'vm1': 'error'}})

    def test_resize_to_same_host_prep_resize_fails(self):
        """test_resize_to_same_host_prep_resize_fails: M -> I leaves flavor1."""
        self._test_resize_to_same_host_instance_fails('compute.prep_resize', self.flavor1)

    def test_resize_instance_fails_allocation_cleanup(self):
        """test_resize_instance_fails_allocation_cleanup: M -> I leaves flavor1."""
        self._test_resize_to_same_host_instance_fails('compute.resize_instance', self.flavor1)

    def test_finish_resize_fails_allocation_cleanup(self):
        """test_finish_resize_fails_allocation_cleanup: M is deleted, flavor2 is kept."""
        self._test_resize_to_same_host_instance_fails('compute.finish_resize', self.flavor2)


class ResizeRescheduleHostListsTest(base.MirrorTestCase):
    """ServerMovingTests._test_resize_reschedule_uses_host_lists: a selected host and three
    alternates; _prep_resize fails ``fails`` times.

    Nova pins the host order with HostNameWeigherFixture; the model weighs by free RAM and then
    by name, so with equal hosts the order is alphabetical (``ORDER``) and the test expects the
    server on ``ORDER[fails]`` as Nova expects it on ``hosts[fails]``.
    """

    ORDER = ('alt_host1', 'alt_host2', 'alt_host3', 'selection')

    def _run(self, fails, num_alts=4):
        self.make(hosts=('host1',) + self.ORDER, max_attempts=min(fails + 2, num_alts))
        for nth in range(1, fails + 1):
            self.cloud.faults.add('compute.prep_resize', nth=nth, exception='TestingException',
                                  message='fake_prep_resize')

        def steps():
            yield from self.cloud.api.boot('vm1', self.flavor1, host='host1')
            yield from self.wait_for_state_change('vm1', 'ACTIVE')
            status = yield from self.cloud.api.resize('vm1', self.flavor2)
            self.assertEqual(202, status)
            yield from self.settle()
        self.run_script(steps())
        self.assertEqual(fails if num_alts >= fails else 1, len(self.cloud.faults.fired))

    def _assert_rescheduled_to(self, dest):
        self.assertFlavorMatchesUsage(dest, self.flavor2)
        for host in self.ORDER:
            if host != dest:
                self.assertEqual({}, {rc: n for rc, n in self.usages(host).items() if n})
        self.assert_end_state({
            'server': {'vm1': {'status': 'VERIFY_RESIZE', 'host': dest}},
            'migration': {'vm1': {'status': 'finished', 'count': 1}},
            'allocations': {'vm1': {dest: self.flavor2}, 'vm1/migration': {'host1': self.flavor1}},
        })

    def test_resize_reschedule_uses_host_lists_1_fail(self):
        """test_resize_reschedule_uses_host_lists_1_fail."""
        self._run(fails=1)
        self._assert_rescheduled_to(self.ORDER[1])

    def test_resize_reschedule_uses_host_lists_3_fails(self):
        """test_resize_reschedule_uses_host_lists_3_fails."""
        self._run(fails=3)
        self._assert_rescheduled_to(self.ORDER[3])

    def test_resize_reschedule_uses_host_lists_not_enough_alts(self):
        """test_resize_reschedule_uses_host_lists_not_enough_alts: ERROR, flavor1 still on the
        original host, nothing on any target."""
        self._run(fails=3, num_alts=1)
        self.assertFlavorMatchesUsage('host1', self.flavor1)
        for host in self.ORDER:
            self.assertRequestMatchesUsage(ZERO, host)
        self.assert_end_state({'server': {'vm1': {'status': 'ERROR', 'host': 'host1'}},
                               'allocations': {'vm1': {'host1': self.flavor1}}})


class HypervisorUsageTest(base.MirrorTestCase):
    """ServerMovingTests.test_resize_confirm_assert_hypervisor_usage_no_periodics (bug 1818914):
    the resource tracker's own usage (os-hypervisors, not Placement) during a confirmed resize.

    Nova's figures include reserved_host_memory_mb (512) and reserved_host_disk_mb (0); the
    model's ComputeNode counts instances and moves only, so the reserved part is added here.
    """

    RESERVED = {'vcpus': 0, 'ram': 512, 'disk': 0}

    def assert_hypervisor_usage(self, host, flavor):
        node = self.cloud.compute_nodes[host]
        want = dict(self.RESERVED)
        if flavor is not None:
            f = self.cloud.flavor(flavor)
            want = {'vcpus': want['vcpus'] + f.vcpus, 'ram': want['ram'] + f.memory_mb,
                    'disk': want['disk'] + f.root_gb}
        have = {'vcpus': node.vcpus_used, 'ram': node.memory_mb_used + self.RESERVED['ram'],
                'disk': node.local_gb_used}
        self.assertEqual(want, have, 'hypervisor usage of %s' % host)

    def test_resize_confirm_assert_hypervisor_usage_no_periodics(self):
        self.make()

        def steps():
            for host in ('host1', 'host2'):
                self.assert_hypervisor_usage(host, None)
            yield from self.boot_and_check_allocations(self.flavor1, 'host1')
            self.assert_hypervisor_usage('host1', self.flavor1)
            self.assert_hypervisor_usage('host2', None)
            yield from self.cloud.api.resize('vm1', self.flavor2)
            yield from self.wait_for_state_change('vm1', 'VERIFY_RESIZE')
            yield from self.settle()
            self.assert_hypervisor_usage('host1', self.flavor1)
            self.assert_hypervisor_usage('host2', self.flavor2)
            yield from self.confirm_resize()
            self.assert_hypervisor_usage('host1', None)
            self.assert_hypervisor_usage('host2', self.flavor2)
            yield from self.run_periodics()
            self.assert_hypervisor_usage('host1', None)
            self.assert_hypervisor_usage('host2', self.flavor2)
        self.run_script(steps())
