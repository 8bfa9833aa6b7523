# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestAutoInvoice(O2cReleaseCommon):
    def _released(self, partner=None, qty=10.0):
        order = self._order(partner or self.customer_pod, qty=qty)
        picking = self._deliver(order)
        if picking.o2c_release_policy == "on_pod":
            self._proof(picking)
        return order, picking

    def _run(self):
        return self.env["sale.order"]._cron_o2c_auto_invoice(batch_size=2)

    def test_release_queues_the_delivery(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        self.assertFalse(picking.o2c_release_pending, "not released yet")
        self._proof(picking)
        self.assertTrue(picking.o2c_release_pending)

    def test_cron_invoices_released_deliveries_grouped_as_odoo_groups(self):
        order_1, picking_1 = self._released()
        order_2, picking_2 = self._released(qty=5)
        order_3, picking_3 = self._released(self.customer_delivery)
        waiting = self._order(self.customer_pod)
        self._deliver(waiting)
        self.assertEqual(self._run(), 3)
        invoice = order_1.invoice_ids
        self.assertEqual(order_2.invoice_ids, invoice, "same customer: one invoice")
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("quantity")), [5, 10])
        self.assertEqual(invoice.o2c_release_mode, "auto")
        self.assertEqual(invoice.o2c_picking_ids, picking_1 | picking_2)
        self.assertEqual(order_3.invoice_ids.o2c_picking_ids, picking_3)
        self.assertEqual(order_3.invoice_ids.state, "draft", "posting is off by default")
        self.assertFalse(waiting.invoice_ids, "no POD, no invoice")
        self.assertFalse((picking_1 | picking_2 | picking_3).filtered("o2c_release_pending"))

    def test_cron_is_idempotent(self):
        order, picking = self._released()
        self._run()
        invoices = order.invoice_ids
        self.assertEqual(self._run(), 0)
        # even a delivery queued again by mistake is never invoiced twice
        picking._o2c_owned_write({"o2c_release_pending": True})  # the job's own flag
        self.assertEqual(self._run(), 1)
        self.assertEqual(order.invoice_ids, invoices)
        self.assertEqual(order.order_line.qty_invoiced, 10)
        self.assertFalse(picking.o2c_release_pending)

    def test_company_without_auto_invoice_not_queued(self):
        self.company.o2c_auto_invoice = False
        order, picking = self._released()
        self.assertFalse(picking.o2c_release_pending)
        self.assertEqual(self._run(), 0)
        self.assertFalse(order.invoice_ids)
        self.assertEqual(order.order_line.qty_to_invoice, 10, "users still invoice it")

    def test_cron_posts_and_sends_per_company_setting(self):
        self.company.write({"o2c_auto_post": True, "o2c_auto_send": True})
        order, picking = self._released()
        self._run()
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.sending_data, "queued for Odoo's sending job")
        self.assertTrue(picking.o2c_invoice_posted_date)

    def test_failing_order_is_parked_and_the_rest_invoiced(self):
        good, good_picking = self._released(self.customer_delivery)
        bad, bad_picking = self._released()
        error = "No receivable account for this customer"
        SaleOrder = type(self.env["sale.order"])
        original = SaleOrder._prepare_invoice

        def prepare(order):
            if order.id == bad.id:
                raise UserError(error)
            return original(order)

        with patch.object(SaleOrder, "_prepare_invoice", prepare):
            self.assertEqual(self._run(), 2)
        self.assertEqual(good.invoice_ids.invoice_line_ids.quantity, 10)
        self.assertFalse(bad.invoice_ids)
        self.assertFalse(bad_picking.o2c_release_pending)
        self.assertIn("No receivable account", bad_picking.o2c_release_error)
        self.assertIn("Automatic invoicing failed", bad.message_ids[0].body)
        self.assertFalse(good_picking.o2c_release_error)
        bad_picking.action_o2c_retry_release()
        self.assertTrue(bad_picking.o2c_release_pending)
        self._run()
        self.assertEqual(bad.invoice_ids.invoice_line_ids.quantity, 10)
        self.assertFalse(bad_picking.o2c_release_error)
