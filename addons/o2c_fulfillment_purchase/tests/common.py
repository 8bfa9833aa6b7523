# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_fulfillment.tests.common import O2cFulfillmentCommon


class O2cFulfillmentPurchaseCommon(O2cFulfillmentCommon):
    """The fulfillment fixture with bought products (buy route, vendor lead time 5 days)."""

    @classmethod
    def _product_routes(cls):
        return cls.env.ref("purchase_stock.route_warehouse0_buy")

    def _rfq_lines(self, product, warehouse=None):
        return self.env["purchase.order.line"].search(
            [
                ("product_id", "=", product.id),
                ("order_id.state", "=", "draft"),
                ("order_id.picking_type_id.warehouse_id", "=", (warehouse or self.warehouse).id),
            ]
        )
