# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

RELEASE_KINDS = [
    ("manual", "By an approver"),
    ("automatic", "By the system"),
]
RELEASE_STATES = [
    ("valid", "Valid"),
    ("expired", "Expired"),
    ("void", "Void"),
]


class O2cCreditRelease(models.Model):
    """One release of a credit hold: who, when, why, and the exposure at that moment."""

    _name = "o2c.credit.release"
    _description = "O2C Credit Release"
    _inherit = ["o2c.governed.mixin"]
    _order = "date desc, id desc"
    _rec_name = "exception_id"
    # A release is a decision and its evidence: only the release action (the
    # approval of a credit hold, the automatic release, the release wizard's
    # amount and expiry) and its end (expiry, reopening) write it.
    _o2c_governed_fields = (
        "exception_id",
        "partner_id",
        "company_id",
        "kind",
        "user_id",
        "triggered_by_id",
        "date",
        "reason",
        "exposure",
        "credit_limit",
        "unlimited",
        "excess",
        "overdue",
        "hold_hours",
        "expiry_date",
        "amount_cap",
        "state",
        "end_date",
        "end_reason",
    )

    # ------------------------------------------------------------ FIELDS
    exception_id = fields.Many2one(
        "o2c.exception", required=True, index=True, ondelete="restrict", readonly=True
    )
    sale_order_id = fields.Many2one(
        related="exception_id.sale_order_id", store=True, index=True, string="Sales Order"
    )
    picking_id = fields.Many2one(related="exception_id.picking_id", store=True)
    res_name = fields.Char(related="exception_id.res_name", string="Document")
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(RELEASE_KINDS, required=True, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Released By", required=True, index=True, readonly=True
    )
    triggered_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        help="For a release by the system: whose action (payment, credit note, "
        "new terms) made the order fit.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    reason = fields.Text(required=True, readonly=True)
    exposure = fields.Monetary(
        string="Exposure at Release", currency_field="currency_id", readonly=True
    )
    credit_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    unlimited = fields.Boolean(string="Unlimited Credit", readonly=True)
    excess = fields.Monetary(
        string="Excess at Release", currency_field="currency_id", readonly=True
    )
    overdue = fields.Monetary(
        string="Overdue beyond Tolerance", currency_field="currency_id", readonly=True
    )
    hold_hours = fields.Float(
        string="Time on Hold (h)",
        readonly=True,
        aggregator="avg",
        help="Hours from the hold to this release.",
    )
    expiry_date = fields.Date(
        help="The release lapses if the document is not done by then (the hold reopens)."
    )
    amount_cap = fields.Monetary(
        string="Released up to",
        currency_field="currency_id",
        help="Maximum excess covered: if the excess grows beyond it (other orders, "
        "new invoices), the hold reopens. 0 = no cap: the release holds while the "
        "document is unchanged.",
    )
    state = fields.Selection(
        RELEASE_STATES, default="valid", required=True, index=True, readonly=True
    )
    end_date = fields.Datetime(readonly=True)
    end_reason = fields.Text(readonly=True)

    # -------------------------------------------------------------- CRUD
    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Credit releases are part of the audit trail and cannot be deleted.")
        )

    # ---------------------------------------------------------- BUSINESS
    def _o2c_end(self, state, reason):
        """Close valid releases (``expired`` or ``void``) with the reason."""
        valid = self.filtered(lambda r: r.state == "valid")
        if valid:
            valid.sudo()._o2c_owned_write(
                {"state": state, "end_date": fields.Datetime.now(), "end_reason": reason}
            )
        return valid

    def _o2c_set_terms(self, expiry_date, amount_cap):
        """The release action's own limits (expiry, amount), set by whoever just released.

        Called by the release wizard right after the approval that created these
        releases; the approval checked who may release.
        """
        if self:
            self.sudo()._o2c_owned_write({"expiry_date": expiry_date, "amount_cap": amount_cap})
