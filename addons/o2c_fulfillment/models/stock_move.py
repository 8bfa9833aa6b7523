# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields, models


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "o2c.governed.mixin"]

    #: the baseline of the substitution checks: which ordered move a substitute
    #: replaces (substitute wizard) and which lots were reserved (reservation);
    #: rewritten, they would hide a substitution or a lot change
    _o2c_governed_fields = ("o2c_substitute_for_move_id", "o2c_reserved_lot_ids")

    o2c_substitute_for_move_id = fields.Many2one(
        "stock.move",
        string="Substitute For",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The ordered move this move delivers a substitute for.",
    )
    o2c_reserved_lot_ids = fields.Many2many(
        "stock.lot",
        "o2c_stock_move_reserved_lot_rel",
        "move_id",
        "lot_id",
        string="Reserved Lots",
        copy=False,
        readonly=True,
        help="Lots the reservation chose for a substitution-sensitive product: "
        "delivering another lot is a lot change.",
    )

    # ------------------------------------------------------------ ACTION
    def action_o2c_substitute(self):
        """Open the wizard that replaces (part of) this move by a substitute."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deliver a Substitute"),
            "res_model": "o2c.substitute.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ---------------------------------------------------------- BUSINESS
    def _action_assign(self, force_qty=False):
        res = super()._action_assign(force_qty=force_qty)
        self._o2c_remember_reserved_lots()
        return res

    def _o2c_remember_reserved_lots(self):
        """Keep the lots reserved for substitution-sensitive customer deliveries."""
        # the template's flag: the variant's (inherited) field is computed per variant
        moves = self.filtered(
            lambda m: m.product_id.product_tmpl_id.o2c_substitution_sensitive
            and m.has_tracking != "none"
            and m.picking_code == "outgoing"
            and m.state not in ("done", "cancel")
        )
        by_lots = defaultdict(lambda: self.browse())
        for move in moves:
            new = move.move_line_ids.lot_id - move.o2c_reserved_lot_ids
            if new:
                by_lots[new] |= move
        for lots, group in by_lots.items():
            group._o2c_owned_write({"o2c_reserved_lot_ids": [Command.link(lot.id) for lot in lots]})

    def _o2c_validated_qty(self, any_picked):
        """Quantity (move unit) this move ships when its transfer is validated now."""
        self.ensure_one()
        if self.state == "draft" and not self.quantity:
            return self.product_uom_qty
        if any_picked and not self.picked:
            return 0.0
        return self.quantity

    def _o2c_delivery_policy(self, match):
        """The fulfillment policy of this move, as its delivery's order sees it.

        Read as superuser: the warehouse validates deliveries of orders it may
        not read (as in Odoo).
        """
        self.ensure_one()
        order_class = self.picking_id.sudo().sale_id.o2c_order_class_id
        return match(self.company_id, self.product_id.categ_id, order_class)

    def _o2c_backorder_missing(self, match, now):
        """Return ``(quantity in the move's unit, why)`` still missing on this move.

        A customer backorder misses its whole remaining demand until it ships; a
        delivery due within the policy horizon of its commitment date misses
        what is not reserved (or picked upstream) yet.

        :param match: policy matcher from ``o2c.fulfillment.policy._o2c_get_matcher``
        """
        self.ensure_one()
        if self.state in ("done", "cancel"):
            return 0.0, ""
        picking = self.picking_id
        if picking.backorder_id:
            return self.product_uom_qty, self.env._("Backorder")
        deadline = self.date_deadline or picking.date_deadline
        policy = match(
            self.company_id,
            self.product_id.categ_id,
            self.sale_line_id.order_id.o2c_order_class_id,
        )
        if not deadline or not policy.check_commitment:
            return 0.0, ""
        if deadline > now + timedelta(days=policy.horizon_days):
            return 0.0, ""
        origins = self.move_orig_ids.filtered(lambda m: m.state != "cancel")
        covered = sum(origins.mapped("quantity")) if origins else self.quantity
        return (
            self.product_uom_qty - covered,
            self.env._("Not reservable for %s", fields.Date.to_string(deadline.date())),
        )

    def _o2c_sale_line(self):
        """The ordered line this move delivers (directly or as a substitute)."""
        self.ensure_one()
        return self.sale_line_id or self.o2c_substitute_for_move_id.sale_line_id

    def _o2c_sale_value(self, qty):
        """Sales value (order currency) of ``qty`` (move unit) of this move."""
        self.ensure_one()
        line = self._o2c_sale_line()
        if line:
            line_qty = self.product_uom._compute_quantity(
                qty, line.product_uom, raise_if_failure=False
            )
            return line_qty * line.price_reduce_taxexcl
        product_qty = self.product_uom._compute_quantity(
            qty, self.product_id.uom_id, raise_if_failure=False
        )
        return product_qty * self.product_id.lst_price

    def _o2c_product_substitution(self, lines):
        """Return a substitution row when this move ships another product than ordered.

        :param lines: the lines of the move's sales order
        """
        self.ensure_one()
        # the warehouse validates deliveries of orders it may not read (as in Odoo)
        original = self.sudo().o2c_substitute_for_move_id
        if original:
            line, ordered = original.sale_line_id, original.product_id
        elif self.sudo().sale_line_id:
            line = self.sudo().sale_line_id
            kit = "bom_line_id" in self._fields and self.bom_line_id
            if line.product_id == self.product_id or kit:
                return None
            ordered = line.product_id
        else:
            if self.product_id in lines.product_id:
                return None
            line = lines.filtered(
                lambda sol: self.product_id in sol.product_id.o2c_substitute_product_ids
            )[:1]
            ordered = line.product_id
        return {
            "kind": "product",
            "move": self,
            "line": line,
            "product": ordered,
            "substitute": self.product_id,
            "approved": bool(ordered) and self.product_id in ordered.o2c_substitute_product_ids,
            "lots": self.env["stock.lot"],
            "new_lots": self.move_line_ids.lot_id,
        }

    def _o2c_lot_change(self):
        """Return a row when a substitution-sensitive move ships an unreserved lot."""
        self.ensure_one()
        if not (
            self.product_id.o2c_substitution_sensitive
            and self.has_tracking != "none"
            and self.o2c_reserved_lot_ids
        ):
            return None
        shipped = self.move_line_ids.filtered(lambda ml: ml.quantity and ml.lot_id).lot_id
        new = shipped - self.o2c_reserved_lot_ids
        if not new:
            return None
        return {
            "kind": "lot",
            "move": self,
            "line": self.sale_line_id,
            "product": self.product_id,
            "substitute": self.product_id,
            "approved": False,
            "lots": self.o2c_reserved_lot_ids,
            "new_lots": new,
        }
