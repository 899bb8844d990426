"""Operations per second of placement_sim (Python API and WSGI app) and of the real Placement.

A program, not a test: `python benchmarks/placement_ops.py [--seconds S] [--providers N]`, run
from the repository root. In one process it measures, for each of three targets,

- PUT+GET: PUT /allocations/{new consumer} then GET /allocations/{consumer} (one op = the pair);
- move: POST /allocations with two consumers, as Nova moves a server at 1.28 (the migration
  consumer takes the source allocation, the instance's goes to the destination), alternating
  with the revert so that every op is the same kind of write;
- usages: GET /resource_providers/{uuid}/usages;
- candidates: GET /allocation_candidates for VCPU, MEMORY_MB and DISK_GB over N (1,000) providers;

and prints a table of ops/s and the speed-up over the real service (targets: Python API >= 300x
and WSGI >= 20x on PUT+GET). Targets: `placement_sim.Placement` called directly,
`placement_sim.wsgi.make_app()` and the real openstack-placement 16.0.0 app (in-process, in-memory
SQLite, stock: without the differential suite's speed-ups), both WSGI apps called with webob.
Each measurement runs for a bounded time after a short warm-up; the whole run takes about a
minute (most of it creating the providers in the real service).
"""
import argparse
import json
import os
import sys
import time
import uuid

import webob

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

VERSION = '1.39'
RESOURCES = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 10}
INVENTORY = {
    'VCPU': {'total': 10 ** 6, 'allocation_ratio': 16.0},
    'MEMORY_MB': {'total': 10 ** 8},
    'DISK_GB': {'total': 10 ** 7},
}
PROJECT = 'b0a1c5f2-5f61-4f2d-9a41-3c1e6b6f0b11'
USER = 'c3d2e1f0-7a6b-4c5d-8e9f-0a1b2c3d4e5f'
OPERATIONS = ('PUT+GET', 'move', 'usages', 'candidates')


def _uuid(number):
    return str(uuid.UUID(int=(0xBE7C << 112) + number, version=4))


class PythonApiTarget(object):
    """placement_sim.Placement called directly."""

    name = 'Python API'

    def __init__(self):
        from placement_sim import Placement
        self.p = Placement()

    def create_provider(self, rp):
        self.p.create_provider('bench-%s' % rp, uuid=rp)
        self.p.set_inventories(rp, 0, INVENTORY)

    def put_get(self, consumer, rp):
        self.p.put_allocations(consumer, {rp: {'resources': dict(RESOURCES)}}, PROJECT, USER,
                               None, 'INSTANCE')
        return self.p.get_allocations(consumer)

    def post(self, body):
        self.p.post_allocations(body)

    def usages(self, rp):
        return self.p.get_usages(rp)

    def candidates(self):
        groups = {'': {'resources': dict(RESOURCES), 'use_same_provider': False}}
        return self.p.allocation_candidates(groups)


class WsgiTarget(object):
    """A Placement WSGI app called through webob (no network)."""

    def __init__(self, name, app):
        self.name = name
        self.app = app

    def call(self, method, path, body=None, expect=200):
        request = webob.Request.blank(path, method=method)
        request.headers['X-Auth-Token'] = 'admin'
        request.headers['OpenStack-API-Version'] = 'placement %s' % VERSION
        request.headers['Accept'] = 'application/json'
        if body is not None:
            request.body = json.dumps(body).encode('utf-8')
            request.content_type = 'application/json'
        response = request.get_response(self.app)
        if response.status_code != expect:
            raise RuntimeError('%s: %s %s -> %s %s' % (self.name, method, path, response.status,
                                                       response.text[:300]))
        return response

    def create_provider(self, rp):
        self.call('POST', '/resource_providers', {'name': 'bench-%s' % rp, 'uuid': rp})
        self.call('PUT', '/resource_providers/%s/inventories' % rp,
                  {'resource_provider_generation': 0, 'inventories': INVENTORY})

    def put_get(self, consumer, rp):
        body = {'allocations': {rp: {'resources': dict(RESOURCES)}}, 'project_id': PROJECT,
                'user_id': USER, 'consumer_generation': None, 'consumer_type': 'INSTANCE'}
        self.call('PUT', '/allocations/%s' % consumer, body, expect=204)
        return self.call('GET', '/allocations/%s' % consumer)

    def post(self, body):
        self.call('POST', '/allocations', body, expect=204)

    def usages(self, rp):
        return self.call('GET', '/resource_providers/%s/usages' % rp)

    def candidates(self):
        query = 'resources=' + ','.join('%s:%d' % item for item in sorted(RESOURCES.items()))
        return self.call('GET', '/allocation_candidates?' + query)


