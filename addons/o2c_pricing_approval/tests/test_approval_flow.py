# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestApprovalFlow(O2cPricingCommon):
    def _approved_order(self):
        """Approved on request, before anyone asked to confirm: still a quotation."""
        order = self._order([(self.drill, 2, None, 20.0), (self.apple, 10, None, 0.0)])
        order.with_user(self.salesman).action_o2c_pricing_request_approval()
        exc = self._exception(order)
        exc.with_user(self.approver).action_approve("Volume deal")
        self.assertEqual(order.state, "draft")
        return order, exc

    def test_approval_lets_confirmation_through(self):
        order, exc = self._approved_order()
        self.assertFalse(order.o2c_blocked)
        self._confirm(order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.decided_by_id, self.approver)

    def test_held_confirmation_goes_on_after_approval(self):
        order = self._order([(self.drill, 2, None, 20.0)])
        exc = self._confirm(order)
        self.assertEqual(order.state, "draft")
        exc.with_user(self.approver).action_approve("Volume deal")
        self.assertEqual(order.state, "sale", "confirmed on behalf of the salesperson")
        self.assertIn("Confirmed after the decision of", order.message_ids[:3].mapped("body")[0])

    def test_change_after_approval_reopens(self):
        changes = {
            "discount": {"discount": 22.0},
            "price": {"price_unit": 99.0},
            "quantity": {"product_uom_qty": 3.0},
            "product": {"product_id": self.saw.id},
        }
        for label, vals in changes.items():
            with self.subTest(label):
                order, exc = self._approved_order()
                order.order_line[0].with_user(self.salesman).write(vals)
                self.assertEqual(exc.state, "open", label)
                self._confirm(order)
                self.assertEqual(order.state, "draft", label)

    def test_new_line_after_approval_reopens(self):
        order, exc = self._approved_order()
        self.env["sale.order.line"].with_user(self.salesman).create(
            {"order_id": order.id, "product_id": self.apple.id, "product_uom_qty": 1}
        )
        self.assertEqual(exc.state, "open")

    def test_removed_line_after_approval_reopens(self):
        order, exc = self._approved_order()
        order.order_line.filtered(lambda line: line.product_id == self.apple).with_user(
            self.salesman
        ).unlink()
        self.assertEqual(exc.state, "open")

    def test_change_through_order_form_reopens(self):
        order, exc = self._approved_order()
        with Form(order.with_user(self.salesman)) as form:
            with form.order_line.edit(0) as line:
                line.product_uom_qty = 5.0
        self.assertEqual(exc.state, "open")

    def test_unrelated_change_keeps_approval(self):
        order, exc = self._approved_order()
        order.with_user(self.salesman).write(
            {"note": "Deliver in the morning", "client_order_ref": "PO-7"}
        )
        order.order_line[0].with_user(self.salesman).name = "Drill, blue"
        self.assertEqual(exc.state, "approved")
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_same_pricing_in_other_line_order_keeps_approval(self):
        order, exc = self._approved_order()
        first, second = order.order_line
        first.sequence, second.sequence = 20, 10
        self.assertEqual(exc.state, "approved")

    def test_reject_keeps_order_held(self):
        order = self._order([(self.drill, 1, None, 25.0)])
        exc = self._confirm(order)
        exc.with_user(self.approver).action_reject(
            "Too generous",
            root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id,
        )
        self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(exc.state, "rejected")
        self.assertEqual(order.o2c_pricing_state, "rejected")

    def test_salesperson_cannot_approve_own_order_even_as_approver(self):
        order = self._order([(self.drill, 1, None, 25.0)], user=self.salesman_approver)
        exc = self._confirm(order, user=self.salesman_approver)
        with self.assertRaises(UserError) as cm:
            exc.with_user(self.salesman_approver).action_approve("mine")
        self.assertIn("Segregation of duties", str(cm.exception))
        self.assertEqual(exc.state, "open")
        self.assertFalse(order.with_user(self.salesman_approver).o2c_pricing_can_approve)
        self.assertTrue(order.with_user(self.approver).o2c_pricing_can_approve)

    def test_request_approval_notifies_tier_approvers(self):
        order = self._order([(self.drill, 1, None, 40.0)])
        order.with_user(self.salesman).action_o2c_pricing_request_approval()
        exc = self._exception(order)
        self.assertEqual(order.state, "draft", "requesting does not confirm")
        activity_users = exc.activity_ids.user_id
        self.assertIn(self.finance, activity_users)
        self.assertNotIn(self.approver, activity_users, "lower tier is not asked")
        self.assertNotIn(self.salesman, activity_users)
        self.assertIn("approval requested by", order.message_ids[0].body)

    def test_request_approval_within_policy_says_so(self):
        order = self._order([(self.drill, 1, None, 5.0)])
        action = order.with_user(self.salesman).action_o2c_pricing_request_approval()
        self.assertEqual(action["tag"], "display_notification")
        self.assertFalse(self._exception(order))

    def test_approve_from_order_through_wizard(self):
        order = self._order([(self.drill, 1, None, 25.0)])
        self._confirm(order)
        action = (
            order.with_user(self.approver)
            .with_context(o2c_decision="approve")
            .action_o2c_pricing_decide()
        )
        wizard = Form(
            self.env[action["res_model"]].with_user(self.approver).with_context(**action["context"])
        )
        wizard.reason = "Matches competitor"
        wizard.save().action_confirm()
        self.assertEqual(order.o2c_pricing_state, "approved")

    def test_bulk_approval_from_queue(self):
        orders = self._order([(self.drill, 1, None, 20.0)]) | self._order(
            [(self.drill, 1, None, 25.0)]
        )
        orders.with_user(self.salesman).action_confirm()
        excs = self._exception(orders[0]) | self._exception(orders[1])
        excs.with_user(self.approver).action_approve("Promotion week")
        self.assertEqual(set(excs.mapped("state")), {"approved"})
        self.assertEqual(set(orders.mapped("state")), {"sale"}, "each goes on by itself")

    def test_other_customer_after_approval_reopens(self):
        """A deal approved for one customer is not approved for another."""
        order, exc = self._approved_order()
        other = self.env["res.partner"].create({"name": "O2C other"})
        order.with_user(self.salesman).partner_id = other
        self.assertEqual(exc.state, "open")


