"""Stable seeds."""

import hashlib

import testtools

from harness import sim


class TestStableSeed(testtools.TestCase):

    def test_sha256_based_and_stable(self):
        seed = sim.stable_seed("tests.scenarios.resize.finish_fails", 7)
        digest = hashlib.sha256(b"tests.scenarios.resize.finish_fails\x007").digest()
        self.assertEqual(int.from_bytes(digest[:8], "big") >> 1, seed)
        self.assertLess(seed, 2 ** 63)

    def test_differs_by_test_and_base(self):
        seeds = {sim.stable_seed(t, b) for t in ("a", "b") for b in (0, 1)}
        self.assertEqual(4, len(seeds))
