# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    def write(self, vals):
        res = super().write(vals)
        if "date_planned" in vals:
            # the vendor's new date moves what was promised to the customers waiting
            lines = self.filtered(lambda line: line.qty_received < line.product_qty)
            self.env["o2c.fulfillment.planner"]._o2c_supply_dates_moved(
                lines.product_id, lines.order_id.picking_type_id.warehouse_id
            )
        return res
