# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_credit_check = fields.Boolean(related="company_id.o2c_credit_check", readonly=False)
    o2c_credit_default_limit_type = fields.Selection(
        related="company_id.o2c_credit_default_limit_type", readonly=False
    )
    o2c_credit_default_limit = fields.Monetary(
        related="company_id.o2c_credit_default_limit", readonly=False
    )
    o2c_credit_default_policy = fields.Selection(
        related="company_id.o2c_credit_default_policy", readonly=False
    )
    o2c_credit_overdue_days = fields.Integer(
        related="company_id.o2c_credit_overdue_days", readonly=False
    )
    o2c_credit_overdue_amount = fields.Monetary(
        related="company_id.o2c_credit_overdue_amount", readonly=False
    )
    o2c_portal_show_credit = fields.Boolean(
        related="company_id.o2c_portal_show_credit", readonly=False
    )
    o2c_credit_block_delivery = fields.Boolean(
        related="company_id.o2c_credit_block_delivery", readonly=False
    )
