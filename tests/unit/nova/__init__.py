"""Unit tests of harness.nova, the simulated Nova."""
