# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPricelistOverride(O2cPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vip = cls.env["res.partner"].create({"name": "O2C VIP customer"})
        cls.vip_pricelist = cls.env["product.pricelist"].create(
            {
                "name": "O2C VIP prices",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.drill.id,
                            "compute_price": "fixed",
                            "fixed_price": 70.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "2_product_category",
                            "categ_id": cls.categ_food.id,
                            "min_quantity": 100,
                            "compute_price": "percentage",
                            "percent_price": 25.0,
                        }
                    ),
                ],
            }
        )
        cls.vip.property_product_pricelist = cls.vip_pricelist

    def _reference(self, line):
        return line._o2c_pricing_reference()[line.id]

    def test_customer_pricelist_price_is_not_an_override(self):
        """30 % under the list price, but it is the customer's own price."""
        order = self._order([(self.drill, 1, None, 0.0)], partner=self.vip)
        self.assertEqual(order.order_line.price_unit, 70.0)
        self.assertEqual(self._reference(order.order_line), (70.0, 0.0))
        self.assertFalse(self._confirm(order))
        self.assertEqual(order.state, "sale")

    def test_override_measured_against_customer_pricelist(self):
        order = self._order([(self.drill, 1, 56.0, 0.0)], partner=self.vip)
        exc = self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertIn("20.00 % below the pricelist price", exc.details)
        self.assertIn("70.00", exc.details)
        self.assertEqual(exc.amount, 14.0)

    def test_quantity_break_of_pricelist(self):
        """Rules are fetched once per order but still matched per line quantity."""
        order = self._order(
            [(self.apple, 100, None, 0.0), (self.apple, 10, 1.5, 0.0)], partner=self.vip
        )
        big, small = order.order_line
        self.assertEqual(self._reference(big)[0], 1.5)
        self.assertEqual(self._reference(small)[0], 2.0)
        exc = self._confirm(order)
        self.assertIn("25.00 % below the pricelist price", exc.details)
        self.assertEqual(exc.amount, 5.0, "only the small line is under its price")

    def test_reference_matches_odoo_price_on_untouched_lines(self):
        order = self._order(
            [(self.drill, 3, None, 0.0), (self.apple, 150, None, 0.0), (self.saw, 2, None, 0.0)],
            partner=self.vip,
        )
        for line in order.order_line:
            self.assertAlmostEqual(self._reference(line)[0], line.price_unit)

    def test_pricelist_discount_is_not_a_manual_discount(self):
        """With discounts shown on lines, the pricelist's own 25 % does not count."""
        self.env.ref("base.group_user").implied_ids = [
            Command.link(self.env.ref("sale.group_discount_per_so_line").id)
        ]
        order = self._order([(self.apple, 100, None, None)], partner=self.vip)
        line = order.order_line
        self.assertEqual((line.price_unit, line.discount), (2.0, 25.0))
        self.assertEqual(self._reference(line), (2.0, 25.0))
        self.assertFalse(self._confirm(order))
        self.assertEqual(order.state, "sale")

    def test_discount_beyond_pricelist_discount_counts(self):
        self.env.ref("base.group_user").implied_ids = [
            Command.link(self.env.ref("sale.group_discount_per_so_line").id)
        ]
        order = self._order([(self.apple, 100, None, None)], partner=self.vip)
        order.order_line.discount = 45.0
        exc = self._confirm(order)
        self.assertIn("discount 20.00 % &gt; 15.00 %", exc.details)

    def test_pricelist_change_changes_reference(self):
        order = self._order([(self.drill, 1, 75.0, 0.0)])
        self.assertTrue(self._confirm(order), "25 % under the public price")
        order.pricelist_id = self.vip_pricelist
        order.order_line.price_unit = 75.0
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale", "above the VIP price: resolved")

    def test_no_variant_attribute_extra_price_in_reference(self):
        """A no-variant attribute value with an extra price raises the reference."""
        attribute = self.env["product.attribute"].create(
            {
                "name": "O2C engraving",
                "create_variant": "no_variant",
                "value_ids": [Command.create({"name": "Engraved"})],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "O2C pen",
                "list_price": 100.0,
                "attribute_line_ids": [
                    Command.create(
                        {
                            "attribute_id": attribute.id,
                            "value_ids": [Command.set(attribute.value_ids.ids)],
                        }
                    )
                ],
            }
        )
        ptav = template.attribute_line_ids.product_template_value_ids
        ptav.price_extra = 30.0
        pen = template.product_variant_id
        order = self._order([(pen, 1, None, 0.0)])
        order.order_line = [
            Command.create(
                {
                    "product_id": pen.id,
                    "product_uom_qty": 1,
                    "product_no_variant_attribute_value_ids": [Command.set(ptav.ids)],
                }
            )
        ]
        plain, engraved = order.order_line
        self.assertEqual((plain.price_unit, engraved.price_unit), (100.0, 130.0))
        self.assertEqual(self._reference(plain)[0], 100.0)
        self.assertEqual(self._reference(engraved)[0], 130.0)
        engraved.price_unit = 100.0  # the engraving given away
        exc = self._confirm(order)
        self.assertIn("23.08 % below the pricelist price", exc.details)
        self.assertEqual(exc.amount, 30.0, "the plain pen at 100.00 is within the policy")
