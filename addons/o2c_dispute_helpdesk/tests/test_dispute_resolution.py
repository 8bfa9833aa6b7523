# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeResolution(DisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoiced_two_products()
        cls.writeoff_account = cls.env["account.account"].create(
            {"name": "Dispute write-offs", "code": "O2CWO", "account_type": "expense"}
        )

    def _resolve(self, ticket, **vals):
        ticket.write({"o2c_root_cause": "warehouse_execution", **vals})
        return ticket.with_user(self.agent).action_o2c_apply_resolution()

    def test_credit_note_for_disputed_lines(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id, lines=[(self.line_a, 2, None), (self.line_b, 5, 10.0)]
        )
        self._resolve(ticket, o2c_resolution="credit_note")
        refund = ticket.o2c_credit_note_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        self.assertEqual(refund.amount_total, 287.5)
        self.assertEqual(sorted(refund.invoice_line_ids.mapped("quantity")), [2.0, 5.0])
        self.assertEqual(self.invoice.amount_residual, 1380.0 - 287.5)
        self.assertEqual(refund.payment_state, "paid")
        # a commercial credit does not make the order invoice again
        self.assertEqual(self.order.invoice_status, "invoiced")
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertTrue(ticket.stage_id.closed)
        self.assertTrue(ticket.o2c_resolved_date)
        self.assertFalse(self.invoice.o2c_is_disputed)
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual(exc.state, "resolved")
        self.assertIn(refund.name, exc.decision_reason)

    def test_full_reversal_of_unpaid_invoice(self):
        self.company.o2c_dispute_approval_amount = 5000.0
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_dispute_type="duplicate_billing")
        self._resolve(
            ticket, o2c_resolution="credit_note", o2c_credit_mode="full", o2c_root_cause="training"
        )
        refund = ticket.o2c_credit_note_ids
        self.assertEqual(refund.amount_total, 1380.0)
        self.assertEqual(self.invoice.payment_state, "reversed")
        # a full reversal is linked to the order, which invoices again (duplicate billing)
        self.assertEqual(self.order.order_line.mapped("qty_invoiced"), [0.0, 0.0])

    def test_full_reversal_of_paid_invoice_refused(self):
        self.company.o2c_dispute_approval_amount = 5000.0
        self._pay(self.invoice, 100.0)
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        with self.assertRaises(ValidationError) as cm:
            self._resolve(ticket, o2c_resolution="credit_note", o2c_credit_mode="full")
        self.assertIn("only an unpaid invoice", str(cm.exception))

    def test_rejection_needs_reason_and_closes_rejected(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=100)
        with self.assertRaises(ValidationError) as cm:
            self._resolve(ticket, o2c_resolution="rejected")
        self.assertIn("Rejection Reason", str(cm.exception))
        self._resolve(
            ticket,
            o2c_resolution="rejected",
            o2c_rejection_reason="Signed delivery note shows full quantity.",
        )
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertEqual(
            ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        )
        self.assertFalse(ticket.o2c_credit_note_ids)
        self.assertEqual(self.invoice.amount_residual, 1380.0)
        self.assertFalse(self.invoice.o2c_is_disputed)

    def test_replacement_order(self):
        if "o2c.pricing.policy" in self.env:
            # a free replacement is a price override for o2c_pricing_approval when it
            # is installed (then it waits for pricing approval): test the dispute alone
            self.env["o2c.policy.kind"].search([]).write(
                {"company_ids": [Command.clear()], "default_required": False}
            )
            self.env["o2c.pricing.policy"].search([]).active = False
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            o2c_dispute_type="wrong_item",
            lines=[(self.line_b, 3, None)],
        )
        self._resolve(ticket, o2c_resolution="replacement")
        replacement = ticket.o2c_replacement_order_ids
        self.assertEqual(replacement.state, "sale")
        self.assertEqual(replacement.partner_id, self.customer)
        self.assertEqual(replacement.origin, ticket.number)
        self.assertEqual(replacement.order_line.product_id, self.product_b)
        self.assertEqual(replacement.order_line.product_uom_qty, 3.0)
        self.assertEqual(replacement.amount_total, 0.0)
        self.assertEqual(replacement.picking_ids.move_ids.product_uom_qty, 3.0)
        self.assertEqual(ticket.o2c_dispute_state, "resolved")

    def test_write_off(self):
        self.company.o2c_dispute_writeoff_account_id = self.writeoff_account
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=115.0)
        self._resolve(ticket, o2c_resolution="write_off", o2c_root_cause="customer")
        entry = ticket.o2c_credit_note_ids
        self.assertEqual(entry.move_type, "entry")
        expense = entry.line_ids.filtered(lambda aml: aml.account_id == self.writeoff_account)
        self.assertEqual(expense.balance, 115.0)
        self.assertEqual(self.invoice.amount_residual, 1265.0)
        self.assertEqual(ticket.o2c_dispute_state, "resolved")

    def test_write_off_needs_account(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=115.0)
        with self.assertRaises(ValidationError) as cm:
            self._resolve(ticket, o2c_resolution="write_off")
        self.assertIn("Dispute Write-off Account", str(cm.exception))

    def test_root_cause_required_to_resolve(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            o2c_disputed_amount=100,
            o2c_resolution="rejected",
            o2c_rejection_reason="no",
        )
        with self.assertRaises(ValidationError) as cm:
            ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertIn("Root Cause is required", str(cm.exception))

    def test_closing_stage_needs_root_cause_and_resolution(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=100)
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        with self.assertRaises(ValidationError) as cm:
            ticket.write({"stage_id": done.id})
        self.assertIn("Root Cause", str(cm.exception))
        ticket.o2c_root_cause = "carrier"
        with self.assertRaises(UserError) as cm:
            ticket.write({"stage_id": done.id})
        self.assertIn("apply its resolution", str(cm.exception))
        self.assertFalse(ticket.stage_id.closed)

    def test_lines_required_for_partial_credit(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=100)
        with self.assertRaises(ValidationError) as cm:
            self._resolve(ticket, o2c_resolution="credit_note")
        self.assertIn("add the Disputed Lines", str(cm.exception))

    def test_resolution_applies_once(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.line_a, 1, None)])
        self._resolve(ticket, o2c_resolution="credit_note")
        with self.assertRaises(UserError) as cm:
            ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertIn("cannot be applied again", str(cm.exception))
        self.assertEqual(len(ticket.o2c_credit_note_ids), 1)
