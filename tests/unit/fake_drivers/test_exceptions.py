"""Nova's exception classes: messages, codes, hierarchy and building by name."""

import testtools

from fake_drivers import exceptions as exc


class TestMessages(testtools.TestCase):

    def test_virtual_interface_message_is_novas(self):
        e = exc.VirtualInterfaceCreateException()
        self.assertEqual('Virtual Interface creation failed', e.format_message())
        self.assertEqual(500, e.kwargs['code'])

    def test_positional_message_replaces_template(self):
        e = exc.VirtualInterfaceCreateException('FakeUnshelveSpawnFailDriver')
        self.assertEqual('FakeUnshelveSpawnFailDriver', str(e))

    def test_template_filled_from_kwargs(self):
        e = exc.ComputeResourcesUnavailable(reason='FakeRescheduleDriver')
        self.assertEqual('Insufficient compute resources: FakeRescheduleDriver.', str(e))
        e = exc.BuildAbortException(instance_uuid='u1', reason='FakeBuildAbortDriver')
        self.assertEqual('Build of instance u1 aborted: FakeBuildAbortDriver', str(e))
        e = exc.NoValidHost(reason='No valid host found for resize')
        self.assertEqual('No valid host was found. No valid host found for resize', str(e))
        e = exc.MigrationPreCheckError(reason='test_migration_confirm_resize_error')
        self.assertEqual('Migration pre-check error: test_migration_confirm_resize_error', str(e))

    def test_missing_kwargs_fall_back_to_raw_template(self):
        self.assertEqual('Resize error: %(reason)s', str(exc.ResizeError()))

    def test_instance_fault_rollback_wraps_inner(self):
        inner = exc.UnableToMigrateToSelf(instance_id='u1', host='host1')
        e = exc.InstanceFaultRollback(inner)
        self.assertIs(inner, e.inner_exception)
        self.assertEqual('Instance rollback performed due to: Unable to migrate instance (u1) '
                         'to current host (host1).', str(e))

    def test_hierarchy_and_codes(self):
        self.assertTrue(issubclass(exc.MaxRetriesExceeded, exc.NoValidHost))
        self.assertTrue(issubclass(exc.ComputeHostNotFound, exc.NotFound))
        self.assertTrue(issubclass(exc.MigrationPreCheckError, exc.MigrationError))
        self.assertEqual(404, exc.InstanceNotFound(instance_id='x').kwargs['code'])
        self.assertEqual(400, exc.UnableToMigrateToSelf(instance_id='x', host='h').code)

    def test_allocation_failures(self):
        e = exc.AllocationDeleteFailed(consumer_uuid='m1', error='conflict')
        self.assertEqual('Failed to delete allocations for consumer m1. Error: conflict', str(e))
        e = exc.AllocationMoveFailed(source_consumer='m', target_consumer='i', error='x')
        self.assertIn('from consumer m to consumer i', str(e))


class TestBuild(testtools.TestCase):

    def test_build_fills_template_from_context(self):
        e = exc.build('BuildAbortException', instance_uuid='u9', reason='why')
        self.assertIsInstance(e, exc.BuildAbortException)
        self.assertEqual('Build of instance u9 aborted: why', str(e))

    def test_build_defaults_missing_keys(self):
        e = exc.build('ResizeError')
        self.assertEqual('Resize error: Simulated failure.', str(e))
        e = exc.build('UnableToMigrateToSelf', server='s1', host='host1')
        self.assertEqual('Unable to migrate instance (s1) to current host (host1).', str(e))

    def test_build_with_message(self):
        self.assertEqual('boom', str(exc.build('MigrationError', message='boom')))
        e = exc.build('TestingException', message='Simulated resize failure.')
        self.assertIsInstance(e, exc.TestingException)
        self.assertEqual('Simulated resize failure.', str(e))

    def test_build_rollback(self):
        e = exc.build('InstanceFaultRollback', message='inner')
        self.assertEqual('Instance rollback performed due to: inner', str(e))

    def test_unknown_name_suggests(self):
        err = self.assertRaises(ValueError, exc.build, 'VirtualInterfaceCreateExcepton')
        self.assertIn("did you mean 'VirtualInterfaceCreateException'", str(err))
        self.assertIn('Valid names:', str(err))
        self.assertNotIn('VirtualInterfaceCreateExcepton', exc.EXCEPTIONS)
