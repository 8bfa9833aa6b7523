# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.o2c_exception_base.tools import default_approver_group
from odoo.exceptions import ValidationError


class O2cPricingPolicyTier(models.Model):
    """One rung of a policy's approval ladder: above ``threshold`` % → this group."""

    _name = "o2c.pricing.policy.tier"
    _description = "O2C Pricing Approval Tier"
    _inherit = ["o2c.policy.line.mixin"]
    _order = "policy_id, threshold, id"
    # a tier changes with its policy (a change request of the policy)
    _o2c_policy_parent_field = "policy_id"
    _o2c_policy_fields = ("threshold", "approver_group_id")

    # ------------------------------------------------------------ FIELDS
    policy_id = fields.Many2one("o2c.pricing.policy", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    threshold = fields.Float(
        string="Above (%)",
        required=True,
        help="Lines reduced against the pricelist by more than this percentage "
        "need an approver of this tier.",
    )
    approver_group_id = fields.Many2one(
        "res.groups",
        required=True,
        ondelete="restrict",
        default=default_approver_group,
    )

    # ------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # o2c.pricing.policy._o2c_policy_index
        return records

    def write(self, vals):
        res = super().write(vals)
        if {"policy_id", "threshold"}.intersection(vals):
            self.env.registry.clear_cache()  # o2c.pricing.policy._o2c_policy_index
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # o2c.pricing.policy._o2c_policy_index
        return res

    # ----------------------------------------------------------- COMPUTE
    @api.depends("threshold", "approver_group_id")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = self.env._(
                "Above %(threshold)s %%: %(group)s",
                threshold=rec.threshold,
                group=rec.approver_group_id.full_name or "",
            )

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("threshold")
    def _check_threshold(self):
        for rec in self:
            if not 0.0 <= rec.threshold < 100.0:
                raise ValidationError(
                    self.env._(
                        "Tier threshold (Above %%) must be at least 0 and under 100 on "
                        "pricing policy %(policy)s (got %(value)s).",
                        policy=rec.policy_id.name,
                        value=rec.threshold,
                    )
                )

    @api.constrains("threshold", "policy_id")
    def _check_threshold_unique(self):
        for policy in self.policy_id:
            thresholds = policy.tier_ids.mapped("threshold")
            if len(thresholds) != len(set(thresholds)):
                raise ValidationError(
                    self.env._(
                        "Two tiers of pricing policy %s have the same threshold (Above %%).",
                        policy.name,
                    )
                )
