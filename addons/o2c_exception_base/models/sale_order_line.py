# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "o2c.governed.mixin"]

    #: the invoice lines that bill this line (its invoiced quantity): Odoo links
    #: them from the invoice's side when it creates the invoice
    _o2c_governed_fields = ("invoice_lines",)
    #: what Odoo computes from the line's deliveries, invoices and prices (a quantity
    #: invoiced written to zero would have it invoiced again, a delivered quantity
    #: written up would make undelivered goods invoiceable; Odoo's compute keeps a
    #: manual line's delivered quantity, entered by hand)
    _o2c_computed_fields = (
        "state",
        "qty_delivered",
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
        lines.order_id._o2c_check_key_changes()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if self.order_id._o2c_line_key_fields().intersection(vals):
            self.order_id._o2c_check_key_changes()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._o2c_check_key_changes()
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_is_charge_line(self):
        """Whether this line charges a service of the order itself (freight...)
        rather than goods: controls of the goods' prices leave it out. Bridges to
        the apps that add such lines say which (no query: a field of the line)."""
        self.ensure_one()
        return False
