# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import O2cPricingCommon

POLICY = "o2c.pricing.policy"


@tagged("post_install", "-at_install")
class TestAdvisorFeed(O2cPricingCommon):
    """A pricing exception records the worst breach for the policy-gap advisor."""

    def _feed(self, exc):
        return (
            exc.o2c_measure,
            exc.o2c_threshold,
            exc.o2c_policy_ref,
            exc.o2c_policy_label,
            exc.product_id,
        )

    def test_discount_worst_line(self):
        """Two lines over the discount limit: the one furthest beyond it is recorded."""
        order = self._order([(self.apple, 10, None, 18.0), (self.drill, 1, None, 22.0)])
        exc = self._confirm(order)
        self.assertEqual(
            self._feed(exc),
            (
                22.0,
                15.0,
                f"{POLICY},{self.policy.id},max_discount",
                "O2C test policy: Max Discount (%)",
                self.drill,
            ),
        )

    def test_margin_floor(self):
        """A margin under the floor: the margin against the floor (a *below* limit)."""
        self.policy.write({"check_margin": True, "min_margin": 30.0})
        exc = self._confirm(self._order([(self.drill, 1, 85.0, 0.0)]))
        measure, limit, ref, __, product = self._feed(exc)
        self.assertAlmostEqual(measure, 29.41, places=2)
        self.assertEqual(
            (limit, ref, product), (30.0, f"{POLICY},{self.policy.id},min_margin", self.drill)
        )
        limits = self.env["o2c.advisor"]._o2c_advisor_limits()
        self.assertEqual(limits[(POLICY, "min_margin")]["direction"], "below")

    def test_price_override_beats_smaller_discount(self):
        """Price 25 % under the pricelist and 16 % discount elsewhere: the override."""
        order = self._order([(self.drill, 1, 75.0, 0.0), (self.apple, 1, None, 16.0)])
        exc = self._confirm(order)
        self.assertEqual(
            self._feed(exc)[:3],
            (25.0, 15.0, f"{POLICY},{self.policy.id},max_price_override"),
        )

    def test_order_discount_value(self):
        """No line beyond a limit, the value given away on the order is: that value."""
        self.policy.max_order_discount = 100.0
        exc = self._confirm(self._order([(self.drill, 11, None, 10.0)]))
        self.assertEqual(
            self._feed(exc)[:3],
            (110.0, 100.0, f"{POLICY},{self.policy.id},max_order_discount"),
        )
        self.assertFalse(exc.product_id)

    def test_refreshed_with_the_pricing(self):
        """A bigger discount on the held quotation: the measure follows."""
        order = self._order([(self.drill, 1, None, 20.0)])
        exc = self._confirm(order)
        order.order_line.discount = 24.0
        order.with_user(self.salesman).action_confirm()
        self.assertEqual((exc.state, exc.o2c_measure), ("open", 24.0))

    def test_advisor_proposes_relaxing_the_discount(self):
        """From real pricing exceptions: 20 approved at 17-18 %, one rejected at 25 %:
        raise the limit to 18 %."""
        orders = self.env["sale.order"]
        for discount in [17.0] * 10 + [18.0] * 10 + [25.0]:
            orders |= self._order([(self.drill, 1, None, discount)])
        for order in orders:
            self._confirm(order)
        excs = self.env["o2c.exception"].search([("sale_order_id", "in", orders.ids)])
        self.assertEqual(len(excs), 21)
        rejected = excs.filtered(lambda e: e.o2c_measure == 25.0)
        (excs - rejected).with_user(self.approver).action_approve("fine")
        rejected.with_user(self.approver).action_reject(
            "no", root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id
        )
        today = fields.Date.context_today(self.env["o2c.advisor"])
        proposals = self.env["o2c.advisor"].o2c_proposals(
            self.company.ids, today - timedelta(days=1), today
        )
        relax = [p for p in proposals if p["kind"] == "relax_limit"]
        self.assertEqual(len(relax), 1)
        self.assertEqual(
            {k: relax[0][k] for k in ("field", "current_value", "proposed_value", "avoided")},
            {"field": "max_discount", "current_value": 15.0, "proposed_value": 18.0, "avoided": 20},
        )
        self.assertIn("discount limit of O2C test policy from 15 % to 18 %", relax[0]["text"])

    def test_accepted_proposal_is_a_change_request(self):
        """Accepting the advisor's new limit requests it; it applies only once
        another manager approves."""
        manager_a, manager_b = (
            new_test_user(self.env, login, "o2c_exception_base.group_o2c_manager")
            for login in ("adv_mgr_a", "adv_mgr_b")
        )
        policy = self.env[POLICY].search([("max_discount", "=", 15.0)], limit=1)
        proposal = {
            "kind": "relax_limit",
            "res_model": POLICY,
            "res_id": policy.id,
            "field": "max_discount",
            "proposed_value": 18.0,
            "text": "Raise the discount limit from 15 % to 18 %",
        }
        action = self.env["o2c.advisor"].with_user(manager_a)._o2c_accept_proposal(proposal)
        request = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(request._name, "o2c.policy.change")
        self.assertEqual(
            (request.old_values, request.new_values),
            ({"max_discount": 15.0}, {"max_discount": 18.0}),
        )
        self.assertIn("Policy-gap advisor", request.reason)
        self.assertEqual(policy.max_discount, 15.0, "nothing changes before the approval")
        with self.assertRaises(UserError):
            request.with_user(manager_a).action_approve()
        request.with_user(manager_b).action_approve()
        self.assertEqual(policy.max_discount, 18.0)
