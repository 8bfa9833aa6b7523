# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import format_amount, format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    def _o2c_reminder_dispute_lines(self):
        """Return ``{invoice id: line of the reminder saying why it is left out}``.

        Words for the customer: the invoice, its due date and residual, the open
        disputes and their amount. The disputes of all the invoices are read
        together (prefetch), as superuser: the accountant sending reminders need
        not read helpdesk tickets.
        """
        lines = {}
        for move in self.sudo():
            tickets = move._o2c_open_disputes()
            lines[move.id] = self.env._(
                "%(invoice)s due on %(due)s, %(residual)s still due: dispute %(tickets)s "
                "for %(disputed)s",
                invoice=move.name,
                due=format_date(self.env, move.invoice_date_due),
                residual=format_amount(self.env, move.amount_residual, move.currency_id),
                tickets=", ".join(tickets.mapped("number")),
                disputed=format_amount(self.env, move.o2c_dispute_amount, move.currency_id),
            )
        return lines
