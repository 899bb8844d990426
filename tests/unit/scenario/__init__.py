"""Unit tests of harness.scenario, harness.runner, harness.testing and harness.conf."""
