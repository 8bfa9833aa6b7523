# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_o2c_evidence_pack(self):
        """The evidence pack of the sales orders this invoice bills."""
        return self._o2c_evidence_orders().action_o2c_evidence_pack()

    def _o2c_evidence_orders(self):
        """Orders of these invoices the user may read (the pack checks the rest)."""
        orders = self.sudo().line_ids.sale_line_ids.order_id.with_env(self.env)
        orders = orders._filtered_access("read")
        if not orders:
            raise UserError(
                self.env._(
                    "%s bills no sales order you may read.", ", ".join(self.mapped("display_name"))
                )
            )
        return orders
