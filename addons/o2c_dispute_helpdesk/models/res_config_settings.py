# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_dispute_approval_amount = fields.Monetary(
        related="company_id.o2c_dispute_approval_amount",
        readonly=False,
        currency_field="currency_id",
    )
    o2c_dispute_writeoff_account_id = fields.Many2one(
        related="company_id.o2c_dispute_writeoff_account_id", readonly=False
    )
    o2c_dispute_writeoff_journal_id = fields.Many2one(
        related="company_id.o2c_dispute_writeoff_journal_id", readonly=False
    )
    o2c_dispute_team_id = fields.Many2one(related="company_id.o2c_dispute_team_id", readonly=False)
