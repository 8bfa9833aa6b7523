# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.o2c_advisor import PROPOSAL_KINDS

#: keys of an advisor proposal copied on the line as they are
PROPOSAL_KEYS = (
    "kind",
    "type_code",
    "type_name",
    "policy_ref",
    "policy_label",
    "text",
    "res_model",
    "current_value",
    "proposed_value",
    "decisions",
    "avoided",
    "rejected_total",
    "rejected_caught",
    "value_unreviewed",
)


class O2cAdvisorReportProposal(models.TransientModel):
    """One proposal of the advisor on its screen, with its Apply button."""

    _name = "o2c.advisor.report.proposal"
    _description = "O2C Policy-Gap Advisor Proposal"
    _order = "sequence, id"

    report_id = fields.Many2one("o2c.advisor.report", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(readonly=True)
    kind = fields.Selection(PROPOSAL_KINDS, readonly=True)
    type_code = fields.Char(readonly=True)
    type_name = fields.Char(string="Exception Type", readonly=True)
    policy_ref = fields.Char(string="Policy Reference", readonly=True)
    policy_label = fields.Char(string="Policy", readonly=True)
    text = fields.Text(string="Proposal", readonly=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Integer(readonly=True)
    field_name = fields.Char(string="Policy Field", readonly=True)
    current_value = fields.Float(readonly=True)
    proposed_value = fields.Float(readonly=True)
    decisions = fields.Integer(readonly=True)
    avoided = fields.Integer(readonly=True)
    rejected_total = fields.Integer(string="Rejected or Corrected", readonly=True)
    rejected_caught = fields.Integer(string="Still Caught", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    value_unreviewed = fields.Monetary(readonly=True, currency_field="currency_id")

    @api.model
    def _o2c_vals(self, proposal):
        """Values of a line from one proposal of ``o2c.advisor.o2c_proposals``."""
        vals = {key: proposal.get(key) or False for key in PROPOSAL_KEYS}
        vals["res_id"] = proposal.get("res_id") or 0
        vals["field_name"] = proposal.get("field") or False
        vals["currency_id"] = proposal.get("currency_id") or False
        return vals

    def action_apply(self):
        """Hand the proposal, as the advisor computes it now, to the change request.

        The line is the user's transient copy: what is applied is recomputed by
        the server for the same period and policy, never read from the line.
        """
        self.ensure_one()
        if not self.env.user.has_group("o2c_exception_base.group_o2c_manager"):
            raise UserError(self.env._("Only O2C managers apply the advisor's proposals."))
        report = self.report_id
        proposals = self.env["o2c.advisor"].o2c_proposals(
            report.company_ids.ids, report.date_from, report.date_to
        )
        proposal = next(
            (
                p
                for p in proposals
                if p["kind"] == self.kind
                and p["policy_ref"] == (self.policy_ref or False)
                and p.get("res_id", 0) == self.res_id
            ),
            None,
        )
        if not proposal:
            raise UserError(
                self.env._("The history no longer supports this proposal: analyse again.")
            )
        return self.env["o2c.advisor"]._o2c_accept_proposal(proposal)
