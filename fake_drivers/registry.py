"""The fake drivers by name: ``DRIVERS`` and ``get_driver_class``.

Names are Nova's class names; Nova's config spelling ``fake.<Class>`` (``compute_driver =
fake.FakeFinishMigrationFailDriver``) is accepted too.
"""

from fake_drivers import base
from fake_drivers import exceptions
from fake_drivers import named

DRIVERS = {
    cls.__name__: cls for cls in (
        base.FakeDriver,
        base.SmallFakeDriver,
        base.MediumFakeDriver,
        named.SameHostColdMigrateDriver,
        named.PredictableNodeUUIDDriver,
        named.MediumFakeDriverWithNestedCustomResources,
        named.FakeFinishMigrationFailDriver,
        named.FakeRescheduleDriver,
        named.FakeRescheduleDriverWithNestedCustomResources,
        named.FakeBuildAbortDriver,
        named.FakeBuildAbortDriverWithNestedCustomResources,
        named.FakeUnshelveSpawnFailDriver,
        named.FakeUnshelveSpawnFailDriverWithNestedCustomResources,
        named.FakeLiveMigrateDriver,
        named.FakeLiveMigrateDriverWithNestedCustomResources,
    )
}
"""Driver class name -> class."""

DEFAULT_DRIVER = 'FakeDriver'


def get_driver_class(name=None):
    """The driver class called ``name`` (default FakeDriver); ValueError with a suggestion."""
    if name is None:
        name = DEFAULT_DRIVER
    key = name[len('fake.'):] if isinstance(name, str) and name.startswith('fake.') else name
    try:
        return DRIVERS[key]
    except (KeyError, TypeError):
        raise ValueError(exceptions.unknown_name_message('driver', name, DRIVERS)) from None
