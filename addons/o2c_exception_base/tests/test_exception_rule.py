# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import O2cSaleCommon


@tagged("post_install", "-at_install")
class TestExceptionRule(O2cSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["o2c.exception.rule"]
        cls.order_type = cls.env.ref("o2c_exception_base.o2c_exception_type_order_rule")
        cls.min_rule = cls.Rule.create(
            {
                "name": "Below 150",
                "model": "sale.order",
                "type_id": cls.order_type.id,
                "domain": "[('amount_untaxed', '<', 150)]",
                "message": "Order {name} of {partner_id} below minimum: {amount_untaxed}",
                "amount_field": "amount_untaxed",
            }
        )

    def test_rule_holds_confirmation_and_approval_releases(self):
        order = self._order(lines=[(self.product_drill, 1, 100)])
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        exc = order.o2c_exception_ids
        self.assertEqual(exc.rule_id, self.min_rule)
        self.assertEqual(exc.name, f"Order {order.name} of O2C Customer below minimum: 100.0")
        self.assertEqual(exc.amount, 100.0)
        self.assertEqual(exc.sale_order_id, order)
        exc.with_user(self.approver).action_approve("small first order, fine")
        self.assertEqual(order.state, "sale", "the held confirmation went on")

    def test_rule_changes_apply_to_the_next_check(self):
        def held():
            order = self._order(lines=[(self.product_drill, 1, 100)])
            order.action_confirm()
            return order.state == "draft"

        self.assertTrue(held())
        self.min_rule.active = False
        self.assertFalse(held(), "the cached rule index follows the archive")
        self.min_rule.active = True
        self.assertTrue(held())
        self.min_rule.copy({"name": "Copy", "company_id": self.env.company.id})
        order = self._order(lines=[(self.product_drill, 1, 100)])
        order.action_confirm()
        self.assertEqual(len(order.o2c_exception_ids), 2, "a new rule is used at once")

    def test_changed_document_rechecks(self):
        order = self._order(lines=[(self.product_drill, 1, 100)])
        order.action_confirm()
        exc = order.o2c_exception_ids
        order.order_line.product_uom_qty = 3
        order.action_confirm()
        self.assertEqual(exc.state, "resolved", "no longer matches: resolved")
        self.assertEqual(order.state, "sale")

    def test_rules_of_same_type_stay_separate(self):
        self.Rule.create(
            {
                "name": "No reference",
                "model": "sale.order",
                "type_id": self.order_type.id,
                "domain": "[('client_order_ref', '=', False)]",
                "message": "No ref",
            }
        )
        order = self._order(lines=[(self.product_drill, 1, 100)])
        order.action_confirm()
        self.assertEqual(len(order.o2c_exception_ids), 2)
        order.client_order_ref = "PO-1"
        order.action_confirm()
        states = {e.rule_id.name: e.state for e in order.o2c_exception_ids}
        self.assertEqual(states, {"Below 150": "open", "No reference": "resolved"})

    def test_order_class_limits_rule(self):
        cls_phone = self.env["o2c.order.class"].create(
            {
                "name": "Phone",
                "code": "ph",
                "source_ids": [Command.create({"name": "O2C Phone src"})],
            }
        )
        self.min_rule.order_class_ids = cls_phone
        other = self._order(lines=[(self.product_drill, 1, 100)])
        other.action_confirm()
        self.assertEqual(other.state, "sale", "rule limited to another class")
        phone = self._order(lines=[(self.product_drill, 1, 100)], source_id=cls_phone.source_ids.id)
        phone.action_confirm()
        self.assertEqual(phone.state, "draft")

    def test_invoice_rule_blocks_posting(self):
        self.min_rule.active = False
        self.Rule.create(
            {
                "name": "Invoice no terms",
                "model": "account.move",
                "type_id": self.env.ref("o2c_exception_base.o2c_exception_type_invoice_rule").id,
                "domain": "[('invoice_payment_term_id', '=', False)]",
                "message": "No terms",
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_drill.id, "price_unit": 100})
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertTrue(invoice.o2c_blocked)
        self.assertEqual(invoice.o2c_exception_ids.move_id, invoice)

    def test_delivery_rule_blocks_validation(self):
        self.min_rule.active = False
        self.Rule.create(
            {
                "name": "No delivery instructions",
                "model": "stock.picking",
                "type_id": self.env.ref("o2c_exception_base.o2c_exception_type_delivery_rule").id,
                "domain": "[('note', '=', False)]",
                "message": "{name}: no delivery instructions",
            }
        )
        order = self._order(lines=[(self.product_drill, 2, 100)])
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        exc = picking.o2c_exception_ids
        self.assertEqual((exc.picking_id, exc.sale_order_id), (picking, order))
        picking.note = "<p>Dock 3, call ahead</p>"
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_broken_domain_refused_at_save(self):
        with self.assertRaises(ValidationError) as cm:
            self.min_rule.domain = "[('no_such_field', '=', 1)]"
        self.assertIn("Condition is not valid", str(cm.exception))
        with self.assertRaises(ValidationError):
            self.min_rule.domain = "[('amount_untaxed', '<'"
        with self.assertRaises(ValidationError) as cm:
            self.min_rule.message = "Order {no_such_field}"
        self.assertIn("no_such_field", str(cm.exception))
        with self.assertRaises(ValidationError):
            self.min_rule.amount_field = "name"

    def test_only_managers_edit_rules(self):
        with self.assertRaises(AccessError):
            self.min_rule.with_user(self.approver).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.salesman).create(
                {"name": "x", "model": "sale.order", "type_id": self.order_type.id, "message": "x"}
            )
        self.min_rule.with_user(self.manager).write({"name": "Renamed"})
        self.assertEqual(self.min_rule.name, "Renamed")

    def test_company_rule_does_not_leak(self):
        self.min_rule.company_id = self.company_b
        order = self._order(lines=[(self.product_drill, 1, 100)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_server_action_rule(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Odd quantities",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "state": "code",
                "code": "action = {'o2c_violating_ids': records.filtered("
                "lambda o: sum(o.order_line.mapped('product_uom_qty')) % 2).ids}",
            }
        )
        self.min_rule.write({"domain": "[]", "server_action_id": action.id})
        odd = self._order(lines=[(self.product_drill, 3, 100)])
        even = self._order(lines=[(self.product_drill, 2, 100)])
        (odd | even).action_confirm()
        self.assertEqual((odd.state, even.state), ("draft", "sale"))

    def test_check_on_save(self):
        self.min_rule.check_on_save = True
        order = self._order(lines=[(self.product_drill, 1, 100)])
        self.assertEqual(len(order.o2c_exception_ids), 1, "raised when saved")
        order.order_line.product_uom_qty = 5
        order.write({"note": "bigger"})
        self.assertEqual(order.o2c_exception_ids.state, "resolved")

    def test_five_rules_500_orders_query_count_flat(self):
        self.min_rule.active = False
        for i in range(5):
            self.Rule.create(
                {
                    "name": f"R{i}",
                    "model": "sale.order",
                    "type_id": self.order_type.id,
                    "domain": f"[('amount_untaxed', '>', {10 ** 9 + i})]",
                    "message": f"R{i}",
                }
            )
        now = fields.Datetime.now()
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.partner.id,
                    "date_order": now,  # not the clock of each create: one date
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_apple.id,
                                "product_uom_qty": 1,
                                "price_unit": 2,
                            }
                        )
                    ],
                }
                for _ in range(500)
            ]
        )

        def enforce(recs):
            allowed, queries = self._o2c_queries(recs._o2c_enforce, "confirm")
            self.assertEqual(allowed, recs)
            return queries

        enforce(orders[:5])  # warm-up
        # the fewest of two runs: a cost that grows with the size shows in both
        small = min(enforce(orders[:50]), enforce(orders[:50]), key=len)
        big = min(enforce(orders), enforce(orders), key=len)
        self.assertFlatQueries(small, big, "50 orders, then 500")
        orders.action_confirm()
        self.assertEqual(set(orders.mapped("state")), {"sale"})
