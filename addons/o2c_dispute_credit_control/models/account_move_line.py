# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _o2c_dunning_residual(self):
        """Return ``(open amount, currency)`` credit control dunns for this line.

        The same figure as OCA's ``balance_due``: the residual in the line's
        currency when it is foreign, else in the company currency.
        """
        self.ensure_one()
        company_currency = self.company_id.currency_id
        if self.currency_id and self.currency_id != company_currency:
            return self.amount_residual_currency, self.currency_id
        return self.amount_residual, company_currency

    def _o2c_disputed_parts(self):
        """Return ``{line id: disputed part}`` of these receivable lines, in each
        line's dunning currency (:meth:`_o2c_dunning_residual`).

        The open disputed amount of the invoices comes from one call of the dispute
        hook for all of them. It is taken from an invoice's open receivable lines
        due last first: what falls due first stays claimed.
        """
        amounts = self.env["account.move"]._o2c_disputed_amounts(self.move_id.ids)
        wanted = set(self.ids)
        parts = {}
        for move in self.move_id.filtered(lambda m: m.id in amounts):
            left = amounts[move.id]  # company currency
            open_lines = move.line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable"
                and not aml.reconciled
                and aml.amount_residual > 0
            ).sorted(lambda aml: (aml.date_maturity or date.min, aml.id), reverse=True)
            for aml in open_lines:
                part = min(left, aml.amount_residual)
                left -= part
                if aml.id in wanted and part > 0:
                    residual, currency = aml._o2c_dunning_residual()
                    parts[aml.id] = currency.round(part * residual / aml.amount_residual)
                if left <= 0:
                    break
        return parts
