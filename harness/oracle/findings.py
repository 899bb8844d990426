"""Findings: what the oracle reports when Nova's model breaks a rule.

A ``Finding`` names the invariant, the consumer and the provider involved, the expected and the
actual amounts, the first step where the problem showed, a slot for the replay command, and the
weakness classes (CWE) that security reviewers file it under:

- a leaked or misplaced allocation: CWE-404 (improper resource release) and CWE-664 (improper
  control of a resource through its lifetime);
- a failure path that leaves bad state: CWE-703 (improper check or handling of exceptional
  conditions);
- a finding that needs a particular interleaving: also CWE-362 (race condition).
"""

CWE_LEAK = ('CWE-404', 'CWE-664')
CWE_FAILURE_PATH = 'CWE-703'
CWE_RACE = 'CWE-362'

CWE_TITLES = {
    'CWE-362': 'Concurrent Execution using Shared Resource with Improper Synchronization',
    'CWE-404': 'Improper Resource Shutdown or Release',
    'CWE-664': 'Improper Control of a Resource Through its Lifetime',
    'CWE-703': 'Improper Check or Handling of Exceptional Conditions',
}

# Invariant names (stable: scenarios, xfail markers and reports refer to them).
USAGE_MATCHES_ALLOCATIONS = 'usage-matches-allocations'
GENERATION_MONOTONIC = 'generation-monotonic'
CAPACITY = 'provider-capacity'
ALLOCATION_ON_UNKNOWN_PROVIDER = 'allocation-on-unknown-provider'
LEGAL_TRANSITION = 'legal-transition'
ALLOCATION_LEAK = 'allocation-leak'
ALLOCATION_FOLLOWS_INSTANCE = 'allocation-follows-instance'
EXPECT_USAGE = 'expect-usage'
EXPECT_ALLOCATION = 'expect-allocation'
EXPECT_SERVER = 'expect-server'
EXPECT_MIGRATION = 'expect-migration'

LEAK_INVARIANTS = (ALLOCATION_LEAK, ALLOCATION_FOLLOWS_INSTANCE, EXPECT_USAGE,
                   EXPECT_ALLOCATION)


class Finding:
    """One broken rule, in words a Nova developer understands."""

    def __init__(self, invariant, message, consumer=None, provider=None, expected=None,
                 actual=None, step=None, cwe=(), replay_command=None, details=None):
        self.invariant = invariant
        self.message = message
        self.consumer = consumer
        self.provider = provider
        self.expected = expected
        self.actual = actual
        self.step = step
        self.cwe = tuple(sorted(set(cwe)))
        self.replay_command = replay_command
        self.details = dict(details or {})

    def __repr__(self):
        return 'Finding(%s: %s)' % (self.invariant, self.message)

    def __eq__(self, other):
        return isinstance(other, Finding) and self.key() == other.key()

    def __hash__(self):
        return hash(self.key())

    def key(self):
        """What makes two findings the same problem (used to deduplicate and to shrink)."""
        return (self.invariant, self.consumer or '', self.provider or '', self.message)

    def signature(self):
        """A short, schedule-independent label (invariant + consumer role)."""
        return '%s:%s' % (self.invariant, self.details.get('role', self.consumer or ''))

    def add_cwe(self, *cwes):
        self.cwe = tuple(sorted(set(self.cwe) | set(cwes)))
        return self

    def mark_failure_path(self):
        """The bad state was left behind by an error-handling path (CWE-703)."""
        return self.add_cwe(CWE_FAILURE_PATH)

    def mark_interleaving(self):
        """The finding needs a particular interleaving of concurrent work (CWE-362)."""
        return self.add_cwe(CWE_RACE)

    def format(self):
        """The full text: message, then where it broke, the CWE classes and the replay."""
        lines = ['%s: %s' % (self.invariant, self.message)]
        if self.step is not None:
            lines.append('  first broken at step %s' % self.step)
        if self.expected is not None or self.actual is not None:
            lines.append('  expected: %s' % _show(self.expected))
            lines.append('  actual:   %s' % _show(self.actual))
        if self.cwe:
            lines.append('  weakness: %s' % ', '.join(
                '%s (%s)' % (c, CWE_TITLES.get(c, '?')) for c in self.cwe))
        if self.replay_command:
            lines.append('  replay: %s' % self.replay_command)
        return '\n'.join(lines)

    def as_dict(self):
        return {
            'invariant': self.invariant, 'message': self.message, 'consumer': self.consumer,
            'provider': self.provider, 'expected': self.expected, 'actual': self.actual,
            'step': self.step, 'cwe': list(self.cwe), 'replay_command': self.replay_command,
            'details': dict(self.details),
        }


def format_resources(resources):
    """``{'VCPU': 1, 'MEMORY_MB': 512}`` -> ``'VCPU=1 MEMORY_MB=512'`` in Nova's usual order."""
    if not resources:
        return 'nothing'
    return ' '.join('%s=%s' % (rc, resources[rc]) for rc in sort_classes(resources))


_ORDER = {'VCPU': 0, 'PCPU': 1, 'MEMORY_MB': 2, 'DISK_GB': 3}


def sort_classes(resources):
    return sorted(resources, key=lambda rc: (_ORDER.get(rc, 9), rc))


def _show(value):
    if isinstance(value, dict) and value and all(isinstance(v, int) for v in value.values()):
        return format_resources(value)
    return repr(value) if not isinstance(value, str) else value


def report(findings):
    """All findings as one text block (empty string when there are none)."""
    return '\n'.join(f.format() for f in findings)
