"""Known divergences of placement_sim from the real service, with the sequences that meet them.

Each entry names the call label and a piece of the real service's answer that identify it, the
reason, and the sequence numbers of `test_differential` whose first divergence it is. Those tests
run as expected failures; one that stops diverging fails as an unexpected success (drop it from
`sequences`, or the entry once the simulator is fixed), and a divergence that matches an entry
but is not listed fails normally (add its number). The board note that reported each one is
named in its reason.
"""


class Known(object):
    """One known divergence."""

    def __init__(self, label, real_contains, reason, sequences):
        self.label = label
        self.real_contains = real_contains
        self.reason = reason
        self.sequences = frozenset(sequences)

    def matches(self, divergence):
        return (divergence.call.label == self.label and
                self.real_contains in divergence.real.body)


KNOWN = ()


def find(divergence):
    """The entry that explains `divergence`, or None."""
    for entry in KNOWN:
        if entry.matches(divergence):
            return entry
    return None


def listing(number):
    """The entry that lists sequence `number`, or None."""
    for entry in KNOWN:
        if number in entry.sequences:
            return entry
    return None
