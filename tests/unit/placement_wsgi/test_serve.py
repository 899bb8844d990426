"""The placement-sim command: arguments and one real HTTP round trip."""

import contextlib
import io
import json
import threading
import urllib.request

import testtools

from placement_sim import serve


class TestServe(testtools.TestCase):

    def test_arguments(self):
        args = serve.parse_args(['--port', '0'])
        self.assertEqual(('127.0.0.1', 0, 'legacy'),
                         (args.host, args.port, args.policy))
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertRaises(SystemExit, serve.parse_args, ['--port', '70000'])
            self.assertRaises(SystemExit, serve.parse_args, [])
        self.assertIn('--port must be between 0 and 65535', stderr.getvalue())

    def test_one_request_over_http(self):
        server = serve.make_server('127.0.0.1', 0)
        self.addCleanup(server.server_close)
        server.timeout = 10
        worker = threading.Thread(target=server.handle_request)
        worker.start()
        port = server.server_address[1]
        request = urllib.request.Request(
            'http://127.0.0.1:%d/' % port,
            headers={'OpenStack-API-Version': 'placement latest'})
        with contextlib.redirect_stderr(io.StringIO()):
            with urllib.request.urlopen(request, timeout=10) as resp:
                body = json.loads(resp.read())
                version = resp.headers['openstack-api-version']
            worker.join(10)
        self.assertFalse(worker.is_alive())
        self.assertEqual('placement 1.39', version)
        self.assertEqual('1.39', body['versions'][0]['max_version'])
