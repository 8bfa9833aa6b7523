# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cSaleCommon
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestOrderClassCarrier(O2cSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.express, cls.freight = cls.env["delivery.carrier"].create(
            [
                {
                    "name": name,
                    "delivery_type": "fixed",
                    "fixed_price": price,
                    "product_id": cls.env["product.product"]
                    .create({"name": f"{name} fee", "type": "service"})
                    .id,
                }
                for name, price in (("O2C Express", 25.0), ("O2C Freight", 80.0))
            ]
        )
        Class = cls.env["o2c.order.class"]
        cls.cls_express = Class.create(
            {
                "name": "Express courier",
                "code": "express",
                "sequence": 1,
                "carrier_ids": [Command.link(cls.express.id)],
            }
        )
        cls.cls_tools = Class.create(
            {
                "name": "Tools",
                "code": "tools",
                "sequence": 5,
                "product_categ_ids": [Command.link(cls.categ_tools.id)],
            }
        )

    def test_carrier_scopes_the_class(self):
        order = self._order()
        self.assertEqual(order.o2c_order_class_id, self.cls_tools, "no carrier: not express")
        order.carrier_id = self.express
        self.assertEqual(
            order.o2c_order_class_id, self.cls_express, "a carrier change re-classifies"
        )
        order.carrier_id = self.freight
        self.assertEqual(order.o2c_order_class_id, self.cls_tools)

    def test_carrier_and_other_scope_fields_all_apply(self):
        self.cls_express.partner_category_ids = self.segment_key
        order = self._order(carrier_id=self.express.id)
        self.assertEqual(order.o2c_order_class_id, self.cls_tools, "customer not in the segment")
        self.partner.category_id = self.segment_key
        order = self._order(carrier_id=self.express.id)
        self.assertEqual(order.o2c_order_class_id, self.cls_express)

    def test_confirmed_order_keeps_its_class(self):
        order = self._order(carrier_id=self.express.id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        order.carrier_id = self.freight
        self.assertEqual(order.o2c_order_class_id, self.cls_express)

    def test_form_shows_carriers(self):
        with Form(self.env["o2c.order.class"]) as form:
            form.name = "Freight"
            form.code = "freight"
            form.carrier_ids.add(self.freight)
        self.assertEqual(form.record.carrier_ids, self.freight)
