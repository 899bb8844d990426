"""Tests of the fake_drivers layer."""
