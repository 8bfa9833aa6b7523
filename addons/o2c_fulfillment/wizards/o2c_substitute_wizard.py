# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class O2cSubstituteWizard(models.TransientModel):
    """Replace (part of) an ordered move by an approved substitute on a delivery."""

    _name = "o2c.substitute.wizard"
    _description = "Deliver a Substitute"

    move_id = fields.Many2one("stock.move", required=True, readonly=True)
    product_id = fields.Many2one(related="move_id.product_id", string="Ordered Product")
    allowed_product_ids = fields.Many2many(
        related="move_id.product_id.o2c_substitute_product_ids", string="Approved Substitutes"
    )
    substitute_id = fields.Many2one(
        "product.product",
        required=True,
        domain="[('id', 'in', allowed_product_ids)]",
    )
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    product_uom_id = fields.Many2one(related="move_id.product_uom", string="Unit")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        move = self.env["stock.move"].browse(res.get("move_id"))
        if move and "quantity" in fields_list:
            res["quantity"] = max(move.product_uom_qty - move.quantity, 0.0) or move.product_uom_qty
        if move and "substitute_id" in fields_list:
            res["substitute_id"] = move.product_id.o2c_substitute_product_ids[:1].id
        return res

    def action_confirm(self):
        """Create the substitute move, lower the ordered move's demand, reserve."""
        self.ensure_one()
        move = self.move_id
        self._check_input()
        qty = move.product_uom._compute_quantity(self.quantity, self.substitute_id.uom_id)
        vals = self._prepare_move_vals(qty)
        substitute_for = vals.pop("o2c_substitute_for_move_id")
        new_move = self.env["stock.move"].create(vals)
        # checked above (open customer delivery, approved substitute, quantity)
        new_move._o2c_owned_write({"o2c_substitute_for_move_id": substitute_for})
        remaining = move.product_uom_qty - self.quantity
        if (
            float_compare(move.quantity, remaining, precision_rounding=move.product_uom.rounding)
            > 0
        ):
            move._do_unreserve()
        move.product_uom_qty = remaining
        new_move._action_confirm(merge=False)
        (move | new_move)._action_assign()
        move.picking_id.message_post(
            body=self.env._(
                "%(qty)s %(uom)s of %(sub)s will be delivered instead of %(product)s "
                "(needs the substitution approval).",
                qty=self.quantity,
                uom=move.product_uom.name,
                sub=self.substitute_id.display_name,
                product=move.product_id.display_name,
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _check_input(self):
        move = self.move_id
        if move.state in ("done", "cancel") or move.picking_code != "outgoing":
            raise UserError(self.env._("Only open customer deliveries can take a substitute."))
        if self.substitute_id not in move.product_id.o2c_substitute_product_ids:
            raise UserError(
                self.env._(
                    "%(sub)s is not an approved substitute of %(product)s (field Substitute).",
                    sub=self.substitute_id.display_name,
                    product=move.product_id.display_name,
                )
            )
        rounding = move.product_uom.rounding
        if (
            float_compare(self.quantity, 0.0, precision_rounding=rounding) <= 0
            or float_compare(self.quantity, move.product_uom_qty, precision_rounding=rounding) > 0
        ):
            raise UserError(
                self.env._(
                    "The quantity must be positive and at most the demand %s (field Quantity).",
                    move.product_uom_qty,
                )
            )

    def _prepare_move_vals(self, qty):
        move = self.move_id
        return {
            "name": self.substitute_id.display_name,
            "product_id": self.substitute_id.id,
            "product_uom_qty": qty,
            "product_uom": self.substitute_id.uom_id.id,
            "picking_id": move.picking_id.id,
            "picking_type_id": move.picking_type_id.id,
            "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id,
            "location_final_id": move.location_final_id.id,
            "partner_id": move.partner_id.id,
            "company_id": move.company_id.id,
            "warehouse_id": move.warehouse_id.id,
            "group_id": move.group_id.id,
            "origin": move.origin,
            "date": move.date,
            "date_deadline": move.date_deadline,
            "procure_method": "make_to_stock",
            "o2c_substitute_for_move_id": move.id,
        }
