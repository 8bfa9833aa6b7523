# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisputeCreditControlCommon


@tagged("post_install", "-at_install")
class TestDisputePendingLines(DisputeCreditControlCommon):
    """Letters generated before a dispute opened stop claiming the disputed amount."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cc_run = cls._run()
        cls.line = cls._lines(cls.cc_run, cls.invoice)
        cls.other_line = cls._lines(cls.cc_run, cls.other)

    def _mark(self, lines, state):
        marker = (
            self.env["credit.control.marker"]
            .with_user(self.accountant)
            .create({"name": state, "line_ids": [(6, 0, lines.ids)]})
        )
        return marker.mark_lines()

    def test_pending_lines_ignored_when_dispute_opens(self):
        self.cc_run.with_user(self.accountant).set_to_ready_lines()
        self.assertEqual(self.line.state, "to_be_sent")
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        self.assertEqual(self.line.state, "ignored")
        self.assertIn(f"Disputed: ticket {ticket.number}", self.line.o2c_dispute_note)
        self.assertIn(ticket.number, self.line.message_ids[:1].body)
        self.assertEqual(self.other_line.state, "to_be_sent")

    def test_partial_dispute_ignores_the_full_letter(self):
        self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.invoice_line, 2, None)])
        self.assertEqual(self.line.state, "ignored")
        line = self._lines(self._run(), self.invoice)
        self.assertEqual(line.balance_due, 920.0)
        self.assertEqual(line.state, "draft")

    def test_sent_letters_are_history(self):
        self._mark(self.line, "sent")
        self._dispute(o2c_invoice_id=self.invoice.id)
        self.assertEqual(self.line.state, "sent")

    def test_disputed_letter_cannot_be_sent(self):
        self._dispute(o2c_invoice_id=self.invoice.id)
        for state in ("to_be_sent", "sent"):
            with self.assertRaises(UserError):
                self._mark(self.line, state)
            with self.assertRaises(UserError):
                self.line.with_user(self.accountant).with_context(o2c_dispute_bypass=True).write(
                    {"state": state}
                )
        self.assertEqual(self.line.state, "ignored")

    def test_letter_of_the_undisputed_rest_can_be_sent(self):
        self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.invoice_line, 2, None)])
        run = self._run()
        run.with_user(self.accountant).set_to_ready_lines()
        line = self._lines(run, self.invoice)
        self.assertEqual(line.state, "to_be_sent")
        with self.assertRaises(UserError):
            line.with_user(self.accountant).write({"balance_due": 1150.0})
        self.assertEqual(line.balance_due, 920.0)

    def test_next_run_reports_the_invoice_whose_letter_was_ignored(self):
        self.cc_run.with_user(self.accountant).set_to_ready_lines()
        ticket = self._dispute(o2c_invoice_id=self.other.id)
        run = self._run()
        self.assertFalse(self._lines(run, self.other))
        self.assertEqual(run.o2c_disputed_move_ids, self.other)
        self.assertIn(ticket.number, run.report)
        self.assertEqual(self.line.state, "to_be_sent")  # undisputed letter untouched
