# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestReleaseCronIsolation(O2cReleaseCommon):
    """One failing delivery or order is parked; the rest of the batch is done."""

    def _aged(self, days=5):
        picking = self._deliver(self._order(self.customer_pod))
        picking.date_done = fields.Datetime.now() - timedelta(days=days)
        return picking

    def _missing_pod(self, picking):
        return picking.o2c_exception_ids.filtered(lambda e: e.code == "missing_pod")

    def _failing_pod_aging(self, bad, calls):
        """Make the missing-POD activities fail for ``bad`` (our code, not the ORM)."""
        Picking = self.env.registry["stock.picking"]
        original = Picking._o2c_schedule_missing_pod_activities

        def schedule(pickings):
            calls.append(pickings.ids)
            if bad.id in pickings.ids:
                message = f"No one to collect the proof of {bad.name}"
                raise UserError(message)
            return original(pickings)

        return patch.object(Picking, "_o2c_schedule_missing_pod_activities", schedule)

    def test_pod_aging_parks_the_failing_delivery(self):
        pickings = self._aged() | self._aged() | self._aged() | self._aged()
        bad = pickings[1]
        calls = []
        with self._failing_pod_aging(bad, calls):
            self.env["stock.picking"]._cron_o2c_pod_aging(batch_size=3)
            for good in pickings - bad:
                self.assertEqual(self._missing_pod(good).state, "open")
            # the failing delivery is parked, its own work rolled back
            self.assertFalse(self._missing_pod(bad))
            reason = f"No one to collect the proof of {bad.name}"
            self.assertEqual(bad.o2c_pod_aging_error, reason)
            note = bad.message_ids[0]
            self.assertIn("Missing proof of delivery check failed", note.body)
            self.assertIn(reason, note.body)
            self.assertIn(
                bad,
                self.env["stock.picking"].search([("o2c_pod_aging_error", "!=", False)]),
            )
            # the next run does not take it again
            calls.clear()
            self.assertEqual(self.env["stock.picking"]._cron_o2c_pod_aging(batch_size=3), 0)
            self.assertFalse(calls, "the parked delivery is not retried")

    def test_pod_aging_retry(self):
        bad = self._aged()
        with self._failing_pod_aging(bad, []):
            self.env["stock.picking"]._cron_o2c_pod_aging()
        self.assertTrue(bad.o2c_pod_aging_error)
        with self.assertRaises(UserError):
            bad.with_user(self.clerk).action_o2c_retry_pod_aging()
        bad.with_user(self.warehouse).action_o2c_retry_pod_aging()
        self.assertFalse(bad.o2c_pod_aging_error)
        self.assertEqual(self.env["stock.picking"]._cron_o2c_pod_aging(), 1)
        self.assertEqual(self._missing_pod(bad).state, "open")

    def test_auto_invoice_parked_order_is_not_taken_again(self):
        orders = self.env["sale.order"]
        for _i in range(3):
            order = self._order(self.customer_delivery)
            self._deliver(order)
            orders |= order
        bad = orders[0]
        SaleOrder = self.env.registry["sale.order"]
        original = SaleOrder._create_invoices
        calls = []

        def create_invoices(records, *args, **kwargs):
            calls.append(records.ids)
            if bad in records:
                message = "No receivable account for this customer"
                raise UserError(message)
            return original(records, *args, **kwargs)

        with patch.object(SaleOrder, "_create_invoices", create_invoices):
            self.assertEqual(self.env["sale.order"]._cron_o2c_auto_invoice(batch_size=10), 3)
            self.assertTrue(all((orders - bad).mapped("invoice_ids")))
            self.assertFalse(bad.invoice_ids)
            picking = bad.picking_ids
            self.assertEqual(picking.o2c_release_error, "No receivable account for this customer")
            self.assertFalse(picking.o2c_release_pending)
            self.assertIn("Automatic invoicing failed", bad.message_ids[0].body)
            calls.clear()
            self.assertEqual(self.env["sale.order"]._cron_o2c_auto_invoice(batch_size=10), 0)
            self.assertFalse(calls, "the parked order is not retried")
