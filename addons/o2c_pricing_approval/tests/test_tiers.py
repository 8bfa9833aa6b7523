# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestTiers(O2cPricingCommon):
    def test_first_tier_routes_to_approver(self):
        exc = self._confirm(self._order([(self.drill, 1, None, 20.0)]))
        self.assertEqual(exc.approver_group_id, self.group_approver)

    def test_top_tier_routes_to_finance(self):
        exc = self._confirm(self._order([(self.drill, 1, None, 31.0)]))
        self.assertEqual(exc.approver_group_id, self.group_finance)

    def test_highest_line_decides_the_tier(self):
        order = self._order([(self.drill, 1, None, 20.0), (self.apple, 5, 1.2, 0.0)])
        exc = self._confirm(order)
        self.assertEqual(exc.approver_group_id, self.group_finance, "apple 40 % below")

    def test_violation_under_every_tier_needs_first_tier(self):
        self.policy.max_discount = 5.0
        exc = self._confirm(self._order([(self.drill, 1, None, 10.0)]))
        self.assertEqual(exc.approver_group_id, self.group_approver)

    def test_margin_under_floor_needs_top_tier(self):
        self.policy.write({"check_margin": True, "min_margin": 45.0})
        exc = self._confirm(self._order([(self.drill, 1, None, 0.0)]))
        self.assertEqual(exc.approver_group_id, self.group_finance)

    def test_no_tier_uses_exception_type_group(self):
        self.policy.tier_ids.unlink()
        group = self.env.ref("o2c_exception_base.group_o2c_manager")
        self.env.ref(
            "o2c_pricing_approval.o2c_exception_type_discount_approval"
        ).approver_group_id = group
        exc = self._confirm(self._order([(self.drill, 1, None, 50.0)]))
        self.assertEqual(exc.approver_group_id, group)

    def test_min_approvals_from_exception_type(self):
        self.env.ref("o2c_pricing_approval.o2c_exception_type_discount_approval").min_approvals = 2
        exc = self._confirm(self._order([(self.drill, 1, None, 20.0)]))
        self.assertEqual(exc.min_approvals, 2)

    def test_bigger_discount_moves_open_exception_up(self):
        order = self._order([(self.drill, 1, None, 20.0)])
        exc = self._confirm(order)
        order.order_line.discount = 40.0
        self.assertEqual(self._confirm(order), exc, "same exception, refreshed")
        self.assertEqual(exc.approver_group_id, self.group_finance)
        self.assertEqual(exc.amount, 40.0)
        self.assertEqual(exc.state, "open")

    def _request(self, order):
        """Ask for the approval without confirming: the approval leaves a quotation."""
        order.with_user(self.salesman).action_o2c_pricing_request_approval()
        return self._exception(order)

    def test_bigger_discount_after_approval_reopens_at_higher_tier(self):
        order = self._order([(self.drill, 1, None, 20.0)])
        exc = self._request(order)
        exc.with_user(self.approver).action_approve("ok for 20 %")
        order.order_line.discount = 40.0
        self.assertEqual(exc.state, "open", "reopened by the line change")
        self.assertEqual(self._confirm(order), exc)
        self.assertEqual(exc.approver_group_id, self.group_finance)
        self.assertEqual(order.state, "draft")

    def test_approved_route_kept_when_policy_changes(self):
        order = self._order([(self.drill, 1, None, 20.0)])
        exc = self._request(order)
        exc.with_user(self.approver).action_approve("ok")
        self.policy.tier_ids.filtered(lambda t: t.threshold == 15.0).threshold = 5.0
        self.policy.tier_ids.filtered(lambda t: t.threshold == 30.0).threshold = 10.0
        self._confirm(order)
        self.assertEqual(exc.approver_group_id, self.group_approver)
        self.assertEqual(order.state, "sale")

    def test_finance_approver_approves_top_tier(self):
        order = self._order([(self.drill, 1, None, 40.0)])
        exc = self._confirm(order)
        exc.with_user(self.finance).action_approve("strategic deal")
        self.assertEqual(order.state, "sale", "the held confirmation went on")

    def test_plain_approver_cannot_approve_top_tier(self):
        exc = self._confirm(self._order([(self.drill, 1, None, 40.0)]))
        with self.assertRaises(UserError) as cm:
            exc.with_user(self.approver).action_approve("not mine")
        self.assertIn("only members", str(cm.exception))
        self.assertEqual(exc.state, "open")

    def test_rerouted_exception_asks_the_new_tier(self):
        order = self._order([(self.drill, 1, None, 20.0)])
        order.with_user(self.salesman).action_o2c_pricing_request_approval()
        exc = self._exception(order)
        self.assertIn(self.approver, exc.activity_ids.user_id)
        order.order_line.discount = 40.0
        order.with_user(self.salesman).action_o2c_pricing_request_approval()
        self.assertEqual(exc.approver_group_id, self.group_finance)
        self.assertIn(self.finance, exc.activity_ids.user_id)
        self.assertNotIn(self.approver, exc.activity_ids.user_id)
        self.assertTrue(
            any("Approval tier changed" in body for body in exc.message_ids.mapped("body"))
        )
