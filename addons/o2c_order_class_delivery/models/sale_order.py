# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.depends("carrier_id")
    def _compute_o2c_order_class_id(self):
        # quotations are re-classified when their carrier changes too
        return super()._compute_o2c_order_class_id()
