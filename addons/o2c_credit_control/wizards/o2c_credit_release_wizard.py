# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.credit_status import CREDIT_CODE


class O2cCreditReleaseWizard(models.TransientModel):
    """Finance releases credit holds: reason, optional expiry date and amount."""

    _name = "o2c.credit.release.wizard"
    _description = "O2C Credit Release Wizard"

    exception_ids = fields.Many2many(
        "o2c.exception",
        string="Credit Holds",
        required=True,
        domain=[("code", "=", CREDIT_CODE), ("state", "=", "open")],
    )
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    reason = fields.Text(required=True)
    expiry_date = fields.Date(
        help="The release lapses if the document is not confirmed or delivered by then."
    )
    amount_cap = fields.Monetary(
        string="Released up to",
        currency_field="currency_id",
        help="Maximum excess covered; 0 = no cap (the release holds while the "
        "document is unchanged).",
    )

    @api.depends("exception_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.exception_ids.company_id[:1] or self.env.company

    @api.constrains("expiry_date", "amount_cap")
    def _check_terms(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.expiry_date and wizard.expiry_date < today:
                raise ValidationError(self.env._("Expiry Date cannot be in the past."))
            if wizard.amount_cap < 0:
                raise ValidationError(self.env._("Released up to cannot be negative."))

    def action_release(self):
        self.ensure_one()
        # read the holds before approving: ``exception_ids`` only lists open holds,
        # so after the approval it reads as empty and the terms were dropped
        holds = self.exception_ids
        holds.action_approve(self.reason)
        # only the releases this approval just made (by this user, still valid)
        releases = holds.filtered(lambda e: e.state == "approved").o2c_credit_release_id.filtered(
            lambda r: r.state == "valid" and r.kind == "manual" and r.user_id == self.env.user
        )
        if releases and (self.expiry_date or self.amount_cap):
            releases._o2c_set_terms(self.expiry_date, self.amount_cap)
        return {"type": "ir.actions.act_window_close"}
