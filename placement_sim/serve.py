"""`placement-sim`: serve the simulated Placement's REST API over HTTP.

    placement-sim --port 8778 [--host 127.0.0.1] [--policy legacy|secure|open]

One in-memory Placement, served by wsgiref (single-threaded, so requests
are handled one at a time in arrival order). Ctrl-C stops it cleanly.
Send `X-Auth-Token: admin` and `OpenStack-API-Version: placement 1.39`.
"""

import argparse
import datetime
import signal
import sys
from wsgiref import simple_server

from placement_sim.handlers import policy
from placement_sim import wsgi


class _QuietHandler(simple_server.WSGIRequestHandler):
    """wsgiref's handler with a bounded request line and one-line logs."""

    def log_message(self, fmt, *args):
        sys.stderr.write('placement-sim: %s\n' % (fmt % args))


def _wall_clock():
    """Real time for Last-Modified: a served API talks to real clients."""
    return datetime.datetime.now(datetime.timezone.utc)


def _interrupt(signum, frame):
    """SIGTERM stops the server like Ctrl-C does."""
    raise KeyboardInterrupt


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='placement-sim',
        description='Serve an in-memory Placement (REST API 1.0-1.39).')
    parser.add_argument('--port', type=int, required=True,
                        help='TCP port to listen on (0 picks a free one)')
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to bind (default 127.0.0.1)')
    parser.add_argument('--policy', default='legacy', choices=policy.MODES,
                        help='policy defaults to enforce (default legacy)')
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error('--port must be between 0 and 65535, got %d' % args.port)
    return args


def make_server(host, port, policy_mode='legacy'):
    """A wsgiref server for a fresh Placement (not yet serving)."""
    app = wsgi.make_app(policy_mode=policy_mode, clock=_wall_clock)
    return simple_server.make_server(host, port, app,
                                     handler_class=_QuietHandler)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        server = make_server(args.host, args.port, args.policy)
    except OSError as exc:
        sys.stderr.write('placement-sim: cannot listen on %s:%d: %s\n'
                         % (args.host, args.port, exc))
        return 2
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    host, port = server.server_address[:2]
    sys.stderr.write('placement-sim: serving on http://%s:%d/ (Ctrl-C to '
                     'stop)\n' % (host, port))
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        sys.stderr.write('placement-sim: stopping\n')
    finally:
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
