# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import AttackCommon


@tagged("post_install", "-at_install")
class TestFreightLines(AttackCommon):
    """A shipping line is freight, not goods: free shipping is no price override."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._only_pricing_policy("Freight lines")
        fee = cls.env["product.product"].create(
            {"name": "Shipping fee", "type": "service", "list_price": 20.0}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Free over 50",
                "delivery_type": "fixed",
                "fixed_price": 20.0,
                "free_over": True,
                "amount": 50.0,
                "product_id": fee.id,
            }
        )

    def test_free_shipping_line_is_not_a_price_override(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        order.set_delivery_line(self.carrier, 0.0)
        shipping = order.order_line.filtered("is_delivery")
        self.assertEqual(shipping.price_unit, 0.0, "free shipping, the fee's list price is 20")
        self.rpc(self.salesman, "sale.order", "action_confirm", order.ids)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.o2c_exception_ids.filtered(lambda e: e.code == "discount_approval"))

    def test_goods_given_away_are_still_held(self):
        """The guard: the same order with the goods at 0 is held (the check runs)."""
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "price_unit": 0.0})
                    ],
                }
            )
        )
        order.set_delivery_line(self.carrier, 0.0)
        self.rpc(self.salesman, "sale.order", "action_confirm", order.ids)
        self.assertEqual(order.state, "draft")
