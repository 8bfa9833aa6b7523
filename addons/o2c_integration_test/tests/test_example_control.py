# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The test a partner copies with the example control of USAGE.md (rush handling)."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestExampleControl(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        o2c = "o2c_exception_base.group_o2c_"
        cls.seller = new_test_user(
            cls.env, "xf_seller", f"sales_team.group_sale_salesman,{o2c}user"
        )
        cls.manager = new_test_user(
            cls.env, "xf_manager", f"sales_team.group_sale_salesman_all_leads,{o2c}manager"
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Freight example", "type": "service", "list_price": 100.0}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Rush Customer"})

    def _order(self, qty):
        return (
            self.env["sale.order"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "o2c_rush": True,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                    ],
                }
            )
        )

    def test_confirmation_waits_for_the_approval_then_goes_on(self):
        order = self._order(2)
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        exc = order.o2c_exception_ids
        self.assertEqual((exc.code, exc.state, exc.blocking), ("rush_handling", "open", True))
        # no other path into the guarded state, not even a plain write over RPC
        with self.assertRaises(UserError):
            order.write({"state": "sale"})
        # the seller asked for it, and is no approver: the manager decides
        with self.assertRaises(UserError):
            exc.with_user(self.seller).action_approve("mine")
        exc.with_user(self.manager).action_approve("Key account")
        self.assertEqual(order.state, "sale", "the held confirmation went on by itself")

    def test_big_enough_order_needs_no_approval(self):
        order = self._order(20)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.o2c_exception_ids)

    def test_the_cause_gone_resolves_the_exception(self):
        order = self._order(2)
        order.action_confirm()
        order.order_line.product_uom_qty = 20
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.o2c_exception_ids.state, "resolved")
