# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

#: what a line of a posted customer invoice bills: the sale lines' invoiced
#: quantities, the release checks made at posting and the receivable rest on them
BILLED_FIELDS = frozenset(
    {
        "quantity",
        "price_unit",
        "discount",
        "product_id",
        "product_uom_id",
        "tax_ids",
        "sale_line_ids",
        "balance",
        "amount_currency",
        "debit",
        "credit",
        "move_id",
    }
)


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "o2c.governed.mixin"]

    #: computed from the line's reconciliation and its entry: the credit exposure
    #: sums the residuals, the figures read the amounts
    _o2c_computed_fields = (
        "parent_state",
        "amount_residual",
        "amount_residual_currency",
        "reconciled",
        "price_subtotal",
        "price_total",
    )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # a line added to a posted invoice bills what its posting never checked
        moves = self.env["account.move"].browse(
            {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        )
        moves._o2c_check_posted_invoice_kept()
        return super().create(vals_list)

    def write(self, vals):
        if not BILLED_FIELDS.isdisjoint(vals):
            self.move_id._o2c_check_posted_invoice_kept()
        res = super().write(vals)
        if "move_id" in vals:  # moved into a posted invoice
            self.move_id._o2c_check_posted_invoice_kept()
        return res
