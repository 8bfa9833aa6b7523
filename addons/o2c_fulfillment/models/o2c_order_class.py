# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.addons.o2c_exception_base.models.sale_order import QUOTATION_STATES

from .res_company import SPLIT_POLICIES


class O2cOrderClass(models.Model):
    _inherit = "o2c.order.class"

    o2c_split_policy = fields.Selection(
        SPLIT_POLICIES,
        string="Split Shipments",
        help="Empty: the customer's, else the company's.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "o2c_split_policy" in vals:
            # only orders it still governs: quotations and orders with a delivery to ship
            orders = self.env["sale.order"].search(
                [
                    ("o2c_order_class_id", "in", self.ids),
                    "|",
                    ("state", "in", QUOTATION_STATES),
                    ("picking_ids", "any", [("state", "not in", ("done", "cancel"))]),
                ]
            )
            self.env.add_to_compute(self.env["sale.order"]._fields["o2c_split_policy"], orders)
        return res
