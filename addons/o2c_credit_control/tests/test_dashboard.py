# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditDashboard(CreditCommon):
    """Credit figures on known data: 2 holds (excess 100 and 300), 2 releases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = {}
        for name, receivable, amount in (
            ("P1", 800, 300),
            ("P2", 900, 400),
            ("P3", 800, 300),
            ("P4", 800, 300),
        ):
            partner = cls.env["res.partner"].create({"name": name, "is_company": True})
            partner.write({"o2c_credit_limit_type": "limit", "o2c_credit_limit": 1000})
            invoice = cls._invoice(cls, receivable, partner=partner)
            order = cls._order(cls, amount, partner=partner)
            order.with_user(cls.salesman).action_confirm()
            cls.orders[name] = (order, invoice)
        now = fields.Datetime.now()
        hold_p3 = cls.orders["P3"][0].sudo().o2c_exception_ids
        hold_p4 = cls.orders["P4"][0].sudo().o2c_exception_ids
        # the holds were requested hours ago (set by code: the request date is governed)
        hold_p3._o2c_owned_write({"request_date": now - timedelta(hours=5)})
        hold_p4._o2c_owned_write({"request_date": now - timedelta(hours=3)})
        cls._release(cls, hold_p3)
        cls._pay(cls, cls.orders["P4"][1], 200)

    def _data(self):
        Dashboard = self.env["o2c.dashboard"].with_user(self.finance)
        ctx = Dashboard._o2c_dashboard_context({})
        figures = {f["key"]: f for f in Dashboard._o2c_dashboard_figures(ctx)}
        return figures, Dashboard._o2c_dashboard_charts(ctx)

    def test_holds_count_and_value(self):
        figures, _charts = self._data()
        self.assertEqual(figures["credit_holds"]["value"], 2)
        self.assertEqual(figures["credit_holds"]["previous"], 0)
        self.assertEqual(figures["credit_hold_value"]["value"], 400)

    def test_drill_down_uses_the_same_domain(self):
        figures, _charts = self._data()
        action = figures["credit_holds"]["action"]
        held = self.env["o2c.exception"].with_user(self.finance).search(action["domain"])
        self.assertEqual(held.sale_order_id, self.orders["P1"][0] | self.orders["P2"][0])

    def test_average_time_on_hold(self):
        figures, _charts = self._data()
        self.assertEqual(figures["credit_hold_hours"]["value"], 4.0)
        self.assertEqual(figures["credit_hold_hours"]["unit"], "hours")

    def test_releases_by_approver(self):
        figures, charts = self._data()
        self.assertEqual(figures["credit_releases"]["value"], 2)
        rows = {
            row["label"]: row["cells"][0]["value"]
            for row in charts["credit_releases_by_approver"]["rows"]
        }
        self.assertEqual(rows, {self.finance.name: 1, self.env.ref("base.user_root").name: 1})
