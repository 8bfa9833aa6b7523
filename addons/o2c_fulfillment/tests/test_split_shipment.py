# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestSplitShipment(O2cFulfillmentCommon):
    """Ship complete: one delivery per order unless approved; invoiced when complete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 4)
        cls._stock(cls.substitute, 10)
        cls.customer.o2c_split_policy = "complete"

    def _approve(self, picking):
        exc = self._exceptions(picking, "split_shipment")
        exc.with_user(self.approver).action_approve("Customer agreed to two deliveries")
        return exc

    def test_policy_sets_odoo_shipping_policy(self):
        order = self._order([(self.product, 10, 50.0)])
        self.assertEqual(order.o2c_split_policy, "complete")
        self.assertEqual(order.picking_policy, "one")
        self.customer.o2c_split_policy = False
        other = self._order([(self.product, 1, 50.0)])
        self.assertEqual(other.o2c_split_policy, "available", "the company's default")
        self.assertEqual(other.picking_policy, "direct")

    def test_order_class_policy_when_customer_has_none(self):
        self.customer.o2c_split_policy = False
        self.env["o2c.order.class"].create(
            {"name": "Key accounts", "code": "KEY", "o2c_split_policy": "complete_line"}
        )
        order = self._order([(self.product, 1, 50.0)])
        self.assertEqual(order.o2c_split_policy, "complete_line")

    def test_order_class_change_governs_open_orders_only(self):
        """A class's new policy applies to the orders it still governs; an order
        shipped in full keeps the policy it shipped under."""
        self.customer.o2c_split_policy = False
        key = self.env["o2c.order.class"].create(
            {"name": "Key accounts", "code": "KEY", "o2c_split_policy": "complete_line"}
        )
        shipped = self._order([(self.product, 1, 50.0)])
        self._deliver(shipped.picking_ids, {self.product: 1})
        self.assertEqual(shipped.picking_ids.state, "done")
        open_order = self._order([(self.product, 2, 50.0)])
        self.assertEqual(open_order.o2c_order_class_id, key)
        key.o2c_split_policy = "complete"
        self.assertEqual(open_order.o2c_split_policy, "complete", "its delivery is open")
        self.assertEqual(shipped.o2c_split_policy, "complete_line", "history is kept")

    def test_backorder_held_before_any_side_effect_then_approved(self):
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 4})
        self.assertNotEqual(picking.state, "done", "held: nothing validated")
        self.assertEqual(len(order.picking_ids), 1, "held: no backorder created")
        exc = self._exceptions(picking, "split_shipment")
        self.assertEqual(exc.state, "open")
        self.assertTrue(exc.blocking)
        self.assertEqual(exc.amount, 300.0, "the 6 units left behind at 50")
        self.assertEqual(exc.sale_order_id, order)
        self._approve(picking)  # the held validation goes on by itself
        self.assertEqual(picking.state, "done")
        backorder = self._backorder_picking(order)
        self.assertEqual(backorder.move_ids.product_uom_qty, 6.0)

    def test_rejected_split_waits_until_shipped_complete(self):
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 4})
        exc = self._exceptions(picking, "split_shipment")
        exc.with_user(self.approver).action_reject(
            "Ship it complete",
            root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id,
        )
        self._deliver(picking, {self.product: 4})
        self.assertNotEqual(picking.state, "done", "a rejected split waits")
        self._stock(self.product, 6)
        self._deliver(picking, {self.product: 10})
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(exc.state, "resolved")

    def test_closing_short_is_a_short_pick_not_a_split(self):
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 4}, backorder=False, reason=self.reason_stockout)
        self.assertEqual(picking.state, "done")
        self.assertFalse(self._exceptions(picking, "split_shipment"))
        self.assertTrue(self._exceptions(picking, "short_pick"))

    def test_available_policy_backorders_as_odoo(self):
        self.customer.o2c_split_policy = "available"
        order = self._order([(self.product, 10, 50.0)])
        self._deliver(order.picking_ids, {self.product: 4})
        self.assertEqual(len(order.picking_ids), 2)
        self.assertFalse(self._exceptions(order.picking_ids, "split_shipment"))

    def test_action_done_with_any_context_cannot_split(self):
        """The RPC path around the wizard: ``_action_done`` with the wizard's keys."""
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids.with_user(self.stock_user)
        self._set_quantities(picking, {self.product: 4})
        for ctx in (
            {},
            {"skip_backorder": True, "picking_ids_not_to_backorder": picking.ids},
            {"o2c_skip_checks": True, "cancel_backorder": False},
        ):
            with self.assertRaises(UserError):
                picking.with_context(**ctx)._action_done()
            self.assertNotEqual(picking.state, "done")
            self.assertEqual(len(order.picking_ids), 1, "no backorder created")

    def test_split_by_hand_is_held_then_resumed(self):
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids.with_user(self.stock_user)
        self._set_quantities(picking, {self.product: 4})
        picking.action_split_transfer()
        self.assertEqual(len(order.picking_ids), 1, "held: not split")
        self.assertEqual(picking.o2c_resume_action, "split")
        self._approve(picking)
        self.assertEqual(len(order.picking_ids), 2, "split after the approval")
        self.assertEqual(picking.move_ids.product_uom_qty, 4.0)

    def test_complete_per_line(self):
        """A line ships in full or waits whole; only a partial line is a split."""
        self.customer.o2c_split_policy = "complete_line"
        order = self._order([(self.product, 10, 50.0), (self.substitute, 5, 60.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 0, self.substitute: 5})
        self.assertEqual(picking.state, "done", "the whole line waits: allowed")
        self.assertFalse(self._exceptions(picking, "split_shipment"))
        backorder = self._backorder_picking(order)
        self._stock(self.product, 2)
        self._deliver(backorder, {self.product: 6})
        self.assertNotEqual(backorder.state, "done")
        exc = self._exceptions(backorder, "split_shipment")
        self.assertEqual(exc.state, "open")
        self.assertIn("complete per line", exc.name)

    def test_confirmation_against_the_policy_needs_approval(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "picking_policy": "direct",
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "draft", "held")
        self.assertEqual(self._exceptions(order, "split_shipment").state, "open")
        order.picking_policy = "one"
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._exceptions(order, "split_shipment", ("resolved",)).state, "resolved")

    def test_salesperson_cannot_write_the_split_policy(self):
        order = self._order([(self.product, 1, 50.0)]).with_user(self.salesperson)
        for ctx in ({}, {"o2c_owned": True, "install_mode": True}):
            with self.assertRaises(UserError):
                order.with_context(**ctx).write({"o2c_split_policy": "available"})
        with self.assertRaises(UserError):
            order.env["sale.order"].create(
                {"partner_id": self.customer.id, "o2c_split_policy": "available"}
            )
        self.assertEqual(order.o2c_split_policy, "complete")

    def test_invoiced_when_complete(self):
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 4})
        self._approve(picking)
        line = order.order_line
        self.assertEqual(line.qty_delivered, 4.0)
        self.assertEqual(line.qty_to_invoice, 0.0, "a delivery is still open")
        self._stock(self.product, 6)
        self._deliver(self._backorder_picking(order), {self.product: 6})
        self.assertEqual(line.qty_to_invoice, 10.0)
