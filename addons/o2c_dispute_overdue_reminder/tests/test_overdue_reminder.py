# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisputeReminderCommon


@tagged("post_install", "-at_install")
class TestDisputeOverdueReminder(DisputeReminderCommon):
    """Reminders leave out invoices under an open dispute and say so."""

    def test_disputed_invoice_left_out_and_said(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        step = self._start()
        self.assertEqual(step.invoice_ids, self.other)
        self.assertEqual(step.o2c_disputed_invoice_ids, self.invoice)
        body = str(step.mail_body)
        self.assertIn(ticket.number, body)
        # the note follows the table of the invoices reminded
        self.assertGreater(body.index(ticket.number), body.index("</table>"))
        self.assertEqual(body.count(self.invoice.name), 1)

    def test_validated_reminder_skips_disputed_invoice(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        step = self._start()
        step.with_user(self.accountant).validate()
        action = self.env["overdue.reminder.action"].search(
            [("commercial_partner_id", "=", self.customer.id)]
        )
        self.assertEqual(action.reminder_ids.invoice_id, self.other)
        self.assertIn(ticket.number, action.mail_id.body_html)
        self.assertEqual(self.invoice.overdue_reminder_counter, 0)
        self.assertEqual(self.other.overdue_reminder_counter, 1)
        log = self.invoice.message_ids[:1]
        self.assertIn("Left out of the overdue reminder", log.body)
        self.assertIn(ticket.number, log.body)

    def test_customer_with_only_disputed_invoices_not_reminded(self):
        self._dispute(o2c_invoice_id=self.invoice.id)
        self._dispute(o2c_invoice_id=self.other.id)
        with self.assertRaisesRegex(UserError, "no overdue reminders"):
            self._start()

    def test_reminded_again_after_credit_note(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.invoice_line, 2, None)])
        # partly disputed: the reminder lists whole invoices, so it is left out whole
        self.assertEqual(self._start().invoice_ids, self.other)
        self._resolve(ticket, o2c_resolution="credit_note")
        step = self._start()
        self.assertEqual(step.invoice_ids, self.invoice | self.other)
        self.assertFalse(step.o2c_dispute_note)
        self.assertNotIn(ticket.number, str(step.mail_body))

    def test_reminded_again_after_rejection(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        self._resolve(ticket, o2c_resolution="rejected", o2c_rejection_reason="Delivered")
        self.assertEqual(self._start().invoice_ids, self.invoice | self.other)

    def test_disputed_invoice_added_by_hand_refused(self):
        self._dispute(o2c_invoice_id=self.invoice.id)
        step = self._start().with_user(self.accountant)
        step.write({"invoice_ids": [Command.link(self.invoice.id)]})
        with self.assertRaisesRegex(UserError, self.invoice.name):
            step.with_context(o2c_skip_dispute_check=True).validate()
        with self.assertRaises(UserError):
            step.print_letter()
        self.assertFalse(
            self.env["overdue.reminder.action"].search(
                [("commercial_partner_id", "=", self.customer.id)]
            )
        )
        self.assertEqual(step.state, "draft")

    def test_dispute_opened_after_preparation_refused(self):
        step = self._start()
        self._dispute(o2c_invoice_id=self.invoice.id)
        with self.assertRaises(UserError):
            step.with_user(self.accountant).validate()
        self.assertEqual(self.invoice.overdue_reminder_counter, 0)

    def test_note_is_not_typed_in(self):
        self._dispute(o2c_invoice_id=self.invoice.id)
        step = self._start().with_user(self.accountant)
        with self.assertRaises(UserError):
            step.write({"o2c_dispute_note": "<p>nothing left out</p>"})
        with self.assertRaises(UserError):
            step.write({"o2c_disputed_invoice_ids": [Command.clear()]})
        self.assertEqual(step.o2c_disputed_invoice_ids, self.invoice)

    def test_letter_says_which_invoices_are_left_out(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        step = self._start()
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html(
                "account_invoice_overdue_reminder.overdue_reminder_step_report", step.ids
            )
        )
        self.assertIn(ticket.number, html.decode())
        self.assertIn(self.invoice.name, html.decode())
