# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # A move created "done" in a transfer goes through write(), which
        # checks the transfer like its validation.
        done = [i for i, vals in enumerate(vals_list) if vals.get("state") == "done"]
        if not done:
            return super().create(vals_list)
        vals_list = [dict(vals) for vals in vals_list]
        for index in done:
            vals_list[index]["state"] = "draft"
        moves = super().create(vals_list)
        moves.browse([moves[index].id for index in done]).write({"state": "done"})
        return moves

    def write(self, vals):
        if vals.get("state") == "done":
            # A transfer's moves done is the transfer done: its guarded validation.
            self.picking_id._o2c_enforce_transition("done", "validate")
        if "sale_line_id" in vals:
            # what was delivered for one sale line does not move to another (Odoo
            # links an extra product's done move to the line it creates for it)
            moved = self.filtered(
                lambda m: m.state == "done"
                and m.sale_line_id.id not in (False, vals["sale_line_id"])
            )
            moved.move_line_ids._o2c_check_done_delivery_kept()
        return super().write(vals)
