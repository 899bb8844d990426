"""Benchmark: PUT+GET of an allocation through placement_sim.wsgi.make_app().

Prints the median time per PUT /allocations/{c} + GET /allocations/{c}
pair at microversion 1.39, calling the WSGI app directly (no HTTP), the
same way the reference figure for real Placement (~12 ms) was taken.
With --real, the same loop also runs against openstack-placement in this
process (in-memory SQLite) so the two figures share a machine and a load.

    python benchmarks/placement_wsgi_speed.py [--cycles N] [--real]
"""

import argparse
import io
import json
import statistics
import time
import uuid

from placement_sim import wsgi

RP = '7d5a1c4e-0000-4000-8000-000000000001'


def _environ(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else b''
    environ = {
        'REQUEST_METHOD': method, 'PATH_INFO': path, 'SCRIPT_NAME': '',
        'QUERY_STRING': '', 'SERVER_NAME': 'localhost', 'SERVER_PORT': '80',
        'HTTP_HOST': 'localhost', 'wsgi.url_scheme': 'http',
        'wsgi.input': io.BytesIO(data), 'CONTENT_LENGTH': str(len(data)),
        'HTTP_X_AUTH_TOKEN': 'admin',
        'HTTP_OPENSTACK_API_VERSION': 'placement 1.39',
        'HTTP_ACCEPT': 'application/json',
    }
    if body is not None:
        environ['CONTENT_TYPE'] = 'application/json'
    return environ


def _call(app, method, path, body=None):
    status = []
    out = b''.join(app(_environ(method, path, body),
                       lambda s, h, e=None: status.append(s)))
    return status[0], out


def _real_app():
    """openstack-placement's own app on in-memory SQLite, no auth."""
    from oslo_config import cfg
    from oslo_policy import opts as policy_opts
    from placement import conf as placement_conf
    from placement import db_api
    from placement import deploy
    conf = cfg.ConfigOpts()
    placement_conf.register_opts(conf)
    policy_opts.set_defaults(conf, enforce_new_defaults=False)
    conf.set_override('connection', 'sqlite://', group='placement_database')
    conf([], default_config_files=[])
    conf.set_override('sync_on_startup', True, group='placement_database')
    conf.set_override('auth_strategy', 'noauth2', group='api')
    db_api.configure(conf)
    return deploy.loadapp(conf)


def _median_cycle_us(app, cycles):
    """Median microseconds of one PUT+GET pair on a fresh consumer."""
    _call(app, 'POST', '/resource_providers', {'name': 'cn1', 'uuid': RP})
    _call(app, 'PUT', '/resource_providers/%s/inventories' % RP, {
        'resource_provider_generation': 0,
        'inventories': {'VCPU': {'total': 100000},
                        'MEMORY_MB': {'total': 10 ** 8}}})
    timings = []
    for number in range(max(1, cycles)):
        consumer = str(uuid.UUID(int=number + 1))
        body = {'allocations': {RP: {'resources': {'VCPU': 1,
                                                   'MEMORY_MB': 512}}},
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': None, 'consumer_type': 'INSTANCE'}
        start = time.perf_counter()
        put_status, _ = _call(app, 'PUT', '/allocations/' + consumer, body)
        get_status, _ = _call(app, 'GET', '/allocations/' + consumer)
        timings.append(time.perf_counter() - start)
        assert put_status.startswith('204') and get_status.startswith('200')
    return statistics.median(timings) * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cycles', type=int, default=2000)
    parser.add_argument('--real', action='store_true',
                        help='also time openstack-placement in-process')
    args = parser.parse_args()
    sim = _median_cycle_us(wsgi.make_app(), args.cycles)
    print('placement_sim WSGI PUT+GET allocation: median %.1f us over %d '
          'cycles' % (sim, args.cycles))
    if args.real:
        real = _median_cycle_us(_real_app(), min(args.cycles, 300))
        print('openstack-placement WSGI PUT+GET allocation: median %.1f us '
              '(%d cycles); placement_sim is %.0fx faster'
              % (real, min(args.cycles, 300), real / sim))
    else:
        print('(reference: real placement in-process ~12000 us; run with '
              '--real to measure it here)')


if __name__ == '__main__':
    main()
