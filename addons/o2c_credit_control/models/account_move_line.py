# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _reconcile_post_hook(self, data):
        res = super()._reconcile_post_hook(data)
        # Every reconciliation (payment, credit note, bank matching) ends here.
        receivables = self.filtered(lambda line: line.account_type == "asset_receivable")
        if receivables:
            self.env["o2c.exception"]._o2c_credit_recheck_partners(receivables.partner_id)
        return res
