"""How `resize-harness run` prints results (text, json, subunit) and shows exploration progress."""
import contextlib
import json
import time

from harness.testing import cases as cases_mod
from harness.testing import details as details_mod

_WORDS = {
    cases_mod.PASS: 'PASS', cases_mod.FAIL: 'FAIL', cases_mod.XFAIL: 'XFAIL',
    cases_mod.UXSUCCESS: 'UXPASS', cases_mod.ERROR: 'ERROR',
}


def make_sink(fmt, stream):
    return {'text': TextSink, 'json': JsonSink, 'subunit': SubunitSink}[fmt](stream)


def counts(outcomes):
    out = dict((k, 0) for k in _WORDS)
    for outcome in outcomes:
        out[outcome.status] += 1
    return out


class TextSink(object):
    """One line per test; failures in full with their replay command; a closing summary."""

    def __init__(self, stream):
        self.stream = stream
        self.started = None

    def start(self, total):
        self.started = time.perf_counter()

    def begin(self, case):
        pass

    def outcome(self, outcome):
        write = self.stream.write
        word = _WORDS[outcome.status]
        tail = ''
        if outcome.status == cases_mod.XFAIL:
            xfail = outcome.case.xfail
            tail = '  (bug %s: %s)' % (xfail.bug, xfail.reason) if xfail.bug else \
                '  (%s)' % xfail.reason
        write('%-6s %s%s\n' % (word, outcome.case.id, tail))
        if outcome.status in (cases_mod.FAIL, cases_mod.ERROR, cases_mod.UXSUCCESS):
            verdict = outcome.verdict
            if verdict is not None and not verdict.passed and not outcome.case.catches:
                for line in verdict.report().splitlines():
                    write('       %s\n' % line)
            else:
                write('       %s\n' % outcome.message)
        self.stream.flush()

    def finish(self, outcomes, problems):
        c = counts(outcomes)
        seconds = time.perf_counter() - self.started
        self.stream.write('%d passed, %d failed, %d expected failures, %d unexpected successes, '
                          '%d errors; %d bad input(s) in %.2f s\n' % (
                              c['pass'], c['fail'], c['xfail'], c['uxsuccess'], c['error'],
                              len(problems), seconds))


class JsonSink(object):
    """One JSON document at the end: results, summary and input problems."""

    def __init__(self, stream):
        self.stream = stream

    def start(self, total):
        pass

    def begin(self, case):
        pass

    def outcome(self, outcome):
        pass

    def finish(self, outcomes, problems):
        doc = {
            'results': [{
                'id': o.case.id, 'status': o.status, 'message': o.message,
                'verdict': o.verdict.as_dict() if o.verdict is not None else None,
            } for o in outcomes],
            'summary': counts(outcomes),
            'problems': [str(p) for p in problems],
        }
        self.stream.write(json.dumps(doc, indent=2, sort_keys=True, default=str) + '\n')


class SubunitSink(object):
    """A subunit v2 stream (what stestr and subunit2pyunit read) on the byte stream."""

    def __init__(self, stream):
        import subunit
        self.out = subunit.StreamResultToBytes(getattr(stream, 'buffer', stream))

    def start(self, total):
        pass

    def begin(self, case):
        self.out.status(test_id=case.id, test_status='inprogress')

    def outcome(self, outcome):
        status = {cases_mod.PASS: 'success', cases_mod.FAIL: 'fail',
                  cases_mod.XFAIL: 'xfail', cases_mod.UXSUCCESS: 'uxsuccess',
                  cases_mod.ERROR: 'fail'}[outcome.status]
        attachments = {}
        if outcome.verdict is not None:
            attachments = details_mod.details(outcome.verdict, outcome.message)
        if outcome.message:
            attachments['reason'] = outcome.message
        for name in sorted(attachments):
            self.out.status(test_id=outcome.case.id, file_name=name,
                            file_bytes=attachments[name].encode('utf-8'),
                            mime_type='text/plain; charset=utf8', eof=True)
        self.out.status(test_id=outcome.case.id, test_status=status)

    def finish(self, outcomes, problems):
        for problem in problems:
            test_id = 'scenarios.%s' % problem.filename
            self.out.status(test_id=test_id, test_status='inprogress')
            self.out.status(test_id=test_id, file_name='reason',
                            file_bytes=str(problem).encode('utf-8'),
                            mime_type='text/plain; charset=utf8', eof=True)
            self.out.status(test_id=test_id, test_status='fail')


class _NoProgress(object):
    def start(self, name, total):
        pass

    def update(self, result):
        pass


class _RichProgress(object):
    """A rich progress bar of schedules explored for the current test."""

    def __init__(self, progress):
        self.progress = progress
        self.task = None

    def start(self, name, total):
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(name, total=total or None)

    def update(self, result):
        if self.task is not None:
            self.progress.update(self.task, completed=result.schedules,
                                 description='%s (%d failing)' % (
                                     self.progress.tasks[-1].description.split(' (')[0],
                                     len(result.failures)))


@contextlib.contextmanager
def progress(stream, enabled):
    """Progress for long explorations, on a terminal only (never in pipes or CI logs)."""
    if not enabled or not getattr(stream, 'isatty', lambda: False)():
        yield _NoProgress()
        return
    from rich import progress as rich_progress
    from rich.console import Console
    columns = (rich_progress.TextColumn('{task.description}'), rich_progress.BarColumn(),
               rich_progress.MofNCompleteColumn(), rich_progress.TimeElapsedColumn())
    with rich_progress.Progress(*columns, console=Console(file=stream), transient=True) as bar:
        yield _RichProgress(bar)
