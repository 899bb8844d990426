"""Fake virt drivers for the simulated Nova, with fault points and Nova's failure drivers.

Public names: ``get_driver_class``, ``DRIVERS``, ``FaultPlan``, ``Fault``, ``FakeDriver`` and the
``exceptions`` module (Nova's exception classes and messages).  Imports nothing from ``harness``.
"""

from fake_drivers import exceptions  # noqa: F401
from fake_drivers.base import FakeDriver  # noqa: F401
from fake_drivers.base import MediumFakeDriver  # noqa: F401
from fake_drivers.base import SmallFakeDriver  # noqa: F401
from fake_drivers.faults import Fault  # noqa: F401
from fake_drivers.faults import FaultPlan  # noqa: F401
from fake_drivers.faults import POINTS  # noqa: F401
from fake_drivers.registry import DRIVERS  # noqa: F401
from fake_drivers.registry import get_driver_class  # noqa: F401
