# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft)
        # A credit note or a payment lowers the exposure: re-check the holds.
        credits = posted.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and line.balance < 0
        )
        if credits:
            self.env["o2c.exception"]._o2c_credit_recheck_partners(credits.partner_id)
        return posted
