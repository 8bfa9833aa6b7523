# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import Form, tagged

from .common import O2cSaleCommon


@tagged("post_install", "-at_install")
class TestOrderClass(O2cSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Class = cls.env["o2c.order.class"]
        cls.phone = cls.env["utm.source"].create({"name": "O2C Phone"})
        cls.edi = cls.env["utm.source"].create({"name": "O2C EDI"})
        cls.cls_key_edi = Class.create(
            {
                "name": "EDI key accounts",
                "code": "key_edi",
                "sequence": 1,
                "partner_category_ids": [Command.link(cls.segment_key.id)],
                "source_ids": [Command.link(cls.edi.id)],
            }
        )
        cls.cls_tools = Class.create(
            {
                "name": "Tools, all lines",
                "code": "tools",
                "sequence": 5,
                "product_categ_ids": [Command.link(cls.categ_tools.id)],
                "product_match": "all",
            }
        )
        cls.cls_phone = Class.create(
            {
                "name": "Phone orders",
                "code": "phone",
                "sequence": 9,
                "source_ids": [Command.link(cls.phone.id)],
            }
        )

    def test_first_match_by_sequence(self):
        self.partner.category_id = self.segment_key
        order = self._order(source_id=self.edi.id)
        self.assertEqual(order.o2c_order_class_id, self.cls_key_edi)
        self.cls_tools.sequence = 0
        self.env.flush_all()
        order.invalidate_recordset()
        self.assertEqual(
            order.o2c_order_class_id, self.cls_tools, "a class change re-classifies quotations"
        )

    def test_product_family_all_lines_and_subcategories(self):
        drills_only = self._order()
        self.assertEqual(
            drills_only.o2c_order_class_id, self.cls_tools, "drills are a sub-category of tools"
        )
        mixed = self._order(
            lines=[(self.product_drill, 1, 100), (self.product_apple, 1, 2)],
            source_id=self.phone.id,
        )
        self.assertEqual(
            mixed.o2c_order_class_id, self.cls_phone, "not all lines are tools: next class"
        )

    def test_no_match(self):
        order = self._order(lines=[(self.product_apple, 1, 2)])
        self.assertFalse(order.o2c_order_class_id)

    def test_scope_change_recomputes_quotation(self):
        order = self._order(lines=[(self.product_apple, 1, 2)])
        self.assertFalse(order.o2c_order_class_id)
        with Form(order.with_user(self.salesman)) as form:
            form.source_id = self.phone
        self.assertEqual(order.o2c_order_class_id, self.cls_phone)

    def test_confirmed_order_keeps_its_class(self):
        order = self._order(lines=[(self.product_apple, 1, 2)], source_id=self.phone.id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        order.source_id = self.edi
        self.assertEqual(order.o2c_order_class_id, self.cls_phone)

    def test_orders_of_several_classes_confirmed_together(self):
        phone = self._order(lines=[(self.product_apple, 1, 2)], source_id=self.phone.id)
        tools = self._order()
        none = self._order(lines=[(self.product_apple, 1, 2)])
        orders = phone | tools | none
        orders.action_confirm()
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(
            orders.mapped("o2c_order_class_locked_id"), self.cls_phone | self.cls_tools
        )
        self.assertFalse(none.o2c_order_class_locked_id)
        self.cls_phone.sequence = 20
        (phone | tools).source_id = self.edi
        self.assertEqual(phone.o2c_order_class_id, self.cls_phone)
        self.assertEqual(tools.o2c_order_class_id, self.cls_tools)

    def test_manual_change_sticks_and_is_tracked(self):
        order = self._order(lines=[(self.product_apple, 1, 2)], source_id=self.phone.id)
        self.assertTrue(order._fields["o2c_order_class_id"].tracking)
        order.action_confirm()
        order.o2c_order_class_id = self.cls_key_edi
        order.source_id = self.edi
        self.assertEqual(
            order.o2c_order_class_id,
            self.cls_key_edi,
            "a manual change on a confirmed order is kept",
        )

    def test_exception_carries_order_class(self):
        order = self._order(source_id=self.phone.id, lines=[(self.product_apple, 1, 2)])
        exc = order._o2c_raise_exceptions("order_rule", {"name": "x"})
        self.assertEqual(exc.order_class_id, self.cls_phone)

    def test_company_specific_class(self):
        self.cls_phone.company_id = self.company_b
        order = self._order(lines=[(self.product_apple, 1, 2)], source_id=self.phone.id)
        self.assertFalse(order.o2c_order_class_id, "class of another company")

    def test_classify_queries_flat(self):
        orders = self.env["sale.order"]
        for i in range(40):
            orders |= self._order(
                lines=[(self.product_apple, 1, 2)], source_id=self.phone.id if i % 2 else False
            )

        def count(recs):
            return self._o2c_query_count(self.env["o2c.order.class"]._o2c_classify, recs)

        count(orders[:2])
        self.assertEqual(count(orders[:4]), count(orders))
