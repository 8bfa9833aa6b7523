# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _o2c_sync_dispute_exceptions(self, anchors):
        # Every change of a dispute that may open it or raise its amount (creation,
        # state, amount, lines, invoice) goes through here: the invoices' letters
        # still waiting to be sent stop claiming the disputed amount at once.
        res = super()._o2c_sync_dispute_exceptions(anchors)
        move_ids = [res_id for model, res_id in anchors if model == "account.move"]
        if move_ids:
            self.env["credit.control.line"]._o2c_ignore_pending_disputed(move_ids)
        return res
