# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

POLICY = "o2c.pricing.policy"


class O2cAdvisor(models.AbstractModel):
    _inherit = "o2c.advisor"

    @api.model
    def _o2c_advisor_limits(self):
        # the limits a pricing exception records (see sale.order._o2c_pricing_breach)
        return {
            **super()._o2c_advisor_limits(),
            (POLICY, "max_discount"): {
                "direction": "above",
                "label": self.env._("discount limit"),
                "unit": "%",
            },
            (POLICY, "max_price_override"): {
                "direction": "above",
                "label": self.env._("price override limit"),
                "unit": "%",
            },
            (POLICY, "min_margin"): {
                "direction": "below",
                "label": self.env._("margin floor"),
                "unit": "%",
            },
            (POLICY, "max_order_discount"): {
                "direction": "above",
                "label": self.env._("limit of value given away per order"),
                "unit": "currency",
            },
        }
