# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class O2cDeliveryProofRejectWizard(models.TransientModel):
    _name = "o2c.delivery.proof.reject.wizard"
    _description = "Reject Proofs of Delivery"

    proof_ids = fields.Many2many("o2c.delivery.proof", string="Proofs of Delivery", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.proof_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
