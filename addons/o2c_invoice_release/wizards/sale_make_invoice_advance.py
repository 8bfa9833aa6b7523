# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..governance import current_release_mode, including_unreleased


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    o2c_awaiting_release = fields.Text(
        string="Deliveries Awaiting Release", compute="_compute_o2c_awaiting_release"
    )
    o2c_include_unreleased = fields.Boolean(
        string="Include deliveries awaiting release",
        help="Also bill the delivered quantities whose delivery waits for its proof of "
        "delivery or release. The invoice is then held until a finance approver "
        "approves the override.",
    )
    o2c_release_reason = fields.Text(
        string="Reason for the override",
        help="Why these quantities must be invoiced before their release.",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        # An order whose deliveries wait for their release has nothing "to invoice":
        # the order's button then asks for a down payment. Regular invoice first,
        # which shows what waits and lets finance include it with a reason.
        orders = self.new({"sale_order_ids": res.get("sale_order_ids") or []}).sale_order_ids
        if res.get("advance_payment_method") != "delivered" and any(
            line.o2c_qty_withheld > 0 for line in orders._origin.order_line
        ):
            res["advance_payment_method"] = "delivered"
        return res

    @api.depends("sale_order_ids")
    def _compute_o2c_awaiting_release(self):
        for wizard in self:
            waiting = wizard.sale_order_ids._o2c_deliveries_awaiting_release()
            wizard.o2c_awaiting_release = "\n".join(waiting._o2c_awaiting_release_lines())

    def _create_invoices(self, sale_orders):
        if self.advance_payment_method != "delivered":
            # Down payments: invoiced from the order's values, not from its deliveries.
            invoices = super()._create_invoices(sale_orders)
            invoices.filtered(lambda m: not m.o2c_release_mode).sudo()._o2c_owned_write(
                {"o2c_release_mode": current_release_mode()}
            )
            return invoices
        if not self.o2c_include_unreleased:
            return super()._create_invoices(sale_orders)
        reason = (self.o2c_release_reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give a reason to include deliveries awaiting release (field Reason for "
                    "the override)."
                )
            )
        with including_unreleased():
            invoices = super()._create_invoices(sale_orders)
        invoices._o2c_request_override(reason)
        return invoices
