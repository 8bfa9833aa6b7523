# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "o2c.governed.mixin"]

    #: the invoice lines that bill this line (its invoiced quantity): Odoo links
    #: them from the invoice's side when it creates the invoice
    _o2c_governed_fields = ("invoice_lines",)
    #: what Odoo computes from the line's invoices and prices (a quantity invoiced
    #: written to zero would have it invoiced again)
    _o2c_computed_fields = (
        "state",
        "invoice_status",
        "qty_invoiced",
        "qty_to_invoice",
        "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice",
        "price_subtotal",
        "price_tax",
        "price_total",
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
    )

    # -------------------------------------------------------------- CRUD
    # A line written on its own (RPC, import) changes its order's key values as
    # much as the order's form does: the order's exceptions see it.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        given = [
            line.id for line, vals in zip(lines, vals_list, strict=True) if "qty_delivered" in vals
        ]
        lines.browse(given)._o2c_check_delivered_from_moves()
        lines.order_id._o2c_check_key_changes()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "qty_delivered" in vals:
            self._o2c_check_delivered_from_moves()
        if self.order_id._o2c_line_key_fields().intersection(vals):
            self.order_id._o2c_check_key_changes()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._o2c_check_key_changes()
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_delivered_from_moves(self):
        """Refuse a delivered quantity written over what the deliveries say.

        Odoo stores a written ``qty_delivered`` even on lines delivered by stock
        moves (only its form keeps the field read-only): an RPC write or an import
        would make undelivered goods invoiceable, or hide a delivery. A value equal
        to the moves' (Odoo's own extra line for a product shipped unordered) passes.

        :raise UserError: naming the field and the line
        """
        lines = self.filtered(lambda line: line.qty_delivered_method == "stock_move")
        if not lines:
            return
        given = {line.id: line.qty_delivered for line in lines}
        self.env.add_to_compute(self._fields["qty_delivered"], lines)  # the moves' quantity
        wrong = lines.filtered(
            lambda line: float_compare(
                line.qty_delivered, given[line.id], precision_rounding=line.product_uom.rounding
            )
        )
        if wrong:
            raise UserError(
                self.env._(
                    "%(field)s of %(lines)s comes from its deliveries: validate a delivery "
                    "or a return to change it.",
                    field=self._fields["qty_delivered"]._description_string(self.env),
                    lines=", ".join(wrong.mapped("display_name")),
                )
            )

    def _o2c_is_charge_line(self):
        """Whether this line charges a service of the order itself (freight...)
        rather than goods: controls of the goods' prices leave it out. Bridges to
        the apps that add such lines say which (no query: a field of the line)."""
        self.ensure_one()
        return False
