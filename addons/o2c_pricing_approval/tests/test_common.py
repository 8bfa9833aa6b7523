# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestFixture(O2cPricingCommon):
    def test_fixture(self):
        order = self._order()
        self.assertEqual(order.pricelist_id, self.pricelist)
        self.assertEqual(order.order_line.price_unit, 100.0)
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(
            self.env["o2c.pricing.policy"].search([]), self.policy, "only the test policy"
        )
        self.assertIn(self.group_approver, self.group_finance.implied_ids)

    def test_default_policy_shipped(self):
        """A fresh install protects margin: > 15 % approver, > 30 % finance, all companies."""
        default = self.env.ref("o2c_pricing_approval.o2c_pricing_policy_default")
        self.assertFalse(default.company_id)
        self.assertEqual(default.max_discount, 15.0)
        self.assertEqual(default.max_price_override, 15.0)
        self.assertEqual(
            [(t.threshold, t.approver_group_id) for t in default._get_sorted_tiers()],
            [(15.0, self.group_approver), (30.0, self.group_finance)],
        )

    def test_default_policy_holds_big_discount_in_any_company(self):
        self.policy.active = False
        self.env.ref("o2c_pricing_approval.o2c_pricing_policy_default").active = True
        order = self._order([(self.drill, 1, None, 35.0)], company_id=self.company_b.id)
        exc = self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(exc.approver_group_id, self.group_finance)
        self.assertEqual(exc.company_id, self.company_b)
