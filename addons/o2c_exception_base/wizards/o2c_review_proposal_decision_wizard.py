# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.o2c_review_proposal import DECISIONS


class O2cReviewProposalDecisionWizard(models.TransientModel):
    """Ask the note of a decision on a review's proposal, then record it."""

    _name = "o2c.review.proposal.decision.wizard"
    _description = "O2C Decide a Review Proposal"

    proposal_id = fields.Many2one("o2c.review.proposal", required=True, ondelete="cascade")
    text = fields.Text(related="proposal_id.text", string="Proposed Change")
    decision = fields.Selection(DECISIONS, required=True)
    note = fields.Text(help="Why: required to reject or defer.")

    def action_confirm(self):
        """Record the decision (the proposal checks who, when and the note); an
        accepted new limit opens its change request."""
        self.ensure_one()
        action = self.proposal_id._o2c_decide(self.decision, self.note)
        return action if isinstance(action, dict) else {"type": "ir.actions.act_window_close"}
