# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


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
            moved._o2c_check_done_delivery_kept()
        return super().write(vals)

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_done_delivery_kept(self):
        """Refuse to change what a done customer delivery (or return) delivered.

        Odoo lets a done transfer be unlocked and its quantities edited, and an
        RPC client can write them without unlocking: the sale line's delivered
        quantity would then change under its proof of delivery, its release and
        the invoices already made from it (a delivery edited down after it was
        invoiced leaves more invoiced than delivered). A correction is a return.

        :raise UserError: naming the transfer
        """
        done = self.filtered(lambda move: move.state == "done" and move.sale_line_id)
        if done:
            raise UserError(
                self.env._(
                    "%(transfer)s is done: its quantities are what the customer received, "
                    "and its proof of delivery, release and invoices rest on them. Correct "
                    "them with a return.",
                    transfer=", ".join(done.picking_id.mapped("display_name"))
                    or done[:1].display_name,
                )
            )