@tagged("post_install", "-at_install")
class TestSendCheck(O2cPricingCommon):
    def test_send_not_checked_by_default(self):
        order = self._order([(self.drill, 1, None, 40.0)])
        action = order.with_user(self.salesman).action_quotation_send()
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertFalse(self._exception(order))

    def test_send_held_when_policy_says_so(self):
        self.policy.check_on_send = True
        order = self._order([(self.drill, 1, None, 40.0)])
        action = order.with_user(self.salesman).action_quotation_send()
        self.assertEqual(action["res_model"], "o2c.exception")
        self.assertEqual(self._exception(order).state, "open")

    def test_mark_as_sent_held_when_policy_says_so(self):
        self.policy.check_on_send = True
        order = self._order([(self.drill, 1, None, 40.0)])
        order.with_user(self.salesman).action_quotation_sent()
        self.assertEqual(order.state, "draft")

    def test_send_after_approval(self):
        self.policy.check_on_send = True
        order = self._order([(self.drill, 1, None, 40.0)])
        order.with_user(self.salesman).action_quotation_send()
        self._exception(order).with_user(self.finance).action_approve("ok")
        order.with_user(self.salesman).action_quotation_sent()
        self.assertEqual(order.state, "sent")

    def test_composer_path_refused_while_held(self):
        self.policy.check_on_send = True
        order = self._order([(self.drill, 1, None, 40.0)])
        order.with_user(self.salesman).action_quotation_send()
        with self.assertRaises(UserError):
            order.with_user(self.salesman).with_context(mark_so_as_sent=True).message_post(
                body="Your quotation"
            )
        self.assertEqual(order.state, "draft")

    def test_send_policy_by_product_category(self):
        self.policy.write(
            {"check_on_send": True, "product_category_ids": [Command.set(self.categ_food.ids)]}
        )
        self._policy(name="Tools, no send check", sequence=20)
        tools = self._order([(self.drill, 1, None, 40.0)])
        action = tools.with_user(self.salesman).action_quotation_send()
        self.assertEqual(action["res_model"], "mail.compose.message")
        food = self._order([(self.apple, 1, None, 40.0)])
        action = food.with_user(self.salesman).action_quotation_send()
        self.assertEqual(action["res_model"], "o2c.exception")
