# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from ..models.sale_order_line import _pricing_is_odoo_only, _template_currencies
from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestReferenceParity(O2cPricingCommon):
    """The pricing check's reference is the price and discount Odoo gives the line.

    The check computes the common rules itself (in batch); every kind of rule,
    unit, variant extra price and currency must give what Odoo's own
    ``_get_display_price`` and ``_compute_discount`` give an untouched line.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.group_user").implied_ids = [
            Command.link(cls.env.ref("sale.group_discount_per_so_line").id)
        ]
        cls.dozen = cls.env.ref("uom.product_uom_dozen")
        size = cls.env["product.attribute"].create(
            {
                "name": "O2C size",
                "create_variant": "always",
                "value_ids": [Command.create({"name": "S"}), Command.create({"name": "L"})],
            }
        )
        shirt = cls.env["product.template"].create(
            {
                "name": "O2C shirt",
                "categ_id": cls.categ_food.id,
                "list_price": 20.0,
                "standard_price": 8.0,
                "taxes_id": [Command.clear()],
                "attribute_line_ids": [
                    Command.create(
                        {"attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)]}
                    )
                ],
            }
        )
        ptavs = shirt.attribute_line_ids.product_template_value_ids
        ptavs.filtered(lambda v: v.name == "L").price_extra = 7.5
        variants = shirt.product_variant_ids
        cls.shirt_s = variants.filtered(
            lambda p: p.product_template_attribute_value_ids.name == "S"
        )
        cls.shirt_l = variants - cls.shirt_s
        cls.rules = cls.env["product.pricelist"].create(
            {
                "name": "O2C every rule",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.shirt_l.id,
                            "compute_price": "percentage",
                            "percent_price": 10.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.saw.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 40.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "2_product_category",
                            "categ_id": cls.categ_tools.id,  # the drills' parent
                            "min_quantity": 5,
                            "compute_price": "percentage",
                            "percent_price": 20.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "2_product_category",
                            "categ_id": cls.categ_food.id,
                            "min_quantity": 10,
                            "compute_price": "formula",
                            "price_discount": 10.0,
                            "price_surcharge": 0.5,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "base": "standard_price",
                            "percent_price": 5.0,
                        }
                    ),
                ],
            }
        )
        eur = cls.env.ref("base.EUR")
        eur.active = True
        if eur != cls.company.currency_id:
            cls.env["res.currency.rate"].create(
                {
                    "name": "2020-01-01",
                    "rate": 0.8,
                    "currency_id": eur.id,
                    "company_id": cls.company.id,
                }
            )
        cls.on_rules = cls.env["product.pricelist"].create(
            {
                "name": "O2C based on another pricelist",
                "currency_id": eur.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "base": "pricelist",
                            "base_pricelist_id": cls.rules.id,
                            "percent_price": 3.0,
                        }
                    )
                ],
            }
        )
        cls.in_eur = cls.env["product.pricelist"].create(
            {
                "name": "O2C list price in EUR",
                "currency_id": eur.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 7.0,
                        }
                    )
                ],
            }
        )

    def _lines(self, pricelist):
        """An untouched line for each kind of rule: Odoo priced it."""
        lines = [
            (self.drill, 1, self.drill.uom_id),  # global rule on the cost
            (self.drill, 6, self.drill.uom_id),  # parent category, from 5
            (self.drill, 1, self.dozen),  # 12 units: parent category, other unit
            (self.saw, 2, self.saw.uom_id),  # template: fixed price
            (self.saw, 1, self.dozen),  # fixed price in another unit
            (self.apple, 12, self.apple.uom_id),  # formula
            (self.apple, 3, self.apple.uom_id),  # under the formula's quantity
            (self.shirt_l, 2, self.shirt_l.uom_id),  # variant rule, extra price
            (self.shirt_s, 2, self.shirt_s.uom_id),  # variant without its rule
        ]
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": qty, "product_uom": uom.id}
                    )
                    for product, qty, uom in lines
                ],
            }
        )
        return order.order_line

    def _assert_parity(self, pricelist, discount_places=9):
        """``discount_places``: the line's discount is rounded to its field's digits."""
        lines = self._lines(pricelist)
        references = lines._o2c_pricing_reference()
        for line in lines:
            with self.subTest(product=line.product_id.display_name, qty=line.product_uom_qty):
                price, discount = references[line.id]
                self.assertEqual(price, line.price_unit)
                self.assertAlmostEqual(discount, line.discount, places=discount_places)

    def test_every_kind_of_rule(self):
        self._assert_parity(self.rules)

    def test_rules_based_on_another_pricelist_in_another_currency(self):
        self._assert_parity(self.on_rules)

    def test_sales_price_in_another_currency(self):
        self._assert_parity(self.in_eur)

    def test_no_rule(self):
        self._assert_parity(self.pricelist)

    def test_template_currencies_are_odoo_fields(self):
        """The sales price and cost currencies the reference reads are Odoo's
        ``currency_id`` / ``cost_currency_id``: a product of no company (the main
        company's currency, the order company's for the cost) and products of a
        company in another currency, for the order's company and another one."""
        usd, eur = self.env.ref("base.USD"), self.env.ref("base.EUR")
        other = eur if self.company.currency_id != eur else usd
        other.active = True
        foreign = self.env["res.company"].create(
            {"name": "O2C Pricing Company in another currency", "currency_id": other.id}
        )
        templates = self.saw.product_tmpl_id | self.env["product.template"].create(
            [
                {"name": "O2C foreign company product", "company_id": foreign.id},
                {"name": "O2C company B product", "company_id": self.company_b.id},
            ]
        )
        for company in (self.company, foreign):
            found = _template_currencies(templates, company)
            for template in templates:
                with self.subTest(company=company.name, template=template.name):
                    sales, cost = found[template.id]
                    self.assertEqual(sales, template.currency_id)
                    self.assertEqual(cost, template.with_company(company).cost_currency_id)
        self.assertEqual(
            _template_currencies(templates, foreign)[templates[1].id][0],
            other,
            "the foreign company's product is priced in its company's currency",
        )

    def test_odoo_prices_here_so_the_batch_computes_them(self):
        self.assertTrue(_pricing_is_odoo_only(self.env))

    def test_an_addon_pricing_its_own_way_is_followed(self):
        """An addon overriding one of Odoo's pricing methods changes Odoo's price: the
        reference is then computed by Odoo's methods, with the override."""
        Item = type(self.env["product.pricelist.item"])
        odoo_compute = Item._compute_price

        def surcharged(rule, *args, **kwargs):
            return odoo_compute(rule, *args, **kwargs) + 1.25

        with patch.object(Item, "_compute_price", surcharged):
            self.assertFalse(_pricing_is_odoo_only(self.env))
            lines = self._lines(self.rules)
            self.assertEqual(lines[3].price_unit, 41.25, "the addon's price on the line")
            # the surcharge makes discounts of more digits than the line keeps
            self._assert_parity(self.rules, discount_places=2)
