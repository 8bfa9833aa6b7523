# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class O2cExceptionApproval(models.Model):
    """One approver's decision on an exception: who, when, why, on what."""

    _name = "o2c.exception.approval"
    _description = "O2C Exception Approval"
    _order = "date desc, id desc"

    exception_id = fields.Many2one("o2c.exception", required=True, index=True, ondelete="restrict")
    user_id = fields.Many2one(
        "res.users", string="Approver", required=True, index=True, ondelete="restrict"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    reason = fields.Text(required=True)
    key_hash = fields.Char(
        string="Document Snapshot",
        help="Fingerprint of the document's key values when it was approved.",
    )
    company_id = fields.Many2one(related="exception_id.company_id", store=True)
    active = fields.Boolean(
        default=True,
        help="Archived when the approved document changed afterwards: the "
        "approval no longer counts but stays in the audit trail.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Approvals are part of the audit trail and cannot be deleted."))
