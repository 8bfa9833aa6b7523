# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_dispute_approval_amount = fields.Monetary(
        string="Dispute Approval Limit",
        currency_field="currency_id",
        default=500.0,
        help="A credit note, return refund or write-off of a dispute above this amount "
        "(company currency, taxes included) needs an approver's decision.",
    )
    o2c_dispute_writeoff_account_id = fields.Many2one(
        "account.account",
        string="Dispute Write-off Account",
        help="Expense account debited when a disputed amount is written off.",
    )
    o2c_dispute_writeoff_journal_id = fields.Many2one(
        "account.journal",
        string="Dispute Write-off Journal",
        help="Miscellaneous journal of the write-off entries. Empty: the first one.",
    )
    o2c_dispute_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Dispute Team",
        help="Helpdesk team that receives new disputes (from documents, the portal "
        "and rejected proofs of delivery).",
    )

    @api.constrains("o2c_dispute_approval_amount")
    def _check_o2c_dispute_approval_amount(self):
        for company in self:
            if company.o2c_dispute_approval_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Company %s: the Dispute Approval Limit cannot be negative.", company.name
                    )
                )
