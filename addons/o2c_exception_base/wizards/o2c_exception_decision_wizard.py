# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

DECISIONS = [
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("resolve", "Resolve"),
    ("cancel", "Cancel"),
]


class O2cExceptionDecisionWizard(models.TransientModel):
    _name = "o2c.exception.decision.wizard"
    _description = "O2C Exception Decision"

    exception_ids = fields.Many2many("o2c.exception", string="Exceptions", required=True)
    decision = fields.Selection(DECISIONS, required=True, default="approve")
    reason = fields.Text(help="Required to reject, resolve or cancel; optional to approve.")

    def action_confirm(self):
        self.ensure_one()
        # Whitelisted dispatch: the decision is a Selection, never a free method name.
        method = {
            "approve": "action_approve",
            "reject": "action_reject",
            "resolve": "action_resolve",
            "cancel": "action_cancel",
        }[self.decision]
        getattr(self.exception_ids, method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
