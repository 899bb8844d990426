"""`resize-harness report`: one self-contained HTML page about a run.

The page shows the verdict and its findings, a chart of Placement usage per provider over the run
(inline SVG, one panel per resource class, one line per host; no scripts, fonts or other network
assets), the schedule of the (shrunk) failing run and the command that replays it.
"""
import html

PANEL_WIDTH = 720
PANEL_HEIGHT = 180
MARGIN = 40
COLOURS = ('#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
           '#7f7f7f', '#bcbd22', '#17becf')
MAX_SCHEDULE_LINES = 3000


def render(outcomes):
    """The HTML page for a list of cases.Outcome (usually one)."""
    parts = ['<!DOCTYPE html>', '<html><head><meta charset="utf-8">',
             '<title>resize-harness report</title>', '<style>', _CSS, '</style></head><body>',
             '<h1>resize-harness report</h1>']
    for outcome in outcomes:
        parts.append(_section(outcome))
    parts.append('</body></html>')
    return '\n'.join(parts)


_CSS = """body{font-family:sans-serif;margin:2em;max-width:1000px}
pre{background:#f4f4f4;padding:.6em;overflow-x:auto;font-size:12px}
.pass{color:#2ca02c}.fail{color:#d62728}.xfail{color:#ff7f0e}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}
svg{border:1px solid #ddd;margin:.3em 0}"""


def _section(outcome):
    verdict = outcome.verdict
    esc = html.escape
    out = ['<h2>%s</h2>' % esc(outcome.case.id),
           '<p>Result: <b class="%s">%s</b> %s</p>' % (
               'pass' if outcome.ok else 'fail', esc(outcome.status.upper()),
               esc(outcome.message))]
    if verdict.scenario.description:
        out.append('<p>%s</p>' % esc(verdict.scenario.description))
    if verdict.findings:
        out.append('<h3>Findings</h3><pre>%s</pre>' % esc(
            '\n\n'.join(f.format() for f in verdict.findings)))
    out.append('<h3>Usage per provider over the run</h3>')
    out.append(usage_chart(verdict.timeline, verdict.hosts, verdict.marks))
    out.append('<h3>Replay</h3><pre>%s</pre>' % esc(verdict.replay_command))
    out.append('<h3>Schedule%s</h3>' % (' of the shrunk failing run' if not verdict.passed
                                        else ''))
    out.append('<p>strategy %s, seed %s, %d choice(s), %d step(s)</p>' % (
        esc(str(verdict.strategy)), esc(str(verdict.seed)), len(verdict.choices), verdict.steps))
    lines = verdict.schedule[:MAX_SCHEDULE_LINES]
    out.append('<pre>%s</pre>' % esc('\n'.join(lines)))
    return '\n'.join(out)


def usage_chart(timeline, hosts, marks=()):
    """Inline SVG panels: for each resource class, usage of every host over the scheduler steps.

    Usage is drawn as a step function (it holds until the next change); dashed lines mark where
    each scenario step ended.
    """
    if not timeline:
        return '<p>No usage was recorded.</p>'
    classes = sorted(set(rc for _, _, usage in timeline for _, pairs in usage
                         for rc, _ in pairs))
    if not classes:
        return '<p>No provider had any usage during the run.</p>'
    legend = ' '.join('<span style="color:%s">&#9632; %s</span>' % (
        COLOURS[i % len(COLOURS)], html.escape(h)) for i, h in enumerate(hosts))
    panels = [_panel(timeline, hosts, rc, marks) for rc in classes]
    return '<p>%s (dashed lines: the end of each scenario step)</p>\n%s' % (
        legend, '\n'.join(panels))


def _series(timeline, host, rc):
    values = []
    for step, _, usage in timeline:
        amount = 0
        for name, pairs in usage:
            if name == host:
                amount = dict(pairs).get(rc, 0)
        values.append((step, amount))
    return values


def _panel(timeline, hosts, rc, marks):
    last = max([timeline[-1][0]] + [m[0] for m in marks] + [1])
    series = [(h, _series(timeline, h, rc)) for h in hosts]
    top = max([1] + [v for _, values in series for _, v in values])
    width, height = PANEL_WIDTH, PANEL_HEIGHT
    inner_w, inner_h = width - 2 * MARGIN, height - 2 * MARGIN

    def x(step):
        return MARGIN + inner_w * step / last

    def y(v):
        return height - MARGIN - inner_h * v / top

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" '
           'aria-label="%s usage">' % (width, height, html.escape(rc)),
           '<text x="%d" y="16" font-size="13">%s</text>' % (MARGIN, html.escape(rc)),
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>' % (
               MARGIN, height - MARGIN, width - MARGIN, height - MARGIN),
           '<text x="4" y="%d" font-size="10">%d</text>' % (MARGIN + 4, top),
           '<text x="4" y="%d" font-size="10">0</text>' % (height - MARGIN)]
    for step, label in marks:
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#bbb" '
                   'stroke-dasharray="3,3"><title>step %s</title></line>' % (
                       x(step), MARGIN, x(step), height - MARGIN, html.escape(label)))
        out.append('<text x="%.1f" y="%d" font-size="9" fill="#888">%s</text>' % (
            x(step) + 2, MARGIN - 4, html.escape(label.split(':')[0])))
    for index, (host, values) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = []
        for i, (step, value) in enumerate(values):
            if i:
                points.append('%.1f,%.1f' % (x(step), y(values[i - 1][1])))
            points.append('%.1f,%.1f' % (x(step), y(value)))
        points.append('%.1f,%.1f' % (x(last), y(values[-1][1])))
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s">'
                   '<title>%s</title></polyline>' % (colour, ' '.join(points), html.escape(host)))
    for step, label, _ in timeline:
        out.append('<circle cx="%.1f" cy="%d" r="2" fill="#888"><title>scheduler step %d: %s'
                   '</title></circle>' % (x(step), height - MARGIN, step, html.escape(str(label))))
    out.append('<text x="%d" y="%d" font-size="10">scheduler steps 0..%d (hover the dots and '
               'lines)</text>' % (MARGIN, height - 8, last))
    out.append('</svg>')
    return '\n'.join(out)
