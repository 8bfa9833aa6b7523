# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

USAGES = [
    ("short_pick", "Short pick"),
    ("backorder_cancel", "Backorder cancellation"),
]


class O2cReasonCode(models.Model):
    """Configurable reasons the warehouse must give for fulfillment decisions."""

    _name = "o2c.reason.code"
    _description = "O2C Fulfillment Reason Code"
    _order = "usage, sequence, id"

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    usage = fields.Selection(USAGES, required=True, index=True)
    sequence = fields.Integer(default=10)
    note_required = fields.Boolean(
        help='The user must also explain the decision in a free note (e.g. "Other").'
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: available to every company."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_usage_company_uniq",
            "unique(code, usage, company_id)",
            "A reason code must be unique per usage and company.",
        ),
    ]

    # -------------------------------------------------------------- CRUD
    @api.ondelete(at_uninstall=False)
    def _unlink_if_unused(self):
        used = (
            self.env["o2c.exception"]
            .sudo()
            .search_count([("o2c_reason_code_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._("Reason codes used by exceptions cannot be deleted: archive them.")
            )

    # ---------------------------------------------------------- BUSINESS
    def _o2c_validate(self, usage, note, field_label, note_label):
        """Raise unless this is one active reason of ``usage`` with its required note."""
        if len(self) != 1 or self.usage != usage or not self.active:
            raise UserError(
                self.env._(
                    "%(reason)s is not a valid %(usage)s reason (field %(field)s).",
                    reason=", ".join(self.mapped("name")) or "-",
                    usage=dict(USAGES)[usage],
                    field=field_label,
                )
            )
        if self.note_required and not (note or "").strip():
            raise UserError(
                self.env._(
                    "Reason %(reason)s needs an explanation (field %(field)s).",
                    reason=self.name,
                    field=note_label,
                )
            )
