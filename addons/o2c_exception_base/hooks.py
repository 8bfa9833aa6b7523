# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def pre_init_hook(env):
    """Create the stored ``o2c_blocked`` columns up front.

    Nothing is held at install time, so ``false`` is the right value; adding
    the column with a constant default is instant in PostgreSQL and spares Odoo
    recomputing it for every existing order, transfer and journal entry.
    """
    for table in ("sale_order", "stock_picking", "account_move"):
        if not column_exists(env.cr, table, "o2c_blocked"):
            env.cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN o2c_blocked boolean DEFAULT false",
                    SQL.identifier(table),
                )
            )


def adopt_from_core(cr, module, names):
    """Give ``module`` the external ids the core shipped for it before 18.0.1.3.

    Until then the core's data defined every control's exception types (and its
    demo their queue entries). Moving the external ids keeps each database's
    records, their ids and everything pointing at them; loading the control's
    data under a new id would create a second type with the same code.
    """
    cr.execute(
        SQL(
            """UPDATE ir_model_data SET module = %s
                WHERE module = 'o2c_exception_base' AND name IN %s""",
            module,
            tuple(names),
        )
    )


def post_init_hook(env):
    backfill_order_channels(env)
    backfill_order_steps(env)


def backfill_order_channels(env):
    """Orders from before the channel was recorded: EDI when their UTM source is the
    EDI source o2c shipped, the back office otherwise. One statement."""
    edi = env.ref("o2c_exception_base.o2c_sale_channel_edi", raise_if_not_found=False)
    back = env.ref("o2c_exception_base.o2c_sale_channel_back_office", raise_if_not_found=False)
    source = env.ref("o2c_exception_base.utm_source_edi", raise_if_not_found=False)
    if not (edi and back):
        return
    env.cr.execute(
        SQL(
            """UPDATE sale_order
                  SET o2c_channel_id = CASE WHEN source_id = %s THEN %s ELSE %s END
                WHERE o2c_channel_id IS NULL""",
            source.id if source else None,
            edi.id,
            back.id,
        )
    )
    env["sale.order"].invalidate_model(["o2c_channel_id"])


#: the columns every backfilled step row fills (the others stay empty)
_STEP_COLUMNS = (
    "order_id, company_id, step, date, user_id, picking_id, move_id, exception_id, "
    "type_id, held_hours, create_uid, create_date, write_uid, write_date"
)
#: when a posted customer invoice was posted: Odoo keeps no posting instant. Its
#: creation when it is dated that day or before (posted by a person or a job
#: shortly after it was made), else the start of its invoice date (a draft kept
#: and posted later). Not ``write_date``: payments and sending change it.
_POSTED_AT = "GREATEST(am.create_date, am.invoice_date::timestamp)"
#: posted customer invoices of each order
_ORDER_INVOICES = """
    SELECT DISTINCT sol.order_id, am.id AS move_id, am.state, am.payment_state,
           am.create_date, am.invoice_date, am.write_date
      FROM sale_order_line_invoice_rel rel
      JOIN sale_order_line sol ON sol.id = rel.order_line_id
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
      JOIN account_move am ON am.id = aml.move_id
     WHERE am.move_type = 'out_invoice'"""


def _insert_steps(cr, step, select, exception=False):
    """Insert the rows of ``select`` (columns ``order_id, company_id, date`` and
    optionally ``user_id, picking_id, move_id, exception_id, type_id, held_hours``)
    as ``step`` for the orders that have none yet (for that exception): idempotent.

    ``select`` is this module's own SQL text (no value from outside).
    """
    same = SQL(" AND s.exception_id = x.exception_id" if exception else "")
    cr.execute(
        SQL(
            """INSERT INTO o2c_order_step (%s)
               SELECT x.order_id, x.company_id, %s, x.date, x.user_id, x.picking_id,
                      x.move_id, x.exception_id, x.type_id, x.held_hours,
                      1, now() at time zone 'utc', 1, now() at time zone 'utc'
                 FROM (%s) x
                WHERE x.date IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM o2c_order_step s
                                   WHERE s.order_id = x.order_id AND s.step = %s%s)""",
            SQL(_STEP_COLUMNS),
            step,
            SQL(select),
            step,
            same,
        )
    )


