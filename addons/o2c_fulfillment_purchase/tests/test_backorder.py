# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import O2cFulfillmentPurchaseCommon


@tagged("post_install", "-at_install")
class TestBackorderPurchase(O2cFulfillmentPurchaseCommon):
    """A backorder of a bought product is replenished by an RFQ, and dated by it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 4)

    def test_backorder_creates_rfq_for_missing_qty(self):
        order = self._backordered_order()
        line = self._rfq_lines(self.product)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.product_qty, 6.0)
        self.assertEqual(line.order_id.partner_id, self.vendor)
        self.assertIn(order.name, line.order_id.origin)

    def test_second_backorder_completes_the_same_rfq(self):
        self._backordered_order()
        order = self._order([(self.product, 3, 50.0)])
        self.env["o2c.fulfillment.planner"]._plan(order.picking_ids.move_ids)
        line = self._rfq_lines(self.product)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.product_qty, 9.0, "6 + 3: each unmet demand ordered once")

    def test_replenishment_runs_once_per_need(self):
        order = self._backordered_order()
        self.env["o2c.fulfillment.planner"]._plan(self._backorder_picking(order).move_ids)
        self.assertEqual(self._rfq_lines(self.product).product_qty, 6.0)

    def test_promised_date_follows_the_rfq(self):
        order = self._backordered_order()
        planned = self._rfq_lines(self.product).date_planned
        expected = planned + timedelta(days=self.policy.buffer_days)
        self.assertEqual(order.o2c_promised_date, expected)
        self.assertEqual(self._backorder_picking(order).scheduled_date, expected)

    def test_promised_date_follows_a_confirmed_purchase(self):
        self._backordered_order()
        rfq = self._rfq_lines(self.product)
        # the vendor's 5 days, no sooner (sooner is an expedited replenishment)
        arrival = fields.Datetime.now().replace(microsecond=0) + timedelta(days=5)
        rfq.date_planned = arrival
        rfq.order_id.button_confirm()
        order = self._order([(self.product, 3, 50.0)])
        self.env["o2c.fulfillment.planner"]._plan(order.picking_ids.move_ids)
        self.assertEqual(order.o2c_promised_date, arrival + timedelta(days=1))

    def test_category_policy_without_replenishment_orders_nothing(self):
        self.env["o2c.fulfillment.policy"].create(
            {
                "name": "No replenishment for this category",
                "categ_ids": [Command.link(self.categ.id)],
                "replenish": False,
                "communication": "none",
            }
        )
        self._backordered_order()
        self.assertFalse(self._rfq_lines(self.product))

    def test_policy_of_another_order_class_still_orders(self):
        other = self.env["o2c.order.class"].create(
            {
                "name": "Other class",
                "code": "o2c_ffp_other",
                "sequence": 99,
                "team_ids": [Command.create({"name": "O2C nobody's team"})],
            }
        )
        self.env["o2c.fulfillment.policy"].create(
            {
                "name": "No replenishment for the other class",
                "order_class_ids": [Command.link(other.id)],
                "replenish": False,
                "communication": "none",
            }
        )
        self._backordered_order()
        self.assertEqual(self._rfq_lines(self.product).product_qty, 6.0)

    def test_commitment_date_not_reservable_creates_rfq(self):
        product = self._product("O2C Late Widget", 20.0)
        self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=1),
        )
        self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertEqual(self._rfq_lines(product).product_qty, 5.0)

    def test_replenishment_failure_does_not_block_delivery(self):
        """A bought product without vendor: a note on the order, never an error."""
        product = self._product("O2C No Vendor", 10.0, seller_ids=[Command.clear()])
        self._stock(product, 1)
        order = self._order([(product, 3, 10.0)])
        self._deliver(order.picking_ids, {product: 1})
        self.assertEqual(order.picking_ids.filtered("backorder_id").state, "confirmed")
        self.assertEqual(len(self._exceptions(order, "backorder")), 1)
        self.assertFalse(self._rfq_lines(product))
        note = self._replenishment_notes(order)
        self.assertIn("Replenishment of O2C No Vendor failed", str(note.body))

    def test_short_pick_orders_nothing(self):
        order = self._order([(self.product, 10, 50.0)])
        self._deliver(
            order.picking_ids, {self.product: 4}, backorder=False, reason=self.reason_stockout
        )
        self.assertFalse(self._rfq_lines(self.product))

    def test_vendor_date_moved_moves_the_promise_and_tells_the_customer(self):
        self.policy.communication = "auto"
        order = self._backordered_order()
        order.commitment_date = order.o2c_promised_date
        comment = self.env.ref("mail.mt_comment")

        def notices():
            return order.message_ids.filtered(
                lambda m: m.subtype_id == comment and "backordered" in (m.subject or "")
            )

        self.assertEqual(len(notices()), 1)
        rfq = self._rfq_lines(self.product)
        rfq.date_planned += timedelta(days=10)
        self.assertEqual(
            order.o2c_promised_date, rfq.date_planned + timedelta(days=self.policy.buffer_days)
        )
        self.assertEqual(len(notices()), 2, "the customer hears of the new date")
        self.assertTrue(self._exceptions(order, "backorder").o2c_late, "past the commitment")
