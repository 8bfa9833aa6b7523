# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_invoice_release_policy = fields.Selection(
        related="company_id.o2c_invoice_release_policy", readonly=False
    )
    o2c_pod_aging_days = fields.Integer(related="company_id.o2c_pod_aging_days", readonly=False)
    o2c_pod_responsible_id = fields.Many2one(
        related="company_id.o2c_pod_responsible_id", readonly=False
    )
    o2c_auto_invoice = fields.Boolean(related="company_id.o2c_auto_invoice", readonly=False)
    o2c_auto_post = fields.Boolean(related="company_id.o2c_auto_post", readonly=False)
    o2c_auto_send = fields.Boolean(related="company_id.o2c_auto_send", readonly=False)
    o2c_portal_pod = fields.Boolean(related="company_id.o2c_portal_pod", readonly=False)
