"""Plain objects for a loaded scenario file: Suite, Scenario, Compute, Step, FaultSpec, ...

Everything a run needs is resolved when the file is loaded (driver classes, flavors, fault points,
exception names, bug numbers), so a step never discovers a bad name while it runs. `Scenario.line`
and `Step.line` point back into the file for messages.
"""
import re

_SLUG = re.compile(r'[^a-z0-9]+')


def slug(text):
    """A test-id-safe form of a name: lower case, runs of other characters become '_'."""
    return _SLUG.sub('_', str(text).lower()).strip('_') or 'unnamed'


def file_stem(filename):
    """The id part of a file name: `scenarios/bug_1825537.yaml` -> `bug_1825537`."""
    base = str(filename).replace('\\', '/').rsplit('/', 1)[-1]
    return slug(base.rsplit('.', 1)[0] if '.' in base else base)


class Suite(object):
    """One scenario file: its custom flavors and its scenarios (matrix already expanded)."""

    def __init__(self, filename, flavors, scenarios):
        self.filename = filename
        self.flavors = flavors
        self.scenarios = scenarios

    @property
    def stem(self):
        return file_stem(self.filename)

    def find(self, name):
        """The scenarios called `name` (all matrix variants), or a ValueError with a hint."""
        found = [s for s in self.scenarios if name in (s.name, s.slug, s.variant_name)]
        if not found:
            from harness.scenario.validate import suggest
            names = sorted(set(s.name for s in self.scenarios))
            raise ValueError("no scenario '%s' in %s%s (scenarios: %s)"
                             % (name, self.filename, suggest(name, names), ', '.join(names)))
        return found


class Flavor(object):
    """A flavor as a scenario uses it: the amounts Placement sees."""

    def __init__(self, name, vcpus, ram_mb, disk_gb, ephemeral_gb=0, swap=0, flavorid=None,
                 custom=True):
        self.name = name
        self.vcpus = vcpus
        self.ram_mb = ram_mb
        self.disk_gb = disk_gb
        self.ephemeral_gb = ephemeral_gb
        self.swap = swap
        self.flavorid = flavorid
        self.custom = custom

    def resources(self):
        """{resource class: amount} as Nova's scheduler asks Placement for this flavor."""
        out = {'VCPU': self.vcpus, 'MEMORY_MB': self.ram_mb + self.swap}
        disk = self.disk_gb + self.ephemeral_gb
        if disk:
            out['DISK_GB'] = disk
        return out


class Compute(object):
    """A compute host: its driver (class resolved) and inventory overrides."""

    def __init__(self, host, driver, driver_class, inventory):
        self.host = host
        self.driver = driver
        self.driver_class = driver_class
        self.inventory = inventory


class Step(object):
    """One step: `kind` (boot, resize, wait, ...) and its arguments (`args`, a dict)."""

    def __init__(self, kind, args, index, line):
        self.kind = kind
        self.args = args
        self.index = index
        self.line = line

    def describe(self):
        parts = ['%s=%s' % (k, self.args[k]) for k in sorted(self.args)
                 if not isinstance(self.args[k], (dict, list))]
        return '%s %s' % (self.kind, ' '.join(parts)) if parts else self.kind

    def __repr__(self):
        return '<Step %d %s>' % (self.index, self.describe())


class FaultSpec(object):
    """A fault: a driver fault (`point` set) or a Placement fault (`operation` set)."""

    def __init__(self, args, line, exception_class=None):
        self.args = args
        self.line = line
        self.exception_class = exception_class

    @property
    def is_placement(self):
        return 'operation' in self.args

    @property
    def server(self):
        return self.args.get('server')

    def describe(self):
        if self.is_placement:
            return 'placement %s %s' % (self.args['operation'], self.args['kind'])
        return '%s %s%s' % (self.args['point'], self.args.get('action', 'raise'),
                            ' on ' + self.args['host'] if self.args.get('host') else '')


class Concurrent(object):
    """Work racing the steps: `kind` (periodic, delete, resize, ...) started after step `after`."""

    def __init__(self, kind, args, index, line):
        self.kind = kind
        self.args = args
        self.index = index
        self.line = line

    @property
    def after(self):
        return self.args.get('after', 0)

    def describe(self):
        parts = ['%s=%s' % (k, self.args[k]) for k in sorted(self.args)]
        return '%s %s' % (self.kind, ' '.join(parts))


class Explore(object):
    """How many schedules to try and with which strategy."""

    def __init__(self, strategy='fifo', seeds=(0,), schedules=1, bound=None, depth=3,
                 explicit=False):
        self.explicit = explicit
        self.strategy = strategy
        self.seeds = tuple(seeds)
        self.schedules = schedules
        self.bound = bound
        self.depth = depth


class Xfail(object):
    """A known-open bug: the scenario is expected to fail."""

    def __init__(self, reason, bug=None):
        self.reason = reason
        self.bug = bug


class Scenario(object):
    """One scenario (one matrix variant of it), ready to run."""

    def __init__(self, filename, name, line, **fields):
        self.filename = filename
        self.name = name
        self.line = line
        self.bug = fields.get('bug')
        self.description = fields.get('description', '')
        self.computes = fields.get('computes', [])
        self.flavors = fields.get('flavors', {})
        self.options = fields.get('options', {})
        self.steps = fields.get('steps', [])
        self.faults = fields.get('faults', [])
        self.concurrent = fields.get('concurrent', [])
        self.explore = fields.get('explore') or Explore()
        self.matrix = fields.get('matrix', {})
        self.reintroduce = tuple(fields.get('reintroduce', ()))
        self.catches = tuple(fields.get('catches', ()))
        self.xfail = fields.get('xfail')
        self.expect = fields.get('expect', {})

    @property
    def slug(self):
        return slug(self.name)

    @property
    def matrix_label(self):
        return ','.join('%s=%s' % (k, self.matrix[k]) for k in sorted(self.matrix))

    @property
    def variant_name(self):
        """The name with its matrix values: `name[point=driver.finish_migration]`."""
        return '%s[%s]' % (self.name, self.matrix_label) if self.matrix else self.name

    def host_names(self):
        return [c.host for c in self.computes]

    def __repr__(self):
        return '<Scenario %s>' % self.variant_name
