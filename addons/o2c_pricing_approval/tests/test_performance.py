# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPricingPerformance(O2cQueryCountMixin, O2cPricingCommon):
    """Checking an order costs a number of queries that does not grow with its lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"check_margin": True, "min_margin": 10.0})
        cls.categ_pricelist = cls.env["product.pricelist"].create(
            {
                "name": "O2C bulk prices",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "2_product_category",
                            "categ_id": cls.categ_tools.id,
                            "min_quantity": 5,
                            "compute_price": "percentage",
                            "percent_price": 5.0,
                        }
                    )
                ],
            }
        )
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": f"O2C bulk {i}",
                    "type": "consu",
                    "list_price": 10.0 + i % 7,
                    "standard_price": (5.0 + i % 3) if i % 4 else 0.0,
                    "categ_id": (cls.categ_drills if i % 2 else cls.categ_food).id,
                    "taxes_id": [Command.clear()],
                }
                for i in range(500)
            ]
        )

    def _big_order(self, count):
        """``count`` lines, one in three over the discount limit, mixed quantities."""
        return self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "pricelist_id": self.categ_pricelist.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1 + i % 9,
                            "discount": 20.0 if i % 3 == 0 else 0.0,
                        }
                    )
                    for i, product in enumerate(self.products[:count])
                ],
            }
        )

    def _checks(self, order):
        return self._o2c_query_count(order._o2c_run_checks, "confirm")

    def test_check_queries_flat_10_vs_500_lines(self):
        self._checks(self._big_order(5))  # warm-up (ormcache, first lookups)
        order_10, order_500 = self._big_order(10), self._big_order(500)
        q10 = self._checks(order_10)
        q500 = self._checks(order_500)
        self.assertTrue(self._exception(order_500), "the big order is held")
        self.assertEqual(len(order_500.order_line), 500)
        self.assertEqual(q10, q500, f"10 lines: {q10} queries, 500 lines: {q500}")

    def test_recheck_unchanged_order_writes_nothing(self):
        order = self._big_order(500)
        first = self._checks(order)
        Exception_ = type(self.env["o2c.exception"])
        with patch.object(
            Exception_, "write", autospec=True, side_effect=Exception_.write
        ) as write:
            again = self._checks(order)
        write.assert_not_called()
        self.assertLess(again, first)

    def test_confirm_held_order_queries_flat(self):
        """The whole enforcement point (all checks, hold, chatter), 10 vs 500 lines."""

        def confirm(order):
            return self._o2c_query_count(order.action_confirm)

        confirm(self._big_order(5))
        q10, q500 = confirm(self._big_order(10)), confirm(self._big_order(500))
        self.assertEqual(q10, q500, f"10 lines: {q10} queries, 500 lines: {q500}")

    def test_reference_price_once_per_product_quantity_unit(self):
        """Lines repeating a product at one quantity and unit share one price computation."""
        products = self.products[:3]
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "pricelist_id": self.categ_pricelist.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product in products
                    for qty in (6, 6, 6, 2)
                ],
            }
        )
        Line = type(self.env["sale.order.line"])
        with patch.object(
            Line,
            "_o2c_pricing_rule_price",
            autospec=True,
            side_effect=Line._o2c_pricing_rule_price,
        ) as compute:
            references = order.order_line._o2c_pricing_reference()
        # 3 products x 2 quantities, not 12 lines
        self.assertEqual(compute.call_count, 6)
        for line in order.order_line:  # the same price as Odoo gives each line
            self.assertAlmostEqual(references[line.id][0], line.price_unit)
