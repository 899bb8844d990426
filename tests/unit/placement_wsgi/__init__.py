"""Tests of placement_sim.wsgi, the REST facade over the Python API."""
