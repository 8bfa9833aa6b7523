# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # ------------------------------------------------------------ FIELDS
    o2c_substitute_for_line_id = fields.Many2one(
        "sale.order.line",
        string="Substitute For",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The ordered line this line's product was delivered instead of.",
    )
    o2c_substitution_ids = fields.One2many(
        "o2c.substitution", "sale_line_id", string="Substitutions", readonly=True
    )
    o2c_backorder_qty = fields.Float(
        string="Backordered",
        digits="Product Unit of Measure",
        compute="_compute_o2c_backorder",
        help="Quantity still to ship on open deliveries after a first one shipped.",
    )
    o2c_backorder_date = fields.Datetime(
        string="Expected On",
        compute="_compute_o2c_backorder",
        help="When the backordered quantity is expected to ship (the backorder's date).",
    )
    o2c_first_delivery_date = fields.Datetime(
        string="First Delivery", copy=False, readonly=True, index=True
    )
    o2c_first_delivery_complete = fields.Boolean(
        string="Complete on First Delivery",
        copy=False,
        readonly=True,
        help="The first delivery shipped the whole ordered quantity (fill rate).",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("order_id.o2c_split_policy", "order_id.order_line.move_ids.state")
    def _compute_qty_to_invoice(self):
        """A ship-complete order is invoiced when complete: nothing delivered is
        invoiceable while one of its deliveries is still open (returns are)."""
        res = super()._compute_qty_to_invoice()
        waiting = self.order_id.filtered(
            lambda o: o.o2c_split_policy == "complete"
            and any(
                m.state not in ("done", "cancel") and m.picking_code == "outgoing"
                for m in o.order_line.move_ids
            )
        )
        if not waiting:  # the usual case: no line to look at
            return res
        for line in self:
            if (
                line.order_id in waiting
                and line.product_id.invoice_policy == "delivery"
                and line.qty_to_invoice > 0
            ):
                line.qty_to_invoice = 0.0
        return res

    @api.depends("move_ids.state", "move_ids.product_uom_qty", "move_ids.date")
    def _compute_o2c_backorder(self):
        # what the customer reads on the portal: the part of the line waiting on a
        # backorder (an open delivery created after a first one), and its date
        for line in self:
            moves = line.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel")
                and m.picking_id.backorder_id
                and m.picking_code == "outgoing"
            )
            line.o2c_backorder_qty = sum(
                m.product_uom._compute_quantity(m.product_uom_qty, line.product_uom) for m in moves
            )
            line.o2c_backorder_date = min(moves.mapped("date"), default=False)
