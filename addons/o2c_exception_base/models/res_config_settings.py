# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .o2c_policy_governed_mixin import settings_change_reason


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_advisor_min_approval_rate = fields.Float(
        related="company_id.o2c_advisor_min_approval_rate", readonly=False
    )
    o2c_advisor_min_decisions = fields.Integer(
        related="company_id.o2c_advisor_min_decisions", readonly=False
    )
    o2c_advisor_min_caught_rate = fields.Float(
        related="company_id.o2c_advisor_min_caught_rate", readonly=False
    )
    o2c_advisor_rejection_rate = fields.Float(
        related="company_id.o2c_advisor_rejection_rate", readonly=False
    )
    o2c_advisor_rejection_decisions = fields.Integer(
        related="company_id.o2c_advisor_rejection_decisions", readonly=False
    )
    o2c_advisor_outlier_factor = fields.Float(
        related="company_id.o2c_advisor_outlier_factor", readonly=False
    )
    o2c_advisor_outlier_min_orders = fields.Integer(
        related="company_id.o2c_advisor_outlier_min_orders", readonly=False
    )
    # governed policy changes
    o2c_policy_approval_kind_ids = fields.Many2many(
        related="company_id.o2c_policy_approval_kind_ids", readonly=False
    )
    o2c_policy_change_reason = fields.Char(
        string="Reason for the Change",
        help="Settings that are governed policies (when their kind needs approval) "
        "change through a change request with this reason.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the related settings are written here: a governed one becomes a request
        # with the reason typed in the same form
        reason = next(
            (v["o2c_policy_change_reason"] for v in vals_list if v.get("o2c_policy_change_reason")),
            None,
        )
        with settings_change_reason(reason):
            return super().create(vals_list)
