# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class O2cAdvisor(models.AbstractModel):
    _inherit = "o2c.advisor"

    @api.model
    def _o2c_advisor_limits(self):
        # the limits a credit hold records (see _o2c_credit_advisor_vals): the
        # credit limit and the overdue tolerance, of a group, a customer or the company
        limit = {"direction": "above", "label": self.env._("credit limit"), "unit": "currency"}
        tolerance = {
            "direction": "above",
            "label": self.env._("overdue tolerance"),
            "unit": "currency",
        }
        return {
            **super()._o2c_advisor_limits(),
            ("o2c.credit.group", "credit_limit"): limit,
            ("o2c.credit.group", "overdue_amount"): tolerance,
            ("res.partner", "credit_limit"): limit,
            ("res.partner", "o2c_overdue_tolerance_amount"): tolerance,
            ("res.company", "o2c_credit_default_limit"): {
                **limit,
                "label": self.env._("default credit limit"),
            },
            ("res.company", "o2c_credit_overdue_amount"): {
                **tolerance,
                "label": self.env._("default overdue tolerance"),
            },
        }
