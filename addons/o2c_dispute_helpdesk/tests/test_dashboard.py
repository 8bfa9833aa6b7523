# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import tagged

from ..models.o2c_dispute_constants import DISPUTE_TYPES, ROOT_CAUSES
from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeDashboard(DisputeCommon):
    """Dispute figures on known data (the test database holds no other dispute)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["helpdesk.ticket"])
        cls.invoices = cls.env["account.move"]
        for _i in range(8):
            invoice = cls._invoice(post=False)
            invoice.invoice_date = today
            invoice.action_post()
            cls.invoices |= invoice
        cls.Dashboard = cls.env["o2c.dashboard"]
        cls.ctx = cls.Dashboard._o2c_dashboard_context({"company_ids": [cls.company.id]})

    def setUp(self):
        super().setUp()
        inv = self.invoices
        self._dispute(
            o2c_invoice_id=inv[0].id, o2c_disputed_amount=100.0, o2c_dispute_type="pricing"
        )
        self._dispute(o2c_invoice_id=inv[1].id, o2c_disputed_amount=50.0, o2c_root_cause="carrier")
        for invoice, dtype, cause, hours in (
            (inv[2], "pricing", "customer", 10.0),
            (inv[3], "damaged", "carrier", 20.0),
        ):
            ticket = self._dispute(
                o2c_invoice_id=invoice.id,
                o2c_disputed_amount=30.0,
                o2c_dispute_type=dtype,
                o2c_root_cause=cause,
                o2c_resolution="rejected",
                o2c_rejection_reason="no",
            )
            ticket.with_user(self.agent).action_o2c_apply_resolution()
            ticket._o2c_owned_write({"o2c_resolution_hours": hours})

    def _figures(self):
        return {f["key"]: f for f in self.Dashboard._o2c_dashboard_figures(self.ctx)}

    def _assert_drilldown(self, figure):
        self.assertEqual(figure["action"]["res_model"], "helpdesk.ticket")
        self.assertEqual(self.Ticket.search_count(figure["action"]["domain"]), figure["value"])

    def test_open_disputes_count_and_value(self):
        figures = self._figures()
        self.assertEqual(figures["dispute_open_count"]["value"], 2)
        self.assertEqual(figures["dispute_open_value"]["value"], 150.0)
        self.assertEqual(figures["dispute_open_value"]["unit"], "currency")
        self._assert_drilldown(figures["dispute_open_count"])

    def test_average_resolution_time(self):
        figure = self._figures()["dispute_resolution_time"]
        self.assertEqual(figure["value"], 15.0)
        self.assertEqual(figure["unit"], "hours")
        self.assertIsNone(figure["previous"])
        self.assertEqual(self.Ticket.search_count(figure["action"]["domain"]), 2)

    def test_disputes_per_100_invoices(self):
        figure = self._figures()["dispute_per_100_invoices"]
        self.assertEqual(figure["value"], 50.0)  # 4 disputes, 8 invoices
        self._assert_drilldown({**figure, "value": 4})

    def test_breakdown_by_type_and_root_cause(self):
        """Folded into two tables whose rows open their disputes (no tile each)."""
        figures = self._figures()
        self.assertFalse([key for key in figures if key.startswith("dispute_type_")])
        charts = self.Dashboard._o2c_dashboard_charts(self.ctx)
        by_type = {row["label"]: row["cells"][0] for row in charts["dispute_by_type"]["rows"]}
        self.assertEqual(
            {label: cell["value"] for label, cell in by_type.items()},
            {
                dict(DISPUTE_TYPES)["pricing"]: 2,
                dict(DISPUTE_TYPES)["damaged"]: 2,
            },
        )
        by_cause = {
            row["label"]: row["cells"][0] for row in charts["dispute_by_root_cause"]["rows"]
        }
        self.assertEqual(by_cause[dict(ROOT_CAUSES)["carrier"]]["value"], 2)
        self.assertEqual(by_cause[dict(ROOT_CAUSES)["customer"]]["value"], 1)
        for cell in (*by_type.values(), *by_cause.values()):
            self.assertEqual(self.Ticket.search_count(cell["action"]["domain"]), cell["value"])

    def test_team_filter_narrows_the_scope(self):
        team = self.env["crm.team"].create({"name": "Nobody's team"})
        ctx = self.Dashboard._o2c_dashboard_context(
            {"company_ids": [self.company.id], "team_ids": [team.id]}
        )
        figures = {f["key"]: f for f in self.Dashboard._o2c_dashboard_figures(ctx)}
        self.assertEqual(figures["dispute_open_count"]["value"], 0)

    def test_figures_in_dashboard_payload_for_finance(self):
        data = self.Dashboard.get_dashboard_data({"role": "finance"})
        keys = {f["key"] for f in data["figures"]}
        self.assertIn("dispute_open_count", keys)
        self.assertIn("dispute_by_type", data["charts"])
