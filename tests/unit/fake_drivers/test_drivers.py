"""The fake drivers: capacity presets, guest bookkeeping, Nova's named failure drivers."""

import testtools

import fake_drivers
from fake_drivers import base
from fake_drivers import exceptions as exc


class Flavor:
    def __init__(self, vcpus, memory_mb, root_gb):
        self.vcpus, self.memory_mb, self.root_gb = vcpus, memory_mb, root_gb


class Instance:
    def __init__(self, uuid, flavor, vm_state='active'):
        self.uuid, self.flavor, self.vm_state = uuid, flavor, vm_state
        self.display_name = 'vm-' + uuid


class Migration:
    def __init__(self, source, dest):
        self.source_compute, self.dest_compute = source, dest


TINY = Flavor(1, 512, 1)
SMALL = Flavor(1, 2048, 20)


class TestRegistry(testtools.TestCase):

    def test_names(self):
        for name in ('FakeDriver', 'SmallFakeDriver', 'MediumFakeDriver',
                     'SameHostColdMigrateDriver', 'FakeFinishMigrationFailDriver',
                     'FakeRescheduleDriver', 'FakeBuildAbortDriver', 'FakeLiveMigrateDriver',
                     'FakeUnshelveSpawnFailDriver'):
            self.assertEqual(name, fake_drivers.get_driver_class(name).__name__)

    def test_nova_config_spelling_and_default(self):
        cls = fake_drivers.get_driver_class('fake.FakeFinishMigrationFailDriver')
        self.assertEqual('FakeFinishMigrationFailDriver', cls.__name__)
        self.assertIs(fake_drivers.FakeDriver, fake_drivers.get_driver_class())

    def test_unknown_driver_did_you_mean(self):
        err = self.assertRaises(ValueError, fake_drivers.get_driver_class, 'FakeResizeDriver')
        self.assertIn("unknown driver 'FakeResizeDriver'", str(err))
        self.assertIn('did you mean', str(err))
        self.assertIn('FakeFinishMigrationFailDriver', str(err))


class TestCapacity(testtools.TestCase):

    def test_presets(self):
        def totals(name):
            inv = fake_drivers.get_driver_class(name)('h').get_inventory()
            return tuple(inv[rc]['total'] for rc in ('VCPU', 'MEMORY_MB', 'DISK_GB'))
        self.assertEqual((1000, 800000, 600000), totals('FakeDriver'))
        self.assertEqual((2, 8192, 1028), totals('SmallFakeDriver'))
        self.assertEqual((10, 8192, 1028), totals('MediumFakeDriver'))
        self.assertEqual((10, 8192, 1028), totals('SameHostColdMigrateDriver'))

    def test_inventory_defaults_follow_nova_conf(self):
        inv = base.FakeDriver('host1').get_inventory()
        self.assertEqual(512, inv['MEMORY_MB']['reserved'])
        self.assertEqual(4.0, inv['VCPU']['allocation_ratio'])
        self.assertEqual(1.0, inv['DISK_GB']['allocation_ratio'])
        self.assertEqual(600000, inv['DISK_GB']['max_unit'])
        inv = base.FakeDriver('host1').get_inventory(reserved={'MEMORY_MB': 0})
        self.assertEqual(0, inv['MEMORY_MB']['reserved'])

    def test_node_names_and_uuids(self):
        self.assertEqual('fake-mini', base.FakeDriver('compute').nodename)
        drv = base.FakeDriver('host1')
        self.assertEqual('host1', drv.nodename)
        res = drv.get_available_resource('host1')
        self.assertEqual(base.node_uuid('host1'), res['uuid'])
        self.assertNotEqual(base.node_uuid('host1'), base.node_uuid('host2'))
        self.assertEqual({}, drv.get_available_resource('other'))

    def test_nested_driver_reports_child(self):
        drv = fake_drivers.get_driver_class('MediumFakeDriverWithNestedCustomResources')('h1')
        tree = drv.update_provider_tree({})
        self.assertEqual(['h1', 'h1-child'], sorted(tree))
        self.assertEqual(10, tree['h1-child']['CUSTOM_MAGIC']['total'])

    def test_same_host_capability(self):
        self.assertFalse(base.FakeDriver('h').capabilities['supports_migrate_to_same_host'])
        cls = fake_drivers.get_driver_class('SameHostColdMigrateDriver')
        self.assertTrue(cls('h').capabilities['supports_migrate_to_same_host'])


