# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestFulfillmentCommon(O2cFulfillmentCommon):
    """The fixture is what the other tests assume."""

    def test_products_have_a_vendor_and_no_route(self):
        self.assertTrue(self.product.is_storable)
        self.assertFalse(self.product.route_ids)
        self.assertEqual(self.product.seller_ids.partner_id, self.vendor)
        self.assertEqual(self.product.seller_ids.delay, 5)

    def test_no_incoming_supply_without_supply_orders(self):
        incoming = self.env["o2c.fulfillment.planner"]._o2c_incoming_supply(
            self.product | self.substitute, self.warehouse
        )
        self.assertEqual(incoming, {})

    def test_order_creates_one_delivery(self):
        order = self._order([(self.product, 10, 50.0)])
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(order.picking_ids.picking_type_code, "outgoing")

    def test_users_are_not_admin(self):
        for user in (self.salesperson, self.stock_user, self.approver):
            self.assertFalse(user._is_admin())
        self.assertFalse(self.stock_user.has_group("o2c_exception_base.group_o2c_approver"))

    def test_default_policy_and_reasons_shipped(self):
        self.assertTrue(self.policy.replenish)
        self.assertEqual(self.policy.communication, "auto", "the customer is told by default")
        self.assertTrue(self.reason_other.note_required)
