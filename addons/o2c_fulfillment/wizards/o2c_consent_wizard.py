# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.stock_picking import CONSENT_CHANNELS


class O2cConsentWizard(models.TransientModel):
    """Record that the customer agreed to the substitution on a delivery."""

    _name = "o2c.consent.wizard"
    _description = "Record Customer Consent"

    picking_id = fields.Many2one("stock.picking", required=True, readonly=True)
    contact = fields.Char(string="Given By", required=True, help="Who agreed at the customer.")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    channel = fields.Selection(
        [c for c in CONSENT_CHANNELS if c[0] != "portal"],
        string="Given Through",
        required=True,
        default="phone",
        help="Only the customer answering on the portal records a portal consent.",
    )
    note = fields.Text(help="What the customer agreed to.")

    def action_confirm(self):
        self.ensure_one()
        if not (self.contact or "").strip():
            raise UserError(self.env._("Tell who gave the consent (field Given By)."))
        if self.channel == "portal":
            raise UserError(
                self.env._("A portal consent is the customer's own (field Given Through).")
            )
        if self.date > fields.Datetime.now():
            raise UserError(self.env._("The consent cannot be in the future (field Date)."))
        picking = self.picking_id
        if picking.picking_type_code != "outgoing" or picking.state == "cancel":
            raise UserError(
                self.env._(
                    "Customer consent is recorded on a customer delivery that is not "
                    "cancelled (%s).",
                    picking.display_name,
                )
            )
        # The consent is evidence: written by this action only, with the current
        # user as "recorded by" (the write keeps the user's own access rights).
        picking._o2c_owned_write(
            {
                "o2c_consent_date": self.date,
                "o2c_consent_contact": self.contact.strip(),
                "o2c_consent_user_id": self.env.user.id,
                "o2c_consent_note": self.note,
                "o2c_consent_channel": self.channel,
            }
        )
        picking._message_log(
            body=Markup("<b>%s</b> %s<br/>%s")
            % (
                self.env._("Customer consent to the substitution:"),
                self.env._(
                    "%(contact)s on %(date)s (%(channel)s), recorded by %(user)s",
                    contact=self.contact,
                    date=self.date,
                    channel=dict(CONSENT_CHANNELS)[self.channel],
                    user=self.env.user.name,
                ),
                self.note or "",
            )
        )
        if picking.sale_id:
            picking.sale_id._message_log(
                body=self.env._(
                    "%(picking)s: customer consent to the substitution given by %(contact)s.",
                    picking=picking.name,
                    contact=self.contact,
                )
            )
        return {"type": "ir.actions.act_window_close"}
