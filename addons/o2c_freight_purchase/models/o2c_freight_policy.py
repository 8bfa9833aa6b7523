# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

#: days a replenishment may be planned before the vendor's lead time allows
PURCHASE_BOUNDS = {"expedite_tolerance_days": (0, 365)}


class O2cFreightPolicy(models.Model):
    _inherit = "o2c.freight.policy"

    approve_expedited_purchases = fields.Boolean(
        string="Expedited Replenishments Need Approval",
        default=True,
        tracking=True,
        help="A purchase for customer orders expected earlier than the vendor's lead "
        "time allows (a rush order, an express shipment from the vendor) needs an "
        "approval before it is confirmed. Purchases follow the policy of their "
        "company (order class and segment scopes are the customers').",
    )
    expedite_tolerance_days = fields.Integer(
        string="Tolerance (days)",
        tracking=True,
        help="Days earlier than the vendor's lead time a purchase may be expected "
        "without approval.",
    )

    @api.model
    def _o2c_bounds(self):
        return {**super()._o2c_bounds(), **PURCHASE_BOUNDS}

    @api.model
    def _o2c_purchase_policies(self, companies):
        """``{company id: policy}`` for purchases: the company's own policy before a
        shared one, then by sequence (one search)."""
        policies = self.sudo().search(
            [
                ("company_id", "in", [*companies.ids, False]),
                ("order_class_ids", "=", False),
                ("partner_category_ids", "=", False),
            ]
        )
        result = {}
        for company in companies:
            candidates = policies.filtered(lambda p, c=company: p.company_id in (c, p.browse()))
            result[company.id] = min(
                candidates,
                key=lambda p: (not p.company_id, p.sequence, p.id),
                default=self.browse(),
            )
        return result
