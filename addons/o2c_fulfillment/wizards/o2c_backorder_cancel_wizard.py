# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class O2cBackorderCancelWizard(models.TransientModel):
    """Cancel customer backorders with a reason code (settles their exception)."""

    _name = "o2c.backorder.cancel.wizard"
    _description = "Cancel Backorder"

    picking_ids = fields.Many2many("stock.picking", string="Backorders", required=True)
    reason_id = fields.Many2one(
        "o2c.reason.code",
        string="Cancellation Reason",
        required=True,
        domain=[("usage", "=", "backorder_cancel")],
    )
    note = fields.Text(string="Cancellation Note")

    def action_confirm(self):
        self.ensure_one()
        self.picking_ids.with_context(
            o2c_cancel_reason_id=self.reason_id.id, o2c_cancel_note=self.note
        ).action_cancel()
        return {"type": "ir.actions.act_window_close"}
