# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models
from odoo.addons.o2c_exception_base.models.sale_order import QUOTATION_STATES
from odoo.exceptions import UserError

CODE = "expedited_freight"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    #: evidence of the carrier the order was confirmed (and its freight approved)
    #: with: a delivery shipped otherwise is judged against it
    _o2c_governed_fields = ("o2c_freight_carrier_id",)

    # ------------------------------------------------------------ FIELDS
    o2c_freight_carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Carrier at Confirmation",
        readonly=True,
        copy=False,
        help="The shipping method the order was confirmed with, recorded by the server. "
        "A delivery shipped with another, expedited carrier needs a freight approval.",
    )

    # ------------------------------------------------------------ ACTION
    def _action_confirm(self):
        # after the checks, before the deliveries are created
        self._o2c_freight_remember_carrier()
        return super()._action_confirm()

    # ---------------------------------------------------------- BUSINESS
    def _o2c_key_fields_by_code(self):
        # the approval holds for this carrier, shipping address and these amounts
        # (the delivery line included): changing any of them asks again
        keys = (*self._o2c_key_fields, "carrier_id", "partner_shipping_id")
        return {**super()._o2c_key_fields_by_code(), CODE: keys}

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "confirm":
            self._o2c_check_freight()
        return res

    def _o2c_check_freight(self):
        """Raise, refresh or resolve the freight exception of each quotation.

        Quotations without a carrier are neither matched to a policy nor rated.
        """
        quotes = self.filtered(lambda o: o.state in QUOTATION_STATES)
        findings = quotes.filtered("carrier_id")._o2c_freight_findings()
        quotes._o2c_set_exceptions(
            CODE,
            {
                oid: quotes.browse(oid)._o2c_freight_exception_vals(*f)
                for oid, f in findings.items()
            },
            self.env._("The freight is back within the freight policy."),
        )

    def _o2c_freight_findings(self):
        """Return ``{order id: (policy, measure, breaches)}`` of the orders whose
        freight breaks their policy (one policy search for the batch)."""
        if not self:
            return {}
        match = self.env["o2c.freight.policy"]._o2c_get_matcher()
        policies = {order.id: match(order) for order in self}
        governed = self.filtered(lambda o: policies[o.id])
        measures = governed._o2c_freight_measures()
        result = {}
        for order in governed:
            policy, measure = policies[order.id], measures[order.id]
            breaches = policy._o2c_order_breaches(order, measure)
            if breaches:
                result[order.id] = (policy, measure, breaches)
        return result

    def _o2c_freight_measures(self):
        """Return ``{order id: measure}``: the freight figures of each order, in its currency.

        ``carrier``; ``cost``: the carrier's rate of the order before any
        free-shipping rule (Odoo's ``carrier_price``), or what the delivery lines
        charge when the carrier gives no rate (``rated`` False); ``charged``: what
        the delivery lines charge (the whole cost for a carrier invoiced at its
        real cost); ``uncharged``: cost minus charged; ``goods``: untaxed amount
        without the freight lines; ``share``: cost in % of goods (None without goods).
        """
        result = {}
        for order in self:
            currency = order.currency_id
            lines = order.order_line.filtered("is_delivery")
            charged = sum(
                line.price_unit * (1.0 - line.discount / 100.0) * line.product_uom_qty
                for line in lines
            )
            rate = order._o2c_freight_rate(order.carrier_id)
            cost = charged if rate is None else rate
            if order.carrier_id.invoice_policy == "real":
                charged = max(charged, cost)  # invoiced at the real cost once shipped
            goods = order.amount_untaxed - sum(lines.mapped("price_subtotal"))
            has_goods = currency.compare_amounts(goods, 0.0) > 0
            result[order.id] = {
                "carrier": order.carrier_id,
                "cost": currency.round(cost),
                "rated": rate is not None,
                "charged": currency.round(charged),
                "uncharged": currency.round(max(cost - charged, 0.0)),
                "goods": goods,
                "share": cost / goods * 100.0 if has_goods else None,
            }
        return result

    def _o2c_freight_rate(self, carrier):
        """What shipping this order with ``carrier`` costs, as Odoo rates it (the
        wizard's *Cost*: margins applied, before a free-shipping rule), in the
        order's currency; ``None`` when the carrier gives no rate for it."""
        self.ensure_one()
        if not carrier:
            return None
        try:
            rate = carrier.rate_shipment(self)
        except UserError:  # a carrier's API refusing the order: no rate
            return None
        if not rate.get("success"):
            return None
        return float(rate.get("carrier_price", rate["price"]))

    def _o2c_freight_exception_vals(self, policy, measure, breaches):
        """Name, details and value at risk of the freight exception of this order."""
        self.ensure_one()
        currency = self.currency_id
        if measure["rated"]:
            cost_label = self.env._("Freight cost")
        else:  # the carrier gave no rate: the cost is what the delivery lines charge
            cost_label = self.env._("Freight cost (no carrier rate)")
        facts = [
            (self.env._("Carrier"), measure["carrier"].name),
            (cost_label, measure["cost"]),
            (self.env._("Charged to the customer"), measure["charged"]),
            (self.env._("Order untaxed amount without freight"), currency.round(measure["goods"])),
        ]
        return policy._o2c_exception_vals(measure["carrier"], breaches, facts, currency)

    def _o2c_freight_remember_carrier(self):
        """Record the carrier each order is confirmed with (one write per carrier)."""
        by_carrier = defaultdict(list)
        for order in self:
            if order.o2c_freight_carrier_id != order.carrier_id:
                by_carrier[order.carrier_id.id].append(order.id)
        for carrier_id, order_ids in by_carrier.items():
            self.browse(order_ids).sudo()._o2c_owned_write({"o2c_freight_carrier_id": carrier_id})
