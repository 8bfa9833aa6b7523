# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestBackorder(O2cFulfillmentCommon):
    """Validating part of a delivery raises a backorder and follows it up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 4)

    def _backordered_order(self, ordered=10, shipped=4, price=50.0):
        order = self._order([(self.product, ordered, price)])
        self._deliver(order.picking_ids, {self.product: shipped})
        return order

    def _backorder_picking(self, order):
        return order.picking_ids.filtered(lambda p: p.backorder_id and p.state != "done")

    def test_backorder_raises_exception_with_missing_qty_and_value(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        self.assertEqual(len(exc), 1)
        self.assertEqual(exc.o2c_missing_qty, 6.0)
        self.assertEqual(exc.amount, 300.0)
        self.assertFalse(exc.blocking)
        self.assertEqual(exc.stage, "fulfillment_planning")
        self.assertIn(self._backorder_picking(order).name, exc.name)

    def test_backorder_creates_rfq_for_missing_qty(self):
        self._backordered_order()
        line = self._rfq_lines(self.product)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.product_qty, 6.0)
        self.assertEqual(line.order_id.partner_id, self.vendor)

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

    def test_backorder_schedules_activity_for_salesperson(self):
        order = self._backordered_order()
        activity_type = self.env.ref("o2c_fulfillment.mail_activity_type_o2c_backorder")
        activity = order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertIn(
            self.env.ref("o2c_fulfillment.mail_template_o2c_backorder_notice"),
            activity_type.mail_template_ids,
        )

    def test_promised_date_follows_the_rfq(self):
        order = self._backordered_order()
        planned = self._rfq_lines(self.product).date_planned
        expected = planned + timedelta(days=self.policy.buffer_days)
        self.assertEqual(order.o2c_promised_date, expected)
        self.assertEqual(self._backorder_picking(order).scheduled_date, expected)

    def test_policy_auto_sends_the_notice(self):
        self.policy.communication = "auto"
        order = self._backordered_order()
        comment = self.env.ref("mail.mt_comment")
        sent = order.message_ids.filtered(
            lambda m: m.subtype_id == comment and "backordered" in (m.subject or "")
        )
        self.assertEqual(len(sent), 1)
        self.assertIn(self.customer, sent.partner_ids)
        self.assertFalse(order.activity_ids)

    def test_category_policy_without_replenishment(self):
        self.env["o2c.fulfillment.policy"].create(
            {
                "name": "No replenishment for this category",
                "categ_ids": [(4, self.categ.id)],
                "replenish": False,
                "communication": "none",
            }
        )
        order = self._backordered_order()
        self.assertFalse(self._rfq_lines(self.product))
        self.assertFalse(order.activity_ids)
        self.assertEqual(len(self._exceptions(order, "backorder")), 1)

    def test_policy_limited_to_order_class(self):
        matching = self.env["o2c.order.class"].create(
            {
                "name": "Fulfil class",
                "code": "o2c_ff_cls",
                "product_categ_ids": [(4, self.categ.id)],
            }
        )
        other = self.env["o2c.order.class"].create(
            {
                "name": "Other class",
                "code": "o2c_ff_other",
                "sequence": 99,
                "team_ids": [(0, 0, {"name": "O2C nobody's team"})],
            }
        )
        policy = self.env["o2c.fulfillment.policy"].create(
            {
                "name": "No replenishment for the other class",
                "order_class_ids": [(4, other.id)],
                "replenish": False,
                "communication": "none",
            }
        )
        order = self._backordered_order()
        self.assertEqual(order.o2c_order_class_id, matching)
        self.assertTrue(self._rfq_lines(self.product), "the class policy does not apply")
        policy.order_class_ids = matching
        order_2 = self._backordered_order()
        self.assertFalse(order_2.activity_ids, "the class policy applies: no communication")

    def test_partial_shipment_lowers_the_exception(self):
        order = self._backordered_order()
        self._stock(self.product, 2)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 2})
        exc = self._exceptions(order, "backorder")
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.o2c_missing_qty, 4.0)
        self.assertEqual(exc.amount, 200.0)
        self.assertTrue(exc.message_ids.filtered(lambda m: "Partially shipped" in str(m.body)))

    def test_exception_resolves_when_backorder_ships(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        self._stock(self.product, 6)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 6})
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(order.delivery_status, "full")

    def test_acknowledged_backorder_resolves_too(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        exc.with_user(self.approver).action_approve("Customer informed, RFQ sent")
        self._stock(self.product, 6)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 6})
        self.assertEqual(exc.state, "resolved")

    def test_acknowledged_backorder_stays_acknowledged_while_shipping(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        exc.with_user(self.approver).action_approve("Customer informed, RFQ sent")
        self._stock(self.product, 2)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 2})
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.o2c_missing_qty, 4.0)

    def test_cancel_backorder_requires_reason(self):
        order = self._backordered_order()
        backorder = self._backorder_picking(order)
        with self.assertRaises(UserError) as cm:
            backorder.with_user(self.stock_user).action_cancel()
        self.assertIn("Cancellation Reason", str(cm.exception))
        self.assertNotEqual(backorder.state, "cancel")

    def test_cancel_backorder_with_reason_resolves(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        backorder = self._backorder_picking(order)
        action = backorder.with_user(self.stock_user).action_o2c_cancel_backorder()
        form = Form(
            self.env["o2c.backorder.cancel.wizard"]
            .with_user(self.stock_user)
            .with_context(**action["context"])
        )
        form.reason_id = self.reason_cancel
        form.save().action_confirm()
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(backorder.o2c_cancel_reason_id, self.reason_cancel)
        self.assertEqual(exc.state, "resolved")
        self.assertIn(self.reason_cancel.name, exc.decision_reason)

    def test_cancel_reason_other_needs_a_note(self):
        other = self.env.ref("o2c_fulfillment.o2c_reason_code_cancel_other")
        backorder = self._backorder_picking(self._backordered_order())
        with self.assertRaises(UserError) as cm:
            backorder.with_user(self.stock_user).with_context(
                o2c_cancel_reason_id=other.id
            ).action_cancel()
        self.assertIn("Cancellation Note", str(cm.exception))

    def test_order_cancel_settles_backorder(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        order.with_user(self.manager).with_context(disable_cancel_warning=True)._action_cancel()
        self.assertEqual(exc.state, "resolved")
        self.assertIn("cancelled", exc.decision_reason)

    def test_commitment_date_not_reservable_raises_backorder(self):
        product = self._product("O2C Late Widget", 20.0)
        order = self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=1),
        )
        self.env["sale.order"]._cron_o2c_check_backorders()
        exc = self._exceptions(order, "backorder")
        self.assertEqual(exc.o2c_missing_qty, 5.0)
        self.assertIn("Not reservable", exc.details)
        self.assertEqual(self._rfq_lines(product).product_qty, 5.0)

    def test_commitment_date_far_away_is_not_a_backorder(self):
        product = self._product("O2C Later Widget", 20.0)
        order = self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=10),
        )
        self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertFalse(self._exceptions(order, "backorder"))

    def test_reserved_delivery_resolves_commitment_backorder(self):
        product = self._product("O2C Late Widget", 20.0)
        order = self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=1),
        )
        self.env["sale.order"]._cron_o2c_check_backorders()
        exc = self._exceptions(order, "backorder")
        self._stock(product, 5)
        order.picking_ids.action_assign()
        self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertEqual(exc.state, "resolved")

    def test_replenishment_failure_does_not_block_delivery(self):
        product = self._product("O2C No Vendor", 10.0, seller_ids=[(5, 0, 0)])
        self._stock(product, 1)
        order = self._order([(product, 3, 10.0)])
        self._deliver(order.picking_ids, {product: 1})
        self.assertEqual(order.picking_ids.filtered("backorder_id").state, "confirmed")
        self.assertEqual(len(self._exceptions(order, "backorder")), 1)
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "Replenishment of" in str(m.body) and "failed" in str(m.body)
            )
        )
