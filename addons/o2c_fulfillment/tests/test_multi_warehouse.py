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

    def test_each_warehouse_replenishes_its_own_stock(self):
        with self._capture_procurements() as procurements:
            self._backorder_everywhere()
        self.assertEqual(
            [(p.location_id, p.values["warehouse_id"], p.product_qty) for p in procurements],
            [
                (self.north.lot_stock_id, self.north, 3.0),
                (self.south.lot_stock_id, self.south, 5.0),
                (self.east.lot_stock_id, self.east, 7.0),
            ],
        )

    def test_stock_elsewhere_does_not_cover_a_backorder(self):
        self._stock(self.product, 100, warehouse=self.north)
        with self._capture_procurements() as procurements:
            order = self._order([(self.product, 5, 50.0)], warehouse=self.south)
            self._deliver(order.picking_ids, {self.product: 2})
        self.assertEqual(
            [(p.location_id, p.product_qty) for p in procurements],
            [(self.south.lot_stock_id, 3.0)],
        )

    def _resupply_south_from_north(self):
        """South is resupplied from North (stock-only route, no purchase)."""
        self.south.resupply_wh_ids = self.north
        self.product.route_ids = self.south.resupply_route_ids
        self._stock(self.product, 100, warehouse=self.north)
        order = self._order([(self.product, 5, 50.0)], warehouse=self.south)
        self._deliver(order.picking_ids, {self.product: 2})
        return order

    def _incoming_to(self, warehouse):
        return self.env["stock.move"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_dest_id", "=", warehouse.lot_stock_id.id),
                ("state", "not in", ("done", "cancel")),
            ]
        )

    def test_resupply_route_replenishes_from_another_warehouse(self):
        order = self._resupply_south_from_north()
        incoming = self._incoming_to(self.south)
        self.assertEqual(incoming.product_uom_qty, 3.0)
        self.assertIn(order.name, incoming.origin)
        self.assertEqual(incoming.picking_type_id, self.south.in_type_id)

    def test_resupply_in_progress_is_not_ordered_twice(self):
        order = self._resupply_south_from_north()
        backorder = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.env["o2c.fulfillment.planner"]._plan(backorder.move_ids)
        self.assertEqual(self._incoming_to(self.south).product_uom_qty, 3.0)

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
