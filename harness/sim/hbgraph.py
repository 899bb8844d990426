"""The happens-before graph of a trace (networkx), its canonical form, and DOT output.

Nodes are step indices.  Edges: program order (consecutive steps of a task), conflicts (two
steps of different tasks whose footprints conflict: write/write, read/write, or one of them
opaque), and causality (spawn, event set, task finished -> the step it enabled).  Two traces of
the same world are equivalent (differ only by swapping independent steps) exactly when their
canonical forms are equal.
"""

import networkx as nx

__all__ = ["build", "canonical", "to_dot", "write_dot"]


def build(trace):
    """A ``networkx.DiGraph`` over the steps of ``trace`` with ``kind`` on every edge."""
    graph = nx.DiGraph()
    last_of_task = {}
    last_write = {}
    reads_since = {}
    last_opaque = None
    for step in trace.steps:
        i = step.index
        tid = step.task.id
        graph.add_node(i, task=tid, name=step.task.name, label=step.label,
                       seq=_seq(graph, last_of_task.get(tid)))
        prev = last_of_task.get(tid)
        if prev is not None:
            graph.add_edge(prev, i, kind="program")
        if step.cause is not None:
            graph.add_edge(step.cause, i, kind="spawn" if step.effect.kind == "start" else "wake")
        if step.opaque:
            for other, last in last_of_task.items():
                if other != tid:
                    _conflict(graph, last, i)
            last_opaque = i
            last_write.clear()
            reads_since.clear()
        else:
            if last_opaque is not None and (prev is None or prev < last_opaque):
                _conflict(graph, last_opaque, i)
            reads, writes = step.footprint()
            for key in reads:
                w = last_write.get(key)
                if w is not None:
                    _conflict(graph, w, i)
                reads_since.setdefault(key, []).append(i)
            for key in writes:
                w = last_write.get(key)
                if w is not None:
                    _conflict(graph, w, i)
                for r in reads_since.pop(key, ()):
                    _conflict(graph, r, i)
                last_write[key] = i
        last_of_task[tid] = i
    return graph


def _seq(graph, prev):
    return 0 if prev is None else graph.nodes[prev]["seq"] + 1


def _conflict(graph, a, b):
    if a != b and graph.nodes[a]["task"] != graph.nodes[b]["task"] and not graph.has_edge(a, b):
        graph.add_edge(a, b, kind="conflict")


def canonical(trace):
    """A hashable form of the trace's happens-before order.

    Steps are named (task id, nth step of the task, label); the form lists every ordered pair of
    steps of different tasks that conflict or are causally linked.  Equivalent traces (equal up
    to swapping adjacent independent steps) give equal forms.  Quadratic in the trace length.
    """
    seq = {}
    idents = []
    accesses = []
    for step in trace.steps:
        tid = step.task.id
        n = seq.get(tid, 0)
        seq[tid] = n + 1
        idents.append((tid, n, step.label))
        reads, writes = step.footprint()
        accesses.append((step.opaque, set(reads), set(writes), step.cause))
    pairs = set()
    for j, (op_j, r_j, w_j, cause_j) in enumerate(accesses):
        tj = idents[j][0]
        for i in range(j):
            if idents[i][0] == tj:
                continue
            op_i, r_i, w_i, _c = accesses[i]
            if op_i or op_j or i == cause_j or w_i & (r_j | w_j) or r_i & w_j:
                pairs.add((idents[i], idents[j]))
    return tuple(sorted(idents)), tuple(sorted(pairs))


def _quote(text):
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"%s"' % text.replace("\n", "\\n")


_STYLE = {"program": "solid", "conflict": "dashed", "spawn": "bold", "wake": "dotted"}


def to_dot(graph, name="happens_before", reduce=True):
    """DOT text for a graph from ``build`` (transitively reduced unless ``reduce`` is False)."""
    shown = graph
    if reduce and graph.number_of_nodes():
        shown = nx.transitive_reduction(graph)
    lines = ["digraph %s {" % _quote(name), "  node [shape=box, fontsize=10];"]
    for n in sorted(shown.nodes):
        d = graph.nodes[n]
        lines.append("  %d [label=%s];" % (n, _quote("%d t%d %s\n%s" % (
            n, d["task"], d["name"], d["label"]))))
    for a, b in sorted(shown.edges):
        kind = graph.edges[a, b]["kind"]
        lines.append("  %d -> %d [style=%s, tooltip=%s];" % (a, b, _STYLE[kind], _quote(kind)))
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(trace, path, name="happens_before"):
    """Write the happens-before graph of ``trace`` to ``path`` as DOT."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(to_dot(build(trace), name))
