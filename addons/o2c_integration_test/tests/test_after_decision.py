# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AttackCommon

CODE = "discount_approval"
RESUME = "o2c_exception_base.mail_activity_type_o2c_resume"


@tagged("post_install", "-at_install")
class TestAfterDecision(AttackCommon):
    """A held action goes on by itself once decided; a confirmed order keeps its decisions.

    One pricing policy (others archived): discounts above 15 % need an O2C approver.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._only_pricing_policy("After-decision pricing policy")

    # ---------------------------------------------------------- HELPERS
    def pricing_exception(self, order):
        return order.o2c_exception_ids.filtered(lambda e: e.code == CODE)

    def held_quotation(self, discount=40.0):
        """The salesman's 40 % quotation, its confirmation held by the pricing control."""
        order = self.quotation(discount=discount)
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.o2c_resume_action, "confirm")
        self.assertEqual(order.o2c_resume_user_id, self.salesman)
        return order, self.pricing_exception(order)

    def approve(self, exc, user=None):
        self.rpc(user or self.approver, "o2c.exception", "action_approve", exc.ids, reason="ok")

    def resume_activities(self, record):
        kind = self.env.ref(RESUME)
        return record.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    # ------------------------------------------------------- GOING ON
    def test_approved_order_confirms_by_itself(self):
        order, exc = self.held_quotation()
        self.assertFalse(order.picking_ids)
        self.approve(exc)
        self.assertEqual(exc.state, "approved")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids, "the confirmation ran: a delivery was made")
        self.assertFalse(order.o2c_resume_action)
        self.assertFalse(order.o2c_blocked)
        notes = order.message_ids.mapped("body")
        self.assertTrue(
            any(
                "Confirmed after the decision of" in body and "atk_approver" in body
                for body in notes
            ),
            notes,
        )
        # confirmed on behalf of who asked: the salesperson's confirmation
        self.assertFalse(self.resume_activities(order))

    def test_goes_on_only_when_the_last_hold_is_decided(self):
        order = self.quotation(discount=40.0)
        hold = self.held(order)
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        pricing = self.pricing_exception(order)
        self.assertEqual(pricing.state, "open")
        self.approve(pricing)
        self.assertEqual(order.state, "draft", "another blocking exception still holds it")
        self.assertEqual(order.o2c_resume_action, "confirm")
        self.approve(hold)
        self.assertEqual(order.state, "sale")

    def test_type_set_not_to_go_on_asks_the_requester(self):
        self.pricing_type.resume_after_decision = False
        order, exc = self.held_quotation()
        self.approve(exc)
        self.assertEqual(order.state, "draft")
        activity = self.resume_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.summary, "Confirm now")
        # their click confirms (the approval is bound to the order as it is)
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "sale")

    def test_rejection_does_not_go_on(self):
        order, exc = self.held_quotation()
        self.rpc(
            self.approver,
            "o2c.exception",
            "action_reject",
            exc.ids,
            reason="too much",
            root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id,
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.o2c_resume_action, "confirm")
        self.assertFalse(self.resume_activities(order))

    def test_delivery_needing_a_choice_asks_the_warehouse(self):
        order = self.quotation(qty=2.0)
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1.0  # half of it: the backorder question
        hold = self.held(picking)
        self.rpc(self.warehouse, "stock.picking", "button_validate", picking.ids)
        self.assertEqual(picking.o2c_resume_action, "validate")
        self.approve(hold)
        self.assertNotEqual(picking.state, "done")
        activity = self.resume_activities(picking)
        self.assertEqual(activity.user_id, self.warehouse)
        self.assertEqual(activity.summary, "Validate now")

    def test_full_delivery_validates_by_itself(self):
        picking = self.delivery()
        hold = self.held(picking)
        self.rpc(self.warehouse, "stock.picking", "button_validate", picking.ids)
        self.assertEqual(picking.state, "assigned")
        self.approve(hold)
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.o2c_resume_action)

    def test_resume_fields_are_not_writable(self):
        order, _exc = self.held_quotation()
        for vals in ({"o2c_resume_action": False}, {"o2c_resume_user_id": self.approver.id}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.rpc(self.salesman, "sale.order", "write", order.ids, vals)
        self.assertEqual(order.o2c_resume_user_id, self.salesman)

    # ------------------------------------------ CHANGES AFTER THE ACTION
    def test_line_added_to_confirmed_order_keeps_the_approval(self):
        order, exc = self.held_quotation()
        self.approve(exc)
        self.assertEqual(order.state, "sale")
        freight = self.env["product.product"].create(
            {"name": "Freight", "type": "service", "list_price": 25.0}
        )
        self.rpc_write(
            self.manager,
            order,
            {"order_line": [Command.create({"product_id": freight.id, "product_uom_qty": 1})]},
        )
        self.assertEqual(len(order.order_line), 2)
        self.assertEqual(exc.state, "approved", "a confirmed order is not re-approved")
        self.assertFalse(order.o2c_blocked)
        self.assertFalse(exc.activity_ids, "no approver is asked again")

    def test_price_outside_policy_on_confirmed_order_is_refused(self):
        order, exc = self.held_quotation(discount=20.0)
        self.approve(exc)
        line = order.order_line
        for vals in ({"discount": 40.0}, {"price_unit": 50.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "Unit Price"):
                self.rpc(self.manager, "sale.order.line", "write", line.ids, vals)
        self.assertEqual((line.discount, line.price_unit), (20.0, 100.0))
        # within the policy, a confirmed order's price may still be corrected
        self.rpc(self.manager, "sale.order.line", "write", line.ids, {"discount": 10.0})
        self.assertEqual(line.discount, 10.0)
        self.assertEqual(exc.state, "approved")
