"""Run a call sequence on the real Placement and on placement_sim side by side, call by call.

Each execution binds the sequence's references to fresh values (`calls.Binding`, seeded by the
sequence seed and the execution number, so runs are reproducible), sends every call to both apps
with `X-Auth-Token: admin`, and compares the normalized answers (`normalize.py`). Generations are
read just before the call that needs them, with a GET to placement_sim that is not compared (the
way a client reads before it writes), and the same number goes to both services: if the two
disagreed about a generation, one of them would refuse the write and the answers would differ.
An exception out of either app is always a divergence (the real app answers every request).
"""
import json

import webob

from tests.differential import calls as calls_mod
from tests.differential import normalize


class Answer(object):
    """One service's normalized answer to one call."""

    def __init__(self, status, body):
        self.status = status
        self.body = body

    def same(self, other):
        return (self.status, self.body) == (other.status, other.body)

    def __repr__(self):
        return '%d %s' % (self.status, self.body)


class Target(object):
    """One service during one execution: its app and the uuids it chose itself."""

    def __init__(self, name, app, binding):
        self.name = name
        self.app = app
        self.binding = binding
        self.learned = {}
        self._renamer = (0, None)

    def pin(self, value):
        """`value` with its generation markers replaced by this service's current numbers."""
        if isinstance(value, (calls_mod.Gen, calls_mod.ConsumerGen)):
            return self.resolve(value)
        if isinstance(value, dict):
            return {k: self.pin(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.pin(item) for item in value]
        return value

    def resolve(self, value):
        if isinstance(value, calls_mod.Ref):
            if value in self.learned:
                return self.learned[value]
            return self.binding.value(value)
        if isinstance(value, calls_mod.Gen):
            return self._provider_generation(value.rp) + value.delta
        if isinstance(value, calls_mod.ConsumerGen):
            current = self._consumer_generation(value.consumer)
            if not value.stale:
                return current
            return 0 if current is None else current + 1
        if isinstance(value, dict):
            return {self.resolve(k): self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def _read(self, path, version):
        request = webob.Request.blank(path, method='GET')
        request.headers['X-Auth-Token'] = 'admin'
        request.headers['OpenStack-API-Version'] = 'placement %s' % version
        request.headers['Accept'] = 'application/json'
        response = request.get_response(self.app)
        return response.status_code, (response.json if response.body else None)

    def _provider_generation(self, ref):
        status, data = self._read('/resource_providers/%s' % self.resolve(ref), '1.14')
        return data['generation'] if status == 200 else 0

    def _consumer_generation(self, ref):
        status, data = self._read('/allocations/%s' % self.resolve(ref), '1.28')
        if status != 200:
            return None
        return data.get('consumer_generation')

    def send(self, call, body=None):
        path = ''.join(str(self.resolve(part)) for part in call.path)
        if call.query:
            path += '?' + '&'.join('%s=%s' % (key, ''.join(str(self.resolve(p)) for p in value))
                                   for key, value in call.query)
        request = webob.Request.blank(path, method=call.method)
        request.headers['X-Auth-Token'] = 'admin'
        request.headers['Accept'] = 'application/json'
        if call.version:
            request.headers['OpenStack-API-Version'] = 'placement %s' % call.version
        if call.raw_body is not None:
            request.body = call.raw_body
        elif call.body is not None:
            data = call.body if body is None else body
            request.body = json.dumps(self.resolve(data)).encode('utf-8')
        if call.content_type and (call.raw_body is not None or call.body is not None):
            request.content_type = call.content_type
        response = request.get_response(self.app)
        if call.learns is not None and response.status_code == 200 and response.body:
            self.learned[call.learns] = response.json.get('uuid')
        return response

    def known(self):
        known = self.binding.known()
        for ref, value in self.learned.items():
            if value:
                known[value] = ref.key
        return known

    def renamer(self):
        """A Renamer for the values known so far (rebuilt only when new ones appear)."""
        size = len(self.binding.known()) + len(self.learned)
        if self._renamer[0] != size:
            self._renamer = (size, normalize.Renamer(self.known()))
        return self._renamer[1]

    def answer(self, call, body=None):
        try:
            response = self.send(call, body)
        except Exception as exc:  # a service that raises is a finding, not a test error
            return Answer(-1, '%s raised %s: %s' % (self.name, type(exc).__name__, exc))
        limited = any(key == 'limit' for key, _value in call.query)
        status, body = normalize.normalize(response.status_code, response.body, self.renamer(),
                                           count_only=limited)
        return Answer(status, body)


class Divergence(object):
    """The first call on which the two services answered differently."""

    def __init__(self, position, call, real, sim):
        self.position = position
        self.call = call
        self.real = real
        self.sim = sim

    def signature(self):
        return self.call.label

    def report(self):
        return ('call %d %s\n  real:  %r\n  sim:   %r'
                % (self.position, self.call.describe(), self.real, self.sim))


# Executions per seed in this process: the real service keeps one database per process, so a
# sequence that runs again (shrinking, another test with the same seed) needs new values.
_EXECUTIONS = {}


class Executor(object):
    """Runs sequences of one seed; every run gets fresh values (execution number in the seed)."""

    def __init__(self, seed, real_app, make_sim_app):
        self.seed = seed
        self.real_app = real_app
        self.make_sim_app = make_sim_app
        self.executions = 0
        self.calls_sent = 0

    def run(self, sequence):
        """Returns the first Divergence, or None when every answer matched."""
        number = _EXECUTIONS.get(self.seed, 0)
        _EXECUTIONS[self.seed] = number + 1
        binding = calls_mod.Binding('differential:%d:%d' % (self.seed, number))
        self.executions += 1
        real = Target('real', self.real_app, binding)
        sim = Target('sim', self.make_sim_app(), binding)
        for position, call in enumerate(sequence):
            self.calls_sent += 1
            body = sim.pin(call.body)
            real_answer = real.answer(call, body)
            sim_answer = sim.answer(call, body)
            if not real_answer.same(sim_answer):
                return Divergence(position, call, real_answer, sim_answer)
        return None
