# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.o2c_advisor import parse_policy_ref

DIRECTIONS = [("above", "Above the limit"), ("below", "Below the limit")]


class O2cAdvisorWhatif(models.TransientModel):
    """Move the limit of one control and see what the period would have been.

    The figures are computed live (one query for both limits) by the advisor,
    over the decisions of the report's period and companies.
    """

    _name = "o2c.advisor.whatif"
    _description = "O2C Policy-Gap What-If"

    report_id = fields.Many2one("o2c.advisor.report", required=True, ondelete="cascade")
    line_id = fields.Many2one(
        "o2c.advisor.report.line",
        string="Control",
        required=True,
        ondelete="cascade",
        domain="[('report_id', '=', report_id), ('can_simulate', '=', True)]",
        help="Exception type and policy, from the advisor's statistics.",
    )
    policy_label = fields.Char(related="line_id.policy_label")
    limit_label = fields.Char(compute="_compute_limit")
    direction = fields.Selection(DIRECTIONS, compute="_compute_limit")
    unit = fields.Char(compute="_compute_limit")
    current_value = fields.Float(
        string="Current Limit", compute="_compute_limit", help="The policy's limit today."
    )
    new_value = fields.Float(
        string="New Limit",
        compute="_compute_new_value",
        store=True,
        readonly=False,
        help="Move it: the figures below follow.",
    )
    currency_id = fields.Many2one(related="line_id.currency_id")
    decisions = fields.Integer(compute="_compute_figures")
    approved = fields.Integer(compute="_compute_figures")
    refused = fields.Integer(string="Rejected or Corrected", compute="_compute_figures")
    avoided_current = fields.Integer(string="Avoided Now", compute="_compute_figures")
    caught_current = fields.Integer(string="Refused Caught Now", compute="_compute_figures")
    value_current = fields.Monetary(string="Unreviewed Now", compute="_compute_figures")
    avoided_new = fields.Integer(
        string="Exceptions Avoided",
        compute="_compute_figures",
        help="Approved exceptions of the period the new limit would not have raised.",
    )
    caught_new = fields.Integer(
        string="Refused Still Caught",
        compute="_compute_figures",
        help="Rejected or corrected exceptions the new limit would still have raised.",
    )
    value_new = fields.Monetary(
        string="Value No Longer Reviewed",
        compute="_compute_figures",
        help="Value at risk of the exceptions the new limit would not have raised.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("line_id")
    def _compute_limit(self):
        limits = self.env["o2c.advisor"]._o2c_advisor_limits()
        current = self.env["o2c.advisor"]._o2c_current_limits(self.line_id.mapped("policy_ref"))
        for rec in self:
            model, __, fname = parse_policy_ref(rec.line_id.policy_ref)
            limit = limits.get((model, fname), {})
            rec.limit_label = limit.get("label", False)
            rec.direction = limit.get("direction", False)
            rec.unit = limit.get("unit", False)
            rec.current_value = current.get(rec.line_id.policy_ref, (0.0, ""))[0]

    @api.depends("line_id")
    def _compute_new_value(self):
        for rec in self:
            rec.new_value = rec.current_value

    @api.depends("line_id", "new_value")
    def _compute_figures(self):
        for rec in self:
            figures = rec._o2c_figures()
            now, new = figures["results"] if figures else ({}, {})
            rec.decisions = figures.get("decisions", 0) if figures else 0
            rec.approved = figures.get("approved", 0) if figures else 0
            rec.refused = figures.get("refused", 0) if figures else 0
            rec.avoided_current = now.get("avoided", 0)
            rec.caught_current = now.get("caught", 0)
            rec.value_current = now.get("value_unreviewed", 0.0)
            rec.avoided_new = new.get("avoided", 0)
            rec.caught_new = new.get("caught", 0)
            rec.value_new = new.get("value_unreviewed", 0.0)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("new_value")
    def _check_new_value(self):
        for rec in self:
            if not math.isfinite(rec.new_value) or abs(rec.new_value) > 1e15:
                raise ValidationError(self.env._("New Limit must be a finite number."))

    # ---------------------------------------------------------- BUSINESS
    def _o2c_figures(self):
        """The advisor's what-if of the current and the new limit (one query)."""
        self.ensure_one()
        # in a form's onchange the records are new: the figures come from the saved ones
        line, report = self.line_id._origin, self.report_id._origin
        if not line.can_simulate or not report or not math.isfinite(self.new_value or 0.0):
            return {}
        return self.env["o2c.advisor"]._o2c_whatif(
            report.company_ids.ids,
            report.date_from,
            report.date_to,
            line.type_id.id,
            line.policy_ref,
            [self.current_value, self.new_value],
        )
