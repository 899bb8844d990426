"""Differential: placement_sim against the real openstack-placement, call by call."""
