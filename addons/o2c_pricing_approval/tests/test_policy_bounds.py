# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPolicyBounds(O2cPricingCommon):
    def test_order_discount_value_bounded(self):
        for value in (1e13, float("inf"), float("nan"), -1.0):
            with self.subTest(value), self.assertRaises(ValidationError) as cm:
                self.policy.write({"max_order_discount": value})
            self.assertIn("Max Order Discount Value must be a number between", str(cm.exception))
            self.assertIn("pricing policy O2C test policy", str(cm.exception))
        with self.assertRaises(ValidationError):
            self.env["o2c.pricing.policy"].create(
                {"name": "Inf", "max_order_discount": float("inf")}
            )
        self.policy.max_order_discount = 1e12
        self.assertEqual(self.policy.max_order_discount, 1e12)

    def test_percentages_not_a_number_refused(self):
        for fname in ("max_discount", "max_price_override", "min_margin"):
            for value in (float("nan"), float("inf")):
                with self.subTest(fname=fname, value=value), self.assertRaises(ValidationError):
                    self.policy.write({fname: value})
        with self.assertRaises(ValidationError):
            self.policy.tier_ids[0].threshold = float("nan")
