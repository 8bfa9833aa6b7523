# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _o2c_is_charge_line(self):
        # the shipping line: its price is the carrier's rate (free over an amount,
        # a margin), judged by the freight controls, not a price override of goods
        return self.is_delivery or super()._o2c_is_charge_line()
