"""Shrink a diverging call sequence to a minimal one that still diverges (delta debugging).

Calls are removed in chunks, then one by one (ddmin over the call list), but a candidate always
keeps the calls that its calls depend on: the first call that creates each thing a kept call
names (the provider a later allocation uses, the trait a later PUT sets). A candidate counts when
it still diverges on a call with the same label as the original divergence. At most `budget`
executions are spent; the smallest sequence found so far is returned.
"""


def dependencies(sequence):
    """{position: positions of the earlier calls that create what the call names}."""
    creator = {}
    deps = {}
    for position, call in enumerate(sequence):
        deps[position] = sorted({creator[ref] for ref in call.uses() if ref in creator})
        for ref in call.creates:
            creator.setdefault(ref, position)
    return deps


def closure(positions, deps):
    """The positions plus, transitively, everything they depend on, in order."""
    kept = set()
    pending = list(positions)
    while pending:
        position = pending.pop()
        if position not in kept:
            kept.add(position)
            pending.extend(deps[position])
    return sorted(kept)


class Shrinker(object):
    """ddmin over positions of `sequence`; `diverges(calls)` returns a Divergence or None."""

    def __init__(self, sequence, diverges, label, budget=150):
        self.sequence = sequence
        self.diverges = diverges
        self.label = label
        self.budget = budget
        self.deps = dependencies(sequence)
        self.executions = 0
        self.divergence = None

    def _check(self, positions):
        if self.executions >= self.budget:
            return False
        self.executions += 1
        found = self.diverges([self.sequence[p] for p in positions])
        if found is not None and found.signature() == self.label:
            self.divergence = found
            return True
        return False

    def shrink(self, positions):
        """The smallest diverging closure of positions found within the budget."""
        current = closure(positions, self.deps)
        chunks = 2
        while len(current) >= 2 and self.executions < self.budget:
            size = max(1, len(current) // chunks)
            reduced = False
            for start in range(0, len(current), size):
                removed = set(current[start:start + size])
                candidate = closure([p for p in current if p not in removed], self.deps)
                if len(candidate) < len(current) and self._check(candidate):
                    current = candidate
                    chunks = max(chunks - 1, 2)
                    reduced = True
                    break
            if not reduced:
                if size == 1:
                    break
                chunks = min(len(current), chunks * 2)
        return current


def minimal(sequence, diverges, label, budget=150):
    """(minimal calls, their Divergence or None, executions spent)."""
    shrinker = Shrinker(sequence, diverges, label, budget)
    positions = shrinker.shrink(range(len(sequence)))
    calls = [sequence[p] for p in positions]
    if shrinker.divergence is None or len(positions) == len(sequence):
        shrinker.divergence = diverges(calls)
    return calls, shrinker.divergence, shrinker.executions
