# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AttackCommon

O2C = "o2c_exception_base.group_o2c_%s"
ORDER_FIELDS = ["state", "amount_total", "picking_ids", "invoice_status", "date_order"]


@tagged("post_install", "-at_install")
class TestOneDay(AttackCommon):
    """One distributor's day through every addon, as the users who click.

    A customer with 1,000 open and a 1,500 limit orders 10 units at 100 with
    20 % off (800): the pricing policy (15 %) and the credit limit both hold it.
    Approved and released by two people, it confirms by itself; the warehouse
    ships 6 units and 2 of a substitute and backorders 2; billing invoices what
    left; a damaged substitute is disputed and credited.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.finance = new_test_user(
            env, "day_finance", "account.group_account_invoice," + O2C % "approver"
        )
        cls.agent = new_test_user(
            env,
            "day_agent",
            "helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice," + O2C % "user",
        )
        env["o2c.pricing.policy"].search([]).active = False
        env["o2c.pricing.policy"].create(
            {
                "name": "Day pricing policy",
                "company_id": False,
                "max_discount": 15.0,
                "tier_ids": [
                    Command.create(
                        {"threshold": 15.0, "approver_group_id": env.ref(O2C % "approver").id}
                    )
                ],
            }
        )
        env["o2c.exception.type"].search([]).min_approvals = 1
        cls.substitute = env["product.product"].create(
            {
                "name": "Day substitute",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )
        cls.product.o2c_substitute_product_ids = cls.substitute
        quant = env["stock.quant"]
        quant._update_available_quantity(cls.product, cls.stock_location, -94)  # 6 left
        quant._update_available_quantity(cls.substitute, cls.stock_location, 5)
        cls.company.write(
            {
                "o2c_credit_check": True,
                "o2c_credit_default_policy": "approve",
                "o2c_dispute_approval_amount": 100.0,
            }
        )
        cls.customer.write(
            {
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": 1500.0,
                "o2c_invoice_release_policy": "on_delivery",
            }
        )
        cls.open_invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [Command.create({"name": "Earlier", "price_unit": 1000.0})],
            }
        )
        cls.open_invoice.action_post()

    # ---------------------------------------------------------- HELPERS
    def figures(self):
        data = self.env["o2c.dashboard"].with_user(self.manager).get_dashboard_data()
        return {figure["key"]: figure["value"] for figure in data["figures"]}

    def exception(self, record, code):
        return record.o2c_exception_ids.filtered(lambda e: e.code == code)

    def approve(self, user, excs, reason="ok"):
        self.rpc(user, "o2c.exception", "action_approve", excs.ids, reason=reason)

    # ---------------------------------------------------------- THE DAY
    def test_one_day(self):
        start = self.figures()
        order = self.held_order()
        self.approvals(order)
        picking = self.ship_with_substitute_and_backorder(order)
        invoice = self.invoice_what_left(order)
        self.dispute_and_credit(invoice)
        end = self.figures()
        self.assertEqual(end["orders_confirmed"], start["orders_confirmed"] + 1)
        self.assertEqual(end["credit_releases"], start["credit_releases"] + 1)
        self.assertEqual(end["fulfillment_substitutions"], start["fulfillment_substitutions"] + 1)
        self.assertEqual(
            end["fulfillment_open_backorders"], start["fulfillment_open_backorders"] + 1
        )
        self.assertIsNotNone(end["turnaround_median"], "approvals were timed")
        self.assertIsNotNone(end["exception_rate"])
        self.assertIsNotNone(end["invoice_latency_median"], "the invoice was timed")
        self.assertEqual(end["dispute_open_count"], start["dispute_open_count"], "resolved")
        self.assertEqual(end["pricing_value_approved"], 200.0)
        self.assertNotEqual(picking.state, "cancel")

    def held_order(self):
        """The salesperson's 20 % order of a customer near its limit: held twice, untouched."""
        order = self.quotation(discount=20.0, qty=10.0)
        before = self.snapshot(order, ORDER_FIELDS)
        self.rpc(self.salesman, "sale.order", "action_confirm", order.ids)
        self.assertUnchanged(order, ORDER_FIELDS, before)
        self.assertFalse(order.picking_ids, "held with no side effect")
        codes = sorted(order.o2c_exception_ids.mapped("code"))
        self.assertEqual(codes, ["credit_hold", "discount_approval"])
        self.assertEqual(order.o2c_resume_action, "confirm")
        self.rpc(self.salesman, "sale.order", "action_o2c_request_approval", order.ids)
        self.assertTrue(self.exception(order, "discount_approval").activity_ids)
        with self.assertRaisesRegex(UserError, "cannot approve"):
            self.approve(self.salesman, self.exception(order, "discount_approval"))
        return order

    def approvals(self, order):
        """Pricing approved by one person, credit released by another: it goes on."""
        pricing, hold = (
            self.exception(order, "discount_approval"),
            self.exception(order, "credit_hold"),
        )
        self.approve(self.approver, pricing, "yearly volume deal")
        self.assertEqual(order.state, "draft", "the credit hold still holds it")
        expiry = self.today + timedelta(days=7)
        wizard = (
            self.env["o2c.credit.release.wizard"]
            .with_user(self.finance)
            .create(
                {
                    "exception_ids": [Command.set(hold.ids)],
                    "reason": "Paid by wire tomorrow",
                    "expiry_date": expiry,
                    "amount_cap": 500.0,
                }
            )
        )
        wizard.action_release()
        self.assertEqual((pricing.state, hold.state), ("approved", "approved"))
        release = hold.o2c_credit_release_id
        self.assertEqual((release.expiry_date, release.amount_cap), (expiry, 500.0))
        self.assertEqual(order.state, "sale", "confirmed by itself after the last decision")
        self.assertTrue(order.picking_ids)
        log = order.message_ids.filtered(lambda m: "Confirmed after the decision" in m.body)
        self.assertIn("day_finance", log.body)
        self.assertIn("atk_salesman", log.body)

    def ship_with_substitute_and_backorder(self, order):
        picking = order.picking_ids
        action = picking.move_ids.with_user(self.warehouse).action_o2c_substitute()
        form = Form(
            self.env["o2c.substitute.wizard"]
            .with_user(self.warehouse)
            .with_context(**action["context"])
        )
        form.quantity = 2.0
        form.save().action_confirm()
        for move in picking.move_ids:
            move.quantity = 6.0 if move.product_id == self.product else 2.0
            move.picked = True
        self.rpc(self.warehouse, "stock.picking", "button_validate", picking.ids)
        self.assertNotEqual(picking.state, "done", "the substitution needs an approval")
        with self.assertRaises(UserError):
            self.approve(self.warehouse, self.exception(picking, "substitution"))
        self.approve(self.approver, self.exception(picking, "substitution"), "same spec")
        result = picking.with_user(self.warehouse).button_validate()
        Form(
            self.env["stock.backorder.confirmation"]
            .with_user(self.warehouse)
            .with_context(**result["context"])
        ).save().process()
        self.assertEqual(picking.state, "done")
        ordered = order.order_line.filtered(lambda line: line.product_id == self.product)
        sub = order.order_line - ordered
        self.assertEqual((ordered.product_uom_qty, ordered.qty_delivered), (8.0, 6.0))
        self.assertEqual((sub.product_uom_qty, sub.qty_delivered), (2.0, 2.0))
        backorder = self.exception(order, "backorder")
        self.assertEqual(backorder.o2c_missing_qty, 2.0)
        self.assertEqual((order.picking_ids - picking).move_ids.product_uom_qty, 2.0)
        self.assertTrue(order.o2c_promised_date, "the customer is given a date for the rest")
        self.assertEqual(order.amount_untaxed, 800.0, "a substitution moves quantity only")
        return picking

    def invoice_what_left(self, order):
        """The salesperson invoices (Odoo's wizard needs sales rights), billing posts."""
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.salesman)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        invoice = order.sudo().invoice_ids
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("quantity")), [2.0, 6.0])
        self.assertEqual(invoice.amount_untaxed, 640.0, "8 of 10 delivered at 80")
        self.rpc(self.billing, "account.move", "action_post", invoice.ids)
        self.assertEqual(invoice.state, "posted")
        # exposure: 1,000 + 640 invoiced + the 2 backordered (160); the order once
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.o2c_credit_exposure, 1800.0)
        return invoice

    def dispute_and_credit(self, invoice):
        """The 2 substitutes arrived damaged: disputed, approved, credited."""
        aml = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.substitute)
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Damaged substitutes",
                    "description": "<p>Both boxes crushed</p>",
                    "o2c_is_dispute": True,
                    "o2c_dispute_type": "damaged",
                    "o2c_invoice_id": invoice.id,
                    "o2c_root_cause": "carrier",
                    "o2c_resolution": "credit_note",
                    "o2c_line_ids": [Command.create({"move_line_id": aml.id, "quantity": 2.0})],
                }
            )
            .sudo()
        )
        self.assertEqual(ticket.o2c_dispute_state, "open")
        self.assertTrue(invoice.o2c_is_disputed)
        self.assertEqual(invoice.o2c_dispute_amount, 160.0)
        self.assertEqual(
            self.env["account.move"]._o2c_disputed_amounts(invoice.ids)[invoice.id], 160.0
        )
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", ticket.ids)
        self.assertEqual(ticket.o2c_dispute_state, "to_approve", "160 is above 100: approval")
        exc = ticket.o2c_exception_ids.filtered(lambda e: e.code == "dispute_resolution")
        with self.assertRaises(UserError):
            self.approve(self.agent, exc)
        self.approve(self.approver, exc, "carrier damage confirmed")
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", ticket.ids)
        credit_note = ticket.o2c_credit_note_ids
        self.assertEqual((credit_note.state, credit_note.amount_total), ("posted", 160.0))
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.o2c_credit_exposure, 1640.0)
