# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_company import SPLIT_POLICIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2c_substitution_consent_required = fields.Boolean(
        string="Consent to Substitutions",
        help="A substitution delivered to this customer can only be approved once "
        "the customer's consent is recorded on the delivery.",
    )

    o2c_split_policy = fields.Selection(
        SPLIT_POLICIES,
        string="Split Shipments",
        tracking=True,
        help="How this customer's orders may ship in several deliveries. Empty: the "
        "order class's, else the company's.",
    )

    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "o2c_substitution_consent_required",
            "o2c_split_policy",
        ]
