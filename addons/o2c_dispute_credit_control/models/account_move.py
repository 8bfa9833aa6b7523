# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import format_amount


class AccountMove(models.Model):
    _inherit = "account.move"

    def _o2c_credit_control_dispute_notes(self):
        """Return ``{invoice id: why credit control leaves (part of) it out}``.

        Names the open disputes and their amount. Read as superuser: the accountant
        who runs credit control need not read helpdesk tickets. The disputes of all
        the invoices are read together (prefetch), not invoice by invoice.
        """
        notes = {}
        for move in self.sudo():
            tickets = move._o2c_open_disputes()
            if tickets:
                notes[move.id] = self.env._(
                    "Disputed: ticket %(tickets)s, amount %(amount)s",
                    tickets=", ".join(tickets.mapped("number")),
                    amount=format_amount(self.env, move.o2c_dispute_amount, move.currency_id),
                )
        return notes
