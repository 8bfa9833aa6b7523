# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_evidence_directory_id = fields.Many2one(
        related="company_id.o2c_evidence_directory_id", readonly=False
    )
