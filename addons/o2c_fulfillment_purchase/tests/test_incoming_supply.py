# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import O2cFulfillmentPurchaseCommon


@tagged("post_install", "-at_install")
class TestIncomingSupply(O2cQueryCountMixin, O2cFulfillmentPurchaseCommon):
    """``_o2c_incoming_supply`` reads the purchases not received yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["stock.warehouse"].create(
            {"name": "O2C Other", "code": "O2O", "company_id": cls.company.id}
        )

    def _purchase(self, qty, date, warehouse=None, product=None):
        return self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "picking_type_id": (warehouse or self.warehouse).in_type_id.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or self.product).id,
                            "product_qty": qty,
                            "date_planned": date,
                        }
                    )
                ],
            }
        )

    def _supply(self, products=None, warehouses=None):
        return self.env["o2c.fulfillment.planner"]._o2c_incoming_supply(
            products or self.product, warehouses or (self.warehouse | self.other)
        )

    def test_rfq_counts_quantity_and_date(self):
        self._purchase(7, datetime(2026, 4, 1, 8))
        self._purchase(3, datetime(2026, 3, 20, 8))
        key = (self.product.id, self.warehouse.id)
        self.assertEqual(self._supply(), {key: (10.0, datetime(2026, 3, 20, 8))})

    def test_confirmed_purchase_counts_its_date_only(self):
        """Confirmed: its quantity is in the warehouse forecast already."""
        self._purchase(7, datetime(2026, 4, 1, 8)).button_confirm()
        key = (self.product.id, self.warehouse.id)
        self.assertEqual(self._supply(), {key: (0.0, datetime(2026, 4, 1, 8))})

    def test_received_and_cancelled_purchases_are_left_out(self):
        received = self._purchase(7, datetime(2026, 4, 1, 8))
        received.button_confirm()
        received.picking_ids.move_ids.quantity = 7
        received.picking_ids.move_ids.picked = True
        received.picking_ids.button_validate()
        self._purchase(5, datetime(2026, 4, 2, 8)).button_cancel()
        self.assertEqual(self._supply(), {})

    def test_each_warehouse_has_its_supply(self):
        self._purchase(7, datetime(2026, 4, 1, 8))
        self._purchase(4, datetime(2026, 4, 5, 8), warehouse=self.other)
        self.assertEqual(
            self._supply(),
            {
                (self.product.id, self.warehouse.id): (7.0, datetime(2026, 4, 1, 8)),
                (self.product.id, self.other.id): (4.0, datetime(2026, 4, 5, 8)),
            },
        )
        self.assertEqual(
            list(self._supply(warehouses=self.other)), [(self.product.id, self.other.id)]
        )

    def test_one_query_whatever_the_number_of_products(self):
        products = self.env["product.product"].concat(
            *(self._product(f"O2C Bulk {i}", 10.0) for i in range(20))
        )
        for product in products:
            self._purchase(2, datetime(2026, 4, 1, 8), product=product)

        def count(products):
            supply, queries = self._o2c_queries(self._supply, products)
            return len(queries), len(supply)

        self.assertEqual(count(products[:1]), (1, 1))
        self.assertEqual(count(products), (1, 20))
