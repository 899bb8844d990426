"""Tests of the oracle layer."""
