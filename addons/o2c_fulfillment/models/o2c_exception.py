# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

# Exception codes raised on transfers whose decisions the sales order must show too.
#: the exception codes of this addon
BACKORDER = "backorder"
SUBSTITUTION = "substitution"
SHORT_PICK = "short_pick"
SPLIT_SHIPMENT = "split_shipment"
PICKING_CODES = (SUBSTITUTION, SHORT_PICK, SPLIT_SHIPMENT)


class O2cException(models.Model):
    _inherit = "o2c.exception"

    #: what is missing and the reason given: raised with the exception by the engine
    _o2c_governed_fields = ("o2c_missing_qty", "o2c_reason_code_id", "o2c_late")

    # ------------------------------------------------------------ FIELDS
    o2c_missing_qty = fields.Float(
        string="Missing Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        help="Backorders and short picks: quantity not shipped (product units).",
    )
    o2c_reason_code_id = fields.Many2one(
        "o2c.reason.code",
        string="Reason Code",
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    o2c_late = fields.Boolean(
        string="Late",
        readonly=True,
        tracking=True,
        help="Backorders: the promised date is later than the date committed to the " "customer.",
    )
    o2c_promised_date = fields.Datetime(
        related="sale_order_id.o2c_promised_date", string="Promised Date"
    )
    o2c_age_days = fields.Integer(
        string="Age (days)",
        compute="_compute_o2c_age_days",
        help="Days since the exception was raised.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("request_date")
    def _compute_o2c_age_days(self):
        now = fields.Datetime.now()
        for rec in self:
            rec.o2c_age_days = (now - rec.request_date).days if rec.request_date else 0

    # ---------------------------------------------------------- BUSINESS
    def _check_can_decide(self, action):
        res = super()._check_can_decide(action)
        if action == "approve":
            self._o2c_check_consent()
        return res

    def _o2c_check_consent(self):
        """A substitution for a customer who must consent waits for the consent."""
        pickings = self.filtered(
            lambda e: e.code == SUBSTITUTION and e.res_model == "stock.picking"
        ).mapped("picking_id")
        missing = pickings.filtered(lambda p: p.o2c_consent_required and not p.o2c_consent_date)
        if missing:
            raise UserError(
                self.env._(
                    "Customer %(partner)s must consent to substitutions: record the consent "
                    "on %(picking)s first (button Record Consent, field Consent Date).",
                    partner=missing[0].partner_id.commercial_partner_id.name,
                    picking=missing[0].name,
                )
            )

    def _log_on_documents(self, body_fn):
        """Decisions on a transfer's substitution or short pick also show on its order."""
        res = super()._log_on_documents(body_fn)
        on_orders = self.filtered(
            lambda e: e.res_model == "stock.picking" and e.code in PICKING_CODES and e.sale_order_id
        )
        by_order = {}
        for rec in on_orders:
            by_order.setdefault(rec.sale_order_id, []).append(rec)
        if by_order:
            orders = self.env["sale.order"].sudo().browse([o.id for o in by_order])
            orders._message_log_batch(
                bodies={
                    order.id: Markup("<br/>").join(
                        Markup("%s: %s") % (rec.res_name, body_fn(rec)) for rec in excs
                    )
                    for order, excs in by_order.items()
                }
            )
        return res
