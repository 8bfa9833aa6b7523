# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def action_o2c_evidence_pack(self):
        """The evidence pack of the sales orders this dispute is about."""
        return self._o2c_evidence_orders().action_o2c_evidence_pack()

    def _o2c_evidence_orders(self):
        """The disputed order, else the orders of the disputed delivery or invoice,
        as far as the user may read them."""
        tickets = self.sudo()
        orders = (
            tickets.o2c_sale_order_id
            | tickets.o2c_picking_id.sale_id
            | tickets.o2c_invoice_id.line_ids.sale_line_ids.order_id
        )
        orders = orders.with_env(self.env)._filtered_access("read")
        if not orders:
            raise UserError(
                self.env._(
                    "%s is about no sales order you may read.",
                    ", ".join(self.mapped("display_name")),
                )
            )
        return orders
