"""Tests of the report page's usage chart (inline SVG, step function, step markers)."""
import testtools

from harness.cmd import report

TIMELINE = [
    (10, 'placement.put_allocations', (('host1', (('VCPU', 1),)), ('host2', ()))),
    (40, 'placement.post_allocations', (('host1', (('VCPU', 1),)), ('host2', (('VCPU', 2),)))),
    (50, 'end', (('host1', ()), ('host2', (('VCPU', 2),)))),
]


class ChartTest(testtools.TestCase):

    def test_one_panel_per_class_with_a_line_per_host(self):
        page = report.usage_chart(TIMELINE, ['host1', 'host2'], [(20, '1: boot server=vm1')])
        self.assertEqual(1, page.count('<svg'))
        self.assertEqual(2, page.count('<polyline'))
        self.assertIn('<title>step 1: boot server=vm1</title>', page)
        self.assertIn('stroke-dasharray', page)

    def test_usage_holds_until_the_next_change(self):
        page = report.usage_chart(TIMELINE, ['host1'], [])
        points = page.split('points="')[1].split('"')[0].split()
        # x = 40 + 640 * step / 50; y = 140 - 100 * v / top, top = 1 (host1's largest amount)
        self.assertEqual(['168.0,40.0', '552.0,40.0', '552.0,40.0', '680.0,40.0',
                          '680.0,140.0', '680.0,140.0'], points)

    def test_empty_timelines(self):
        self.assertIn('No usage was recorded', report.usage_chart([], ['host1']))
        idle = [(1, 'end', (('host1', ()),))]
        self.assertIn('No provider had any usage', report.usage_chart(idle, ['host1']))
