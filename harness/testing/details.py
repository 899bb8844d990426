"""The details a failing scenario test carries: replay command, shrunk schedule, usages, trace."""

MAX_TRACE_CHARS = 200000


def details(verdict, message=''):
    """{detail name: text} for a verdict (empty dict when it passed with nothing to say)."""
    if verdict.passed and not verdict.notes:
        return {}
    out = {}
    if not verdict.passed:
        out['findings'] = verdict.report()
        out['replay'] = verdict.replay_command
        out['schedule'] = schedule_text(verdict)
        out['usage difference'] = usage_difference(verdict)
        trace = verdict.trace or ''
        if len(trace) > MAX_TRACE_CHARS:
            trace = trace[:MAX_TRACE_CHARS] + '\n... (trace cut at %d characters)' % (
                MAX_TRACE_CHARS)
        out['trace'] = trace
    if verdict.notes:
        out['notes'] = '\n'.join(verdict.notes)
    return out


def schedule_text(verdict):
    """The schedule of the (shrunk) failing run: strategy, choices and the steps taken."""
    lines = ['strategy: %s  seed: %s  schedules explored: %s'
             % (verdict.strategy, verdict.seed, verdict.schedules)]
    if verdict.original_choices is not None:
        lines.append('choices: %d (shrunk from %d): %s' % (
            len(verdict.choices), len(verdict.original_choices),
            ','.join(str(c) for c in verdict.choices)))
    elif verdict.choices:
        lines.append('choices: %s' % ','.join(str(c) for c in verdict.choices))
    lines.append('steps:')
    lines.extend('  ' + s for s in verdict.schedule)
    return '\n'.join(lines)


def usage_difference(verdict):
    """Expected against actual amounts of every finding that has them, then usage at the end."""
    lines = []
    for finding in verdict.findings:
        if finding.expected is None and finding.actual is None:
            continue
        who = ' '.join(x for x in (finding.consumer and 'consumer %s' % finding.consumer,
                                   finding.provider and 'provider %s' % finding.provider) if x)
        lines.append('%s%s' % (finding.invariant, ' (%s)' % who if who else ''))
        lines.append('  expected: %s' % (finding.expected,))
        lines.append('  actual:   %s' % (finding.actual,))
    if verdict.timeline:
        first, last = verdict.timeline[0], verdict.timeline[-1]
        lines.append('usage per host (first sample -> end):')
        before = dict(first[2])
        for host, usage in last[2]:
            lines.append('  %s: %s -> %s' % (host, _words(before.get(host, ())), _words(usage)))
    return '\n'.join(lines) or 'no usage difference recorded'


def _words(usage):
    return ' '.join('%s=%s' % (rc, n) for rc, n in usage) or 'nothing'
