# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestShortPick(O2cFulfillmentCommon):
    """Shipping less than ordered without a backorder needs a reason code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 4)

    def test_no_backorder_requires_a_reason(self):
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        with self.assertRaises(UserError) as cm:
            self._deliver(picking, {self.product: 4}, backorder=False)
        self.assertIn("Short Pick Reason", str(cm.exception))
        self.assertNotEqual(picking.state, "done")

    def test_policy_without_short_pick_reason_closes_short_as_odoo(self):
        """The control is the policy's: off, a delivery closes short as in Odoo."""
        self.env.ref("o2c_fulfillment.o2c_fulfillment_policy_default").short_pick_reason = False
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 4}, backorder=False)
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(order.picking_ids), 1, "no backorder")
        self.assertFalse(self._exceptions(picking, "short_pick"))
        self.assertEqual(order.order_line.qty_delivered, 4.0)

    def test_reason_raises_short_pick(self):
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 4}, backorder=False, reason=self.reason_stockout)
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(order.picking_ids), 1, "no backorder")
        exc = self._exceptions(picking, "short_pick")
        self.assertEqual(exc.o2c_missing_qty, 6.0)
        self.assertEqual(exc.amount, 300.0)
        self.assertEqual(exc.o2c_reason_code_id, self.reason_stockout)
        self.assertEqual(exc.sale_order_id, order)
        self.assertEqual(picking.o2c_short_reason_id, self.reason_stockout)

    def test_short_pick_is_not_a_backorder(self):
        order = self._order([(self.product, 10, 50.0)])
        with self._capture_procurements() as procurements:
            self._deliver(
                order.picking_ids, {self.product: 4}, backorder=False, reason=self.reason_stockout
            )
        self.assertFalse(self._exceptions(order, "backorder"))
        self.assertFalse(procurements, "nothing to replenish")

    def test_other_reason_needs_a_note(self):
        order = self._order([(self.product, 10, 50.0)])
        with self.assertRaises(UserError) as cm:
            self._deliver(
                order.picking_ids, {self.product: 4}, backorder=False, reason=self.reason_other
            )
        self.assertIn("Short Pick Note", str(cm.exception))

    def test_other_reason_with_note(self):
        order = self._order([(self.product, 10, 50.0)])
        self._deliver(
            order.picking_ids,
            {self.product: 4},
            backorder=False,
            reason=self.reason_other,
            note="Pallet fell",
        )
        exc = self._exceptions(order.picking_ids, "short_pick")
        self.assertIn("Pallet fell", exc.details)

    def test_never_backorder_type_uses_the_picking_reason(self):
        self.warehouse.out_type_id.create_backorder = "never"
        order = self._order([(self.product, 10, 50.0)])
        picking = order.picking_ids
        with self.assertRaises(UserError):
            self._deliver(picking, {self.product: 4})
        picking.with_user(self.stock_user).o2c_short_reason_id = self.reason_stockout
        self._deliver(picking, {self.product: 4})
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self._exceptions(picking, "short_pick")), 1)

    def test_full_delivery_raises_nothing(self):
        order = self._order([(self.product, 4, 50.0)])
        picking = order.picking_ids
        self._deliver(picking, {self.product: 4})
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.env["o2c.exception"].search([("sale_order_id", "=", order.id)]))

    def test_backorder_path_needs_no_reason(self):
        order = self._order([(self.product, 10, 50.0)])
        self._deliver(order.picking_ids, {self.product: 4})
        self.assertFalse(self._exceptions(order.picking_ids, "short_pick"))
