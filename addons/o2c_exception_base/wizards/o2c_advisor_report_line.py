# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class O2cAdvisorReportLine(models.TransientModel):
    """The statistics of one control (exception type and policy) over the period."""

    _name = "o2c.advisor.report.line"
    _description = "O2C Policy-Gap Advisor Control"
    _order = "volume desc, id"

    report_id = fields.Many2one("o2c.advisor.report", required=True, index=True, ondelete="cascade")
    type_id = fields.Many2one("o2c.exception.type", string="Exception Type", readonly=True)
    policy_ref = fields.Char(string="Policy Reference", readonly=True)
    policy_label = fields.Char(string="Policy", readonly=True)
    volume = fields.Integer(readonly=True, help="Exceptions decided in the period.")
    approved = fields.Integer(readonly=True)
    rejected = fields.Integer(readonly=True)
    resolved = fields.Integer(
        string="Corrected",
        readonly=True,
        help="Resolved: the document was changed (or the customer paid) instead.",
    )
    decisions = fields.Integer(readonly=True, help="Approved, rejected and corrected.")
    approval_rate = fields.Float(string="Approved (%)", readonly=True, digits=(16, 1))
    rejection_rate = fields.Float(string="Rejected (%)", readonly=True, digits=(16, 1))
    median_turnaround_hours = fields.Float(
        string="Median Turnaround (h)", readonly=True, digits=(16, 1)
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    value_at_risk = fields.Monetary(readonly=True, currency_field="currency_id")
    top_root_causes = fields.Char(readonly=True)
    top_customers = fields.Char(readonly=True)
    top_products = fields.Char(readonly=True)
    top_salespeople = fields.Char(readonly=True)
    can_simulate = fields.Boolean(
        readonly=True, help="The exceptions record a limit the what-if can move."
    )

    def action_open_whatif(self):
        """Open the what-if on this control."""
        self.ensure_one()
        whatif = self.env["o2c.advisor.whatif"].create(
            {"report_id": self.report_id.id, "line_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("What if"),
            "res_model": whatif._name,
            "res_id": whatif.id,
            "view_mode": "form",
            "target": "new",
        }
