# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPolicyInput(O2cPricingCommon):
    def test_percentage_over_100_refused(self):
        for fname in ("max_discount", "max_price_override", "min_margin"):
            with self.subTest(fname), self.assertRaises(ValidationError) as cm:
                self.policy.write({fname: 101.0})
            self.assertIn("between 0 and 100", str(cm.exception))

    def test_negative_percentage_refused(self):
        for fname in ("max_discount", "max_price_override", "min_margin"):
            with self.subTest(fname), self.assertRaises(ValidationError):
                self.policy.write({fname: -1.0})

    def test_error_names_the_field(self):
        with self.assertRaises(ValidationError) as cm:
            self.policy.write({"max_discount": 150.0})
        self.assertIn("Max Discount (%)", str(cm.exception))

    def test_negative_order_discount_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self.policy.max_order_discount = -5.0
        self.assertIn("Max Order Discount Value", str(cm.exception))

    def test_tier_threshold_out_of_range_refused(self):
        for threshold in (-1.0, 100.0, 120.0):
            with self.subTest(threshold), self.assertRaises(ValidationError):
                self.policy.tier_ids[0].threshold = threshold

    def test_duplicate_tier_threshold_refused(self):
        with self.assertRaises(ValidationError):
            self.policy.tier_ids = [
                Command.create({"threshold": 15.0, "approver_group_id": self.group_finance.id})
            ]

    def test_salesman_cannot_edit_policy(self):
        policy = self.policy.with_user(self.salesman)
        self.assertEqual(policy.max_discount, 15.0, "readable by sales users")
        with self.assertRaises(AccessError):
            policy.max_discount = 90.0

    def test_manager_edits_policy(self):
        self.policy.with_user(self.manager).max_discount = 20.0
        self.assertEqual(self.policy.max_discount, 20.0)


@tagged("post_install", "-at_install")
class TestPolicyScope(O2cPricingCommon):
    """Each line follows the first matching policy by sequence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the catch-all test policy comes last; a strict one in front
        cls.policy.sequence = 100
        cls.strict = cls._policy(
            name="Strict", sequence=1, max_discount=5.0, max_price_override=5.0
        )

    def _held(self, discount=10.0, **vals):
        order = self._order([(self.drill, 1, None, discount)], **vals)
        return bool(self._confirm(order))

    def test_customer_segment(self):
        self.strict.partner_category_ids = self.env["res.partner.category"].create(
            {"name": "O2C Key accounts"}
        )
        self.assertFalse(self._held(), "not a key account: default policy")
        self.partner.category_id = self.strict.partner_category_ids
        self.assertTrue(self._held())

    def test_customer_segment_child_tag_and_company(self):
        parent = self.env["res.partner.category"].create({"name": "O2C Wholesale"})
        child = self.env["res.partner.category"].create(
            {"name": "O2C Wholesale East", "parent_id": parent.id}
        )
        self.strict.partner_category_ids = parent
        company = self.env["res.partner"].create(
            {"name": "O2C Wholesaler", "is_company": True, "category_id": child.ids}
        )
        self.partner.parent_id = company
        self.assertTrue(self._held())

    def test_pricelist(self):
        self.strict.pricelist_ids = self.env["product.pricelist"].create({"name": "O2C B2B"})
        self.assertFalse(self._held())
        self.assertTrue(self._held(pricelist_id=self.strict.pricelist_ids.id))

    def test_sales_team(self):
        team = self.env["crm.team"].create({"name": "O2C Phone sales"})
        self.strict.team_ids = team
        self.assertFalse(self._held())
        self.assertTrue(self._held(team_id=team.id))

    def test_channel(self):
        source = self.env["utm.source"].create({"name": "O2C EDI"})
        self.strict.source_ids = source
        self.assertFalse(self._held())
        self.assertTrue(self._held(source_id=source.id))

    def test_order_class(self):
        source = self.env["utm.source"].create({"name": "O2C EDI class source"})
        edi = self.env["o2c.order.class"].create(
            {"name": "EDI", "code": "o2c_pr_edi", "source_ids": [Command.link(source.id)]}
        )
        self.strict.order_class_ids = edi
        self.assertFalse(self._held(), "an order of no class follows the other policy")
        self.assertTrue(self._held(source_id=source.id), "an EDI order follows the strict one")

    def test_product_category_tree(self):
        self.strict.product_category_ids = self.categ_tools
        self.assertTrue(self._held(), "drills are tools")
        order = self._order([(self.apple, 1, None, 10.0)])
        self.assertFalse(self._confirm(order), "apples are not")

    def test_lines_of_one_order_follow_their_own_policy(self):
        self.strict.product_category_ids = self.categ_food
        order = self._order([(self.drill, 1, None, 10.0), (self.apple, 1, None, 10.0)])
        exc = self._confirm(order)
        self.assertIn("O2C Apple", exc.details)
        self.assertNotIn("O2C Drill", exc.details)

    def test_scope_change_applies_to_the_next_check(self):
        self.assertTrue(self._held(), "the strict policy covers every order")
        pricelist = self.env["product.pricelist"].create({"name": "O2C Scope change"})
        self.strict.pricelist_ids = pricelist
        self.assertFalse(self._held(), "the cached policy index follows the change")
        self.strict.pricelist_ids = False
        self.assertTrue(self._held())
        self.strict.copy({"name": "Stricter", "sequence": 0, "max_discount": 50.0})
        self.assertFalse(self._held(), "a new policy in front is used at once")

    def test_archived_policy_ignored(self):
        self.strict.active = False
        self.assertFalse(self._held())


@tagged("post_install", "-at_install")
class TestPolicyMultiCompany(O2cPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy_b = cls._policy(
            name="B strict",
            company_id=cls.company_b.id,
            max_discount=5.0,
            max_price_override=5.0,
            sequence=1,
        )

    def test_other_company_policy_not_applied(self):
        order = self._order([(self.drill, 1, None, 10.0)])
        self.assertFalse(self._confirm(order))
        self.assertEqual(order.state, "sale")

    def test_own_company_policy_applied(self):
        order = self._order([(self.drill, 1, None, 10.0)], company_id=self.company_b.id)
        exc = self._confirm(order)
        self.assertEqual(exc.company_id, self.company_b)
        self.assertEqual(order.state, "draft")

    def test_company_b_exception_approved_by_company_b_approver(self):
        order = self._order([(self.drill, 1, None, 10.0)], company_id=self.company_b.id)
        exc = self._confirm(order)
        exc.with_user(self.approver_b).with_company(self.company_b).action_approve("B ok")
        self.assertEqual(exc.state, "approved")

    def test_policy_hidden_from_other_company(self):
        policies = self.env["o2c.pricing.policy"].with_user(self.approver_b).search([])
        self.assertIn(self.policy_b, policies)
        self.assertNotIn(self.policy, policies)

    def test_shared_policy_visible_everywhere(self):
        self.policy.company_id = False
        policies = self.env["o2c.pricing.policy"].with_user(self.approver_b).search([])
        self.assertIn(self.policy, policies)
