# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2c_substitution_consent_required = fields.Boolean(
        string="Consent to Substitutions",
        help="A substitution delivered to this customer can only be approved once "
        "the customer's consent is recorded on the delivery.",
    )

    def _commercial_fields(self):
        return [*super()._commercial_fields(), "o2c_substitution_consent_required"]
