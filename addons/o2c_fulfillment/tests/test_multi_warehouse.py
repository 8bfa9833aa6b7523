# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestMultiWarehouse(O2cFulfillmentCommon):
    """A distributor with three warehouses: each backorder is planned in its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.warehouses = Warehouse.create(
            [
                {"name": f"O2C {name}", "code": code, "company_id": cls.company.id}
                for name, code in (("North", "O2N"), ("South", "O2S"), ("East", "O2E"))
            ]
        )
        cls.north, cls.south, cls.east = cls.warehouses
        for warehouse in cls.warehouses:
            cls._stock(cls.product, 2, warehouse=warehouse)

    def _backorder_everywhere(self):
        orders = self.env["sale.order"]
        for qty, warehouse in zip((5, 7, 9), self.warehouses, strict=False):
            order = self._order([(self.product, qty, 50.0)], warehouse=warehouse)
            self._deliver(order.picking_ids, {self.product: 2})
            orders |= order
        return orders

    def test_each_warehouse_raises_its_backorder(self):
        orders = self._backorder_everywhere()
        excs = self._exceptions(orders, "backorder")
        self.assertEqual(len(excs), 3)
        self.assertEqual(sorted(excs.mapped("o2c_missing_qty")), [3.0, 5.0, 7.0])
        self.assertEqual({e.sale_order_id.warehouse_id for e in excs}, set(self.warehouses))

    def test_each_warehouse_gets_its_own_rfq(self):
        self._backorder_everywhere()
        for warehouse, qty in zip(self.warehouses, (3.0, 5.0, 7.0), strict=False):
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

    def test_dashboard_filters_backorders_by_warehouse(self):
        self._backorder_everywhere()
        data = (
            self.env["o2c.dashboard"]
            .with_user(self.manager)
            .get_dashboard_data({"warehouse_ids": [self.south.id]})
        )
        figures = {f["key"]: f for f in data["figures"]}
        self.assertEqual(figures["fulfillment_open_backorders"]["value"], 1)
        self.assertEqual(figures["fulfillment_backorder_value"]["value"], 250.0)
        drill = figures["fulfillment_open_backorders"]["action"]["domain"]
        self.assertEqual(
            self.env["o2c.exception"].search(drill).sale_order_id.warehouse_id, self.south
        )
