# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPricingRules(O2cPricingCommon):
    def test_discount_within_policy_confirms(self):
        order = self._order([(self.drill, 2, None, 15.0)])
        exc = self._confirm(order)
        self.assertFalse(exc)
        self.assertEqual(order.state, "sale")

    def test_discount_above_max_holds_order(self):
        order = self._order([(self.drill, 2, None, 20.0), (self.apple, 10, None, 0.0)])
        exc = self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.o2c_blocked)
        self.assertEqual(exc.state, "open")
        self.assertTrue(exc.blocking)
        self.assertEqual(exc.sale_order_id, order)
        self.assertEqual(exc.amount, 40.0, "2 x 20 % of 100 given away")
        self.assertIn("1 line(s)", exc.name)
        self.assertIn("O2C Drill", exc.details)
        self.assertNotIn("O2C Apple", exc.details, "only offending lines are listed")
        self.assertIn("discount 20.00 % &gt; 15.00 %", exc.details)

    def test_price_override_above_max_holds_order(self):
        order = self._order([(self.drill, 1, 80.0, 0.0)])
        exc = self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertIn("20.00 % below the pricelist price", exc.details)
        self.assertEqual(exc.amount, 20.0)

    def test_price_override_within_max_confirms(self):
        order = self._order([(self.drill, 1, 90.0, 0.0)])
        self.assertFalse(self._confirm(order))
        self.assertEqual(order.state, "sale")

    def test_discount_and_override_add_up_in_value(self):
        """Each within its limit: no approval, the value still adds both."""
        order = self._order([(self.drill, 1, 90.0, 10.0)])
        values = order.order_line._o2c_pricing_measures()[order.order_line.id]
        self.assertAlmostEqual(values["reduction"], 19.0)
        self.assertAlmostEqual(values["value"], 19.0)
        self.assertFalse(self._confirm(order))

    def test_margin_under_floor_holds_order(self):
        self.policy.write({"check_margin": True, "min_margin": 30.0})
        # 100 - 12 % = 88 net, cost 60: margin 31.8 % -> fine; 85 -> 29.4 % -> held
        ok = self._order([(self.drill, 1, 88.0, 0.0)])
        self.assertFalse(self._confirm(ok))
        order = self._order([(self.drill, 1, 85.0, 0.0)])
        exc = self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertIn("margin 29.41 % &lt; floor 30.00 %", exc.details)

    def test_margin_skips_lines_without_cost_and_says_so(self):
        self.policy.write({"check_margin": True, "min_margin": 30.0})
        # the saw has no cost: sold at a loss it would fail, but it is skipped
        order = self._order([(self.saw, 1, 45.0, 0.0), (self.drill, 1, 80.0, 0.0)])
        exc = self._confirm(order)
        self.assertIn("Not checked for margin (no product cost): O2C Saw", exc.details)
        self.assertEqual(exc.details.count("&lt; floor"), 1, "only the drill's margin")
        self.assertIn("margin 25.00 % &lt; floor 30.00 %", exc.details)
        saw_line = order.order_line.filtered(lambda line: line.product_id == self.saw)
        self.assertIsNone(saw_line._o2c_pricing_measures()[saw_line.id]["margin"])

    def test_margin_names_at_most_ten_products_without_cost(self):
        self.policy.write({"check_margin": True, "min_margin": 30.0})
        products = self.env["product.product"].create(
            [
                {
                    "name": f"O2C Costless {i:02d}",
                    "type": "consu",
                    "categ_id": self.categ_tools.id,
                    "list_price": 50.0,
                    "standard_price": 0.0,
                    "taxes_id": [Command.clear()],
                }
                for i in range(12)
            ]
        )
        order = self._order([(p, 1, 50.0, 0.0) for p in products] + [(self.drill, 1, 80.0, 0.0)])
        exc = self._confirm(order)
        self.assertIn(
            "Not checked for margin (no product cost): O2C Costless 00, O2C Costless 01",
            exc.details,
        )
        self.assertIn("O2C Costless 09 and 2 more", exc.details)
        self.assertNotIn("O2C Costless 10", exc.details)

    def test_margin_only_line_without_cost_confirms(self):
        self.policy.write({"check_margin": True, "min_margin": 30.0})
        order = self._order([(self.saw, 1, 45.0, 0.0)])
        self.assertFalse(self._confirm(order))
        self.assertEqual(order.state, "sale")

    def test_order_discount_value_above_limit(self):
        self.policy.max_order_discount = 100.0
        # 10 drills at 10 % off: each line within limits, 100.0 given away: at the limit
        at_limit = self._order([(self.drill, 10, None, 10.0)])
        self.assertFalse(self._confirm(at_limit))
        over = self._order([(self.drill, 11, None, 10.0)])
        exc = self._confirm(over)
        self.assertEqual(over.state, "draft")
        self.assertIn("value given away", exc.details)
        self.assertIn("order discount value", exc.name)
        self.assertEqual(exc.amount, 110.0)

    def test_fixed_order_resolves_exception(self):
        order = self._order([(self.drill, 1, None, 25.0)])
        exc = self._confirm(order)
        order.order_line.discount = 10.0
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(order.state, "sale")

    def test_lines_without_policy_not_checked(self):
        self.policy.product_category_ids = self.categ_tools
        order = self._order([(self.apple, 10, None, 50.0)])
        self.assertFalse(self._confirm(order))
        self.assertEqual(order.state, "sale")

    def test_note_and_section_lines_ignored(self):
        order = self._order([(self.drill, 1, None, 5.0)])
        order.order_line = [
            Command.create({"display_type": "line_section", "name": "Section"}),
            Command.create({"display_type": "line_note", "name": "Note"}),
        ]
        self.assertFalse(self._confirm(order))
