"""Tests of the marking YAML loader: plain data, marks for every node, no object-building tags."""
import os

import fixtures
import testtools

from harness.scenario import loader
from harness.scenario.exceptions import ScenarioError


class LoaderTest(testtools.TestCase):

    def test_plain_data_and_marks(self):
        doc = loader.load_text('a: 1\nb:\n  - {x: two, y: [1, 2.5, true, null]}\n', 'f.yaml')
        self.assertEqual({'a': 1, 'b': [{'x': 'two', 'y': [1, 2.5, True, None]}]}, doc.data)
        mark = doc.marks[('b', 0, 'x')]
        self.assertEqual((3, 9), (mark.line, mark.column))
        key = doc.key_marks[('b', 0, 'y')]
        self.assertEqual((3, 14), (key.line, key.column))
        self.assertEqual((3, 21), (doc.marks[('b', 0, 'y', 1)].line,
                                   doc.marks[('b', 0, 'y', 1)].column))

    def test_mark_of_missing_path_falls_back_to_parent(self):
        doc = loader.load_text('a:\n  b: 1\n', 'f.yaml')
        mark = doc.mark(('a', 'c', 'd'))
        self.assertEqual(2, mark.line)

    def test_python_tags_are_problems_not_objects(self):
        text = 'a: !!python/object/apply:os.system ["true"]\nb: !custom 3\n'
        err = self.assertRaises(ScenarioError, loader.load_text, text, 'f.yaml')
        messages = [str(p) for p in err.problems]
        self.assertEqual(2, len(messages))
        self.assertIn('f.yaml:1:4: a: tag !!python/object/apply:os.system is not allowed',
                      messages[0])
        self.assertIn('f.yaml:2:4: b: tag !custom is not allowed', messages[1])

    def test_sets_and_binary_are_refused(self):
        err = self.assertRaises(ScenarioError, loader.load_text,
                                'a: !!set {x, y}\nb: !!binary aGVsbG8=\n', 'f.yaml')
        self.assertEqual(2, len(err.problems))
        self.assertIn('!!set', str(err.problems[0]))
        self.assertIn('!!binary', str(err.problems[1]))

    def test_unquoted_date_is_explained(self):
        err = self.assertRaises(ScenarioError, loader.load_text, 'a: 2024-01-02\n', 'f.yaml')
        self.assertIn("reads as a date; quote it", str(err))

    def test_duplicate_keys_are_problems(self):
        err = self.assertRaises(ScenarioError, loader.load_text,
                                'a: 1\nb: 2\na: 3\n', 'f.yaml')
        self.assertEqual(["f.yaml:3:1: a: duplicate key 'a' (first at line 1)"],
                         [str(p) for p in err.problems])

    def test_syntax_error_has_line_and_column(self):
        err = self.assertRaises(ScenarioError, loader.load_text, 'a: [1, 2\nb: 3\n', 'f.yaml')
        self.assertEqual(1, len(err.problems))
        problem = err.problems[0]
        self.assertEqual(('f.yaml', 2), (problem.filename, problem.line))
        self.assertIn('invalid YAML', problem.message)

    def test_alias_bomb_is_bounded(self):
        lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
        for i in range(1, 8):
            refs = ', '.join(['*a%d' % (i - 1)] * 10)
            lines.append('a%d: &a%d [%s]' % (i, i, refs))
        err = self.assertRaises(ScenarioError, loader.load_text, '\n'.join(lines), 'f.yaml')
        self.assertIn('more than', str(err))

    def test_merge_keys_work(self):
        doc = loader.load_text('base: &b {x: 1}\nuse: {<<: *b, y: 2}\n', 'f.yaml')
        self.assertEqual({'x': 1, 'y': 2}, doc.data['use'])

    def test_unreadable_and_non_utf8_files(self):
        err = self.assertRaises(ScenarioError, loader.load_file, '/nonexistent/x.yaml')
        self.assertIn('cannot read file', str(err))
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'bad.yaml')
        with open(path, 'wb') as f:
            f.write(b'a: \xff\xfe\n')
        err = self.assertRaises(ScenarioError, loader.load_file, path)
        self.assertIn('not UTF-8', str(err))

    def test_empty_document_is_none(self):
        self.assertIsNone(loader.load_text('', 'f.yaml').data)
