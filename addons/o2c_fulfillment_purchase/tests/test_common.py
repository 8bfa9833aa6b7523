# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cFulfillmentPurchaseCommon


@tagged("post_install", "-at_install")
class TestFulfillmentPurchaseCommon(O2cFulfillmentPurchaseCommon):
    """The fixture is what the other tests assume."""

    def test_products_are_bought(self):
        buy = self.env.ref("purchase_stock.route_warehouse0_buy")
        for product in (self.product, self.substitute):
            self.assertEqual(product.route_ids, buy)
            self.assertEqual(product.seller_ids.partner_id, self.vendor)

    def test_bridge_is_auto_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "o2c_fulfillment_purchase")])
        self.assertTrue(module.auto_install)
        self.assertEqual(module.state, "installed")
