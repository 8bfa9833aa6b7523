# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..governance import governed_write_allowed, owning_action, scoped

#: the steps of order to cash the core records; feature addons add theirs with
#: ``selection_add`` (e.g. the proof of delivery)
STEPS = [
    ("quotation", "Quotation created"),
    ("confirm_asked", "Confirmation asked"),
    ("held", "Held"),
    ("released", "Released"),
    ("confirmed", "Confirmed"),
    ("first_delivery", "First delivery done"),
    ("delivered", "Fully delivered"),
    ("first_invoice", "First invoice posted"),
    ("invoiced", "Fully invoiced"),
    ("paid", "Paid"),
]
#: step rows recorded by the running action, created by one ``create`` when it ends
_PENDING = ContextVar("o2c_pending_steps", default=None)


@contextmanager
def step_batch(env):
    """Create the steps recorded in the enclosed code with one ``create`` at its end.

    Nested batches add to the outermost one; a batch left by an exception drops
    what it recorded (its savepoint, if any, drops the rest of its work).
    """
    pending = _PENDING.get()
    if pending is not None:
        mark = len(pending)
        try:
            yield
        except BaseException:
            del pending[mark:]
            raise
        return
    pending = []
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    if pending:
        env["o2c.order.step"]._o2c_store(pending)


#: ``{model: ids}`` whose held action the engine is resuming (not a new ask)
_RESUMING = ContextVar("o2c_resuming_steps", default=None)


def resuming(records):
    """The enclosed code goes on with the held action of ``records``: it was
    asked already, going on is not another ask."""
    current = dict(_RESUMING.get() or {})
    current[records._name] = current.get(records._name, frozenset()) | frozenset(records.ids)
    return scoped(_RESUMING, current)


def resuming_ids(model_name):
    """Ids of ``model_name`` whose held action is being resumed now."""
    return (_RESUMING.get() or {}).get(model_name, frozenset())


class O2cOrderStep(models.Model):
    """When an order passed a step of order to cash: the order's timeline.

    Written by the server only, at the moment the step happens (the enforcement
    point, the documents' own transitions), never recomputed from the chatter,
    never changed nor deleted: the dashboard's cycle times rest on it.
    """

    _name = "o2c.order.step"
    _description = "O2C Order Step"
    _order = "date, id"

    # ------------------------------------------------------------ FIELDS
    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    step = fields.Selection(STEPS, required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    exception_id = fields.Many2one(
        "o2c.exception",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="Held and released steps: the exception that held the order.",
    )
    type_id = fields.Many2one(
        "o2c.exception.type", string="Exception Type", ondelete="set null", readonly=True
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", ondelete="set null", readonly=True
    )
    move_id = fields.Many2one("account.move", string="Invoice", ondelete="set null", readonly=True)
    held_hours = fields.Float(
        string="Hours Held",
        readonly=True,
        help="Released steps: how long the exception held the order.",
    )

    def init(self):
        res = super().init()
        # the dashboard reads the steps of a period (held time by type)
        tools.create_index(
            self.env.cr,
            "o2c_order_step_step_date_idx",
            self._table,
            ["step", "date", "company_id"],
        )
        return res

    @api.depends("order_id", "step")
    def _compute_display_name(self):
        labels = dict(self._fields["step"]._description_selection(self.env))
        for rec in self:
            rec.display_name = f"{rec.order_id.name or ''} - {labels.get(rec.step, '')}"

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not governed_write_allowed(self._name):
            self._o2c_raise_recorded()
        return super().create(vals_list)

    def write(self, vals):
        if not governed_write_allowed(self._name):
            self._o2c_raise_recorded()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        self._o2c_raise_recorded()

    def _o2c_raise_recorded(self):
        raise AccessError(
            self.env._(
                "The steps of an order are recorded by the server when they happen: "
                "nobody creates, changes or deletes them."
            )
        )

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_create(self, vals_list):
        """Create step rows (the server only: no RPC, import or user writes them)."""
        with owning_action(self._name):
            return self.sudo().create(vals_list)

    @api.model
    def _o2c_record(self, vals_list):
        """Record step rows: with the running batch (:func:`step_batch`), else now."""
        if not vals_list:
            return
        pending = _PENDING.get()
        if pending is None:
            self._o2c_store(vals_list)
        else:
            pending.extend(vals_list)

    @api.model
    def _o2c_store(self, vals_list):
        """Create the rows; the orders get the date of their once-only steps, in
        the same flush as the transition itself (e.g. the confirmation's UPDATE).

        At the end of the action: the exceptions it raised were bound to the
        order's last editor before the server stamped the order (SoD).
        """
        self.env["sale.order"].sudo()._o2c_stamp_steps(vals_list)
        return self._o2c_create(vals_list)

    @api.model
    def _o2c_flush_pending(self):
        """Create the rows the running batch holds (before reading steps by SQL)."""
        pending = _PENDING.get()
        if pending:
            vals_list = pending[:]
            del pending[:]
            self._o2c_store(vals_list)

    @api.model
    def _o2c_reached(self, orders, steps):
        """``{(order id, step)}`` of ``steps`` these orders already passed (one query)."""
        if not orders:
            return set()
        self._o2c_flush_pending()
        rows = self.sudo().search_fetch(
            [("order_id", "in", orders.ids), ("step", "in", list(steps))], ["order_id", "step"]
        )
        return {(row.order_id.id, row.step) for row in rows}

    @api.model
    def _o2c_open_holds(self, exception_ids):
        """``{(order id, exception id): date of the hold}`` of the holds of these
        exceptions not released yet (one query)."""
        if not exception_ids:
            return {}
        self._o2c_flush_pending()
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT order_id, exception_id, MAX(date) FILTER (WHERE step = 'held')
                     FROM o2c_order_step
                    WHERE exception_id IN %s AND step IN ('held', 'released')
                 GROUP BY order_id, exception_id
                   HAVING COUNT(*) FILTER (WHERE step = 'held')
                        > COUNT(*) FILTER (WHERE step = 'released')""",
                tuple(exception_ids),
            )
        )
        return {(order_id, exc_id): held for order_id, exc_id, held in rows}

    @api.model
    def _o2c_release_rows(self, holds, exceptions):
        """Rows of ``released`` steps closing ``holds`` (see :meth:`_o2c_open_holds`)
        of ``exceptions`` decided; add the time held to each order."""
        now = fields.Datetime.now()
        rows, held_hours = [], defaultdict(float)
        for (order_id, exc_id), held in holds.items():
            exc = exceptions.browse(exc_id)
            date = max(exc.decision_date or now, held)
            hours = (date - held).total_seconds() / 3600.0
            held_hours[order_id] += hours
            rows.append(
                {
                    "order_id": order_id,
                    "company_id": exc.company_id.id,
                    "step": "released",
                    "date": date,
                    "user_id": exc.decided_by_id.id or self.env.uid,
                    "exception_id": exc.id,
                    "type_id": exc.type_id.id,
                    "picking_id": exc.picking_id.id,
                    "move_id": exc.move_id.id,
                    "held_hours": hours,
                }
            )
        self._o2c_record(rows)
        orders = self.env["sale.order"].sudo().browse(list(held_hours))
        for order in orders:
            order._o2c_owned_write({"o2c_held_hours": order.o2c_held_hours + held_hours[order.id]})
        return rows
