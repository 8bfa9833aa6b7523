# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestInvoiceReleaseDashboard(O2cReleaseCommon):
    def _figures(self, **filters):
        data = self.env["o2c.dashboard"].with_user(self.finance).get_dashboard_data(filters)
        return {figure["key"]: figure for figure in data["figures"]}

    def _drill_count(self, figure):
        action = figure["action"]
        return self.env[action["res_model"]].search_count(action["domain"])

    def test_deliveries_waiting_for_pod(self):
        missing = self._deliver(self._order(self.customer_pod, qty=10, price=10))
        pending = self._deliver(self._order(self.customer_pod, qty=5, price=20))
        self._proof(pending, validate=False)
        self._proof(self._deliver(self._order(self.customer_pod)))  # validated
        self._deliver(self._order(self.customer_delivery))  # no POD required
        figures = self._figures()
        count, value = figures["pod_waiting_count"], figures["pod_waiting_value"]
        self.assertEqual(count["value"], 2)
        self.assertEqual(value["value"], 200.0)
        self.assertEqual(value["unit"], "currency")
        self.assertEqual(self._drill_count(count), 2)
        self.assertEqual(
            self.env["stock.picking"].search(count["action"]["domain"]), missing | pending
        )

    def test_invoice_latency_median_and_p90(self):
        now = fields.Datetime.now()
        for hours in (10, 20, 30):
            picking = self._deliver(self._order(self.customer_delivery))
            picking.write({"date_done": now - timedelta(hours=hours)})
            # evidence of the posting: only the posting writes it (governed)
            picking._o2c_owned_write({"o2c_invoice_posted_date": now})
        old = self._deliver(self._order(self.customer_delivery))
        old.write({"date_done": now - timedelta(days=45, hours=4)})
        old._o2c_owned_write({"o2c_invoice_posted_date": now - timedelta(days=45)})
        figures = self._figures()
        median, p90 = figures["invoice_latency_median"], figures["invoice_latency_p90"]
        self.assertEqual(median["value"], 20.0)
        self.assertEqual(p90["value"], 28.0)
        self.assertEqual(median["unit"], "hours")
        self.assertEqual(median["previous"], 4.0, "the previous 30 days")
        self.assertEqual(self._drill_count(median), 3)

    def test_latency_measured_from_posting(self):
        picking = self._deliver(self._order(self.customer_delivery))
        invoice = self._invoice(picking.sale_id)
        self.assertFalse(picking.o2c_invoice_posted_date, "a draft is not billing yet")
        invoice.with_user(self.clerk).action_post()
        self.assertTrue(picking.o2c_invoice_posted_date)
        self.assertLess(self._figures()["invoice_latency_median"]["value"], 1.0)

    def test_auto_released_vs_overridden_invoices(self):
        self.company.o2c_auto_post = True
        for partner in (self.customer_delivery, self.customer_pod):
            picking = self._deliver(self._order(partner))
            if picking.o2c_release_policy == "on_pod":
                self._proof(picking)
        self.env["sale.order"]._cron_o2c_auto_invoice()
        override = self._order(self.customer_pod)
        self._deliver(override)
        invoice = self._invoice(
            override, o2c_include_unreleased=True, o2c_release_reason="signed note lost"
        )
        invoice.o2c_exception_ids.with_user(self.finance).action_approve("ok")
        invoice.with_user(self.finance).action_post()
        manual = self._order(self.customer_delivery)
        self._deliver(manual)
        self._invoice(manual).with_user(self.clerk).action_post()
        figures = self._figures()
        auto, overridden = figures["invoices_auto_released"], figures["invoices_overridden"]
        self.assertEqual(auto["value"], 2)
        self.assertEqual(overridden["value"], 1)
        self.assertEqual(overridden["previous"], 0)
        self.assertEqual(self._drill_count(auto), 2)
        self.assertEqual(self.env["account.move"].search(overridden["action"]["domain"]), invoice)

    def test_role_filter_keeps_finance_figures(self):
        data = self.env["o2c.dashboard"].get_dashboard_data({"role": "warehouse"})
        keys = {figure["key"] for figure in data["figures"]}
        self.assertIn("pod_waiting_count", keys)
        self.assertNotIn("invoices_overridden", keys)
