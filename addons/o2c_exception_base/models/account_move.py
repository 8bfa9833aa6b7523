# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools
from odoo.exceptions import UserError
from odoo.osv import expression


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "o2c.exception.mixin"]

    _o2c_link_field = "move_id"
    # posting names a draft invoice
    _o2c_name_fields = ("name", "state")
    _o2c_team_field = "team_id"
    _o2c_responsible_field = "invoice_user_id"
    _o2c_guarded_action = "post"
    _o2c_guarded_states = ("posted",)
    _o2c_resume_methods = {"post": "action_post"}
    #: computed from its lines and their reconciliation (a residual written to
    #: zero would lower the customer's exposure, "paid" would hide a debt)
    _o2c_computed_fields = (
        "payment_state",
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "amount_residual",
        "amount_untaxed_signed",
        "amount_untaxed_in_currency_signed",
        "amount_tax_signed",
        "amount_total_signed",
        "amount_total_in_currency_signed",
        "amount_residual_signed",
    )
    _o2c_key_fields = (
        "partner_id",
        "amount_total",
        "invoice_line_ids.product_id",
        "invoice_line_ids.quantity",
        "invoice_line_ids.price_unit",
    )

    def init(self):
        res = super().init()
        # The dashboard counts the posted customer invoices of a period (dispute
        # rate): an index-only scan instead of reading every invoice of the period.
        tools.create_index(
            self.env.cr,
            "account_move_o2c_posted_invoice_date_idx",
            self._table,
            ["invoice_date", "company_id"],
            where="move_type = 'out_invoice' AND state = 'posted'",
        )
        return res

    def action_post(self):
        """Posting goes through the O2C enforcement point first."""
        return self._o2c_hold_or_proceed(
            lambda moves: super(AccountMove, moves).action_post(), "post"
        )

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._o2c_record_billing()
        return posted

    def _invoice_paid_hook(self):
        # Odoo calls it when reconciliation makes invoices paid or in payment
        # (payments, bank matching, zero invoices when posted): payment_state is
        # a stored compute, this is the one place that sees it change
        res = super()._invoice_paid_hook()
        self._o2c_record_billing()
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_posted_invoice_kept(self):
        """Refuse to change what a posted customer invoice bills.

        Odoo's form keeps a posted invoice read-only, but its ORM lets an RPC
        client write the lines' quantities, prices and sale lines: an invoice
        could then bill more than was released, or a sale line count as not
        invoiced and be invoiced again. A correction is a credit note, or the
        invoice reset to draft and posted again (checked again).

        :raise UserError: naming the invoice
        """
        posted = self.filtered(
            lambda move: move.state == "posted" and move.move_type in ("out_invoice", "out_refund")
        )
        if posted:
            raise UserError(
                self.env._(
                    "%(invoices)s is posted: its lines are what the customer was billed. "
                    "Issue a credit note, or reset it to draft to correct it.",
                    invoices=", ".join(posted.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------- STEPS
    def _o2c_step_orders(self):
        return {
            move.id: (move.invoice_line_ids.sale_line_ids.order_id, {"move_id": move.id})
            for move in self
        }

    def _o2c_record_billing(self):
        """Posted or paid customer invoices are steps of their orders."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        if not invoices:
            return
        invoices = invoices.sudo()
        orders = invoices.invoice_line_ids.sale_line_ids.order_id
        if orders:
            orders._o2c_record_billing_steps(invoices)

    def _o2c_exception_document_vals(self):
        result = super()._o2c_exception_document_vals()
        for rec in self:
            orders = rec.invoice_line_ids.sale_line_ids.order_id
            if orders:
                result[rec.id]["sale_order_id"] = orders[0].id
                result[rec.id]["order_class_id"] = orders[0].o2c_order_class_id.id
        return result

    # ---------------------------------------------------------- HOOKS
    @api.model
    def _o2c_disputed_amounts(self, move_ids):
        """Return ``{move id: disputed amount}`` (company currency) for these invoices.

        Hook shared by o2c addons that do not depend on each other: the dispute
        addon fills it, credit control excludes these amounts from overdue checks.
        """
        return {}

    @api.model
    def _o2c_disputed_domain(self):
        """Domain of the invoices that may have a disputed amount (hook, see above).

        Lets a caller narrow :meth:`_o2c_disputed_amounts` to these invoices in
        its own query; none by default.
        """
        return expression.FALSE_DOMAIN
