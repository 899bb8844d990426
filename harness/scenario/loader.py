"""Safe YAML loading that remembers the line and column of every node.

`MarkingLoader` is a `yaml.SafeLoader` that builds plain Python data (dict, list, str, int, float,
bool, None) from the composed node tree and records, for every value, where it starts in the file
(and, for mapping entries, where the key starts). Only the core schema's tags are accepted: a tag
that would build any other object (`!!python/object`, `!!binary`, `!!set`, a local `!tag`, ...) is
reported as a problem, never constructed. Duplicate keys in one mapping are problems too.
"""
import yaml

from harness.scenario.exceptions import Problem
from harness.scenario.exceptions import ScenarioError

_SCALAR_TAGS = frozenset([
    'tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float',
    'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null',
])
_MAP_TAG = 'tag:yaml.org,2002:map'
_SEQ_TAG = 'tag:yaml.org,2002:seq'
MAX_NODES = 200000


class Mark(object):
    """A place in a file: 1-based line and column."""

    __slots__ = ('line', 'column')

    def __init__(self, line, column):
        self.line = line
        self.column = column

    @classmethod
    def of(cls, node):
        return cls(node.start_mark.line + 1, node.start_mark.column + 1)

    def __repr__(self):
        return 'Mark(%d, %d)' % (self.line, self.column)


class Document(object):
    """Plain data loaded from one file, with the marks of its nodes.

    `marks[path]` is where the value at `path` starts; `key_marks[path]` is where the key of a
    mapping entry starts. A path is a tuple of mapping keys and list indexes.
    """

    def __init__(self, filename, data, marks, key_marks):
        self.filename = filename
        self.data = data
        self.marks = marks
        self.key_marks = key_marks

    def mark(self, path, key=False):
        """The mark of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        table = self.key_marks if key else self.marks
        while path:
            if path in table:
                return table[path]
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), Mark(1, 1))

    def problem(self, path, message, key=False):
        mark = self.mark(path, key=key)
        return Problem(self.filename, mark.line, mark.column, format_path(path), message)


def format_path(path):
    """`('scenarios', 0, 'steps', 2, 'resize')` -> `scenarios[0].steps[2].resize`."""
    out = ''
    for part in path:
        if isinstance(part, int):
            out += '[%d]' % part
        else:
            out += ('.' if out else '') + str(part)
    return out


def show_tag(tag):
    """`tag:yaml.org,2002:python/object` -> `!!python/object` (as it is written in YAML)."""
    prefix = 'tag:yaml.org,2002:'
    return '!!' + tag[len(prefix):] if tag.startswith(prefix) else tag


class MarkingLoader(yaml.SafeLoader):
    """A SafeLoader that turns the node tree into plain data plus marks, collecting problems."""

    def __init__(self, stream, filename):
        super().__init__(stream)
        self.filename = filename
        self.node_marks = {}
        self.key_marks = {}
        self.problems = []
        self._count = 0

    def load_document(self):
        node = self.get_single_node()
        if node is None:
            return None
        return self._build(node, ())

    def _problem(self, node, path, message):
        mark = Mark.of(node)
        self.problems.append(
            Problem(self.filename, mark.line, mark.column, format_path(path), message))

    def _build(self, node, path):
        self._count += 1
        if self._count > MAX_NODES:
            raise _TooBig()
        self.node_marks[path] = Mark.of(node)
        if isinstance(node, yaml.MappingNode):
            return self._build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._problem(node, path, 'tag %s is not allowed here (use a plain list)'
                              % show_tag(node.tag))
                return None
            return [self._build(child, path + (i,)) for i, child in enumerate(node.value)]
        if node.tag == 'tag:yaml.org,2002:timestamp' and not node.style:
            self._problem(node, path, '%r reads as a date; quote it to make it a string'
                          % node.value)
            return None
        if node.tag not in _SCALAR_TAGS:
            self._problem(node, path, 'tag %s is not allowed (only plain strings, numbers, '
                          'booleans and null)' % show_tag(node.tag))
            return None
        return self.construct_object(node, deep=True)

    def _build_mapping(self, node, path):
        if node.tag != _MAP_TAG:
            self._problem(node, path, 'tag %s is not allowed here (use a plain mapping)'
                          % show_tag(node.tag))
            return None
        self.flatten_mapping(node)
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self._problem(key_node, path, 'a mapping key must be a plain string')
                continue
            key = self.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
            if not isinstance(key, str):
                self._problem(key_node, path, 'a mapping key must be a string, not %r' % (key,))
                continue
            if key in out:
                first = self.key_marks[path + (key,)]
                self._problem(key_node, path + (key,), 'duplicate key %r (first at line %d)'
                              % (key, first.line))
                continue
            self.key_marks[path + (key,)] = Mark.of(key_node)
            out[key] = self._build(value_node, path + (key,))
        return out


class _TooBig(Exception):
    pass


def load_text(text, filename='<string>'):
    """Parse YAML text into a `Document`; raise `ScenarioError` with every problem found."""
    loader = MarkingLoader(text, filename)
    try:
        data = loader.load_document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = 'invalid YAML: %s' % (exc.problem or exc.context or 'syntax error')
        if '\\t' in message:
            message += ' (indent with spaces, not tabs)'
        raise ScenarioError([Problem(filename, line, column, '', message)])
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(filename, 1, 1, '', 'invalid YAML: %s' % exc)])
    except _TooBig:
        raise ScenarioError([Problem(filename, 1, 1, '', 'file has more than %d YAML nodes'
                                     % MAX_NODES)])
    finally:
        loader.dispose()
    if loader.problems:
        raise ScenarioError(loader.problems)
    return Document(filename, data, loader.node_marks, loader.key_marks)


def load_file(path):
    """Read and parse one file; unreadable files are a problem too, not a traceback."""
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError as exc:
        raise ScenarioError([Problem(str(path), 1, 1, '', 'cannot read file: %s'
                                     % (exc.strerror or exc))])
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(str(path), 1, 1, '', 'file is not UTF-8 text (%s)'
                                     % exc.reason)])
    return load_text(text, str(path))
