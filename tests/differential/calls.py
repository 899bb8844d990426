"""API calls as plain data, with symbolic references that are bound per execution.

A generated sequence never holds a concrete uuid or generation: it names things (`Ref('rp', 3)`
is the sequence's fourth provider, `Ref('trait', 0)` its first custom trait) and asks for the
current provider or consumer generation (`Gen`, `ConsumerGen`), so the same sequence can run on
two services, and again while shrinking, each time with fresh names (the real service keeps one
database per process). `Binding` turns references into values; `render` gives the request.
"""
import hashlib
import json
import random
import uuid

KINDS_WITH_UUIDS = ('rp', 'consumer', 'agg', 'project', 'user')


class Ref(object):
    """A name for something the sequence uses: ('rp', 0), ('consumer', 2), ('trait', 1)..."""

    __slots__ = ('kind', 'index')

    def __init__(self, kind, index):
        self.kind = kind
        self.index = index

    @property
    def key(self):
        return '%s%d' % (self.kind, self.index)

    def __eq__(self, other):
        return isinstance(other, Ref) and (self.kind, self.index) == (other.kind, other.index)

    def __hash__(self):
        return hash((self.kind, self.index))

    def __repr__(self):
        return '<%s>' % self.key


class Gen(object):
    """The provider's generation at call time, plus `delta` (non-zero makes it stale)."""

    def __init__(self, rp, delta=0):
        self.rp = rp
        self.delta = delta

    def __repr__(self):
        return '<gen %s%+d>' % (self.rp.key, self.delta) if self.delta else '<gen %s>' % self.rp.key


class ConsumerGen(object):
    """The consumer's generation at call time (None when it has no allocations); or a stale one."""

    def __init__(self, consumer, stale=False):
        self.consumer = consumer
        self.stale = stale

    def __repr__(self):
        return '<%sgen %s>' % ('stale ' if self.stale else '', self.consumer.key)


class Call(object):
    """One HTTP request of a sequence.

    `path` and query values are lists of str and Ref parts; `body` is JSON data that may hold
    Ref/Gen/ConsumerGen markers; `raw_body` (bytes) replaces it for malformed requests. `creates`
    are the refs this call brings into existence (for shrinking: later calls depend on it);
    `learns` is a provider ref whose uuid the service chooses (taken from the response).
    """

    def __init__(self, label, method, path, query=(), body=None, raw_body=None,
                 version='1.39', content_type='application/json', creates=(), learns=None):
        self.label = label
        self.method = method
        self.path = list(path)
        self.query = [(key, list(value)) for key, value in query]
        self.body = body
        self.raw_body = raw_body
        self.version = version
        self.content_type = content_type
        self.creates = tuple(creates)
        self.learns = learns

    def uses(self):
        """Every Ref this call mentions (path, query, body)."""
        found = []
        _collect(self.path, found)
        for _key, value in self.query:
            _collect(value, found)
        _collect(self.body, found)
        return found

    def describe(self):
        """One line for reports: method, path, query, body with symbolic names."""
        path = ''.join(_show(part) for part in self.path)
        if self.query:
            path += '?' + '&'.join('%s=%s' % (k, ''.join(_show(p) for p in v))
                                   for k, v in self.query)
        text = '%s %s (%s)' % (self.method, path, self.version)
        if self.raw_body is not None:
            text += ' raw=%r' % self.raw_body
        elif self.body is not None:
            text += ' ' + json.dumps(_shown(self.body), sort_keys=True)
        return text


def _collect(value, found):
    if isinstance(value, Ref):
        found.append(value)
    elif isinstance(value, Gen):
        found.append(value.rp)
    elif isinstance(value, ConsumerGen):
        found.append(value.consumer)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(key, found)
            _collect(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, found)


def _show(part):
    return '{%s}' % part.key if isinstance(part, Ref) else part


def _shown(value):
    if isinstance(value, (Ref, Gen, ConsumerGen)):
        return repr(value)
    if isinstance(value, dict):
        return {_show(k) if isinstance(k, Ref) else k: _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


class Binding(object):
    """Concrete values for one execution of a sequence (shared by both services)."""

    def __init__(self, seed_text):
        digest = hashlib.sha256(seed_text.encode('utf-8')).digest()
        self._rng = random.Random(int.from_bytes(digest[:8], 'big'))
        self.tag = digest[8:13].hex().upper()
        self._values = {}

    def value(self, ref):
        if ref not in self._values:
            self._values[ref] = self._make(ref)
        return self._values[ref]

    def _make(self, ref):
        if ref.kind in KINDS_WITH_UUIDS:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        if ref.kind == 'trait':
            return 'CUSTOM_T%s_%d' % (self.tag, ref.index)
        if ref.kind == 'rc':
            return 'CUSTOM_R%s_%d' % (self.tag, ref.index)
        if ref.kind == 'name':
            return 'rp-%s-%d' % (self.tag.lower(), ref.index)
        if ref.kind == 'uname':
            return 'caf\u00e9-\u2603-%s-%d' % (self.tag.lower(), ref.index)
        if ref.kind == 'prefix':
            return 'CUSTOM_T%s' % self.tag
        raise ValueError('unknown reference kind %r' % ref.kind)

    def known(self):
        """{concrete value: symbolic name} for every value handed out so far."""
        return {value: ref.key for ref, value in self._values.items()}
