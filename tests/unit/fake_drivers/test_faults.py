"""FaultPlan: matching, counting, actions, releases and bad input."""

import testtools

from fake_drivers import base
from fake_drivers import exceptions as exc
from fake_drivers import faults


class TestMatching(testtools.TestCase):

    def test_first_matching_call_by_default(self):
        plan = faults.FaultPlan()
        plan.add('driver.finish_migration', host='host2')
        self.assertIsNone(plan.check('driver.finish_migration', 'host1', 'u1'))
        self.assertIsNone(plan.check('driver.spawn', 'host2', 'u1'))
        fault = plan.check('driver.finish_migration', 'host2', 'u1')
        self.assertEqual('raise', fault.action)
        self.assertIsNone(plan.check('driver.finish_migration', 'host2', 'u1'))
        self.assertEqual([('driver.finish_migration', 'host2', 'u1', 'raise', 1)], plan.fired)

    def test_nth_call(self):
        plan = faults.FaultPlan()
        plan.add('driver.spawn', nth=3)
        got = [plan.check('driver.spawn', 'h%d' % i, 'u') is not None for i in range(5)]
        self.assertEqual([False, False, True, False, False], got)

    def test_every_call_from_nth(self):
        plan = faults.FaultPlan()
        plan.add('driver.spawn', nth=2, every=True)
        got = [plan.check('driver.spawn', 'h', 'u') is not None for _ in range(4)]
        self.assertEqual([False, True, True, True], got)

    def test_by_server_uuid_or_name(self):
        plan = faults.FaultPlan()
        plan.add('driver.destroy', server='vm1', every=True)
        self.assertIsNone(plan.check('driver.destroy', 'h', 'uuid-2', 'vm2'))
        self.assertIsNotNone(plan.check('driver.destroy', 'h', 'uuid-1', 'vm1'))
        plan2 = faults.FaultPlan()
        plan2.add('driver.destroy', server='uuid-1')
        self.assertIsNotNone(plan2.check('driver.destroy', 'h', 'uuid-1'))

    def test_first_added_rule_wins_and_all_count(self):
        plan = faults.FaultPlan()
        a = plan.add('driver.spawn', action='stall')
        b = plan.add('driver.spawn', action='crash')
        self.assertIs(a, plan.check('driver.spawn', 'h', 'u'))
        self.assertEqual(1, b.calls)
        self.assertIsNone(plan.check('driver.spawn', 'h', 'u'))

    def test_disable(self):
        plan = faults.FaultPlan()
        plan.add('driver.spawn', every=True)
        self.assertTrue(plan)
        plan.disable()
        self.assertFalse(plan)
        self.assertIsNone(plan.check('driver.spawn', 'h', 'u'))
        plan.enable()
        self.assertIsNotNone(plan.check('driver.spawn', 'h', 'u'))

    def test_empty_plan_is_false(self):
        self.assertFalse(faults.FaultPlan())


class TestActions(testtools.TestCase):

    def test_raise_builds_novas_exception(self):
        plan = faults.FaultPlan()
        plan.add('driver.finish_migration', exception='VirtualInterfaceCreateException')
        e = plan.check('driver.finish_migration', 'host2', 'u1').exception('host2', 'u1')
        self.assertIsInstance(e, exc.VirtualInterfaceCreateException)
        self.assertEqual('Virtual Interface creation failed', str(e))

    def test_default_exception_mirrors_novas_stubs(self):
        plan = faults.FaultPlan()
        plan.add('driver.migrate_disk_and_power_off')
        e = plan.check('driver.migrate_disk_and_power_off', 'h', 'u').exception('h', 'u')
        self.assertIsInstance(e, exc.TestingException)
        self.assertEqual('Simulated migrate_disk_and_power_off failure.', str(e))

    def test_message_and_template(self):
        plan = faults.FaultPlan()
        plan.add('driver.confirm_migration', exception='MigrationPreCheckError',
                 message='Migration pre-check error: test_migration_confirm_resize_error')
        plan.add('driver.spawn', exception='BuildAbortException')
        e = plan.check('driver.confirm_migration', 'h', 'u').exception('h', 'u')
        self.assertEqual('Migration pre-check error: test_migration_confirm_resize_error', str(e))
        e = plan.check('driver.spawn', 'h', 'u7').exception('h', 'u7')
        self.assertEqual('Build of instance u7 aborted: fault injected at driver.spawn', str(e))

    def test_stall_and_release(self):
        plan = faults.FaultPlan()
        heard = []
        plan.subscribe(lambda point, host: heard.append((point, host)))
        stall = plan.add('driver.finish_migration', host='host2', action='stall')
        self.assertIs(stall, plan.check('driver.finish_migration', 'host2', 'u'))
        self.assertFalse(stall.released('host2'))
        self.assertEqual(0, plan.release('driver.spawn'))
        self.assertEqual(1, plan.release('driver.finish_migration', 'host2'))
        self.assertTrue(stall.released('host2'))
        self.assertFalse(stall.released('host1'))
        self.assertEqual([('driver.spawn', None), ('driver.finish_migration', 'host2')], heard)

    def test_crash(self):
        plan = faults.FaultPlan()
        plan.add('driver.migrate_disk_and_power_off', host='host1', action='crash')
        fault = plan.check('driver.migrate_disk_and_power_off', 'host1', 'u')
        self.assertEqual('crash', fault.action)
        self.assertIn('crash', repr(fault))

    def test_driver_asks_its_plan(self):
        plan = faults.FaultPlan()
        plan.add('driver.spawn', host='host1', server='vm1')
        drv = base.FakeDriver('host1', faults=plan)
        self.assertIsNone(drv.fault_for('spawn', 'u2', 'vm2'))
        self.assertIsNotNone(drv.fault_for('spawn', 'u1', 'vm1'))
        self.assertIsNone(base.FakeDriver('host1').fault_for('spawn', 'u1'))