class TestGuestLifecycle(testtools.TestCase):

    def test_resize_across_hosts(self):
        src, dst = base.FakeDriver('host1'), base.FakeDriver('host2')
        inst = Instance('u1', TINY)
        src.spawn(inst)
        self.assertEqual(base.RUNNING, src.get_info(inst))
        self.assertEqual(512, src.get_available_resource()['memory_mb_used'])
        self.assertEqual('', src.migrate_disk_and_power_off(inst, 'host2', SMALL))
        inst.flavor = SMALL
        dst.finish_migration(Migration('host1', 'host2'), inst, power_on=False)
        self.assertEqual(base.SHUTDOWN, dst.get_info(inst))
        inst.flavor = TINY
        src.confirm_migration(Migration('host1', 'host2'), inst)
        self.assertEqual([], src.list_instance_uuids())
        self.assertEqual(0, src.get_available_resource()['memory_mb_used'])
        self.assertEqual(['u1'], dst.list_instance_uuids())

    def test_same_host_confirm_keeps_guest(self):
        drv = base.FakeDriver('host1')
        inst = Instance('u1', TINY)
        drv.spawn(inst)
        drv.confirm_migration(Migration('host1', 'host1'), inst)
        self.assertEqual(['u1'], drv.list_instance_uuids())

    def test_revert_recreates_guest(self):
        drv = base.FakeDriver('host1')
        inst = Instance('u1', TINY)
        drv.finish_revert_migration(inst, power_on=True)
        self.assertEqual(base.RUNNING, drv.get_info(inst))

    def test_power_and_cleanup(self):
        drv = base.FakeDriver('host1')
        inst = Instance('u1', TINY)
        err = self.assertRaises(exc.InstanceNotFound, drv.power_off, inst)
        self.assertEqual('Instance u1 could not be found.', str(err))
        drv.spawn(inst)
        drv.power_off(inst)
        self.assertEqual(base.SHUTDOWN, drv.get_info(inst))
        drv.power_on(inst)
        self.assertRaises(exc.InstanceExists, drv.cleanup, inst)
        drv.destroy(inst)
        drv.cleanup(inst)
        self.assertEqual(base.NOSTATE, drv.get_info(inst))
        self.assertEqual(['spawn', 'power_off', 'power_on', 'cleanup', 'destroy', 'cleanup'],
                         [c[0] for c in drv.calls[1:]])


class TestNamedDrivers(testtools.TestCase):

    def test_finish_migration_fail(self):
        drv = fake_drivers.get_driver_class('FakeFinishMigrationFailDriver')('host2')
        err = self.assertRaises(exc.VirtualInterfaceCreateException, drv.finish_migration,
                                Migration('host1', 'host2'), Instance('u1', SMALL))
        self.assertEqual('Virtual Interface creation failed', err.format_message())
        self.assertEqual([], drv.list_instance_uuids())
        drv.spawn(Instance('u2', TINY))
        self.assertEqual(['u2'], drv.list_instance_uuids())

    def test_reschedule_first_spawn_per_instance_across_hosts(self):
        cls = fake_drivers.get_driver_class('FakeRescheduleDriver')
        shared = {}
        h1, h2 = cls('host1', shared=shared), cls('host2', shared=shared)
        inst = Instance('u1', TINY)
        err = self.assertRaises(exc.ComputeResourcesUnavailable, h1.spawn, inst)
        self.assertEqual('Insufficient compute resources: FakeRescheduleDriver.', str(err))
        h2.spawn(inst)
        self.assertEqual(['u1'], h2.list_instance_uuids())
        self.assertRaises(exc.ComputeResourcesUnavailable, h1.spawn, Instance('u2', TINY))

    def test_reschedule_state_private_without_shared(self):
        cls = fake_drivers.get_driver_class('FakeRescheduleDriver')
        inst = Instance('u1', TINY)
        self.assertRaises(exc.ComputeResourcesUnavailable, cls('a').spawn, inst)
        self.assertRaises(exc.ComputeResourcesUnavailable, cls('b').spawn, inst)

    def test_build_abort(self):
        drv = fake_drivers.get_driver_class('FakeBuildAbortDriver')('host1')
        err = self.assertRaises(exc.BuildAbortException, drv.spawn, Instance('u1', TINY))
        self.assertEqual('Build of instance u1 aborted: FakeBuildAbortDriver', str(err))

    def test_unshelve_spawn_fail_only_when_offloaded(self):
        drv = fake_drivers.get_driver_class('FakeUnshelveSpawnFailDriver')('host1')
        drv.spawn(Instance('u1', TINY))
        err = self.assertRaises(exc.VirtualInterfaceCreateException, drv.spawn,
                                Instance('u2', TINY, vm_state='shelved_offloaded'))
        self.assertEqual('FakeUnshelveSpawnFailDriver', str(err))

    def test_live_migrate_post_or_abort(self):
        drv = fake_drivers.get_driver_class('FakeLiveMigrateDriver')('host1')
        inst = Instance('u1', TINY)
        done = []

        def post(i, dest):
            done.append(('post', dest))

        def recover(i, dest, migration_status=None):
            done.append(('recover', migration_status))
        drv.live_migration(inst, 'host2', post, recover)
        drv.live_migration_abort(inst)
        self.assertFalse(drv.migrating)
        drv.live_migration(inst, 'host2', post, recover)
        drv.live_migration(inst, 'host2', post, recover)
        self.assertEqual([('post', 'host2'), ('recover', 'cancelled'), ('post', 'host2')], done)
