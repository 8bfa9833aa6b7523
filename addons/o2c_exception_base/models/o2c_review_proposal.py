# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

DECISIONS = [("accept", "Accept"), ("reject", "Reject"), ("defer", "Defer")]
#: decisions that must say why
DECISIONS_WITH_NOTE = ("reject", "defer")


class O2cReviewProposal(models.Model):
    """A policy change the advisor proposes in a monthly review, and the board's decision.

    The proposal and its numbers are the advisor's evidence; the decision
    (accept, reject or defer, why, who, when) is written only by the decision
    buttons, through a dialog asking the note (required to reject or defer).
    """

    _name = "o2c.review.proposal"
    _description = "O2C Monthly Review Proposal"
    _inherit = ["o2c.governed.mixin"]
    _order = "review_id, sequence, id"
    _o2c_governed_fields = (
        "review_id",
        "sequence",
        "kind",
        "type_code",
        "type_name",
        "policy_ref",
        "policy_label",
        "text",
        "res_model",
        "res_id",
        "field_name",
        "current_value",
        "proposed_value",
        "decisions",
        "avoided",
        "rejected_total",
        "rejected_caught",
        "value_unreviewed",
        "decision",
        "decision_note",
        "decided_by_id",
        "decision_date",
    )

    # ------------------------------------------------------------ FIELDS
    review_id = fields.Many2one("o2c.review", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="review_id.currency_id")
    review_state = fields.Selection(related="review_id.state", string="Review Status")
    sequence = fields.Integer(default=10)
    kind = fields.Char(readonly=True, help="What the advisor proposes (e.g. relax_limit).")
    type_code = fields.Char(string="Exception Type Code", readonly=True)
    type_name = fields.Char(string="Exception Type", readonly=True)
    policy_ref = fields.Char(string="Policy Reference", readonly=True)
    policy_label = fields.Char(string="Policy", readonly=True)
    text = fields.Text(string="Proposal", readonly=True)
    res_model = fields.Char(string="Policy Model", readonly=True)
    res_id = fields.Many2oneReference(string="Policy ID", model_field="res_model", readonly=True)
    field_name = fields.Char(string="Policy Field", readonly=True)
    current_value = fields.Float(readonly=True)
    proposed_value = fields.Float(readonly=True)
    decisions = fields.Integer(readonly=True, help="Decisions taken on the policy's exceptions.")
    avoided = fields.Integer(readonly=True, help="Exceptions the proposed value would not raise.")
    rejected_total = fields.Integer(string="Rejected", readonly=True)
    rejected_caught = fields.Integer(
        string="Rejected Still Caught",
        readonly=True,
        help="Rejected exceptions the proposed value would still raise.",
    )
    value_unreviewed = fields.Monetary(
        readonly=True,
        help="Value that would no longer be reviewed with the proposed value.",
    )
    decision = fields.Selection(DECISIONS, readonly=True, index=True)
    decision_note = fields.Text(readonly=True, help="Why the board decided so.")
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)

    # -------------------------------------------------------------- CRUD
    @api.ondelete(at_uninstall=False)
    def _unlink_only_undecided_drafts(self):
        # the engine replaces the proposals of a draft review when it refreshes it
        if any(rec.decision or rec.review_id.state != "draft" for rec in self):
            raise UserError(
                self.env._("The proposals of a review under way are part of its record.")
            )

    # ------------------------------------------------------------ ACTION
    def action_accept(self):
        return self._o2c_open_decision("accept")

    def action_reject(self):
        return self._o2c_open_decision("reject")

    def action_defer(self):
        return self._o2c_open_decision("defer")

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_vals_from_advisor(self, sequence, proposal):
        """Values of a proposal line from one proposal dict of ``o2c.advisor``."""
        vals = {
            "sequence": sequence,
            "kind": proposal.get("kind"),
            "type_code": proposal.get("type_code"),
            "type_name": proposal.get("type_name"),
            "policy_ref": proposal.get("policy_ref"),
            "policy_label": proposal.get("policy_label"),
            "text": proposal.get("text"),
            "res_model": proposal.get("res_model"),
            "res_id": proposal.get("res_id") or 0,
            "field_name": proposal.get("field"),
        }
        for fname in ("current_value", "proposed_value", "value_unreviewed"):
            vals[fname] = float(proposal.get(fname) or 0.0)
        for fname in ("decisions", "avoided", "rejected_total", "rejected_caught"):
            vals[fname] = int(proposal.get(fname) or 0)
        return vals

    def _o2c_open_decision(self, decision):
        """The dialog asking the note of ``decision`` (it decides when confirmed)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide the proposal"),
            "res_model": "o2c.review.proposal.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_proposal_id": self.id, "default_decision": decision},
        }

    def _o2c_decide(self, decision, note=None):
        """Record the current user's ``decision`` on these proposals, with ``note``.

        The proposals are locked first: two people deciding at once are
        serialized and the second finds the proposal decided.
        """
        note = (note or "").strip()
        self._o2c_lock()
        self._o2c_check_can_decide(decision, note)
        self.sudo()._o2c_owned_write(
            {
                "decision": decision,
                "decision_note": note,
                "decided_by_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        self._o2c_log_decision(decision, note)
        if decision == "accept" and len(self) == 1 and self.kind == "relax_limit":
            return self._o2c_request_accepted_change()
        return True

    def _o2c_request_accepted_change(self):
        """The board accepted a new limit: request it as a governed change (it
        applies once someone else approves it) when the decider may change the
        policy; otherwise the decision is recorded for a manager to request."""
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record or not record.has_access("write"):
            return True
        return self.env["o2c.advisor"]._o2c_accept_proposal(self._o2c_as_proposal())

    def _o2c_as_proposal(self):
        """This line as the advisor's proposal dict (what accepting it changes)."""
        self.ensure_one()
        return {
            "kind": self.kind,
            "res_model": self.res_model,
            "res_id": self.res_id,
            "field": self.field_name,
            "proposed_value": self.proposed_value,
            "text": self.text,
        }

    def _o2c_lock(self):
        self.env.cr.execute(
            SQL("SELECT id FROM o2c_review_proposal WHERE id IN %s FOR UPDATE", tuple(self.ids))
        )
        self.invalidate_recordset(["decision"])

    def _o2c_check_can_decide(self, decision, note):
        """Approvers and managers decide the proposals of a review in review, once each."""
        if not self.env.user.has_group("o2c_exception_base.group_o2c_approver"):
            raise UserError(self.env._("Only O2C approvers and managers decide proposals."))
        self.check_access("read")  # their company's reviews only
        if decision not in dict(DECISIONS):
            raise UserError(self.env._("Decision must be one of accept, reject or defer."))
        if decision in DECISIONS_WITH_NOTE and not note:
            raise UserError(self.env._("Decision Note: say why you reject or defer a proposal."))
        for rec in self:
            if rec.review_id.state != "in_review":
                raise UserError(
                    self.env._(
                        "The proposals of %s are decided while it is in review.",
                        rec.review_id.display_name,
                    )
                )
            if rec.decision:
                raise UserError(self.env._("This proposal is already decided: %s", rec.text))

    def _o2c_log_decision(self, decision, note):
        label = {
            "accept": self.env._("accepted"),
            "reject": self.env._("rejected"),
            "defer": self.env._("deferred"),
        }[decision]
        suffix = " (%s)" % note if note else ""
        for rec in self:
            rec.review_id.message_post(
                body=self.env._(
                    "Proposal %(decision)s by %(user)s: %(text)s%(note)s",
                    decision=label,
                    user=self.env.user.name,
                    text=rec.text or rec.policy_label or "",
                    note=suffix,
                ),
                subtype_xmlid="mail.mt_note",
            )
