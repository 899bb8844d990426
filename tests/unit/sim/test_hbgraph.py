"""The happens-before graph of a trace and its DOT form."""

import os
import tempfile

import networkx as nx
import testtools

from harness import sim
from harness.sim import hbgraph
from tests.unit.sim import toy_worlds


def _lost_update_trace(choices):
    result, _sig = sim.replay(toy_worlds.lost_update, choices)
    return result.trace


class TestHappensBefore(testtools.TestCase):

    def test_edges_of_a_lost_update(self):
        # a start, b start, a read, b read, a write, b write
        trace = _lost_update_trace([0, 1, 0, 1, 0])
        graph = hbgraph.build(trace)
        kinds = {(a, b): d["kind"] for a, b, d in graph.edges(data=True)}
        self.assertEqual("program", kinds[(0, 2)])
        self.assertEqual("program", kinds[(2, 4)])
        self.assertEqual("conflict", kinds[(3, 4)])   # b reads x before a writes it
        self.assertEqual("conflict", kinds[(4, 5)])   # write/write
        self.assertTrue(nx.has_path(graph, 2, 5))     # a read x before b wrote it
        self.assertFalse(nx.has_path(graph, 2, 3))    # reads commute
        self.assertFalse(nx.has_path(graph, 3, 2))
        self.assertFalse(nx.has_path(graph, 0, 1))    # declared-empty starts commute

    def test_cause_edges_and_opaque_steps(self):
        s = sim.Scheduler()
        toy_worlds.busy(s)
        result = s.run()
        graph = hbgraph.build(result.trace)
        kinds = {d["kind"] for _a, _b, d in graph.edges(data=True)}
        self.assertEqual({"program", "conflict", "spawn", "wake"}, kinds)
        self.assertTrue(nx.is_directed_acyclic_graph(graph))
        for step in result.trace.steps:
            if step.cause is not None:
                self.assertTrue(graph.has_edge(step.cause, step.index))

    def test_canonical_equal_for_equivalent_orders_only(self):
        reads_swapped_a = _lost_update_trace([0, 1, 0, 1, 0])   # a reads, then b reads
        reads_swapped_b = _lost_update_trace([0, 1, 1, 0, 0])   # b reads, then a reads
        serial = _lost_update_trace([0, 0, 0])
        self.assertEqual(hbgraph.canonical(reads_swapped_a), hbgraph.canonical(reads_swapped_b))
        self.assertNotEqual(hbgraph.canonical(reads_swapped_a), hbgraph.canonical(serial))

    def test_dot_output(self):
        trace = _lost_update_trace([0, 1, 0, 1, 0])
        dot = hbgraph.to_dot(hbgraph.build(trace), name='lost "update"')
        self.assertTrue(dot.startswith('digraph "lost \\"update\\"" {'))
        self.assertIn('2 [label="2 t0 a\\na read x"];', dot)
        self.assertIn('3 -> 4 [style=dashed, tooltip="conflict"];', dot)
        self.assertIn('4 -> 5 [style=dashed, tooltip="conflict"];', dot)
        self.assertNotIn("3 -> 5", dot)   # implied by 3 -> 4 -> 5: left out of the drawing
        path = os.path.join(tempfile.mkdtemp(), "hb.dot")
        self.addCleanup(os.remove, path)
        hbgraph.write_dot(trace, path)
        with open(path, encoding="utf-8") as f:
            self.assertEqual(hbgraph.to_dot(hbgraph.build(trace)), f.read())
