# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_amount

CODE = "expedited_freight"
DRAFT_STATES = ("draft", "sent", "to approve")


class PurchaseOrder(models.Model):
    """A purchase is governed like an order: its confirmation goes through the
    enforcement point, so an expedited replenishment waits for its approval."""

    _name = "purchase.order"
    _inherit = ["purchase.order", "o2c.exception.mixin"]

    _o2c_responsible_field = "user_id"
    _o2c_guarded_action = "confirm"
    _o2c_guarded_states = ("purchase", "done")
    _o2c_resume_methods = {"confirm": "button_confirm"}
    # the approval holds for these products, quantities and dates
    _o2c_key_fields = (
        "partner_id",
        "order_line.product_id",
        "order_line.product_qty",
        "order_line.date_planned",
    )

    def button_confirm(self):
        return self._o2c_hold_or_proceed(
            lambda orders: super(PurchaseOrder, orders).button_confirm(), "confirm"
        )

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "confirm":
            self._o2c_check_expedited()
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_expedited(self):
        """Raise ``expedited_freight`` on the purchases for customer orders whose
        lines are expected earlier than the vendor's lead time allows."""
        drafts = self.filtered(lambda po: po.state in DRAFT_STATES)
        policies = self.env["o2c.freight.policy"]._o2c_purchase_policies(drafts.company_id)
        customers = drafts._o2c_customer_orders()
        rushed = {}
        for po in drafts.filtered(lambda p: customers.get(p.id)):
            policy = policies[po.company_id.id]
            if policy.approve_expedited_purchases:
                lines = po._o2c_expedited_lines(policy.expedite_tolerance_days)
                if lines:
                    rushed[po.id] = po._o2c_expedited_values(lines, customers[po.id])
        drafts._o2c_set_exceptions(
            CODE, rushed, self.env._("The purchase is expected within the vendor's lead time.")
        )

    def _o2c_customer_orders(self):
        """``{purchase id: sale orders}`` it replenishes: by its moves' destination
        (make to order) or by its source document (the backorder replenishment).
        One search for all the source documents."""
        names = {po.id: {n.strip() for n in (po.origin or "").split(",")} - {""} for po in self}
        found = (
            self.env["sale.order"]
            .sudo()
            .search([("name", "in", list(set().union(*names.values())))])
        )
        result = {}
        for po in self:
            linked = po.order_line.move_dest_ids.sale_line_id.order_id.sudo()
            result[po.id] = linked | found.filtered(lambda so, n=names[po.id]: so.name in n)
        return result

    def _o2c_expedited_lines(self, tolerance):
        """``[(line, lead days, days early)]`` of the lines expected earlier than the
        vendor's lead time (minus ``tolerance`` days) allows, from now."""
        self.ensure_one()
        now = fields.Datetime.now()
        result = []
        for line in self.order_line.filtered(lambda ln: ln.product_id and not ln.display_type):
            seller = line.product_id._select_seller(
                partner_id=self.partner_id, quantity=line.product_qty, uom_id=line.product_uom
            )
            if not seller or not line.date_planned:
                continue  # no lead time known: nothing to compare with
            allowed = now + timedelta(days=seller.delay - tolerance)
            early = (allowed - line.date_planned).days
            if early > 0:
                result.append((line, seller.delay, early))
        return result

    def _o2c_expedited_values(self, lines, customers):
        self.ensure_one()
        _ = self.env._
        amount = sum(line.price_subtotal for line, __, __ in lines)
        cell = Markup("<td>%s</td>")
        rows = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(
                cell % value
                for value in (
                    line.product_id.display_name,
                    fields.Date.to_string(line.date_planned.date()),
                    lead,
                    early,
                )
            )
            for line, lead, early in lines
        )
        head = Markup("").join(
            Markup("<th>%s</th>") % title
            for title in (_("Product"), _("Expected"), _("Lead Time (days)"), _("Days Early"))
        )
        details = Markup(
            '<table class="table table-sm"><thead><tr>%s</tr></thead><tbody>%s</tbody>'
            "</table><p>%s</p>"
        ) % (head, rows, _("Value: %s", format_amount(self.env, amount, self.currency_id)))
        return {
            "name": _(
                "Expedited replenishment for %(orders)s: %(count)s line(s) before the "
                "vendor's lead time",
                orders=", ".join(customers.mapped("name")),
                count=len(lines),
            ),
            "details": details,
            "amount": self.currency_id.round(amount),
        }
