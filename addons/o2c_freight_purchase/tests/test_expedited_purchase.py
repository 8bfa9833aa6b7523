# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

O2C = "o2c_exception_base.group_o2c_"


@tagged("post_install", "-at_install")
class TestExpeditedPurchase(TransactionCase):
    """A replenishment for customer orders rushed before the vendor's lead time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls.buyer = new_test_user(
            cls.env, "o2c_fp_buyer", f"purchase.group_purchase_user,{O2C}user"
        )
        cls.approver = new_test_user(cls.env, "o2c_fp_approver", f"base.group_user,{O2C}approver")
        cls.vendor = cls.env["res.partner"].create({"name": "O2C Slow Vendor"})
        cls.customer = cls.env["res.partner"].create({"name": "O2C Rushed Customer"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "O2C Rush Part",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "seller_ids": [
                    Command.create({"partner_id": cls.vendor.id, "price": 40.0, "delay": 10})
                ],
            }
        )
        cls.sale = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        Policy = cls.env["o2c.freight.policy"]
        Policy.search([]).active = False
        cls.policy = Policy.create(
            {"name": "O2C purchase policy", "company_id": cls.env.company.id}
        )

    def _purchase(self, days, origin=None):
        return (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "origin": self.sale.name if origin is None else origin,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": 5,
                                "price_unit": 40.0,
                                "date_planned": fields.Datetime.now() + timedelta(days=days),
                            }
                        )
                    ],
                }
            )
        )

    def _exception(self, po):
        return self.env["o2c.exception"].search(
            [("res_model", "=", "purchase.order"), ("res_id", "=", po.id)]
        )

    def test_rushed_replenishment_held_then_approved(self):
        po = self._purchase(3)
        po.button_confirm()
        self.assertIn(po.state, ("draft", "sent"), "held: not confirmed")
        self.assertFalse(po.picking_ids, "held: no receipt")
        exc = self._exception(po)
        self.assertEqual((exc.code, exc.state, exc.blocking), ("expedited_freight", "open", True))
        self.assertEqual(exc.amount, 200.0)
        self.assertIn(self.sale.name, exc.name)
        exc.with_user(self.approver).action_approve("The customer pays the express fee")
        self.assertEqual(po.state, "purchase", "confirmed by itself once approved")

    def test_rejected_replenishment_waits(self):
        po = self._purchase(3)
        po.button_confirm()
        self._exception(po).with_user(self.approver).action_reject(
            "Wait for the normal truck",
            root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id,
        )
        po.button_confirm()
        self.assertIn(po.state, ("draft", "sent"))

    def test_within_lead_time_or_tolerance_is_confirmed(self):
        po = self._purchase(11)
        po.button_confirm()
        self.assertEqual(po.state, "purchase")
        self.policy.expedite_tolerance_days = 8
        rushed = self._purchase(3)
        rushed.button_confirm()
        self.assertEqual(rushed.state, "purchase", "7 days early, 8 tolerated")

    def test_stock_replenishment_is_not_a_customer_rush(self):
        po = self._purchase(3, origin="")
        po.button_confirm()
        self.assertEqual(po.state, "purchase")
        self.assertFalse(self._exception(po))

    def test_buyer_cannot_confirm_around_the_hold(self):
        po = self._purchase(3).with_user(self.buyer)
        for ctx in ({}, {"o2c_skip": True, "tracking_disable": True}):
            with self.assertRaises(UserError):
                po.with_context(**ctx).write({"state": "purchase"})
            self.assertIn(po.state, ("draft", "sent"))
        po.button_confirm()
        with self.assertRaises(UserError):
            po.button_approve()
        self.assertIn(po.state, ("draft", "sent"))
        self.assertFalse(po.picking_ids)

    def test_planned_within_the_lead_time_the_hold_goes(self):
        po = self._purchase(3)
        po.button_confirm()
        exc = self._exception(po)
        po.order_line.date_planned = fields.Datetime.now() + timedelta(days=12)
        po.button_confirm()
        self.assertEqual(po.state, "purchase")
        self.assertEqual(exc.state, "resolved")

    def test_bad_tolerance_refused_at_save(self):
        with self.assertRaises(ValidationError):
            self.policy.expedite_tolerance_days = -1
