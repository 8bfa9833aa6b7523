# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception import LIVE_STATES
from odoo.addons.o2c_exception_base.models.sale_order import QUOTATION_STATES
from odoo.addons.o2c_exception_base.tools import BatchJob, among_ids, post_park_note
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from ..governance import cancelling_orders, current_backorder_resolution, is_planning
from ..hooks import WATCH_SINCE
from ..tools import fmt_amount, fmt_qty, html_table, live_domain, mail_composer_action
from .o2c_exception import BACKORDER, SPLIT_SHIPMENT
from .res_company import SPLIT_POLICIES

# The backorder cron's batches (o2c.batch runs them inline or as queue jobs).
BACKORDER_CHECK_JOB = BatchJob(
    "sale.order",
    "_o2c_backorder_check_lock",
    "_o2c_check_and_plan",
    "_o2c_park_backorder_check",
    "root.o2c.fulfillment",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # the job's parking note: only the job and its retry button write it; the split
    # policy comes from the customer, class or company (a write would walk around it)
    _o2c_governed_fields = ("o2c_backorder_check_error", "o2c_split_policy")

    # ------------------------------------------------------------ FIELDS
    o2c_promised_date = fields.Datetime(
        string="Promised Date",
        copy=False,
        tracking=True,
        help="Date the customer was promised for the backordered quantities, "
        "recomputed from the replenishment when a backorder is created.",
    )
    o2c_backorder_move_ids = fields.One2many(
        "stock.move",
        compute="_compute_o2c_backorder_move_ids",
        string="Backordered Moves",
        help="Moves of the open customer backorders of this order.",
    )
    o2c_has_backorder = fields.Boolean(
        string="Has Open Backorder", compute="_compute_o2c_backorder_move_ids"
    )
    o2c_split_policy = fields.Selection(
        SPLIT_POLICIES,
        string="Split Shipments",
        compute="_compute_o2c_split_policy",
        store=True,
        help="From the customer, else the order class, else the company.",
    )
    o2c_backorder_check_error = fields.Text(
        string="Backorder Job Error",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Why the commitment date and backorder job could not check this order; "
        "the job leaves it out until someone retries it.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("picking_ids.state", "picking_ids.backorder_id")
    def _compute_o2c_backorder_move_ids(self):
        for order in self:
            order.o2c_backorder_move_ids = order.picking_ids.filtered(
                lambda p: p.backorder_id
                and p.picking_type_code == "outgoing"
                and p.state not in ("done", "cancel")
            ).move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
            order.o2c_has_backorder = bool(order.o2c_backorder_move_ids)

    # the class's own policy is not a dependency: a class change recomputes its
    # orders itself (the core's test registry rebuilds the class model without it)
    @api.depends(
        "partner_id.commercial_partner_id.o2c_split_policy",
        "o2c_order_class_id",
        "company_id.o2c_split_policy",
    )
    def _compute_o2c_split_policy(self):
        for order in self:
            order.o2c_split_policy = (
                order.partner_id.commercial_partner_id.o2c_split_policy
                or order.o2c_order_class_id.o2c_split_policy
                or order.company_id.o2c_split_policy
            )

    @api.onchange("o2c_split_policy")
    def _onchange_o2c_split_policy(self):
        if self.state in QUOTATION_STATES:
            self.picking_policy = self._o2c_expected_picking_policy()

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if any("o2c_split_policy" in vals for vals in vals_list):
            # computed from the customer, class and company: a given value would stick
            raise UserError(
                self.env._(
                    "Split Shipments comes from the customer, the order class or the "
                    "company: it cannot be set on an order."
                )
            )
        orders = super().create(vals_list)
        # Odoo's shipping policy follows the split policy unless the caller chose one
        # (a choice against it is checked at confirmation)
        chosen = [
            order.id
            for order, vals in zip(orders, vals_list, strict=True)
            if "picking_policy" in vals
        ]
        orders.filtered(lambda o: o.id not in chosen)._o2c_apply_split_policy()
        return orders

    def write(self, vals):
        before = {o.id: o.o2c_promised_date for o in self} if "o2c_promised_date" in vals else {}
        res = super().write(vals)
        if "partner_id" in vals and "picking_policy" not in vals:
            self._o2c_apply_split_policy()
        if before:
            self._o2c_promised_date_moved(before)
        elif "commitment_date" in vals:
            self._o2c_flag_late_backorders()
        return res

    def _action_cancel(self):
        # The order's own cancellation cancels its open backorders: no reason is
        # asked for them (the order's cancellation is the reason, in its chatter).
        with cancelling_orders():
            res = super()._action_cancel()
        self._o2c_run_checks("backorder")
        return res

    # ------------------------------------------------------------ ACTION
    def action_o2c_backorder_notice(self):
        """Open the email composer with the backorder notice (send on demand)."""
        self.ensure_one()
        template = self.env.ref(
            "o2c_fulfillment.mail_template_o2c_backorder_notice", raise_if_not_found=False
        )
        policy = self.env["o2c.fulfillment.policy"]._o2c_get_matcher()(
            self.company_id, self.order_line[:1].product_id.categ_id, self.o2c_order_class_id
        )
        template = policy.mail_template_id or template
        return mail_composer_action(self, template, self.env._("Backorder notice"))

    # ------------------------------------------------------------ CHECKS
    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "backorder":
            self._o2c_check_backorders()
        elif action == "confirm":
            self._o2c_check_shipping_policy()
        return res

    def _o2c_key_fields_by_code(self):
        # an acknowledged backorder stays acknowledged while it is being shipped; a
        # shipping policy approved against the split policy is bound to both
        return {
            **super()._o2c_key_fields_by_code(),
            BACKORDER: ("partner_id",),
            SPLIT_SHIPMENT: ("partner_id", "picking_policy", "o2c_split_policy"),
        }

    # ------------------------------------------------------ SPLIT POLICY
    def _o2c_expected_picking_policy(self):
        self.ensure_one()
        return "one" if self.o2c_split_policy == "complete" else "direct"

    def _o2c_apply_split_policy(self):
        for order in self.filtered(lambda o: o.state in QUOTATION_STATES):
            expected = order._o2c_expected_picking_policy()
            if order.picking_policy != expected:
                order.picking_policy = expected

    def _o2c_check_shipping_policy(self):
        """A ship-complete order set to ship "as soon as possible" needs approval."""
        against = self.filtered(
            lambda o: o.o2c_split_policy == "complete" and o.picking_policy == "direct"
        )
        self._o2c_set_exceptions(
            SPLIT_SHIPMENT,
            {
                order.id: {
                    "name": self.env._(
                        "%s ships complete: the order is set to ship as soon as possible",
                        order.partner_id.commercial_partner_id.name,
                    ),
                    "amount": order.amount_untaxed,
                }
                for order in against
            },
            self.env._("The order ships as one delivery."),
        )

    def _o2c_check_backorders(self):
        """Raise, refresh or resolve the ``backorder`` exception of each order.

        An order is backordered while one of its customer deliveries is a
        backorder still to ship, or cannot be reserved in full close to its
        commitment date (policy horizon). Returns the backordered orders.
        """
        confirmed = self.filtered(lambda o: o.state == "sale")
        data = confirmed._o2c_backorder_data()
        short = confirmed.filtered(lambda o: o.id in data)
        if short:
            previous = {
                exc.res_id: exc.o2c_missing_qty
                for exc in self.env["o2c.exception"].sudo().search(live_domain(short, BACKORDER))
            }
            values = {order.id: order._o2c_backorder_values(data[order.id]) for order in short}
            excs = short._o2c_raise_exceptions(BACKORDER, values)
            bodies = {}
            for exc in excs.sudo():
                old = previous.get(exc.res_id)
                if old and float_compare(exc.o2c_missing_qty, old, precision_digits=4) < 0:
                    bodies[exc.id] = self.env._(
                        "Partially shipped: %(old)s missing before, %(new)s now.",
                        old=fmt_qty(self.env, old),
                        new=fmt_qty(self.env, exc.o2c_missing_qty),
                    )
            if bodies:
                excs.sudo().browse(list(bodies))._message_log_batch(bodies=bodies)
        cancelled = self - confirmed
        cancelled._o2c_close_backorders(self.env._("The order was cancelled."))
        (confirmed - short)._o2c_close_backorders(
            current_backorder_resolution()
            or self.env._("Every backorder shipped or was cancelled.")
        )
        return short

    def _o2c_promised_date_moved(self, before):
        """A new promised date: a date past the commitment marks the backorder late
        and alerts the salesperson; the customer hears of a date that moved (the
        planner tells of a new backorder itself)."""
        moved = self.filtered(lambda o: o.o2c_promised_date != before.get(o.id))
        if not moved:
            return
        # without a commitment date nothing can turn late (removing one rechecks)
        moved.filtered("commitment_date")._o2c_flag_late_backorders()
        told = moved.filtered(lambda o: before.get(o.id))
        if told and not is_planning():
            self.env["o2c.fulfillment.planner"]._notify_new_dates(told)

    def _o2c_flag_late_backorders(self):
        if not self:
            return
        excs = self.env["o2c.exception"].sudo().search(live_domain(self, BACKORDER))
        late_ids = {
            o.id
            for o in self
            if o.commitment_date and o.o2c_promised_date and o.o2c_promised_date > o.commitment_date
        }
        now_late = excs.filtered(lambda e: e.res_id in late_ids and not e.o2c_late)
        on_time = excs.filtered(lambda e: e.res_id not in late_ids and e.o2c_late)
        now_late._o2c_owned_write({"o2c_late": True})
        on_time._o2c_owned_write({"o2c_late": False})
        for exc in now_late:
            order = self.browse(exc.res_id)
            order.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Backorder later than committed"),
                note=self.env._(
                    "Promised %(promised)s, committed %(committed)s to %(customer)s: %(what)s",
                    promised=fields.Date.to_string(order.o2c_promised_date.date()),
                    committed=fields.Date.to_string(order.commitment_date.date()),
                    customer=order.partner_id.name,
                    what=exc.name,
                ),
                user_id=(order.user_id or exc.responsible_id or self.env.ref("base.user_root")).id,
            )

    def _o2c_close_backorders(self, reason):
        """Resolve the live backorder exceptions (also an acknowledged/approved one)."""
        return self._o2c_resolve_exceptions([BACKORDER], reason, states=LIVE_STATES)

    def _o2c_backorder_data(self):
        """Return ``{order id: {"qty", "value", "rows", "moves"}}`` of what is short.

        One search for the open customer deliveries of all orders; everything
        else comes through prefetching.
        """
        pickings = self.env["stock.picking"].search(
            [
                ("sale_id", "in", self.ids),
                ("picking_type_code", "=", "outgoing"),
                ("state", "not in", ("done", "cancel")),
            ]
        )
        match = self.env["o2c.fulfillment.policy"]._o2c_get_matcher()
        now = fields.Datetime.now()
        result = {}
        for picking in pickings:
            order = picking.sale_id
            for move in picking.move_ids:
                missing, why = move._o2c_backorder_missing(match, now)
                if float_compare(missing, 0.0, precision_rounding=move.product_uom.rounding) <= 0:
                    continue
                entry = result.setdefault(
                    order.id, {"qty": 0.0, "value": 0.0, "rows": [], "moves": move.browse()}
                )
                qty = move.product_uom._compute_quantity(
                    missing, move.product_id.uom_id, rounding_method="HALF-UP"
                )
                value = move._o2c_sale_value(missing)
                entry["qty"] += qty
                entry["value"] += value
                entry["moves"] |= move
                entry["rows"].append(
                    (
                        picking.name,
                        move.product_id.display_name,
                        fmt_qty(self.env, missing),
                        move.product_uom.name,
                        fmt_amount(self.env, value, order.currency_id),
                        why,
                    )
                )
        return result

    def _o2c_backorder_values(self, entry):
        self.ensure_one()
        pickings = sorted({row[0] for row in entry["rows"]})
        return {
            "name": self.env._(
                "Backorder: %(qty)s units missing on %(pickings)s",
                qty=fmt_qty(self.env, entry["qty"]),
                pickings=", ".join(pickings),
            ),
            "details": html_table(
                [
                    self.env._("Delivery"),
                    self.env._("Product"),
                    self.env._("Missing"),
                    self.env._("Unit"),
                    self.env._("Value"),
                    self.env._("Why"),
                ],
                entry["rows"],
            ),
            "amount": self.currency_id.round(entry["value"]),
            "o2c_missing_qty": entry["qty"],
        }

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_o2c_check_backorders(self, batch_size=200):
        """Watch commitment dates and refresh backorders, one committed batch at a time.

        Batches are taken with ``FOR UPDATE SKIP LOCKED`` in id order, so two
        workers never check the same order and the run always ends.
        """
        return self.env["o2c.batch"]._o2c_run_batches(BACKORDER_CHECK_JOB, batch_size)

    def _o2c_park_backorder_check(self, error):
        """Take this order out of the backorder job, with the reason."""
        self.sudo()._o2c_owned_write({"o2c_backorder_check_error": error})
        post_park_note(self, self.env._("Backorder check failed"), error)

    def action_o2c_retry_backorder_check(self):
        """Give orders the backorder job parked back to it (its next run)."""
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise UserError(self.env._("Only sales users can retry the backorder check."))
        todo = self.filtered("o2c_backorder_check_error")
        if todo:
            todo.sudo()._o2c_owned_write({"o2c_backorder_check_error": False})
            todo.sudo()._message_log_batch(
                bodies=dict.fromkeys(
                    todo.ids,
                    self.env._("Backorder check retry requested by %s", self.env.user.name),
                )
            )
            self.env.ref("o2c_fulfillment.ir_cron_o2c_check_backorders").sudo()._trigger()
        return True

    @api.model
    def _o2c_commitment_watch_since(self):
        """Orders untouched since o2c was installed are history: not watched."""
        value = self.env["ir.config_parameter"].sudo().get_param(WATCH_SINCE)
        return fields.Datetime.to_datetime(value) if value else datetime.min

    @api.model
    def _o2c_backorder_check_lock(self, limit, after_id=0, ids=None):
        """Lock up to ``limit`` orders to check: deliveries due within the longest
        horizon of the policies that watch commitments, or a live backorder."""
        policies = (
            self.env["o2c.fulfillment.policy"].sudo().search([("check_commitment", "=", True)])
        )
        horizon = fields.Datetime.now() + timedelta(
            days=max(policies.mapped("horizon_days") or [0])
        )
        since = self._o2c_commitment_watch_since()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT so.id FROM sale_order so
                WHERE so.id > %(last)s AND so.o2c_backorder_check_error IS NULL %(among)s
                  AND (EXISTS (
                        SELECT 1 FROM stock_picking sp
                          JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                         WHERE sp.sale_id = so.id AND spt.code = 'outgoing'
                           AND sp.state IN ('confirmed', 'waiting')
                           AND sp.date_deadline <= %(horizon)s
                           AND (so.write_date >= %(since)s OR sp.write_date >= %(since)s))
                    OR EXISTS (
                        SELECT 1 FROM o2c_exception e
                         WHERE e.res_model = 'sale.order' AND e.res_id = so.id
                           AND e.code = 'backorder' AND e.state IN %(live)s))
             ORDER BY so.id
                LIMIT %(limit)s
           FOR UPDATE OF so SKIP LOCKED""",
                last=after_id,
                among=among_ids("so.id", ids),
                horizon=horizon,
                since=since,
                live=LIVE_STATES,
                limit=limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _o2c_check_and_plan(self):
        """Run the backorder check; apply the policies to newly raised backorders."""
        Exception = self.env["o2c.exception"].sudo()
        before = set(Exception.search(live_domain(self, BACKORDER)).mapped("res_id"))
        self._o2c_run_checks("backorder")
        # the domain again: it may leave out the records without live exception
        after = set(Exception.search(live_domain(self, BACKORDER)).mapped("res_id"))
        new = self.browse(after - before)
        if new:
            data = new._o2c_backorder_data()
            moves = self.env["stock.move"].concat(*(d["moves"] for d in data.values()))
            self.env["o2c.fulfillment.planner"]._plan(moves)
        return new

    # ---------------------------------------------------------- BUSINESS
    def _o2c_log(self, bodies):
        """Post ``{order id: [text]}`` as internal notes."""
        bodies = {k: v for k, v in bodies.items() if v}
        if bodies:
            self.sudo().browse(list(bodies))._message_log_batch(
                bodies={k: Markup("<br/>").join(v) for k, v in bodies.items()}
            )
