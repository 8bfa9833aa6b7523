# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import O2cFreightCommon

#: context keys a caller may try (none of them is read by the o2c controls)
SWITCHES = {
    "o2c_skip": True,
    "o2c_skip_checks": True,
    "o2c_bypass": True,
    "skip_o2c": True,
    "o2c_freight_skip": True,
}


@tagged("post_install", "-at_install")
class TestFreightAttacks(O2cFreightCommon):
    """The salesperson tries to ship a held expedited order through other paths."""

    def setUp(self):
        super().setUp()
        self.order = self._order(self.express).with_user(self.salesman)
        self.order.action_confirm()
        self.assertEqual(self.order.state, "draft")

    def test_write_state_refused(self):
        with self.assertRaises(UserError):
            self.order.write({"state": "sale"})
        self.assertEqual(self.order.state, "draft")
        self.assertFalse(self.order.picking_ids)

    def test_context_switches_do_not_confirm(self):
        self.order.with_context(**SWITCHES).action_confirm()
        self.assertEqual(self.order.state, "draft")
        with self.assertRaises(UserError):
            self.order.with_context(**SWITCHES).write({"state": "sale"})
        self.assertEqual(self.order.state, "draft")
        self.assertFalse(self.order.picking_ids)
        self.assertEqual(self._exception(self.order).state, "open")

    def test_new_order_created_confirmed_refused(self):
        carrier_line = self.order.order_line.filtered("is_delivery")
        with self.assertRaises(UserError):
            self.env["sale.order"].with_user(self.salesman).create(
                {
                    "partner_id": self.partner.id,
                    "carrier_id": self.express.id,
                    "state": "sale",
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 1}),
                        Command.create(
                            {
                                "product_id": carrier_line.product_id.id,
                                "price_unit": 60.0,
                                "is_delivery": True,
                            }
                        ),
                    ],
                }
            )

    def test_cannot_approve_own_request(self):
        exc = self._exception(self.order)
        with self.assertRaises(UserError):  # not an approver (an AccessError is one)
            exc.with_user(self.salesman).action_approve("mine")
        self.assertEqual(exc.state, "open")

    def test_confirmed_carrier_is_evidence(self):
        with self.assertRaises(UserError):
            self.order.write({"o2c_freight_carrier_id": self.express.id})
        self.assertFalse(self.order.o2c_freight_carrier_id)

    def test_salesperson_cannot_loosen_the_policy(self):
        policy = self.policy.with_user(self.salesman)
        self.assertEqual(policy.name, "O2C test freight policy", "users read the policies")
        with self.assertRaises(AccessError):
            policy.write({"approve_expedited": False})
        with self.assertRaises(AccessError):
            self.express.with_user(self.salesman).write({"o2c_expedited": False})
        self.assertTrue(self.policy.approve_expedited)
        self.assertTrue(self.express.o2c_expedited)
