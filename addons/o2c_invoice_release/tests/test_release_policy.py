# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestReleasePolicy(O2cReleaseCommon):
    def test_on_delivery_validated_delivery_is_enough(self):
        order = self._order(self.customer_delivery)
        picking = self._deliver(order)
        self.assertEqual(picking.o2c_release_policy, "on_delivery")
        self.assertEqual(picking.o2c_pod_state, "not_required")
        self.assertTrue(picking.o2c_released)
        invoice = self._invoice(order)
        self.assertEqual(invoice.invoice_line_ids.quantity, 10)
        self.assertEqual(invoice.o2c_picking_ids, picking)
        self.assertEqual(invoice.o2c_release_mode, "manual")

    def test_on_pod_nothing_invoiceable_before_pod(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        self.assertEqual(picking.o2c_pod_state, "missing")
        self.assertFalse(picking.o2c_released)
        line = order.order_line
        self.assertEqual(line.qty_delivered, 10)
        self.assertEqual(line.qty_to_invoice, 0)
        self.assertEqual(line.o2c_qty_withheld, 10)
        with self.assertRaises(UserError) as cm:
            self._invoice(order)
        self.assertIn(picking.name, str(cm.exception))
        self.assertIn("proof of delivery missing", str(cm.exception))
        self.assertFalse(order.invoice_ids)

    def test_on_pod_create_invoices_api_gated_too(self):
        order = self._order(self.customer_pod)
        self._deliver(order)
        with self.assertRaises(UserError):
            order._create_invoices()
        self.assertFalse(order.with_context(raise_if_nothing_to_invoice=False)._create_invoices())

    def test_on_pod_invoiceable_once_pod_validated(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        proof = self._proof(picking, validate=False)
        self.assertEqual(picking.o2c_pod_state, "pending")
        self.assertEqual(order.order_line.qty_to_invoice, 0)
        proof.action_validate()
        self.assertEqual(picking.o2c_pod_state, "validated")
        self.assertTrue(picking.o2c_released)
        self.assertEqual(picking.o2c_released_by_id, self.warehouse)
        self.assertEqual(order.order_line.qty_to_invoice, 10)
        invoice = self._invoice(order)
        self.assertEqual(invoice.invoice_line_ids.quantity, 10)
        self.assertEqual(invoice.o2c_picking_ids, picking)

    def test_manual_policy_needs_finance_release(self):
        order = self._order(self.customer_manual)
        picking = self._deliver(order)
        self._proof(picking)
        self.assertFalse(picking.o2c_released, "a POD does not release a manual delivery")
        with self.assertRaises(UserError) as cm:
            self._invoice(order)
        self.assertIn("manual release", str(cm.exception))
        with self.assertRaisesRegex(UserError, "billing users"):
            picking.with_user(self.warehouse).action_o2c_release()
        picking.with_user(self.finance).action_o2c_release()
        self.assertTrue(picking.o2c_released)
        self.assertEqual(picking.o2c_released_by_id, self.finance)
        self.assertEqual(self._invoice(order).invoice_line_ids.quantity, 10)

    def test_policy_is_snapshot_when_delivery_done(self):
        order = self._order(self.customer_delivery)
        picking = self._deliver(order)
        self.customer_delivery.o2c_invoice_release_policy = "on_pod"
        self.assertEqual(picking.o2c_release_policy, "on_delivery")
        self.assertEqual(order.order_line.qty_to_invoice, 10)

    def test_company_default_policy(self):
        self.company.o2c_invoice_release_policy = "on_pod"
        order = self._order(self.customer_delivery)
        picking = self._deliver(order)
        self.assertEqual(picking.o2c_release_policy, "on_pod")
        self.assertEqual(order.order_line.qty_to_invoice, 0)

    def test_order_class_policy_between_customer_and_company(self):
        every_order = self.env["o2c.order.class"].create(
            {"name": "Every order", "code": "o2c_ir_all", "o2c_invoice_release_policy": "on_pod"}
        )
        order = self._order(self.customer_delivery)
        self.assertEqual(order.o2c_order_class_id, every_order)
        picking = self._deliver(order)
        self.assertEqual(picking.o2c_release_policy, "on_pod", "the class's policy")
        self.assertEqual(order.order_line.qty_to_invoice, 0)
        self.customer_delivery.o2c_invoice_release_policy = "on_delivery"
        picking_2 = self._deliver(self._order(self.customer_delivery))
        self.assertEqual(picking_2.o2c_release_policy, "on_delivery", "the customer's own wins")

    def test_split_shipments_invoiced_per_released_delivery(self):
        order = self._order(self.customer_pod, qty=10)
        first = self._deliver(order, qty=4)
        second = self._deliver(order, qty=6)
        self.assertEqual(first.backorder_ids, second)
        self._proof(first)
        self.assertEqual(order.order_line.qty_to_invoice, 4)
        self.assertEqual(order.order_line.o2c_qty_withheld, 6)
        invoice_1 = self._invoice(order)
        self.assertEqual(invoice_1.invoice_line_ids.quantity, 4)
        self.assertEqual(invoice_1.o2c_picking_ids, first)
        with self.assertRaises(UserError) as cm:
            self._invoice(order)
        self.assertIn(second.name, str(cm.exception))
        self.assertNotIn(first.name, str(cm.exception))
        self._proof(second)
        invoice_2 = self._invoice(order)
        self.assertEqual(invoice_2.invoice_line_ids.quantity, 6)
        self.assertEqual(invoice_2.o2c_picking_ids, second)
        self.assertEqual(order.order_line.qty_invoiced, 10)

    def test_return_of_released_delivery_reduces_releasable(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        self._proof(picking)
        self._return(picking, 3)
        self.assertEqual(order.order_line.o2c_qty_released, 7)
        self.assertEqual(self._invoice(order).invoice_line_ids.quantity, 7)

    def test_return_of_unreleased_delivery_counts_when_it_is_released(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        self._return(picking, 3)
        line = order.order_line
        self.assertEqual(line.o2c_qty_released, 0, "nothing released, nothing deducted yet")
        self.assertEqual(line.qty_to_invoice, 0)
        self.assertEqual(line.o2c_qty_withheld, 7)
        self._proof(picking)
        self.assertEqual(line.o2c_qty_released, 7)
        self.assertEqual(line.qty_to_invoice, 7)

    def test_rejecting_validated_pod_withdraws_release(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        proof = self._proof(picking)
        self.assertTrue(picking.o2c_released)
        proof.with_user(self.warehouse).action_reject("signature is not the customer's")
        self.assertEqual(picking.o2c_pod_state, "rejected")
        self.assertFalse(picking.o2c_released)
        self.assertFalse(picking.o2c_release_pending)
        self.assertEqual(order.order_line.qty_to_invoice, 0)

    def test_rejecting_pod_after_invoicing_keeps_the_invoice(self):
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        proof = self._proof(picking)
        invoice = self._invoice(order)
        proof.action_reject("customer disputes the delivery")
        self.assertTrue(picking.o2c_released, "already billed: the invoice stays")
        self.assertEqual(invoice.invoice_line_ids.quantity, 10)
        self.assertEqual(order.order_line.qty_to_invoice, 0)

    def test_order_policy_products_are_not_gated(self):
        self.product.invoice_policy = "order"
        order = self._order(self.customer_pod)
        self.assertEqual(order.order_line.qty_to_invoice, 10)
        self.assertEqual(self._invoice(order).invoice_line_ids.quantity, 10)

    def test_billing_user_without_inventory_rights_validates_and_releases(self):
        billing = new_test_user(
            self.env, "o2c_rel_billing", "base.group_user,account.group_account_invoice"
        )
        pod_order = self._order(self.customer_pod)
        pod_picking = self._deliver(pod_order)
        self._proof(pod_picking, user=billing)
        self.assertTrue(pod_picking.o2c_released)
        self.assertEqual(pod_picking.o2c_released_by_id, billing)
        manual_picking = self._deliver(self._order(self.customer_manual))
        manual_picking.with_user(billing).action_o2c_release()
        self.assertTrue(manual_picking.o2c_released)
