"""placement_sim: an in-memory Placement that answers like openstack-placement 16.0.0.

`Placement()` is an independent service with a plain-data Python API (doc/contracts.md §1);
`placement_sim.wsgi.make_app()` serves the REST API on top of it.
"""

from placement_sim.exceptions import (  # noqa: F401
    BadRequest, Conflict, NotFound, PlacementError, ServiceUnavailable, Timeout)
from placement_sim.faults import FaultPlan  # noqa: F401
from placement_sim.service import Placement  # noqa: F401

__all__ = ['Placement', 'PlacementError', 'BadRequest', 'Conflict', 'NotFound',
           'ServiceUnavailable', 'Timeout', 'FaultPlan']
