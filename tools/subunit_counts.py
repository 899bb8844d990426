"""Read a subunit v2 stream on stdin and print 'N passed, N failed' (CI's closing line).

Expected failures count as passed (they are the known-open bugs, asserted to fail); unexpected
successes and errors count as failed; skips are listed separately.
"""
import sys

import subunit
import testtools


def main():
    stream = subunit.ByteStreamToStreamResult(sys.stdin.buffer, non_subunit_name='stdout')
    summary = testtools.StreamSummary()
    summary.startTestRun()
    stream.run(summary)
    summary.stopTestRun()
    failed = len(summary.errors) + len(summary.failures) + len(summary.unexpectedSuccesses)
    passed = summary.testsRun - failed - len(summary.skipped)
    print('%d passed, %d failed, %d skipped' % (passed, failed, len(summary.skipped)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