class TestBadInput(testtools.TestCase):

    def test_unknown_point(self):
        err = self.assertRaises(ValueError, faults.FaultPlan().add, 'driver.finish_migraton')
        self.assertIn("did you mean 'driver.finish_migration'", str(err))

    def test_unknown_exception(self):
        err = self.assertRaises(ValueError, faults.FaultPlan().add, 'driver.spawn',
                                exception='NoValidHots')
        self.assertIn("did you mean 'NoValidHost'", str(err))

    def test_unknown_action(self):
        err = self.assertRaises(ValueError, faults.FaultPlan().add, 'driver.spawn',
                                action='stal')
        self.assertIn("'stall'", str(err))

    def test_exception_only_with_raise(self):
        self.assertRaises(ValueError, faults.FaultPlan().add, 'driver.spawn', action='stall',
                          exception='ResizeError')

    def test_bad_nth(self):
        plan = faults.FaultPlan()
        for bad in (0, -1, 'x', True, faults.MAX_NTH + 1):
            self.assertRaises(ValueError, plan.add, 'driver.spawn', nth=bad)
        self.assertEqual([], plan.rules)

    def test_rule_limit(self):
        plan = faults.FaultPlan()
        for _ in range(faults.MAX_RULES):
            plan.add('driver.spawn')
        err = self.assertRaises(ValueError, plan.add, 'driver.spawn')
        self.assertIn('at most', str(err))


class TestPoints(testtools.TestCase):

    def test_step_points_and_extra_points(self):
        plan = faults.FaultPlan()
        fault = plan.add('compute.prep_resize', exception='TestingException')
        self.assertEqual('Simulated prep_resize failure.',
                         str(plan.check('compute.prep_resize', 'h', 'u').exception('h', 'u')))
        self.assertEqual('prep_resize', fault.method)
        self.assertRaises(ValueError, plan.add, 'conductor.schedule')
        plan = faults.FaultPlan(extra_points=('conductor.schedule',))
        plan.add('conductor.schedule', action='stall')
        self.assertIn('conductor.schedule', plan.points)
        self.assertIn('driver.finish_migration', faults.POINTS)

    def test_point_defaults_mirror_novas_tests(self):
        plan = faults.FaultPlan()
        for point in ('compute.prep_resize', 'compute.resize_claim', 'driver.finish_migration',
                      'driver.confirm_migration', 'compute.finish_resize'):
            plan.add(point)
        texts = {}
        for point in ('compute.prep_resize', 'compute.resize_claim', 'driver.finish_migration',
                      'driver.confirm_migration', 'compute.finish_resize'):
            e = plan.check(point, 'h', 'u').exception('h', 'u')
            texts[point] = (type(e).__name__, str(e))
        self.assertEqual({
            'compute.prep_resize': ('TestingException', 'Simulated _prep_resize failure.'),
            'compute.resize_claim': ('ComputeResourcesUnavailable',
                                     'Insufficient compute resources: Simulated claim failure.'),
            'driver.finish_migration': ('VirtualInterfaceCreateException',
                                        'Virtual Interface creation failed'),
            'driver.confirm_migration': (
                'MigrationPreCheckError',
                'Migration pre-check error: test_migration_confirm_resize_error'),
            'compute.finish_resize': ('TestingException', 'Simulated resize failure.'),
        }, texts)
        self.assertEqual('ComputeResourcesUnavailable', plan.rules[1].exception_name)
        plan.add('compute.prep_resize', message='custom')
        self.assertEqual('custom', str(plan.rules[-1].exception('h', 'u')))
