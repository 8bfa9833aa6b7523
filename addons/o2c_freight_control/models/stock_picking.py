# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .sale_order import CODE


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # ---------------------------------------------------------- BUSINESS
    def _o2c_key_fields_by_code(self):
        # the approval holds for this carrier and shipping cost: changing either asks again
        return {**super()._o2c_key_fields_by_code(), CODE: ("carrier_id", "carrier_price")}

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "validate":
            self._o2c_check_freight()
        return res

    def _o2c_check_freight(self):
        """Raise, refresh or resolve the freight exception of each delivery validated.

        Transfers of sale orders shipped with a carrier only: the customer's
        deliveries, and the internal transfers replenishing them (a resupply
        between warehouses sent express is an expedited replenishment). The
        orders are read as the system (the warehouse validates transfers of
        orders it may not read, as in Odoo).
        """
        todo = self.filtered(lambda p: p.state not in ("done", "cancel"))
        shipped = todo.filtered(
            lambda p: p.picking_type_code in ("outgoing", "internal") and p.carrier_id
        )
        findings = shipped.sudo()._o2c_freight_findings()
        todo._o2c_set_exceptions(
            CODE,
            {pid: todo.browse(pid)._o2c_freight_exception_vals(*f) for pid, f in findings.items()},
            self.env._("The delivery's freight is within the freight policy."),
        )

    def _o2c_freight_findings(self):
        """Return ``{picking id: (policy, measure, breaches)}`` of the deliveries
        whose freight breaks the policy of their order (one policy search)."""
        deliveries = self.filtered("sale_id")
        if not deliveries:
            return {}
        match = self.env["o2c.freight.policy"]._o2c_get_matcher()
        result = {}
        for picking in deliveries:
            order = picking.sale_id
            policy = match(order)
            if not policy:
                continue
            measure = picking._o2c_freight_measure(policy)
            breaches = policy._o2c_delivery_breaches(order, measure)
            if breaches:
                result[picking.id] = (policy, measure, breaches)
        return result

    def _o2c_freight_measure(self, policy):
        """The freight figures of this delivery, in its order's currency.

        ``carrier``; ``planned``: the carrier the order was confirmed with;
        ``carrier_price``: the delivery's shipping cost; for a switch to an
        expedited carrier the policy approves, ``cost`` (the shipping cost, else
        the new carrier's rate of the order) and ``planned_cost`` (the planned
        carrier's rate); rated only then: other deliveries cost no rating.
        """
        self.ensure_one()
        order = self.sale_id
        carrier = self.carrier_id
        planned = order.o2c_freight_carrier_id
        measure = {
            "carrier": carrier,
            "planned": planned,
            "carrier_price": self.carrier_price,
            "cost": 0.0,
            "planned_cost": 0.0,
        }
        if policy.approve_expedited and carrier.o2c_expedited and carrier != planned:
            measure["cost"] = self.carrier_price or order._o2c_freight_rate(carrier) or 0.0
            measure["planned_cost"] = order._o2c_freight_rate(planned) or 0.0
        return measure

    def _o2c_freight_exception_vals(self, policy, measure, breaches):
        """Name, details and value at risk of the freight exception of this delivery."""
        self.ensure_one()
        order = self.sudo().sale_id
        currency = order.currency_id
        facts = [
            (self.env._("Order"), order.name),
            (self.env._("Carrier at confirmation"), measure["planned"].name or self.env._("none")),
            (self.env._("Carrier of the delivery"), measure["carrier"].name),
            (self.env._("Shipping cost"), float(measure["carrier_price"])),
        ]
        return policy._o2c_exception_vals(measure["carrier"], breaches, facts, currency)
