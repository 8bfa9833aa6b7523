# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AttackCommon

O2C = "o2c_exception_base.group_o2c_%s"
ORDER_FIELDS = ["state", "amount_total", "picking_ids", "invoice_status", "date_order"]
LINE_FIELDS = ["product_uom_qty", "discount", "price_unit", "qty_delivered"]


@tagged("post_install", "-at_install")
class TestOneDay(AttackCommon):
    """One distributor's day through every addon, as the users who click.

    A customer with 1,000 open and a 1,500 limit orders 10 units of A at 100
    with 20 % off (800): the pricing policy (15 %) and the credit limit both
    hold it. Approved and released by two people, it confirms by itself; the
    warehouse ships 6 of A and 2 of the substitute B, backorders 2 (an RFQ
    replenishes them, the customer is told the date); the carrier's proof of
    delivery releases the delivery; billing invoices the 8 delivered; the 2
    damaged substitutes are disputed, left out of overdue, and credited.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.finance = new_test_user(
            env, "day_finance", "account.group_account_invoice," + O2C % "approver"
        )
        # Odoo's invoicing wizard is a sales model: billing clerks have sales read rights
        cls.clerk = new_test_user(
            env,
            "day_billing",
            "account.group_account_invoice,sales_team.group_sale_salesman_all_leads",
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
        # the control tower's reader: O2C manager who sees every dispute ticket
        cls.controller = new_test_user(
            env,
            "day_controller",
            "sales_team.group_sale_manager,helpdesk_mgmt.group_helpdesk_user," + O2C % "manager",
        )
        # the day's figures are read for the salesperson's team only: the database's
        # other orders cannot move them
        cls.team = env["crm.team"].create(
            {"name": "Day team", "member_ids": [Command.set(cls.salesman.ids)]}
        )
        cls.vendor = env["res.partner"].create({"name": "Day vendor"})
        cls.product.write(
            {
                "route_ids": [Command.set(env.ref("purchase_stock.route_warehouse0_buy").ids)],
                "seller_ids": [Command.create({"partner_id": cls.vendor.id, "delay": 5})],
            }
        )
        cls.substitute = cls._storable_product("Day substitute")
        cls.product.o2c_substitute_product_ids = cls.substitute
        quant = env["stock.quant"]
        quant._update_available_quantity(cls.product, cls.stock_location, -94)  # 6 left
        quant._update_available_quantity(cls.substitute, cls.stock_location, 5)
        cls.policy = env["o2c.fulfillment.policy"].search([])
        cls.policy.write(
            {"replenish": True, "communication": "auto", "recompute_promised_date": True}
        )
        cls.company.write(
            {
                "o2c_credit_check": True,
                "o2c_credit_default_policy": "approve",
                "o2c_dispute_approval_amount": 100.0,
                "o2c_auto_invoice": False,
            }
        )
        cls.customer.write(
            {
                "email": "buyer@example.com",
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": 1500.0,
                "o2c_invoice_release_policy": "on_pod",
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
        self.env.invalidate_all()
        data = self.rpc(
            self.controller,
            "o2c.dashboard",
            "get_dashboard_data",
            {"team_ids": self.team.ids},
        )
        return {figure["key"]: figure["value"] for figure in data["figures"]}

    def exception(self, record, code):
        return record.o2c_exception_ids.filtered(lambda e: e.code == code)

    def approve(self, user, excs, reason="ok"):
        self.rpc(user, "o2c.exception", "action_approve", excs.ids, reason=reason)

    def lines(self, order):
        ordered = order.order_line.filtered(lambda line: line.product_id == self.product)
        return ordered, order.order_line - ordered

    def overdue_in(self, days):
        """The customer's overdue amount as credit control sees it ``days`` from now."""
        with freeze_time(self.today + timedelta(days=days)):
            self.customer.invalidate_recordset()
            return self.customer.o2c_overdue_amount

    # ---------------------------------------------------------- THE DAY
    def test_one_day(self):
        start = self.figures()
        order = self.held_order()
        held = self.figures()
        self.assertEqual((start["credit_holds"], held["credit_holds"]), (0, 1))
        self.assertEqual((start["open_exceptions"], held["open_exceptions"]), (0, 2))
        self.assertEqual(
            (held["open_type_credit_hold"], held["open_type_discount_approval"]), (1, 1)
        )
        self.approvals(order)
        picking = self.ship_with_substitute_and_backorder(order)
        self.proof_of_delivery(order, picking)
        invoice = self.invoice_what_was_delivered(order)
        self.dispute_and_credit(invoice)
        self.figures_moved(start, self.figures())

    # ---------------------------------------------------------- CHAPTERS
    def held_order(self):
        """The salesperson's 20 % order of a customer near its limit: held twice, untouched."""
        order = self.quotation(discount=20.0, qty=10.0)
        self.assertEqual(order.team_id, self.team)
        # the sales lead (an approver too) types in the customer's PO reference
        self.rpc(self.approver_2, "sale.order", "write", order.ids, {"client_order_ref": "PO-4711"})
        before = self.snapshot(order, ORDER_FIELDS)
        lines_before = self.snapshot(order.order_line, LINE_FIELDS)
        self.rpc(self.salesman, "sale.order", "action_confirm", order.ids)
        self.assertUnchanged(order, ORDER_FIELDS, before)
        self.assertUnchanged(order.order_line, LINE_FIELDS, lines_before)
        self.assertFalse(order.picking_ids, "held with no side effect")
        self.assertFalse(
            self.env["stock.move"].search([("sale_line_id", "in", order.order_line.ids)])
        )
        self.assertTrue(order.o2c_blocked)
        codes = sorted(order.o2c_exception_ids.mapped("code"))
        self.assertEqual(codes, ["credit_hold", "discount_approval"])
        self.assertEqual(order.o2c_resume_action, "confirm")
        self.assertEqual(order.o2c_resume_user_id, self.salesman)
        self.rpc(self.salesman, "sale.order", "action_o2c_request_approval", order.ids)
        self.assertTrue(self.exception(order, "discount_approval").activity_ids)
        # segregation of duties: the requester cannot decide, nor release credit
        with self.assertRaisesRegex(UserError, "only members of Order to Cash / Approver"):
            self.approve(self.salesman, self.exception(order, "discount_approval"))
        with self.assertRaisesRegex(UserError, "only members of Order to Cash / Approver"):
            self.approve(self.salesman, self.exception(order, "credit_hold"))
        self.assertIn(self.approver_2, self.exception(order, "discount_approval").conflict_user_ids)
        with self.assertRaisesRegex(UserError, "Segregation of duties: you cannot approve"):
            self.approve(self.approver_2, self.exception(order, "discount_approval"))
        self.assertEqual(self.exception(order, "discount_approval").state, "open")
        self.assertEqual(self.exception(order, "credit_hold").state, "open")
        self.assertEqual(order.state, "draft")
        return order

    def approvals(self, order):
        """Pricing approved by one person, credit released by another: it goes on."""
        pricing = self.exception(order, "discount_approval")
        hold = self.exception(order, "credit_hold")
        self.approve(self.approver, pricing, "yearly volume deal")
        self.assertEqual(pricing.state, "approved")
        self.assertEqual(order.state, "draft", "the credit hold still holds it")
        self.assertFalse(order.picking_ids)
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
        self.env.invalidate_all()
        self.assertEqual((pricing.state, hold.state), ("approved", "approved"))
        release = hold.o2c_credit_release_id
        self.assertEqual((release.expiry_date, release.amount_cap), (expiry, 500.0))
        self.assertEqual(order.state, "sale", "confirmed by itself after the last decision")
        self.assertFalse(order.o2c_resume_action)
        self.assertEqual(len(order.picking_ids), 1)
        log = order.message_ids.filtered(lambda m: "Confirmed after the decision" in m.body)
        self.assertEqual(len(log), 1)
        self.assertIn("day_finance", log.body)
        self.assertIn("atk_salesman", log.body)
        self.assertEqual(order.order_line.discount, 20.0, "the approved price is kept")

    def ship_with_substitute_and_backorder(self, order):
        """6 of A and 2 of B shipped (B approved), 2 of A backordered and replenished."""
        picking = order.picking_ids
        self.substitute_and_ship(picking, 2.0, 6.0)
        self.assertNotEqual(picking.state, "done", "the substitution needs an approval")
        substitution = self.exception(picking, "substitution")
        self.assertEqual(substitution.state, "open")
        with self.assertRaisesRegex(UserError, "only members of Order to Cash / Approver"):
            self.approve(self.warehouse, substitution)
        self.approve(self.approver, substitution, "same spec")
        self.assertEqual(substitution.state, "approved")
        result = picking.with_user(self.warehouse).button_validate()
        self.assertEqual(result["res_model"], "stock.backorder.confirmation")
        Form(
            self.env["stock.backorder.confirmation"]
            .with_user(self.warehouse)
            .with_context(**result["context"])
        ).save().process()
        self.env.invalidate_all()
        self.assertEqual(picking.state, "done")
        # the substitute line carries what it ships, the ordered line is lowered by it
        ordered, sub = self.lines(order)
        self.assertEqual(sub.product_id, self.substitute)
        self.assertEqual((ordered.product_uom_qty, ordered.qty_delivered), (8.0, 6.0))
        self.assertEqual((sub.product_uom_qty, sub.qty_delivered), (2.0, 2.0))
        self.assertEqual(order.amount_untaxed, 800.0, "a substitution moves quantity only")
        # the backorder: an exception, a picking of the 2 missing
        backorder = self.exception(order, "backorder")
        self.assertEqual(len(backorder), 1)
        self.assertEqual(backorder.o2c_missing_qty, 2.0)
        rest = order.picking_ids - picking
        self.assertEqual(rest.move_ids.product_id, self.product)
        self.assertEqual(rest.move_ids.product_uom_qty, 2.0)
        # replenished: an RFQ of the 2 missing from the vendor, for this order
        rfq_line = self.env["purchase.order.line"].search(
            [("product_id", "=", self.product.id), ("order_id.state", "=", "draft")]
        )
        self.assertEqual(len(rfq_line), 1)
        self.assertEqual(rfq_line.product_qty, 2.0)
        self.assertEqual(rfq_line.order_id.partner_id, self.vendor)
        self.assertIn(order.name, rfq_line.order_id.origin)
        # the customer is given a date for the rest, and told
        self.assertTrue(order.o2c_promised_date)
        self.assertGreaterEqual(order.o2c_promised_date.date(), self.today + timedelta(days=5))
        self.assertEqual(rest.scheduled_date, order.o2c_promised_date)
        notice = order.message_ids.filtered(lambda m: m.subject and "is backordered" in m.subject)
        self.assertEqual(len(notice), 1, "the backorder notice was sent to the customer")
        self.assertIn(self.customer, notice.partner_ids)
        return picking

    def proof_of_delivery(self, order, picking):
        """Nothing is invoiced before the carrier's proof; with it the delivery is released."""
        self.assertEqual(picking.o2c_release_policy, "on_pod")
        self.assertEqual(picking.o2c_pod_state, "missing")
        self.assertFalse(picking.o2c_released)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.clerk)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
        )
        self.assertIn(picking.name, wizard.o2c_awaiting_release)
        with self.assertRaisesRegex(UserError, "Nothing is released for invoicing yet"):
            wizard.create_invoices()
        self.assertFalse(order.sudo().invoice_ids, "nothing invoiced before the proof")
        action = picking.with_user(self.warehouse).action_o2c_record_proof()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.warehouse)
            .with_context(**action["context"])
        )
        form.kind = "carrier"
        form.tracking_ref = "TRK-DAY-1"
        proof = form.save()
        self.assertEqual(proof.picking_id, picking)
        self.assertEqual(proof.state, "pending")
        self.rpc(self.clerk, "o2c.delivery.proof", "action_validate", proof.ids)
        self.env.invalidate_all()
        self.assertEqual(proof.state, "validated")
        self.assertEqual(proof.validated_by_id, self.clerk)
        self.assertEqual(picking.o2c_pod_state, "validated")
        self.assertTrue(picking.o2c_released)

    def invoice_what_was_delivered(self, order):
        """Billing invoices the 8 delivered (not the 10 ordered) and posts."""
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.clerk)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        invoice = order.sudo().invoice_ids
        self.assertEqual(len(invoice), 1)
        quantities = {
            line.product_id: line.quantity
            for line in invoice.invoice_line_ids.filtered("product_id")
        }
        self.assertEqual(quantities, {self.product: 6.0, self.substitute: 2.0})
        self.assertEqual(invoice.amount_untaxed, 640.0, "8 of 10 delivered at 80")
        self.rpc(self.clerk, "account.move", "action_post", invoice.ids)
        self.assertEqual(invoice.state, "posted")
        ordered, sub = self.lines(order)
        self.assertEqual((ordered.qty_invoiced, sub.qty_invoiced), (6.0, 2.0))
        # exposure: 1,000 + 640 invoiced + the 2 backordered (160); the order once
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.o2c_credit_exposure, 1800.0)
        return invoice

    def dispute_and_credit(self, invoice):
        """The 2 substitutes arrived damaged: disputed, out of overdue, approved, credited."""
        self.assertAlmostEqual(self.overdue_in(40), 1640.0, msg="both invoices due by then")
        aml = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.substitute)
        action = invoice.with_user(self.agent).action_o2c_open_dispute()
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent).with_context(**action["context"])
        with Form(Ticket) as form:
            form.name = "Damaged substitutes"
            form.description = "<p>Both boxes crushed</p>"
            form.o2c_dispute_type = "damaged"
            form.o2c_root_cause = "carrier"
            form.o2c_resolution = "credit_note"
            with form.o2c_line_ids.new() as line:
                line.move_line_id = aml
                line.quantity = 2.0
        ticket = form.record.sudo()
        self.env.invalidate_all()
        self.assertEqual(ticket.o2c_dispute_state, "open")
        self.assertEqual(ticket.o2c_invoice_id, invoice)
        self.assertEqual(ticket.o2c_sale_order_id, invoice.invoice_line_ids.sale_line_ids.order_id)
        self.assertEqual(ticket.o2c_disputed_amount, 160.0)
        self.assertTrue(invoice.o2c_is_disputed)
        self.assertEqual(invoice.o2c_dispute_amount, 160.0)
        self.assertEqual(invoice.o2c_dispute_count, 1)
        self.assertAlmostEqual(self.overdue_in(40), 1480.0, msg="the disputed 160 left out")
        disputed = self.figures()
        self.assertEqual(
            (disputed["dispute_open_count"], disputed["dispute_open_value"]), (1, 160.0)
        )
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", ticket.ids)
        self.assertEqual(ticket.o2c_dispute_state, "to_approve", "160 is above 100: approval")
        self.assertFalse(ticket.o2c_credit_note_ids)
        exc = ticket.o2c_exception_ids.filtered(lambda e: e.code == "dispute_resolution")
        with self.assertRaisesRegex(UserError, "only members of Order to Cash / Approver"):
            self.approve(self.agent, exc)
        self.approve(self.approver, exc, "carrier damage confirmed")
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", ticket.ids)
        self.env.invalidate_all()
        credit_note = ticket.o2c_credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual((credit_note.state, credit_note.amount_total), ("posted", 160.0))
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertFalse(invoice.o2c_is_disputed)
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.o2c_credit_exposure, 1640.0)

    def figures_moved(self, start, end):
        """Each figure of the team's control tower moved by the day (from nothing)."""
        moved = {
            # exceptions: two decided at once (0 h), one backorder left open
            "orders_confirmed": (0, 1),
            "exception_rate": (None, 100.0),
            "touchless_rate": (None, 0.0),
            "open_exceptions": (0, 1),
            "open_type_backorder": (None, 1),
            "turnaround_median": (None, 0.0),
            "credit_holds": (0, 0),
            "credit_releases": (0, 1),
            "pricing_value_requested": (0.0, 200.0),
            "pricing_value_approved": (0.0, 200.0),
            # fulfillment: the ordered line shipped 6 of 8 at first (substitute lines
            # are not counted), one substitution, one backorder of 160
            "fulfillment_fill_rate": (None, 0.0),
            "fulfillment_substitutions": (0, 1),
            "fulfillment_open_backorders": (0, 1),
            "fulfillment_backorder_value": (0.0, 160.0),
            # invoicing: released by its proof, invoiced the same day
            "pod_waiting_count": (0, 0),
            "invoice_latency_median": (None, 0.0),
            # disputes: one of one invoice, resolved
            "dispute_per_100_invoices": (None, 100.0),
            "dispute_resolution_time": (None, 0.0),
            "dispute_open_count": (0, 0),
        }
        self.assertEqual({key: (start.get(key), end.get(key)) for key in moved}, moved)
