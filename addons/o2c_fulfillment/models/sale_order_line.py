# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
    o2c_first_delivery_date = fields.Datetime(
        string="First Delivery", copy=False, readonly=True, index=True
    )
    o2c_first_delivery_complete = fields.Boolean(
        string="Complete on First Delivery",
        copy=False,
        readonly=True,
        help="The first delivery shipped the whole ordered quantity (fill rate).",
    )