def _row(order="so.id", company="so.company_id", date="NULL", user="NULL", **more):
    """SELECT list of one step row (``more``: picking, move, exception, type, hours)."""
    return (
        f"{order} AS order_id, {company} AS company_id, {date} AS date, "
        f"{user}::int AS user_id, {more.get('picking', 'NULL')}::int AS picking_id, "
        f"{more.get('move', 'NULL')}::int AS move_id, "
        f"{more.get('exception', 'NULL')}::int AS exception_id, "
        f"{more.get('type', 'NULL')}::int AS type_id, "
        f"{more.get('hours', 'NULL')}::float AS held_hours"
    )


def backfill_order_steps(env):
    """The timeline (``o2c.order.step``) of the orders from before it was recorded,
    by SQL from what the documents kept; idempotent (only the missing steps).

    - quotation: the order's creation; confirmed: ``date_order`` of confirmed
      orders (Odoo sets it at confirmation);
    - first delivery / fully delivered: ``date_done`` of the first / last done
      customer delivery (fully: Odoo's delivery status is full);
    - first invoice / fully invoiced: the posting of the first / last posted
      customer invoice (see ``_POSTED_AT``; fully: invoice status invoiced and no
      draft invoice left);
    - paid: fully invoiced and every invoice paid, at the last reconciliation of
      their receivable lines;
    - confirmation asked / held / released: the request and decision dates of the
      blocking O2C exceptions of the order and its documents (asked: the first one
      raised on the order itself).

    Then the orders' step dates and hours held follow their rows.
    """
    cr = env.cr
    env.flush_all()
    for step, select in _backfill_selects():
        _insert_steps(cr, step, select, exception=step in ("held", "released"))
    _backfill_order_dates(cr)
    env["o2c.order.step"].invalidate_model()
    env["sale.order"].invalidate_model()


def _backfill_selects():
    """``[(step, SELECT of its rows)]`` of :func:`backfill_order_steps`
    (fully invoiced before paid: paid needs it)."""
    return _document_selects() + _exception_selects()


def _document_selects():
    """Steps read from the order, its deliveries and its invoices."""
    outgoing = """FROM stock_picking p
         JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'outgoing'
         JOIN sale_order so ON so.id = p.sale_id
        WHERE p.state = 'done'"""
    invoices = f"FROM ({_ORDER_INVOICES}) am JOIN sale_order so ON so.id = am.order_id"
    order = "FROM sale_order so"
    return [
        ("quotation", f"SELECT {_row(date='so.create_date', user='so.create_uid')} {order}"),
        ("confirmed", f"SELECT {_row(date='so.date_order')} {order} WHERE so.state = 'sale'"),
        (
            "first_delivery",
            f"""SELECT DISTINCT ON (so.id) {_row(date='p.date_done', picking='p.id')} {outgoing}
                ORDER BY so.id, p.date_done, p.id""",
        ),
        (
            "delivered",
            f"""SELECT DISTINCT ON (so.id) {_row(date='p.date_done', picking='p.id')} {outgoing}
                AND so.delivery_status = 'full' ORDER BY so.id, p.date_done DESC, p.id DESC""",
        ),
        (
            "first_invoice",
            f"""SELECT DISTINCT ON (so.id) {_row(date=_POSTED_AT, move='am.move_id')} {invoices}
                WHERE am.state = 'posted' ORDER BY so.id, {_POSTED_AT}, am.move_id""",
        ),
        (
            "invoiced",
            f"""SELECT {_row(date=f'MAX({_POSTED_AT})')} {invoices}
                WHERE so.invoice_status = 'invoiced' AND am.state IN ('posted', 'draft')
                GROUP BY so.id, so.company_id
                HAVING bool_and(am.state = 'posted')""",
        ),
        ("paid", _paid_select(invoices)),
    ]


