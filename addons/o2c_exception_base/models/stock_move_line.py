# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

#: what a done line of a customer delivery or return counts: the sale line's
#: delivered quantity, on which its proof of delivery, release and invoices rest
DONE_QUANTITY_FIELDS = frozenset(
    {"quantity", "quantity_product_uom", "product_id", "product_uom_id", "move_id"}
)


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # a line added to a done delivery (its move done) adds to what was delivered
        moves = self.env["stock.move"].browse(
            {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        )
        moves._o2c_check_done_delivery_kept()
        lines = super().create(vals_list)
        lines._o2c_check_done_delivery_kept()
        return lines

    def write(self, vals):
        if DONE_QUANTITY_FIELDS.isdisjoint(vals):
            return super().write(vals)
        self._o2c_check_done_delivery_kept()
        res = super().write(vals)
        if "move_id" in vals:  # moved into a done delivery
            self._o2c_check_done_delivery_kept()
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_done_delivery_kept(self):
        """Refuse to change these lines when they are done in a customer delivery.

        :raise UserError: naming the transfer
        """
        self.filtered(lambda line: line.state == "done").move_id._o2c_check_done_delivery_kept()
