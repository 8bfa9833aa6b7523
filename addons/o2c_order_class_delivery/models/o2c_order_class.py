# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class O2cOrderClass(models.Model):
    _inherit = "o2c.order.class"

    carrier_ids = fields.Many2many(
        "delivery.carrier",
        string="Carriers",
        help="Shipping method of the order. Empty: any carrier, or none.",
    )

    def _o2c_matches(self, order, categ_ids):
        if self.carrier_ids and order.carrier_id not in self.carrier_ids:
            return False
        return super()._o2c_matches(order, categ_ids)