def _exception_selects():
    """Steps read from the blocking O2C exceptions of the order and its documents."""
    blocking = """FROM o2c_exception e JOIN sale_order so ON so.id = e.sale_order_id
        WHERE e.blocking"""
    return [
        (
            "confirm_asked",
            f"""SELECT {_row(date='MIN(e.request_date)')} {blocking}
                AND e.res_model = 'sale.order' GROUP BY so.id, so.company_id""",
        ),
        ("held", f"SELECT {_exception_row('e.request_date', 'e.requested_by_id')} {blocking}"),
        (
            "released",
            f"""SELECT {_exception_row("e.decision_date", "e.decided_by_id", HELD_HOURS)}
                {blocking} AND e.state IN ('approved', 'resolved', 'cancelled')
                AND e.decision_date >= e.request_date""",
        ),
    ]


#: hours a decided exception held its document
HELD_HOURS = "EXTRACT(EPOCH FROM (e.decision_date - e.request_date)) / 3600.0"


def _exception_row(date, user, hours="NULL"):
    """SELECT list of a held / released row of the exception ``e``."""
    return _row(
        date=date,
        user=user,
        picking="e.picking_id",
        move="e.move_id",
        exception="e.id",
        type="e.type_id",
        hours=hours,
    )


def _paid_select(invoices):
    """Fully invoiced orders whose posted invoices are all paid (a reversed one is
    settled, at least one paid), at the last reconciliation of their lines (an
    invoice's reconciled lines are its receivables), else its last change."""
    reconciled = """(SELECT MAX(apr.create_date) FROM account_partial_reconcile apr
                       JOIN account_move_line l
                         ON l.id IN (apr.debit_move_id, apr.credit_move_id)
                      WHERE l.move_id = am.move_id)"""
    return f"""SELECT {_row(date=f'MAX(COALESCE({reconciled}, am.write_date))')} {invoices}
                WHERE am.state = 'posted'
                  AND EXISTS (SELECT 1 FROM o2c_order_step i
                               WHERE i.order_id = so.id AND i.step = 'invoiced')
                GROUP BY so.id, so.company_id
               HAVING bool_and(am.payment_state IN ('in_payment', 'paid', 'reversed'))
                  AND bool_or(am.payment_state IN ('in_payment', 'paid'))"""


def _backfill_order_dates(cr):
    """The orders keep the first date of their once-only steps and the hours held
    (``sale.order._o2c_step_date_fields``), from their rows."""
    cr.execute(
        """UPDATE sale_order so
              SET o2c_asked_date = COALESCE(so.o2c_asked_date, st.asked),
                  o2c_confirmed_date = COALESCE(so.o2c_confirmed_date, st.confirmed),
                  o2c_delivered_date = COALESCE(so.o2c_delivered_date, st.delivered),
                  o2c_invoiced_date = COALESCE(so.o2c_invoiced_date, st.invoiced),
                  o2c_paid_date = COALESCE(so.o2c_paid_date, st.paid),
                  o2c_held_hours = st.held
             FROM (SELECT order_id,
                          MIN(date) FILTER (WHERE step = 'confirm_asked') AS asked,
                          MIN(date) FILTER (WHERE step = 'confirmed') AS confirmed,
                          MIN(date) FILTER (WHERE step = 'delivered') AS delivered,
                          MIN(date) FILTER (WHERE step = 'invoiced') AS invoiced,
                          MIN(date) FILTER (WHERE step = 'paid') AS paid,
                          COALESCE(SUM(held_hours) FILTER (WHERE step = 'released'), 0) AS held
                     FROM o2c_order_step GROUP BY order_id) st
            WHERE st.order_id = so.id"""
    )
