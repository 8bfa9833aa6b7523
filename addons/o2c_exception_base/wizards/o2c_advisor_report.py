# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..models.o2c_advisor import TOP_DIMENSIONS, parse_policy_ref

#: statistics fields copied from ``o2c.advisor.o2c_type_stats`` onto a line
STAT_FIELDS = (
    "type_id",
    "policy_ref",
    "policy_label",
    "volume",
    "approved",
    "rejected",
    "resolved",
    "decisions",
    "approval_rate",
    "rejection_rate",
    "median_turnaround_hours",
    "value_at_risk",
    "currency_id",
)


class O2cAdvisorReport(models.TransientModel):
    """The policy-gap advisor's screen: statistics per control and proposals.

    Everything on it is computed by ``o2c.advisor`` (which checks who asks);
    the lines are a snapshot of the period, refreshed with *Analyse*.
    """

    _name = "o2c.advisor.report"
    _description = "O2C Policy-Gap Advisor"

    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=3),
        help="Exceptions decided from this day...",
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self),
        help="... to this day (included).",
    )
    line_ids = fields.One2many("o2c.advisor.report.line", "report_id", string="Controls")
    proposal_ids = fields.One2many("o2c.advisor.report.proposal", "report_id", string="Proposals")
    analysed = fields.Boolean(readonly=True)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for rec in self:
            if rec.date_from > rec.date_to:
                raise ValidationError(
                    self.env._("Date From must be on or before Date To (the period).")
                )

    # ------------------------------------------------------------ ACTION
    def action_analyse(self):
        """Compute the statistics and proposals of the period (replacing the former)."""
        self.ensure_one()
        args = (self.company_ids.ids, self.date_from, self.date_to)
        Advisor = self.env["o2c.advisor"]
        stats = Advisor.o2c_type_stats(*args)
        proposals = Advisor.o2c_proposals(*args)
        self.write(
            {
                "analysed": True,
                "line_ids": [Command.clear()]
                + [Command.create(self._o2c_line_vals(stat)) for stat in stats],
                "proposal_ids": [Command.clear()]
                + [
                    Command.create(self.env["o2c.advisor.report.proposal"]._o2c_vals(p))
                    for p in proposals
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_line_vals(self, stat):
        """Values of a statistics line from one dict of ``o2c_type_stats``."""
        limits = self.env["o2c.advisor"]._o2c_advisor_limits()
        model, __, fname = parse_policy_ref(stat["policy_ref"])
        vals = {key: stat[key] for key in STAT_FIELDS}
        vals["can_simulate"] = (model, fname) in limits
        for dim in TOP_DIMENSIONS:
            vals[f"top_{dim}"] = ", ".join(f"{top['name']} ({top['count']})" for top in stat[dim])
        return vals
