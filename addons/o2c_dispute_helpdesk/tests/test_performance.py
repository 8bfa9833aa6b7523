# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputePerformance(O2cQueryCountMixin, DisputeCommon):
    """The overdue hook and the dashboard figures cost a fixed number of queries."""

    def test_disputed_amounts_hook_queries_flat(self):
        Move = self.env["account.move"]
        warm = self._disputed_invoices(3, 10.0)
        self._o2c_queries(Move._o2c_disputed_amounts, warm.ids)
        small = self._disputed_invoices(10, 10.0)
        big = self._disputed_invoices(100, 10.0)
        r10, queries10 = self._o2c_queries(Move._o2c_disputed_amounts, small.ids)
        r100, queries100 = self._o2c_queries(Move._o2c_disputed_amounts, big.ids)
        q10, q100 = len(queries10), len(queries100)
        self.assertEqual(len(r10), 10)
        self.assertEqual(len(r100), 100)
        self.assertEqual(set(r100.values()), {10.0})
        self.assertEqual(q10, q100, f"10 invoices: {q10} queries, 100 invoices: {q100}")
        self.assertLessEqual(q100, 3)

    def test_dashboard_figures_queries_flat(self):
        Dashboard = self.env["o2c.dashboard"]
        ctx = Dashboard._o2c_dashboard_context({"company_ids": [self.company.id]})
        self._disputed_invoices(3, 10.0)
        self._o2c_queries(Dashboard._o2c_dashboard_figures, ctx)
        q_small = self._o2c_query_count(Dashboard._o2c_dashboard_figures, ctx)
        self._disputed_invoices(60, 10.0)
        figures, queries_big = self._o2c_queries(Dashboard._o2c_dashboard_figures, ctx)
        q_big = len(queries_big)
        self.assertEqual(q_small, q_big)
        open_count = next(f for f in figures if f["key"] == "dispute_open_count")
        self.assertEqual(open_count["value"], 63)
