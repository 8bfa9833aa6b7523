# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

DECISIONS = [
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("resolve", "Resolve"),
    ("cancel", "Cancel"),
]
#: decisions whose root cause the decider must choose (no default prefilled)
ROOT_CAUSE_CHOSEN = ("reject", "resolve")


class O2cExceptionDecisionWizard(models.TransientModel):
    _name = "o2c.exception.decision.wizard"
    _description = "O2C Exception Decision"

    exception_ids = fields.Many2many("o2c.exception", string="Exceptions", required=True)
    decision = fields.Selection(DECISIONS, required=True, default="approve")
    reason = fields.Text(help="Required to reject, resolve or cancel; optional to approve.")
    root_cause_id = fields.Many2one(
        "o2c.root.cause",
        compute="_compute_root_cause_id",
        store=True,
        readonly=False,
        help="Why it happened. Required to reject or resolve; to approve or cancel, the "
        "default of the exceptions' type is prefilled (empty: each takes its own).",
    )

    @api.depends("decision", "exception_ids")
    def _compute_root_cause_id(self):
        for wizard in self:
            if wizard.decision in ROOT_CAUSE_CHOSEN:
                # the decider says why: no prefilled answer to confirm blindly
                wizard.root_cause_id = False
                continue
            # the one the exceptions have (a cancelled approval keeps it), else the default
            exceptions = wizard.exception_ids
            defaults = exceptions._o2c_default_root_causes()
            causes = {exc.root_cause_id or defaults[exc.id] for exc in exceptions}
            wizard.root_cause_id = causes.pop() if len(causes) == 1 else False

    def action_confirm(self):
        self.ensure_one()
        # Whitelisted dispatch: the decision is a Selection, never a free method name.
        method = {
            "approve": "action_approve",
            "reject": "action_reject",
            "resolve": "action_resolve",
            "cancel": "action_cancel",
        }[self.decision]
        getattr(self.exception_ids, method)(self.reason, root_cause_id=self.root_cause_id.id)
        return {"type": "ir.actions.act_window_close"}
