"""Toy worlds with known answers for the harness.sim tests (and a subprocess entry point)."""

import sys

from harness import sim


def read_modify_write(state, key, name):
    """Read ``key``, then write it + 1 in a separate step: two of these can lose an update."""
    yield sim.Point("%s read %s" % (name, key), reads=(key,))
    value = state[key]
    yield sim.Point("%s write %s" % (name, key), writes=(key,))
    state[key] = value + 1


def lost_update(sched, opaque_start=False):
    """Two read-modify-write tasks on x; fails with "lost update" when x ends at 1."""
    state = {"x": 0}
    start = {} if opaque_start else {"reads": (), "writes": ()}
    sched.spawn(read_modify_write(state, "x", "a"), name="a", **start)
    sched.spawn(read_modify_write(state, "x", "b"), name="b", **start)

    def check(result):
        return "lost update: x=%d" % state["x"] if state["x"] != 2 else None
    return check, (lambda: state["x"])


def lost_update_opaque(sched):
    return lost_update(sched, opaque_start=True)


def alternation(sched):
    """A: a1, a2; B: b1, b2.  Fails only for the order a1 b1 a2 b2 (a depth-3 bug)."""
    log = []

    def worker(name):
        for i in (1, 2):
            yield sim.Point("%s%d" % (name, i), writes=("log",))
            log.append("%s%d" % (name, i))

    sched.spawn(worker("a"), name="a", reads=(), writes=())
    sched.spawn(worker("b"), name="b", reads=(), writes=())

    def check(result):
        return "alternated" if log == ["a1", "b1", "a2", "b2"] else None
    return check


def busy(sched):
    """A richer world: events, sleeps, joins, spawns from tasks, a periodic daemon, a failure."""
    state = {"orders": {}, "ticks": 0}
    ready = sched.event("ready")

    def tick():
        yield sim.Point("tick", writes=("ticks",))
        state["ticks"] += 1

    def worker(name, n):
        yield sim.Point("%s begin" % name, reads=("ready",))
        who = yield sim.Wait(ready, timeout=30)
        for i in range(n):
            yield sim.Point("%s order %d" % (name, i), writes=("order:%s:%d" % (name, i),))
            state["orders"]["%s-%d" % (name, i)] = (who, sched.now)
            yield sim.Sleep(1 + i)
        if name == "w2":
            raise ValueError("worker %s gave up" % name)
        return {"name": name, "done": n}

    def boss():
        tasks = [sched.spawn(worker("w%d" % i, i + 1), name="w%d" % i) for i in range(3)]
        yield sim.Sleep(2)
        ready.set("boss")
        results = []
        for task in tasks[:2]:
            results.append((yield sim.Join(task)))
        return results

    sched.every(5, tick, name="tick")
    sched.spawn(boss(), name="boss")

    def check(result):
        return sorted(result.failures) or None
    return check


def trace_json(strategy, seed):
    """Run ``busy`` under a strategy and return the JSON trace (used across processes)."""
    sched = sim.Scheduler(strategy=sim.make_strategy(strategy, seed=seed))
    busy(sched)
    result = sched.run()
    return result.trace.dumps() + "\n" + result.trace.text()


if __name__ == "__main__":
    sys.stdout.write(trace_json(sys.argv[1], int(sys.argv[2])))
