# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.stock.models.stock_rule import ProcurementException
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..governance import planning
from ..tools import fmt_qty

_logger = logging.getLogger(__name__)

COMMUNICATION_RANK = {"none": 0, "activity": 1, "auto": 2}


class O2cFulfillmentPlanner(models.AbstractModel):
    """Applies the fulfillment policies to backordered moves.

    Replenishment, promised date and customer communication, in this order,
    each in one batch over all the moves.
    """

    _name = "o2c.fulfillment.planner"
    _description = "O2C Backorder Planner"

    @api.model
    def _plan(self, moves):
        """Apply the policy of each move's company and product category."""
        # browse the ids again: a prefetch set inherited from an invalidated x2many
        # would load the moves one by one
        moves = (
            self.env["stock.move"]
            .sudo()
            .browse(moves.ids)
            .filtered(lambda m: m.state not in ("done", "cancel") and m.picking_id.sale_id)
        )
        if not moves:
            return
        policy_of = self._policies(moves)
        notes = defaultdict(list)
        with planning():
            self._replenish(moves.filtered(lambda m: policy_of[m.id].replenish), notes)
            promised = self._promise(
                moves.filtered(lambda m: policy_of[m.id].recompute_promised_date), policy_of
            )
        self._communicate(moves, policy_of, promised)
        moves.picking_id.sale_id._o2c_log(notes)

    @api.model
    def _policies(self, moves):
        """``{move id: fulfillment policy}`` (one search for all the moves)."""
        match = self.env["o2c.fulfillment.policy"]._o2c_get_matcher()
        return {
            m.id: match(
                m.company_id, m.product_id.categ_id, m.sale_line_id.order_id.o2c_order_class_id
            )
            for m in moves
        }

    @api.model
    def _o2c_supply_dates_moved(self, products, warehouses):
        """Hook for supply addons: the expected arrival of ``products`` in
        ``warehouses`` moved. The backordered orders waiting for them get a new
        promised date (their customers hear of it, a late one alerts sales)."""
        if not products or not warehouses:
            return
        waiting = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("product_id", "in", products.ids),
                    ("picking_type_id.warehouse_id", "in", warehouses.ids),
                    ("picking_code", "=", "outgoing"),
                    ("picking_id.backorder_id", "!=", False),
                    ("state", "not in", ("done", "cancel", "assigned")),
                    ("sale_line_id", "!=", False),
                ]
            )
        )
        moves = waiting.picking_id.sale_id.o2c_backorder_move_ids
        policy_of = self._policies(moves)
        self._promise(moves.filtered(lambda m: policy_of[m.id].recompute_promised_date), policy_of)

    @api.model
    def _notify_new_dates(self, orders):
        """The promised date of these backordered orders moved: tell the customers
        again, per policy (email now or an activity for the salesperson)."""
        moves = orders.sudo().o2c_backorder_move_ids
        if moves:
            self._communicate(moves, self._policies(moves), {})

    # ------------------------------------------------------ REPLENISHMENT
    @api.model
    def _replenish(self, moves, notes):
        """Procure what the warehouse forecast and the incoming supply miss.

        The procurement at the warehouse stock follows the product's routes (buy,
        manufacture, resupply from another warehouse...); a product without any
        route gets a note on the order instead of an error. Idempotent when a
        supply addon reports the draft supply orders (``_o2c_incoming_supply``):
        the first run's order is deducted from the need.
        """
        needs, origins = defaultdict(float), defaultdict(set)
        for move in moves:
            warehouse = move.picking_type_id.warehouse_id
            if not warehouse or not move.product_id.is_storable:
                continue
            unreserved = move.product_uom_qty - move.quantity
            key = (move.product_id, warehouse)
            needs[key] += move.product_uom._compute_quantity(unreserved, move.product_id.uom_id)
            origins[key].add(move.picking_id.sale_id)
        if not needs:
            return
        products = self.env["product.product"].concat(*{p for p, __ in needs})
        warehouses = self.env["stock.warehouse"].concat(*{w for __, w in needs})
        incoming = self._o2c_incoming_supply(products, warehouses)
        forecast = {}
        for warehouse in warehouses:
            for product in products.with_context(warehouse_id=warehouse.id):
                forecast[(product.id, warehouse.id)] = product.virtual_available
        now = fields.Datetime.now()
        procurements = []
        for (product, warehouse), missing in needs.items():
            draft_qty = incoming.get((product.id, warehouse.id), (0.0, None))[0]
            deficit = -forecast[(product.id, warehouse.id)] - draft_qty
            qty = min(missing, deficit)
            if float_compare(qty, 0.0, precision_rounding=product.uom_id.rounding) <= 0:
                continue
            seller = product._select_seller(quantity=qty, uom_id=product.uom_id)
            orders = self.env["sale.order"].concat(*origins[(product, warehouse)])
            procurements.append(
                self.env["procurement.group"].Procurement(
                    product,
                    qty,
                    product.uom_id,
                    warehouse.lot_stock_id,
                    product.display_name,
                    ", ".join(orders.mapped("name")),
                    warehouse.company_id,
                    {
                        "warehouse_id": warehouse,
                        "company_id": warehouse.company_id,
                        "date_planned": now + timedelta(days=seller.delay or 0),
                    },
                )
            )
        failed = self._run_procurements(procurements)
        for procurement in procurements:
            text = failed.get(id(procurement)) or self.env._(
                "Replenishment requested: %(qty)s %(uom)s of %(product)s for %(warehouse)s.",
                qty=fmt_qty(self.env, procurement.product_qty),
                uom=procurement.product_uom.name,
                product=procurement.product_id.display_name,
                warehouse=procurement.location_id.warehouse_id.name,
            )
            for order in origins[(procurement.product_id, procurement.location_id.warehouse_id)]:
                notes[order.id].append(text)

    @api.model
    def _run_procurements(self, procurements):
        """Run all procurements; on failure run them one by one (error isolation).

        :return: ``{id(procurement): error text}`` of those that failed
        """
        if not procurements:
            return {}
        group = self.env["procurement.group"]
        try:
            with self.env.cr.savepoint():
                group.run(procurements, raise_user_error=False)
            return {}
        except (UserError, ProcurementException):
            _logger.info("o2c: batch replenishment failed, retrying one by one")
        failed = {}
        for procurement in procurements:
            try:
                with self.env.cr.savepoint():
                    group.run([procurement], raise_user_error=False)
            except ProcurementException as exc:
                failed[id(procurement)] = self.env._(
                    "Replenishment of %(product)s failed: %(error)s",
                    product=procurement.product_id.display_name,
                    error="; ".join(msg for __, msg in exc.procurement_exceptions),
                )
            except UserError as exc:
                failed[id(procurement)] = self.env._(
                    "Replenishment of %(product)s failed: %(error)s",
                    product=procurement.product_id.display_name,
                    error=str(exc),
                )
        return failed

    @api.model
    def _o2c_incoming_supply(self, products, warehouses):
        """Return the supply already on its way, for replenishment and promised dates.

        Hook for supply addons (``o2c_fulfillment_purchase`` reads the purchase
        orders): ``{(product id, warehouse id): (qty in draft supply orders,
        first planned date)}``. The quantity counts the supply orders that are
        not confirmed yet (confirmed ones are already in the warehouse
        forecast), so that a second run does not order twice; the date is the
        first planned arrival of a draft or confirmed supply order, or ``None``.
        Pairs without supply may be left out. One query for all the pairs.

        :param products: ``product.product`` recordset
        :param warehouses: ``stock.warehouse`` recordset
        """
        return {}

    # ------------------------------------------------------ PROMISED DATE
    @api.model
    def _promise(self, moves, policy_of):
        """Set each order's promised date and its backorders' scheduled date.

        A move is expected when its first incoming supply arrives
        (``_o2c_incoming_supply``), else after the vendor lead time (or the
        policy's default lead time), plus the policy buffer; reserved moves are
        ready now. The order takes its latest move.

        :return: ``{order id: promised datetime}``
        """
        if not moves:
            return {}
        incoming = self._o2c_incoming_supply(moves.product_id, moves.picking_type_id.warehouse_id)
        now = fields.Datetime.now()
        by_order, by_picking = {}, {}
        for move in moves:
            policy = policy_of[move.id]
            if move.state == "assigned":
                date = now
            else:
                key = (move.product_id.id, move.picking_type_id.warehouse_id.id)
                date = incoming.get(key, (0.0, None))[1]
                if not date:
                    seller = move.product_id._select_seller(quantity=move.product_uom_qty)
                    days = seller.delay if seller else policy.default_lead_days
                    date = now + timedelta(days=days)
            date = max(date, now) + timedelta(days=policy.buffer_days)
            order, picking = move.picking_id.sale_id, move.picking_id
            by_order[order.id] = max(by_order.get(order.id, date), date)
            by_picking[picking.id] = max(by_picking.get(picking.id, date), date)
        # the promise is the server's: the warehouse validating the delivery may not
        # write the orders (a salesperson's own orders, or none at all)
        for date, order_ids in self._invert(by_order).items():
            self.env["sale.order"].sudo().browse(order_ids).write({"o2c_promised_date": date})
        for date, picking_ids in self._invert(by_picking).items():
            self.env["stock.picking"].browse(picking_ids).write({"scheduled_date": date})
        return by_order

    @api.model
    def _invert(self, mapping):
        result = defaultdict(list)
        for key, value in mapping.items():
            result[value].append(key)
        return result

    # ------------------------------------------------------ COMMUNICATION
    @api.model
    def _communicate(self, moves, policy_of, promised):
        """Email the customer now, or ask the salesperson to, per policy."""
        chosen = {}
        for move in moves:
            policy = policy_of[move.id]
            order = move.picking_id.sale_id
            current = chosen.get(order)
            if not current or (
                COMMUNICATION_RANK[policy.communication] > COMMUNICATION_RANK[current.communication]
            ):
                chosen[order] = policy
        auto = [o for o, p in chosen.items() if p.communication == "auto"]
        for order in auto:
            order.with_context(force_send=False).message_post_with_source(
                chosen[order].mail_template_id,
                email_layout_xmlid="mail.mail_notification_light",
                subtype_xmlid="mail.mt_comment",
            )
        ask = [o for o, p in chosen.items() if p.communication == "activity"]
        if ask:
            self._schedule_notice_activities(self.env["sale.order"].concat(*ask), chosen, promised)

    @api.model
    def _schedule_notice_activities(self, orders, chosen, promised):
        activity_type = self.env.ref("o2c_fulfillment.mail_activity_type_o2c_backorder")
        existing = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "in", orders.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id("sale.order")
        today = fields.Date.context_today(self)
        vals_list = []
        for order in orders.filtered(lambda o: o.id not in existing):
            date = promised.get(order.id) or order.o2c_promised_date
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (order.user_id or self.env.user).id,
                    "summary": self.env._("Tell %s about the backorder", order.partner_id.name)[
                        :200
                    ],
                    "note": self.env._(
                        "New expected date: %s. Send the backorder notice from this activity "
                        "or the order's Backorder Notice button.",
                        fields.Date.to_string(date.date()) if date else self.env._("unknown"),
                    ),
                    "date_deadline": today,
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
