# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .o2c_exception_type import check_bounds

#: bounds of the policy-gap advisor's settings, checked when saved
ADVISOR_BOUNDS = {
    "o2c_advisor_min_approval_rate": (0.0, 100.0),
    "o2c_advisor_min_decisions": (1, 1000000),
    "o2c_advisor_min_caught_rate": (0.0, 100.0),
    "o2c_advisor_rejection_rate": (0.0, 100.0),
    "o2c_advisor_rejection_decisions": (1, 1000000),
    "o2c_advisor_outlier_factor": (1.0, 1000.0),
    "o2c_advisor_outlier_min_orders": (1, 1000000),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------ FIELDS
    # the policy-gap advisor: when a control deserves a proposal
    o2c_advisor_min_approval_rate = fields.Float(
        string="Advisor: Approval Rate to Relax (%)",
        default=95.0,
        help="A control whose exceptions were approved at least this often (of its "
        "decisions) gets a proposal to relax its limit.",
    )
    o2c_advisor_min_decisions = fields.Integer(
        string="Advisor: Decisions to Relax",
        default=20,
        help="A limit is proposed only from at least this many decisions in the period.",
    )
    o2c_advisor_min_caught_rate = fields.Float(
        string="Advisor: Refused Still Caught (%)",
        default=75.0,
        help="The proposed limit is the most relaxed measured value that still raises "
        "at least this share of the exceptions that were rejected or corrected "
        "(rounded up: 75 % of 4 is 3). 100: all of them.",
    )
    o2c_advisor_rejection_rate = fields.Float(
        string="Advisor: Often Rejected (%)",
        default=30.0,
        help="A control whose exceptions were rejected at least this often is flagged "
        "(a training or master-data problem).",
    )
    o2c_advisor_rejection_decisions = fields.Integer(
        string="Advisor: Decisions to Flag Rejections",
        default=10,
        help="Rejections are flagged only from at least this many decisions.",
    )
    o2c_advisor_outlier_factor = fields.Float(
        string="Advisor: Outlier Factor",
        default=3.0,
        help="A customer or salesperson whose exceptions per confirmed order are more "
        "than this many times the median of their peers is flagged.",
    )
    o2c_advisor_outlier_min_orders = fields.Integer(
        string="Advisor: Orders to Compare",
        default=10,
        help="Only customers and salespeople with at least this many confirmed orders "
        "in the period are compared (and make the median).",
    )

    # governed policy changes: the kinds of policy whose changes need a second person
    o2c_policy_approval_kind_ids = fields.Many2many(
        "o2c.policy.kind",
        "o2c_policy_kind_company_rel",
        "company_id",
        "kind_id",
        string="Policy Changes Need Approval",
        default=lambda self: self.env["o2c.policy.kind"]
        .sudo()
        .search([("default_required", "=", True)]),
        help="A change of these policies is not applied when saved: it becomes a change "
        "request that a second person approves.",
    )

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*ADVISOR_BOUNDS)
    def _check_o2c_advisor_settings(self):
        for company in self:
            check_bounds(company, ADVISOR_BOUNDS, self.env._("company %s", company.name))

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(self, ADVISOR_BOUNDS, self.env._("company %s", vals.get("name")), vals)
        return super().create(vals_list)

    def write(self, vals):
        where = lambda: self.env._("company %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, ADVISOR_BOUNDS, where, vals)
        return super().write(vals)
