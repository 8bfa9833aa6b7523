# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from lxml import html
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class OverdueReminderStep(models.TransientModel):
    _name = "overdue.reminder.step"
    _inherit = ["overdue.reminder.step", "o2c.governed.mixin"]

    #: computed from the open disputes, never typed in
    _o2c_governed_fields = ("o2c_disputed_invoice_ids", "o2c_dispute_note")

    # ------------------------------------------------------------ FIELDS
    o2c_disputed_invoice_ids = fields.Many2many(
        "account.move",
        relation="o2c_overdue_reminder_step_disputed_move_rel",
        column1="step_id",
        column2="move_id",
        string="Disputed Invoices Left Out",
        compute="_compute_o2c_disputed_invoice_ids",
        store=True,
        precompute=True,
        help="Overdue invoices of the customer under an open dispute: the reminder "
        "leaves them out until the dispute is resolved.",
    )
    o2c_dispute_note = fields.Html(
        string="Disputed Invoices Note",
        compute="_compute_o2c_dispute_note",
        store=True,
        precompute=True,
        help="What the reminder (mail and letter) says about the invoices left out.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("commercial_partner_id", "company_id", "date")
    def _compute_o2c_disputed_invoice_ids(self):
        disputed = self._o2c_disputed_overdue_invoices()
        for step in self:
            key = (step.commercial_partner_id.id, step.company_id.id)
            step.o2c_disputed_invoice_ids = disputed.get(key, self.env["account.move"])

    @api.depends("o2c_disputed_invoice_ids")
    def _compute_o2c_dispute_note(self):
        # in the customer's language, like the OCA mail: one batch per language
        for lang, steps in self.grouped(lambda s: s.commercial_partner_id.lang).items():
            steps = steps.with_context(lang=lang or self.env.lang)
            lines = steps.o2c_disputed_invoice_ids._o2c_reminder_dispute_lines()
            for step in steps:
                step.o2c_dispute_note = step._o2c_dispute_note_html(lines)

    def _o2c_dispute_note_html(self, lines):
        """The note of this step from ``lines`` ``{invoice id: text}``."""
        self.ensure_one()
        invoices = self.o2c_disputed_invoice_ids.sorted("invoice_date_due")
        if not invoices:
            return False
        return Markup("<div class='o2c_dispute_note'><p>%s</p><ul>%s</ul></div>") % (
            self.env._(
                "Not included in this reminder, while the dispute on them is being reviewed:"
            ),
            Markup().join(Markup("<li>%s</li>") % lines[inv.id] for inv in invoices),
        )

    @api.depends("invoice_ids", "user_id", "partner_id", "o2c_dispute_note")
    def _compute_counter_and_mail(self):
        res = super()._compute_counter_and_mail()
        for step in self.filtered(lambda s: s.o2c_dispute_note and s.mail_body):
            step.mail_body = self._o2c_insert_note(step.mail_body, step.o2c_dispute_note)
        return res

    # ------------------------------------------------------------ ACTION
    def validate(self):
        self._o2c_check_no_disputed_invoice()
        res = super().validate()
        self._o2c_log_left_out()
        return res

    def print_letter(self):
        self._o2c_check_no_disputed_invoice()
        return super().print_letter()

    # ---------------------------------------------------------- BUSINESS
    def _o2c_disputed_overdue_invoices(self):
        """Return ``{(customer id, company id): invoices}``: the overdue invoices of
        these steps' customers under an open dispute, in one search."""
        steps = self.filtered("commercial_partner_id")
        if not steps:
            return {}
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", steps.commercial_partner_id.ids),
                ("company_id", "in", steps.company_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "not in", ("paid", "reversed", "in_payment")),
                ("no_overdue_reminder", "=", False),
                ("invoice_date_due", "<", max(steps.mapped("date")) or fields.Date.today()),
                ("o2c_is_disputed", "=", True),
            ]
        )
        result = defaultdict(lambda: self.env["account.move"])
        for invoice in invoices:
            result[(invoice.commercial_partner_id.id, invoice.company_id.id)] |= invoice
        return result

    def _o2c_check_no_disputed_invoice(self):
        """Refuse to remind an invoice under an open dispute, however it got into
        the reminder (added by hand, dispute opened since the reminder was
        prepared)."""
        disputed = self.invoice_ids.filtered("o2c_is_disputed")
        if disputed:
            invoice = disputed[:1]
            raise UserError(
                self.env._(
                    "Invoice %(dispute)s. It is under an open dispute: remove it from "
                    "the reminder; it is reminded again once the dispute is resolved.",
                    dispute=disputed._o2c_reminder_dispute_lines()[invoice.id],
                )
            )

    def _o2c_log_left_out(self):
        """Note on each invoice left out that the reminder skipped it, and why."""
        done = self.filtered(lambda s: s.state == "done" and s.o2c_disputed_invoice_ids)
        invoices = done.o2c_disputed_invoice_ids
        if not invoices:
            return
        lines = invoices._o2c_reminder_dispute_lines()
        invoices._message_log_batch(
            bodies={
                invoice.id: Markup("<p>%s</p>")
                % self.env._(
                    "Left out of the overdue reminder of %(date)s: %(reason)s",
                    date=format_date(self.env, fields.Date.context_today(self)),
                    reason=lines[invoice.id],
                )
                for invoice in invoices
            }
        )

    @api.model
    def _o2c_insert_note(self, body, note):
        """``body`` with ``note`` right after its first table (the invoices), or at
        its end when a customised template has no table."""
        root = html.fragment_fromstring(str(body), create_parent="div")
        note_root = html.fragment_fromstring(str(note), create_parent="div")
        table = root.find(".//table")
        if table is not None:
            for element in reversed(list(note_root)):
                table.addnext(element)
        else:
            root.extend(list(note_root))
        inner = (html.tostring(child, encoding="unicode") for child in root)
        return Markup((root.text or "") + "".join(inner))
