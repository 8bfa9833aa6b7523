# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception import HOLDING_STATES, LIVE_STATES
from odoo.addons.o2c_exception_base.models.sale_order import QUOTATION_STATES

from .credit_status import CREDIT_CODE, CreditRequest

#: a credit release is bound to the order as it stands: customer and amount
CREDIT_KEY_FIELDS = ("partner_id.commercial_partner_id", "amount_total", "currency_id")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    #: computed from the order's credit exceptions
    _o2c_computed_fields = ("o2c_credit_hold",)

    # ------------------------------------------------------------ FIELDS
    o2c_credit_hold = fields.Boolean(
        string="Credit Hold",
        compute="_compute_o2c_credit_hold",
        store=True,
        index=True,
        copy=False,
        compute_sudo=True,
        help="A credit hold (exposure over limit or overdue invoices) waits for " "finance.",
    )

    #: the hold as a badge in lists (a boolean column reads like a switch)
    o2c_credit_badge = fields.Char(string="Credit", compute="_compute_o2c_credit_badge")

    # ----------------------------------------------------------- COMPUTE
    @api.depends("o2c_credit_hold")
    def _compute_o2c_credit_badge(self):
        label = self.env._("Credit hold")
        for order in self:
            order.o2c_credit_badge = label if order.o2c_credit_hold else False

    @api.depends(
        "o2c_exception_ids.state",
        "o2c_exception_ids.code",
        "o2c_exception_ids.blocking",
        "o2c_exception_ids.active",
    )
    def _compute_o2c_credit_hold(self):
        for order in self:
            order.o2c_credit_hold = any(
                e.code == CREDIT_CODE and e.blocking and e.state in HOLDING_STATES
                for e in order.o2c_exception_ids
            )

    @api.depends("company_id", "partner_id", "amount_total")
    def _compute_partner_credit_warning(self):
        # Where O2C checks credit, the banner tells O2C's story (the same limit,
        # exposure and tolerance as the hold); Odoo's own reckoning (receivables
        # and orders, no tolerance, no disputes) would contradict it.
        res = super()._compute_partner_credit_warning()
        checked = self.filtered(
            lambda o: o.partner_id and o.company_id.o2c_credit_check and o.state in QUOTATION_STATES
        )
        results = self.env["res.partner"]._o2c_credit_evaluate(
            checked.sudo()._o2c_credit_requests()
        )
        for order in checked:
            status = results.get(order.id)
            order.partner_credit_warning = (
                self.env._(
                    "%(customer)s: %(reasons)s",
                    customer=order.partner_id.commercial_partner_id.name,
                    reasons=order._o2c_credit_reasons(status),
                )
                if status and status.hold
                else ""
            )
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_key_fields_by_code(self):
        return {**super()._o2c_key_fields_by_code(), CREDIT_CODE: CREDIT_KEY_FIELDS}

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "confirm":
            self._o2c_credit_pending()._o2c_credit_check()
        return res

    def _o2c_credit_pending(self):
        return self.filtered(lambda o: o.state in QUOTATION_STATES)

    def _o2c_credit_held_classes(self):
        """``{order id: order class}`` the live credit hold of each held order was raised with.

        A held order keeps that class's credit policy: editing the order into a
        class whose policy is *warn* does not release its hold.
        """
        ids = [o._origin.id for o in self if o._origin.id and o.o2c_has_live_exception]
        if not ids:
            return {}
        Exception_ = self.env["o2c.exception"].sudo()
        holds = Exception_.search_fetch(
            [
                *Exception_._o2c_credit_own_domain(),
                ("res_model", "=", "sale.order"),
                ("res_id", "in", ids),
                ("state", "in", list(LIVE_STATES)),
            ],
            ["res_id", "order_class_id"],
        )
        return {hold.res_id: hold.order_class_id for hold in holds}

    def _o2c_credit_requests(self):
        """Orders not cancelled of companies with credit control; a quotation adds its total."""
        today = fields.Date.context_today(self)
        held_classes = self._o2c_credit_held_classes()
        requests = []
        for order in self.sorted(lambda o: o._origin.id or 0):
            company = order.company_id
            if not company.o2c_credit_check or order.state == "cancel" or not order.partner_id:
                continue
            amount = 0.0
            if order.state in QUOTATION_STATES:
                amount = order.currency_id._convert(
                    order.amount_total, company.currency_id, company, today
                )
            order_class = held_classes.get(order._origin.id, order.o2c_order_class_id)
            requests.append(
                CreditRequest(
                    order.id,
                    order.partner_id.commercial_partner_id,
                    company,
                    amount,
                    order_class.o2c_credit_policy or None,
                )
            )
        return requests
