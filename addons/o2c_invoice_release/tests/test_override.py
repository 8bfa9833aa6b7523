# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestReleaseOverride(O2cReleaseCommon):
    def _override_invoice(self, reason="customer confirmed receipt by phone"):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        invoice = self._invoice(order, o2c_include_unreleased=True, o2c_release_reason=reason)
        return order, picking, invoice

    def _missing_pod(self, record):
        return record.o2c_exception_ids.filtered(lambda e: e.code == "missing_pod")

    def test_override_without_reason_refused(self):
        order = self._order(self.customer_pod)
        self._deliver(order)
        with self.assertRaises(UserError) as cm:
            self._invoice(order, o2c_include_unreleased=True)
        self.assertIn("Reason for the override", str(cm.exception))
        self.assertFalse(order.invoice_ids)

    def test_wizard_lists_deliveries_awaiting_release(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.clerk)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({})
        )
        self.assertIn(picking.name, wizard.o2c_awaiting_release)

    def test_override_request_creates_held_invoice_and_notifies(self):
        _order, picking, invoice = self._override_invoice()
        self.assertEqual(invoice.invoice_line_ids.quantity, 10)
        self.assertEqual(invoice.o2c_picking_ids, picking, "links the unreleased delivery")
        self.assertEqual(invoice.o2c_release_mode, "manual", "override only once approved")
        exc = self._missing_pod(invoice)
        self.assertEqual(exc.state, "open")
        self.assertTrue(exc.blocking)
        self.assertEqual(exc.stage, "delivery_to_invoice")
        self.assertEqual(exc.requested_by_id, self.clerk)
        self.assertEqual(exc.amount, 100)
        self.assertIn(picking.name, str(exc.details))
        self.assertIn("customer confirmed receipt by phone", str(exc.message_ids.mapped("body")))
        self.assertIn(self.finance, exc.activity_ids.user_id, "finance approvers are asked")
        self.assertTrue(invoice.o2c_release_held)

    def test_held_override_invoice_cannot_be_posted(self):
        _order, _picking, invoice = self._override_invoice()
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.state, "draft")
        with self.assertRaises(UserError) as cm:
            invoice.with_user(self.clerk).with_context(o2c_raise_on_hold=True).action_post()
        self.assertIn("not released", str(cm.exception))

    def test_invoice_creator_cannot_approve_override(self):
        self.clerk.groups_id += self.env.ref("o2c_exception_base.group_o2c_approver")
        _order, _picking, invoice = self._override_invoice()
        exc = self._missing_pod(invoice)
        with self.assertRaises(UserError) as cm:
            exc.with_user(self.clerk).action_approve("I know the customer")
        self.assertIn("Segregation of duties", str(cm.exception))
        self.assertEqual(exc.state, "open")

    def test_finance_approver_overrides_for_one_invoice(self):
        order, picking, invoice = self._override_invoice()
        exc = self._missing_pod(invoice)
        exc.with_user(self.finance).action_approve("receipt confirmed by phone")
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.decided_by_id, self.finance)
        invoice.with_user(self.finance).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.o2c_release_mode, "override")
        self.assertEqual(self._missing_pod(invoice).state, "approved")
        self.assertTrue(picking.o2c_invoice_posted_date)
        # the POD arrives later: nothing is invoiced twice
        self._proof(picking)
        self.assertEqual(order.order_line.qty_to_invoice, 0)
        self.assertFalse(picking.o2c_release_pending, "already billed: not queued")

    def test_override_is_for_one_invoice_only(self):
        order, _picking, invoice = self._override_invoice()
        self._missing_pod(invoice).with_user(self.finance).action_approve("ok")
        invoice.with_user(self.finance).action_post()
        order.order_line.product_uom_qty = 15
        self._deliver(order, qty=5)
        with self.assertRaises(UserError):
            self._invoice(order)

    def test_approval_reopens_when_invoice_quantity_changes(self):
        _order, _picking, invoice = self._override_invoice()
        exc = self._missing_pod(invoice)
        exc.with_user(self.finance).action_approve("ok for 10")
        invoice.with_user(self.clerk).write(
            {"invoice_line_ids": [Command.update(invoice.invoice_line_ids.id, {"quantity": 12})]}
        )
        self.assertEqual(exc.state, "open")
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_manually_raised_quantity_held_at_posting(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order, qty=4)
        self._proof(picking)
        self._deliver(order)  # the other 6, waiting for their proof
        invoice = self._invoice(order)
        self.assertEqual(invoice.invoice_line_ids.quantity, 4)
        invoice.write(
            {"invoice_line_ids": [Command.update(invoice.invoice_line_ids.id, {"quantity": 10})]}
        )
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.state, "draft")
        exc = self._missing_pod(invoice)
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.amount, 60, "6 units over the released 4, at 10")

    def test_billing_beyond_delivered_is_odoo_matter(self):
        """Nothing waits for release: an invoice raised by hand posts as in Odoo."""
        order = self._order(self.customer_pod)
        picking = self._deliver(order, qty=4)
        self._proof(picking)
        invoice = self._invoice(order)
        invoice.write(
            {"invoice_line_ids": [Command.update(invoice.invoice_line_ids.id, {"quantity": 10})]}
        )
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._missing_pod(invoice))

    def test_direct_post_backstop(self):
        _order, _picking, invoice = self._override_invoice()
        with self.assertRaises(UserError) as cm:
            invoice._post()
        self.assertIn("held by O2C exceptions", str(cm.exception))
        self.assertEqual(invoice.state, "draft")

    def test_released_invoice_posts_and_resolves_nothing(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        self._proof(picking)
        invoice = self._invoice(order)
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._missing_pod(invoice))
        self.assertEqual(invoice.o2c_release_mode, "manual")

    def test_override_resolved_when_pod_validated_before_posting(self):
        _order, picking, invoice = self._override_invoice()
        self._proof(picking)
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self._missing_pod(invoice).state, "resolved")
        self.assertEqual(invoice.o2c_release_mode, "manual", "no override was needed")

    def test_return_after_override_credits_only_the_return(self):
        order, picking, invoice = self._override_invoice()
        self._missing_pod(invoice).with_user(self.finance).action_approve("ok")
        invoice.with_user(self.finance).action_post()
        self.assertEqual(order.order_line.qty_to_invoice, 0, "override never becomes a credit")
        self._return(picking, 3)
        self.assertEqual(order.order_line.qty_to_invoice, -3)
