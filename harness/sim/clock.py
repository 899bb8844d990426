"""The virtual clock: current time plus a heap of timers; never reads the wall clock."""

import heapq

__all__ = ["Clock"]


class Clock:
    """Virtual seconds and pending timers.

    A timer is ``(deadline, seq, task, token, kind)``; it is stale (ignored) when the task's
    ``timer_token`` moved on, which is how a wake-up by an event cancels its timeout in O(1).
    """

    __slots__ = ("now", "_heap", "_seq")

    def __init__(self, start=0.0):
        self.now = start
        self._heap = []
        self._seq = 0

    def add(self, delay, task, kind):
        """Arm a timer ``delay`` virtual seconds from now for ``task``; returns its token."""
        task.timer_token += 1
        self._seq += 1
        heapq.heappush(self._heap, (self.now + delay, self._seq, task, task.timer_token, kind))
        return task.timer_token

    def next_deadline(self):
        """The earliest live deadline, or None when no timer can fire."""
        heap = self._heap
        while heap:
            deadline, _seq, task, token, _kind = heap[0]
            if task.timer_token == token:
                return deadline
            heapq.heappop(heap)
        return None

    def pop_due(self, deadline):
        """Remove and return ``[(task, kind)]`` of the live timers due at ``deadline``, in order."""
        heap = self._heap
        due = []
        while heap and heap[0][0] <= deadline:
            _d, _seq, task, token, kind = heapq.heappop(heap)
            if task.timer_token == token:
                due.append((task, kind))
        return due

    def __len__(self):
        return len(self._heap)
