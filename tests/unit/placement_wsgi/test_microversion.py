"""The microversion parser on its own."""

import testtools

from placement_sim import microversion


class TestParse(testtools.TestCase):

    def test_versions_and_lookup(self):
        self.assertEqual(40, len(microversion.VERSIONS))
        env = {'HTTP_OPENSTACK_API_VERSION': 'placement 1.01'}
        self.assertEqual((1, 1), microversion.from_environ(env))
        env = {'HTTP_OPENSTACK_API_VERSION': 'PLACEMENT  1.28 '}
        self.assertEqual((1, 28), microversion.from_environ(env))
        self.assertEqual('placement 1.28', microversion.response_header(
            microversion.from_environ(env)))

    def test_errors(self):
        env = {'HTTP_OPENSTACK_API_VERSION': 'placement 1_1.2'}
        error = self.assertRaises(microversion.UnacceptableVersion,
                                  microversion.from_environ, env)
        self.assertEqual('Unacceptable version header: 1_1.2', str(error))
        env = {'HTTP_OPENSTACK_API_VERSION': 'placement one.two'}
        self.assertRaises(microversion.MalformedVersion,
                          microversion.from_environ, env)

    def test_matches(self):
        version = microversion.from_environ(
            {'HTTP_OPENSTACK_API_VERSION': 'placement 1.23'})
        self.assertTrue(version.matches((1, 23)))
        self.assertFalse(version.matches((1, 24)))
        self.assertFalse(version.matches((1, 0), (1, 22)))
