# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class O2cExceptionApproval(models.Model):
    """One approver's decision on an exception: who, when, why, on what."""

    _name = "o2c.exception.approval"
    _inherit = ["o2c.governed.mixin"]
    _description = "O2C Exception Approval"
    _order = "date desc, id desc"
    # written by the approve action only, archived by the engine only
    _o2c_governed_fields = (
        "exception_id",
        "user_id",
        "date",
        "reason",
        "key_hash",
        "root_cause_id",
        "active",
    )

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
    root_cause_id = fields.Many2one(
        "o2c.root.cause",
        ondelete="restrict",
        help="Why it happened, according to this approver (optional when approving).",
    )
    company_id = fields.Many2one(related="exception_id.company_id", store=True)
    active = fields.Boolean(
        default=True,
        help="Archived when the approved document changed afterwards: the "
        "approval no longer counts but stays in the audit trail.",
    )

    def init(self):
        # One person counts once per exception: a second live approval of the
        # same user is refused by the database, whatever the path.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS o2c_exception_approval_one_per_user_idx "
                "ON o2c_exception_approval (exception_id, user_id) WHERE active"
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Approvals are part of the audit trail and cannot be deleted."))
