# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models

from ..governance import is_including_unreleased


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "o2c.governed.mixin"]

    #: the release gate's quantities: computed from the released deliveries only
    #: (a value written over them would make unreleased quantities invoiceable)
    _o2c_governed_fields = ("o2c_qty_released", "o2c_qty_withheld")

    # ------------------------------------------------------------ FIELDS
    o2c_qty_released = fields.Float(
        string="Released Quantity",
        compute="_compute_o2c_qty_released",
        store=True,
        digits="Product Unit of Measure",
        help="Quantity shipped in deliveries released for invoicing, minus the "
        "returns of those deliveries.",
    )
    o2c_qty_withheld = fields.Float(
        string="Awaiting Release",
        compute="_compute_qty_to_invoice",
        store=True,
        digits="Product Unit of Measure",
        help="Delivered but not invoiceable yet: its delivery waits for its proof "
        "of delivery or a manual release.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends(
        "qty_delivered",
        "move_ids.state",
        "move_ids.quantity",
        "move_ids.product_uom",
        "move_ids.picking_id.o2c_release_policy",
        "move_ids.picking_id.o2c_released",
        "move_ids.origin_returned_move_id.picking_id.o2c_release_policy",
        "move_ids.origin_returned_move_id.picking_id.o2c_released",
    )
    def _compute_o2c_qty_released(self):
        # The gate only subtracts what o2c holds back: whatever Odoo counts as
        # delivered (deliveries done before o2c was installed, quantities typed by
        # hand, transfers o2c does not govern) stays invoiceable exactly as in Odoo.
        released = defaultdict(list)
        for line in self:
            released[line.qty_delivered - line._o2c_qty_unreleased()].append(line.id)
        self._o2c_assign_by_value("o2c_qty_released", released)

    @api.depends("o2c_qty_released")
    def _compute_qty_to_invoice(self):
        """Only quantities of released deliveries are invoiceable (the release gate)."""
        res = super()._compute_qty_to_invoice()
        combos = self.browse()
        withheld_ids = defaultdict(list)
        for line in self:
            withheld = 0.0
            # nothing to invoice (e.g. just confirmed) withholds nothing: the
            # releasable quantity is never below a quantity to invoice <= 0
            if line.qty_to_invoice > 0 and line._o2c_is_release_gated():
                # Released minus invoiced; an override may have invoiced more than
                # is released: that never turns into a credit, only real returns do.
                releasable = max(
                    line.o2c_qty_released - line.qty_invoiced, min(line.qty_to_invoice, 0.0)
                )
                if line.qty_to_invoice > releasable:
                    withheld = line.qty_to_invoice - releasable
                    line.qty_to_invoice = releasable
                    if line.linked_line_id.product_id.type == "combo":
                        combos |= line.linked_line_id
            withheld_ids[withheld].append(line.id)
        self._o2c_assign_by_value("o2c_qty_withheld", withheld_ids)
        for combo in combos:
            if not any(
                item.combo_item_id and item.qty_to_invoice for item in combo.linked_line_ids
            ):
                combo.qty_to_invoice = 0.0
        return res

    def _o2c_assign_by_value(self, fname, ids_by_value):
        """Assign each value to its lines at once: a float field looks up its
        precision and rounds once per assignment, not once per line."""
        for value, ids in ids_by_value.items():
            self.browse(ids)[fname] = value

    # ---------------------------------------------------------- BUSINESS
    def _o2c_is_release_gated(self):
        """Lines invoiced on delivered goods: their quantities wait for the release."""
        self.ensure_one()
        return (
            self.state == "sale"
            and not self.display_type
            and not self.is_downpayment
            and self.qty_delivered_method == "stock_move"
            and self.product_id.invoice_policy == "delivery"
        )

    def _o2c_qty_unreleased(self):
        """Quantity delivered by deliveries that wait for their release (net of returns)."""
        self.ensure_one()
        if self.qty_delivered_method != "stock_move" or not any(
            move.state == "done" and move.picking_id._o2c_awaits_release() for move in self.move_ids
        ):  # nothing delivered is held back (the common case: no move read twice)
            return 0.0
        outgoing, incoming = self._get_outgoing_incoming_moves()
        qty = sum(
            self._o2c_move_qty(move)
            for move in outgoing
            if move.state == "done" and move.picking_id._o2c_awaits_release()
        )
        qty -= sum(
            self._o2c_move_qty(move)
            for move in incoming
            if move.state == "done"
            and move.origin_returned_move_id.picking_id._o2c_awaits_release()
        )
        return max(qty, 0.0)

    def _o2c_move_qty(self, move):
        return move.product_uom._compute_quantity(
            move.quantity, self.product_uom, rounding_method="HALF-UP"
        )

    def _prepare_invoice_line(self, **optional_values):
        res = super()._prepare_invoice_line(**optional_values)
        if (
            is_including_unreleased()
            and self.o2c_qty_withheld
            and res.get("display_type") == "product"
        ):
            res["quantity"] = self.qty_to_invoice + self.o2c_qty_withheld
        return res