class MoveLoop(object):
    """Alternating move and revert of one server between two providers (Nova's POSTs)."""

    def __init__(self, source, dest, instance, migration):
        self.source, self.dest = source, dest
        self.instance, self.migration = instance, migration
        self.instance_generation = 1
        self.moved = False

    def _entry(self, allocations, generation, consumer_type):
        return {'allocations': allocations, 'project_id': PROJECT, 'user_id': USER,
                'consumer_generation': generation, 'consumer_type': consumer_type}

    def next_body(self):
        held = {'resources': dict(RESOURCES)}
        if not self.moved:
            body = {self.migration: self._entry({self.source: held}, None, 'MIGRATION'),
                    self.instance: self._entry({self.dest: held}, self.instance_generation,
                                               'INSTANCE')}
        else:
            body = {self.instance: self._entry({self.source: held}, self.instance_generation,
                                               'INSTANCE'),
                    self.migration: self._entry({}, 1, 'MIGRATION')}
        self.moved = not self.moved
        self.instance_generation += 1
        return body


def measure(function, seconds, limit=100000, warmup=2):
    """Ops per second of `function(i)`, run for about `seconds` (at least 3 ops)."""
    for i in range(warmup):
        function(i)
    count = 0
    started = time.perf_counter()
    elapsed = 0.0
    while count < limit and (count < 3 or elapsed < seconds):
        function(warmup + count)
        count += 1
        elapsed = time.perf_counter() - started
    return count / elapsed


def bench_target(target, seconds, providers):
    """{operation: ops/s} for one target."""
    rps = [_uuid(i) for i in range(providers)]
    started = time.perf_counter()
    for rp in rps:
        target.create_provider(rp)
    setup = time.perf_counter() - started
    base = 1 << 40
    results = {}
    results['PUT+GET'] = measure(lambda i: target.put_get(_uuid(base + i), rps[i % 10]),
                                 seconds)
    loop = MoveLoop(rps[0], rps[1], _uuid(base * 2), _uuid(base * 2 + 1))
    target.put_get(loop.instance, loop.source)
    results['move'] = measure(lambda i: target.post(loop.next_body()), seconds)
    results['usages'] = measure(lambda i: target.usages(rps[i % 10]), seconds)
    results['candidates'] = measure(lambda i: target.candidates(), seconds * 2, warmup=1)
    return results, setup


def check_candidates(targets, providers):
    """Each target really returns one candidate per provider (the benchmark measures work)."""
    for target in targets:
        found = target.candidates()
        if hasattr(found, 'json'):
            found = found.json
        count = len(found['allocation_requests'])
        if count != providers:
            raise RuntimeError('%s returned %d candidates, expected %d'
                               % (target.name, count, providers))


def table(results):
    real = results['real']
    header = ('operation', 'Python API', 'WSGI (sim)', 'real', 'API/real', 'WSGI/real')
    lines = ['%-12s %14s %14s %14s %12s %12s' % header]
    for op in OPERATIONS:
        api, wsgi, ref = results['api'][op], results['wsgi'][op], real[op]
        lines.append('%-12s %12.0f/s %12.0f/s %12.1f/s %11.0fx %11.1fx'
                     % (op, api, wsgi, ref, api / ref, wsgi / ref))
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seconds', type=float, default=2.0,
                        help='time per measurement (default 2; candidates get twice that)')
    parser.add_argument('--providers', type=int, default=1000,
                        help='providers in each service (default 1000)')
    args = parser.parse_args(argv)
    if not 10 <= args.providers <= 5000:
        parser.error('--providers must be between 10 and 5000')
    from placement_sim import Placement
    from placement_sim.wsgi import make_app
    from tests.differential import realservice
    started = time.perf_counter()
    targets = {
        'api': PythonApiTarget(),
        'wsgi': WsgiTarget('WSGI (sim)', make_app(Placement())),
        'real': WsgiTarget('real', realservice.make_app(fast=False)),
    }
    results = {}
    for key in ('api', 'wsgi', 'real'):
        results[key], setup = bench_target(targets[key], args.seconds, args.providers)
        print('%-10s set up %d providers in %.1f s' % (targets[key].name, args.providers, setup))
    check_candidates(targets.values(), args.providers)
    print()
    print(table(results))
    put_get = results['api']['PUT+GET'] / results['real']['PUT+GET']
    wsgi = results['wsgi']['PUT+GET'] / results['real']['PUT+GET']
    print()
    print('PUT+GET speed-up over the real service: Python API %.0fx (target >= 300x: %s), '
          'WSGI %.1fx (target >= 20x: %s)'
          % (put_get, 'met' if put_get >= 300 else 'NOT met',
             wsgi, 'met' if wsgi >= 20 else 'NOT met'))
    print('total run time %.1f s' % (time.perf_counter() - started))
    return 0


if __name__ == '__main__':
    sys.exit(main())
