"""The text and JSON forms of a trace."""

import json

import testtools

from harness import sim


class TestTraceForms(testtools.TestCase):

    def _run(self):
        s = sim.Scheduler(strategy=sim.Replay([1, 0]))
        ev = s.event("go")

        def a():
            yield sim.Point("a read", reads=("x", "y"), writes=("z",))
            ev.set(1)

        def b():
            try:
                yield sim.Wait(ev, timeout=5)
            except sim.Timeout:
                raise
            raise ValueError("b broke")
        s.spawn(a(), "a")
        s.spawn(b(), "b", reads=(), writes=())
        return s.run()

    def test_text(self):
        result = self._run()
        self.assertEqual([
            "   choice t1 of [t0,t1]",
            "0 @0 t1 b: start [r:event:go#1] -> wait go",
            "1 @0 t0 a: start [*] -> point a read",
            "2 @0 t0 a: a read [r:x,y w:z,event:go#1] -> return",
            "3 @0 t1 b: wait go [*] -> raise ValueError: b broke",
        ], result.trace.text().split("\n"))
        self.assertEqual([1], result.choices)
        self.assertEqual(2, result.trace.steps[3].cause)

    def test_json(self):
        result = self._run()
        data = json.loads(result.trace.dumps())
        self.assertEqual("harness.sim.trace/1", data["format"])
        self.assertEqual([1], data["choices"])
        self.assertEqual([{"step": 0, "chosen": 1, "enabled": [0, 1]}], data["decisions"])
        self.assertEqual({"i": 2, "t": 0, "task": "a", "time": 0, "label": "a read",
                          "r": ["x", "y"], "w": ["z", "event:go#1"], "opaque": False,
                          "cause": None, "out": "return"}, data["steps"][2])
        self.assertEqual(4, len(result.trace))

    def test_resumed_exception_is_shown(self):
        s = sim.Scheduler()
        ev = s.event("never")

        def t():
            try:
                yield sim.Wait(ev, timeout=2)
            except sim.Timeout:
                return "gave up"
        s.spawn(t(), "t")
        result = s.run()
        self.assertEqual("1 @2 t0 t: wait never <Timeout> [*] -> return",
                         result.trace.steps[1].text())
