# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

from ..governance import is_validating_moves, validating_moves


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
        if "state" in vals:
            self._o2c_check_state_written(vals["state"])
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

    def _action_done(self, cancel_backorder=False):
        with validating_moves():
            return super()._action_done(cancel_backorder=cancel_backorder)

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_state_written(self, state):
        """A customer delivery's move is made done by Odoo's validation only (which
        moves the goods), and stays done.

        An RPC write of the state would count goods as delivered that never left
        the stock, or take back a delivery already invoiced.

        :raise UserError: naming the transfer
        """
        if state != "done":
            self.filtered(lambda move: move.state == "done")._o2c_check_done_delivery_kept()
            return
        if is_validating_moves():
            return
        customer = self.filtered(
            lambda m: m.state != "done" and (m.sale_line_id or m.picking_id.sale_id)
        )
        if customer:
            raise UserError(
                self.env._(
                    "%(transfer)s is delivered by validating it: its moves cannot be "
                    "written done.",
                    transfer=", ".join(customer.picking_id.mapped("display_name"))
                    or customer[:1].display_name,
                )
            )

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
