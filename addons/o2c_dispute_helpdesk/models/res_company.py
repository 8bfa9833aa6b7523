# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception_type import MAX_AMOUNT, check_bounds

#: bounds of the company's dispute settings (checked before the ORM rounds them: inf)
DISPUTE_BOUNDS = {"o2c_dispute_approval_amount": (0.0, MAX_AMOUNT)}


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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(self, DISPUTE_BOUNDS, self.env._("company %s", vals.get("name")), vals)
        return super().create(vals_list)

    def write(self, vals):
        where = lambda: self.env._("company %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, DISPUTE_BOUNDS, where, vals)
        return super().write(vals)

    @api.constrains(*DISPUTE_BOUNDS)
    def _check_o2c_dispute_approval_amount(self):
        for company in self:
            check_bounds(company, DISPUTE_BOUNDS, self.env._("company %s", company.name))
