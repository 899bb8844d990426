"""Tests of the nova_mirror layer."""
