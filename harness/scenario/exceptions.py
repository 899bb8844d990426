"""Errors raised while loading a scenario file: every problem, each with its place in the file."""


class Problem(object):
    """One problem in a scenario file: where it is and what is wrong."""

    def __init__(self, filename, line, column, path, message):
        self.filename = filename
        self.line = line
        self.column = column
        self.path = path
        self.message = message

    def sort_key(self):
        return (self.filename, self.line, self.column, self.path, self.message)

    def __str__(self):
        where = '%s:%d:%d' % (self.filename, self.line, self.column)
        if self.path:
            return '%s: %s: %s' % (where, self.path, self.message)
        return '%s: %s' % (where, self.message)

    def __repr__(self):
        return '<Problem %s>' % self


class ScenarioError(Exception):
    """A scenario file could not be loaded; `problems` lists every problem found."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__('\n'.join(str(p) for p in self.problems))
