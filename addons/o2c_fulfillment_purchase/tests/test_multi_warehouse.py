# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cFulfillmentPurchaseCommon


@tagged("post_install", "-at_install")
class TestMultiWarehousePurchase(O2cFulfillmentPurchaseCommon):
    """Three warehouses: each backorder is bought for its own warehouse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouses = cls.env["stock.warehouse"].create(
            [
                {"name": f"O2C {name}", "code": code, "company_id": cls.company.id}
                for name, code in (("North", "O2N"), ("South", "O2S"), ("East", "O2E"))
            ]
        )
        cls.north, cls.south, cls.east = cls.warehouses
        for warehouse in cls.warehouses:
            cls._stock(cls.product, 2, warehouse=warehouse)

    def test_each_warehouse_gets_its_own_rfq(self):
        for qty, warehouse in zip((5, 7, 9), self.warehouses, strict=True):
            order = self._order([(self.product, qty, 50.0)], warehouse=warehouse)
            self._deliver(order.picking_ids, {self.product: 2})
        for warehouse, qty in zip(self.warehouses, (3.0, 5.0, 7.0), strict=True):
            line = self._rfq_lines(self.product, warehouse)
            self.assertEqual(len(line), 1, warehouse.name)
            self.assertEqual(line.product_qty, qty, warehouse.name)
            self.assertEqual(line.order_id.picking_type_id, warehouse.in_type_id)

    def test_stock_elsewhere_does_not_cover_a_backorder(self):
        self._stock(self.product, 100, warehouse=self.north)
        order = self._order([(self.product, 5, 50.0)], warehouse=self.south)
        self._deliver(order.picking_ids, {self.product: 2})
        self.assertEqual(self._rfq_lines(self.product, self.south).product_qty, 3.0)
        self.assertFalse(self._rfq_lines(self.product, self.north))
