"""The exclusion table is valid and the README's "Conformance exclusions" section matches it."""
import os
import tempfile
import unittest

import testtools
import yaml

from tests.conformance import exclusions
from tests.conformance import loader


def _test_names(name):
    with open(os.path.join(loader.gabbits_dir(), name), encoding='utf-8') as stream:
        return [test['name'] for test in yaml.safe_load(stream)['tests']]


class TestExclusionTable(testtools.TestCase):

    def test_readme_section_matches_table(self):
        text = exclusions.readme_path().read_text(encoding='utf-8')
        section = exclusions.readme_section(text)
        self.assertIsNotNone(section, 'README.md lacks the markers; run '
                                      '`python -m tests.conformance.exclusions`')
        self.assertEqual(exclusions.render_markdown(), section,
                         'README.md is out of date; run `python -m tests.conformance.exclusions`')
        self.assertIn('## Conformance exclusions', text)

    def test_every_entry_names_an_existing_file_and_test(self):
        files = set(loader.yaml_files())
        for entry in exclusions.TABLE:
            self.assertIn(entry.file, files)
            self.assertIn(entry.kind, (exclusions.EXCLUDE, exclusions.XFAIL))
            self.assertTrue(entry.reason.strip())
            if entry.kind == exclusions.XFAIL:
                self.assertIn(entry.test, _test_names(entry.file))
            else:
                self.assertEqual(exclusions.ALL, entry.test)

    def test_no_duplicate_entries(self):
        keys = [(e.file, e.test) for e in exclusions.TABLE]
        self.assertEqual(len(keys), len(set(keys)))

    def test_loader_marks_exactly_the_listed_tests(self):
        expected = dict(exclusions.expected_failures())
        names = _test_names('usage.yaml')
        expected[('usage.yaml', names[1])] = 'synthetic'
        expected[('usage.yaml', names[4])] = 'synthetic'
        suite = loader.build_file_suite(unittest.TestLoader(), loader.gabbits_dir(),
                                        'usage.yaml', 'marking')
        marked = loader.mark_expected_failures(suite, 'usage.yaml', expected)
        self.assertEqual([names[1], names[4]], marked)
        for test in suite:
            listed = ('usage.yaml', test.test_data['name']) in expected
            self.assertEqual(listed, getattr(test, '__unittest_expecting_failure__', False))

    def test_excluded_files_are_not_loaded(self):
        only = ('usage.yaml', 'unicode.yaml')
        suite = loader.build_suite(unittest.TestLoader(), 'exclusion', excluded=['usage.yaml'],
                                   expected={}, only=only, report=False)
        files = [file_suite._tests[0].test_base_name for file_suite in suite]
        self.assertEqual(['unicode'], files)

    def test_a_listed_test_that_passes_fails_the_run(self):
        name = 'microversion-bug-1724065.yaml'
        expected = {(name, _test_names(name)[0]): 'synthetic: this test passes'}
        suite = loader.build_suite(unittest.TestLoader(), 'xfail', excluded=[],
                                   expected=expected, only=(name,), report=False)
        result = unittest.TestResult()
        suite.run(result)
        self.assertEqual(1, result.testsRun)
        self.assertEqual(1, len(result.unexpectedSuccesses))
        self.assertFalse(result.wasSuccessful())
        self.assertEqual(1, loader.LAST_TALLY.unexpected_successes)

    def test_write_readme_replaces_only_the_section(self):
        with tempfile.TemporaryDirectory() as folder:
            path = exclusions.pathlib.Path(folder) / 'README.md'
            path.write_text('# title\n\nintro\n', encoding='utf-8')
            exclusions.write_readme(path)
            first = path.read_text(encoding='utf-8')
            self.assertTrue(first.startswith('# title\n\nintro\n\n## Conformance exclusions\n'))
            self.assertEqual(exclusions.render_markdown(), exclusions.readme_section(first))
            path.write_text(first.replace('Expected failures', 'stale'), encoding='utf-8')
            exclusions.write_readme(path)
            self.assertEqual(first, path.read_text(encoding='utf-8'))
