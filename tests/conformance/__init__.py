"""Conformance: placement's own gabbi suite run against placement_sim.wsgi.make_app()."""
