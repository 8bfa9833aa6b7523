# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisputeCreditControlCommon


@tagged("post_install", "-at_install")
class TestDisputeCreditControlRun(DisputeCreditControlCommon):
    """A run leaves out what an open dispute covers and says why."""

    def test_disputed_invoice_left_out_with_note(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)  # what is due: 1,150
        run = self._run()
        self.assertFalse(self._lines(run, self.invoice))
        self.assertEqual(self._lines(run, self.other).balance_due, 230.0)
        self.assertEqual(run.o2c_disputed_move_ids, self.invoice)
        self.assertIn(self.invoice.name, run.report)
        self.assertIn(f"Disputed: ticket {ticket.number}, amount", run.report)
        self.assertIn("1,150.00", run.report)

    def test_partly_disputed_invoice_dunned_for_the_rest(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.invoice_line, 2, None)])
        self.assertEqual(self.invoice.o2c_dispute_amount, 230.0)
        run = self._run()
        line = self._lines(run, self.invoice)
        self.assertEqual(line.balance_due, 920.0)
        self.assertEqual(line.o2c_disputed_amount, 230.0)
        self.assertIn(ticket.number, line.o2c_dispute_note)
        self.assertFalse(run.o2c_disputed_move_ids)
        self.assertIn("920.00 dunned", run.report)

    def test_after_credit_note_the_rest_is_dunned_normally(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.invoice_line, 2, None)])
        first = self._lines(self._run(), self.invoice)
        self._resolve(ticket, o2c_resolution="credit_note")
        self.assertFalse(self.invoice.o2c_is_disputed)
        self.assertEqual(self.invoice.amount_residual, 920.0)
        run = self._run()
        line = self._lines(run, self.invoice)
        self.assertEqual(line.balance_due, 920.0)
        self.assertFalse(line.o2c_disputed_amount)
        self.assertFalse(line.o2c_dispute_note)
        self.assertNotIn("Disputed", run.report)
        self.assertEqual(first.state, "ignored")  # OCA: the new line replaces the draft

    def test_fully_disputed_invoice_dunned_again_after_rejection(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        self.assertFalse(self._lines(self._run(), self.invoice))
        self._resolve(
            ticket, o2c_resolution="rejected", o2c_rejection_reason="Delivered as ordered"
        )
        run = self._run()
        self.assertEqual(self._lines(run, self.invoice).balance_due, 1150.0)
        self.assertFalse(run.o2c_disputed_move_ids)

    def test_cancelled_dispute_no_longer_leaves_out(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_root_cause="customer")
        ticket.with_user(self.agent).action_o2c_cancel_dispute()
        self.assertEqual(self._lines(self._run(), self.invoice).balance_due, 1150.0)

    def test_undisputed_rest_below_tolerance_left_out(self):
        self.company.credit_control_tolerance = 50.0
        self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=1120.0)
        run = self._run()
        self.assertFalse(self._lines(run, self.invoice))
        self.assertEqual(run.o2c_disputed_move_ids, self.invoice)

    def test_policy_changer_path_respects_disputes(self):
        # the other OCA caller of the line generation: a manual change of level
        self._dispute(o2c_invoice_id=self.invoice.id)
        receivable = self.invoice.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )
        lines = self.env["credit.control.line"].create_or_update_from_mv_lines(
            receivable, self.policy.level_ids, self.invoice.invoice_date, self.company
        )
        self.assertFalse(lines)

    def test_run_records_are_governed(self):
        self._dispute(o2c_invoice_id=self.invoice.id)
        run = self._run()
        line = self._lines(run, self.other)
        with self.assertRaises(UserError):
            run.with_user(self.accountant).write({"o2c_disputed_move_ids": [(5,)]})
        with self.assertRaises(UserError):
            line.with_user(self.accountant).with_context(o2c_owned=True).write(
                {"o2c_dispute_note": "forged"}
            )
        self.assertEqual(run.o2c_disputed_move_ids, self.invoice)
        self.assertFalse(line.o2c_dispute_note)
