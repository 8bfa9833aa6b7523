# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


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
