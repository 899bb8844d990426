"""Unit tests, one folder per layer."""
