"""Nova's default flavors (DefaultFlavorsFixture) and custom flavors for scenarios."""

from harness.nova.exceptions import unknown_name
from harness.nova.records import Flavor

# nova/tests/fixtures/nova.py::DefaultFlavorsFixture, in flavorid order (the API's default sort):
# name, flavorid, vcpus, memory_mb, root_gb.
_DEFAULTS = (
    ("m1.tiny", "1", 1, 512, 1),
    ("m1.small", "2", 1, 2048, 20),
    ("m1.medium", "3", 2, 4096, 40),
    ("m1.large", "4", 4, 8192, 80),
    ("m1.xlarge", "5", 8, 16384, 160),
)


def default_flavors():
    """Return a new {name: Flavor} with Nova's default flavors (ids 1..5)."""
    return {name: Flavor(name=name, flavorid=fid, vcpus=vcpus, memory_mb=ram, root_gb=disk,
                         id=index)
            for index, (name, fid, vcpus, ram, disk) in enumerate(_DEFAULTS, start=1)}


def make_flavor(flavors, name, vcpus, ram_mb, disk_gb, ephemeral_gb=0, swap=0, flavorid=None):
    """Create a custom flavor with the next free id; refuse a duplicate name."""
    if name in flavors:
        raise ValueError("flavor %r already exists; choose another name" % name)
    for field, value in (("vcpus", vcpus), ("ram_mb", ram_mb), ("disk_gb", disk_gb),
                         ("ephemeral_gb", ephemeral_gb), ("swap", swap)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError("flavor %r: %s must be a non-negative integer, got %r"
                             % (name, field, value))
    new_id = max((f.id for f in flavors.values()), default=0) + 1
    flavor = Flavor(name=name, flavorid=flavorid or str(new_id), vcpus=vcpus, memory_mb=ram_mb,
                    root_gb=disk_gb, ephemeral_gb=ephemeral_gb, swap=swap, id=new_id)
    flavors[name] = flavor
    return flavor


def lookup(flavors, name):
    """Return the flavor called ``name``; unknown names get a did-you-mean error."""
    try:
        return flavors[name]
    except KeyError:
        raise ValueError(unknown_name("flavor", name, flavors)) from None
