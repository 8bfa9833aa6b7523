# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "o2c.exception.mixin"]

    _o2c_link_field = "sale_order_id"
    _o2c_guarded_action = "confirm"
    _o2c_guarded_states = ("sale",)
    _o2c_key_fields = (
        "partner_id",
        "pricelist_id",
        "amount_total",
        "order_line.product_id",
        "order_line.product_uom_qty",
        "order_line.price_unit",
        "order_line.discount",
    )

    def action_confirm(self):
        """Confirmation goes through the O2C enforcement point first."""
        return self._o2c_hold_or_proceed(
            lambda orders: super(SaleOrder, orders).action_confirm(), "confirm"
        )
