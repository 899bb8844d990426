"""Stable seeds: sha256 of a test id and a base seed, never ``hash()`` (PYTHONHASHSEED-proof)."""

import hashlib

__all__ = ["stable_seed"]


def stable_seed(test_id, base_seed=0):
    """A 63-bit seed derived from ``test_id`` (str) and ``base_seed`` (int), the same everywhere."""
    data = ("%s\x00%d" % (test_id, int(base_seed))).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big") >> 1
