"""Unit tests of the resize-harness command."""
