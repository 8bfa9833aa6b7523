# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 3: invoice release of delivered orders, o2c cron vs Odoo's ``_create_invoices``."""

import threading
import time

from bench.clone import Cloner
from bench.generate import deliver, ensure_catalogue, order_vals
from bench.lib import Profiler, QueryTracer, log, odoo_env

SCENARIO = "3 invoice release"
BATCH = 50


def prepare(db, n):
    """``n`` delivered, not invoiced orders (one made by the ORM, the rest copied)."""
    with odoo_env(db, commit=True) as env:
        info = ensure_catalogue(env)
        partner = env["res.partner"].create({"name": "Invoice template", "is_company": True})
        order = env["sale.order"].create(order_vals(info, partner, 3, index=3))
        order.action_confirm()
        deliver(order.picking_ids)
        env.flush_all()
        if order.invoice_status != "to invoice":
            raise RuntimeError(f"delivered order is {order.invoice_status}, not 'to invoice'")
        roots = {"sale_order": order.ids, "procurement_group": order.procurement_group_id.ids}
        env.cr.commit()
        cloner = Cloner(env.cr, roots, [partner.id], info["customers"].ids, span_days=1)
        cloner.run(n - 1, chunk=1000)
        env.cr.execute("ANALYZE")
        return order.id


def _bench_orders(env, first_id):
    return env["sale.order"].search(
        [("id", ">=", first_id), ("invoice_status", "=", "to invoice"), ("state", "=", "sale")],
        order="id",
    )


def side_by_side(dbs, firsts):
    """Odoo's ``_create_invoices`` and the o2c release cron (one worker), in turns.

    One batch of ``BATCH`` orders of Odoo, then one batch of the cron (what
    ``_cron_o2c_auto_invoice`` repeats outside a cron job), and so on: a slower
    spell of the shared machine weighs on both sides, instead of on whichever
    ran during it. Each batch starts with an empty cache (the cron commits after
    each batch, which empties it) and Odoo's is a fresh recordset, as the cron's
    is. Both rolled back.

    :return: ``{"vanilla": (orders, invoices, s), "o2c": (orders, released, left, s)}``
    """
    with odoo_env(dbs["vanilla"]) as venv, odoo_env(dbs["o2c"]) as oenv:
        ids = _bench_orders(venv, firsts["vanilla"]).ids
        count = len(_bench_orders(oenv, firsts["o2c"]))
        venv.flush_all()
        oenv.flush_all()
        SaleOrder = oenv["sale.order"]
        invoices = done = 0
        base_s = o2c_s = 0.0

        def cron_batch():
            """One batch of the cron; whether it released any order."""
            nonlocal done, o2c_s
            oenv.invalidate_all()  # as the cron's commit after each batch
            t0 = time.perf_counter()
            released = SaleOrder._o2c_auto_invoice_batch(BATCH)
            oenv.flush_all()
            o2c_s += time.perf_counter() - t0
            done += len(released)
            return bool(released)

        more = True
        for start in range(0, max(len(ids), 1), BATCH):
            venv.invalidate_all()
            t0 = time.perf_counter()
            invoices += len(
                venv["sale.order"].browse(ids[start : start + BATCH])._create_invoices(final=True)
            )
            venv.flush_all()
            base_s += time.perf_counter() - t0
            more = more and cron_batch()
        while more:  # whatever the cron has left (none when both have as many orders)
            more = cron_batch()
        left = len(_bench_orders(oenv, firsts["o2c"]))
        return {"vanilla": (len(ids), invoices, base_s), "o2c": (count, done, left, o2c_s)}


def o2c_profile(db):
    """cProfile of one batch of the o2c release cron (rolled back)."""
    with odoo_env(db) as env:
        env.flush_all()
        with Profiler() as prof:
            env["sale.order"]._o2c_auto_invoice_batch(BATCH)
            env.flush_all()
        own = "; ".join(prof.top(by="tottime", limit=6))
        return [*prof.top(match=("o2c_",)), f"self time: {own}"]


def _worker_run(db, job, touched, batch, barrier):
    """One cron worker: run the job as a real cron does (commit per batch)."""
    with odoo_env(db, commit=True) as env:
        if job == "invoice":
            cron = env.ref("o2c_invoice_release.ir_cron_o2c_auto_invoice")
            model, method = env["sale.order"], "_cron_o2c_auto_invoice"
        else:
            cron = env.ref("o2c_exception_base.ir_cron_o2c_exception_escalate")
            model, method = env["o2c.exception"], "_cron_escalate"
        progress = env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        env.cr.commit()
        model = model.with_context(ir_cron_progress_id=progress.id)
        touched[threading.get_ident()] = []
        barrier.wait()
        t0 = time.perf_counter()
        done = getattr(model, method)(batch_size=batch)
        elapsed = time.perf_counter() - t0
        return {"done": done, "elapsed": elapsed, "ids": touched[threading.get_ident()]}


def two_workers(db, job, batch):
    """Run ``job`` in two cron threads at once (as Odoo's threaded server does).

    Returns their outputs (with the ids each one escalated) and the wall time.
    """
    touched, outs, errors = {}, [None, None], []
    with odoo_env(db) as env:
        cls = type(env["o2c.exception"])
    original = cls._escalate_batch

    def spy(self, limit):
        batch = original(self, limit)
        touched.setdefault(threading.get_ident(), []).extend(batch.ids)
        return batch

    def target(index):
        try:
            outs[index] = _worker_run(db, job, touched, batch, barrier)
        except Exception as error:
            errors.append(error)

    barrier = threading.Barrier(2, timeout=600)
    cls._escalate_batch = spy
    try:
        threads = [threading.Thread(target=target, args=(i,)) for i in range(2)]
        t0 = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - t0
    finally:
        cls._escalate_batch = original
    if errors:
        raise errors[0]
    return outs, wall


def double_invoiced(db, first_id):
    """Sales order lines of the bench orders invoiced more than delivered (and their count)."""
    with odoo_env(db) as env:
        env.cr.execute(
            """SELECT count(*), COALESCE(sum(l.qty_invoiced - l.qty_delivered), 0)
                 FROM sale_order_line l
                WHERE l.order_id >= %s AND l.display_type IS NULL
                  AND l.qty_invoiced > l.qty_delivered""",
            [first_id],
        )
        lines, qty = env.cr.fetchone()
        env.cr.execute(
            """SELECT count(*) FROM (
                   SELECT rel.order_line_id
                     FROM sale_order_line_invoice_rel rel
                     JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                     JOIN account_move am ON am.id = aml.move_id
                     JOIN sale_order_line l ON l.id = rel.order_line_id
                    WHERE am.state != 'cancel' AND am.move_type = 'out_invoice'
                      AND l.order_id >= %s
                 GROUP BY 1 HAVING count(*) > 1) x""",
            [first_id],
        )
        twice = env.cr.fetchone()[0]
        left = len(_bench_orders(env, first_id))
        return lines, float(qty), twice, left


def _query_diff(dbs, firsts):
    """Queries of one batch: o2c cron batch vs Odoo's ``_create_invoices``, by function."""
    tracers = {}
    for label in ("vanilla", "o2c"):
        with odoo_env(dbs[label]) as env:
            orders = _bench_orders(env, firsts[label])[:BATCH]
            env.flush_all()
            with QueryTracer() as tracer:
                if label == "vanilla":
                    orders._create_invoices(final=True)
                else:
                    env["sale.order"]._o2c_auto_invoice_batch(BATCH)
                env.flush_all()
            tracers[label] = tracer
    total = {label: sum(t.counts.values()) for label, t in tracers.items()}
    return f"{total}; " + "; ".join(tracers["o2c"].diff(tracers["vanilla"], limit=12))


def run(bench, dbs, sizes):
    results = bench.results
    n = sizes["invoice_orders"]
    if "o2c" not in dbs:
        results.pending(SCENARIO, "no o2c database")
        return
    with odoo_env(dbs["o2c"]) as env:
        if not hasattr(env["sale.order"], "_cron_o2c_auto_invoice"):
            results.pending(SCENARIO, "o2c_invoice_release is not installed")
            return
    size = f"{n} delivered orders"
    firsts = {}
    for label in ("vanilla", "o2c"):
        log("scenario 3: %s delivered orders in %s", n, label)
        firsts[label] = prepare(dbs[label], n)
    log("scenario 3: Odoo's _create_invoices and the o2c cron, %s orders at a time in turns", BATCH)
    sides = side_by_side(dbs, firsts)
    count, invoices, base_s = sides["vanilla"]
    base_tp = count / base_s
    results.add(SCENARIO, size, "vanilla", "_create_invoices throughput", base_tp, "orders/s")
    results.add(SCENARIO, size, "vanilla", "invoices made", invoices)
    count, done, left, o2c_s = sides["o2c"]
    tp = count / o2c_s
    met = tp >= 0.9 * base_tp
    row = results.add(
        SCENARIO,
        size,
        "o2c",
        "release cron throughput (1 worker)",
        tp,
        "orders/s",
        baseline=base_tp,
        target=">= 0.9x Odoo",
        met=met,
    )
    results.add(
        SCENARIO,
        size,
        "o2c",
        "orders left not invoiced (1 worker)",
        left,
        target="0",
        met=left == 0,
    )
    if not met:
        profile = o2c_profile(dbs["o2c"])
        results.note(f"{SCENARIO}: o2c cron profile (one batch) " + "; ".join(profile))
        results.note(
            f"{SCENARIO}: added queries per batch of {BATCH} orders: " + _query_diff(dbs, firsts)
        )
    row["note"] = f"{done} orders released"
    log("scenario 3: two release workers at once")
    outs, wall = two_workers(dbs["o2c"], "invoice", sizes["worker_batch"])
    lines, qty, twice, left = double_invoiced(dbs["o2c"], firsts["o2c"])
    results.add(
        SCENARIO,
        size,
        "o2c",
        "release cron throughput (2 workers)",
        n / wall,
        "orders/s",
        baseline=base_tp,
        note=f"workers released {[o['done'] for o in outs]}",
    )
    results.add(
        SCENARIO,
        size,
        "o2c",
        "quantity invoiced twice (2 workers)",
        qty,
        target="0",
        met=qty == 0 and twice == 0,
        note=f"{lines} lines over-invoiced, {twice} lines on two invoices",
    )
    results.add(
        SCENARIO,
        size,
        "o2c",
        "orders left not invoiced (2 workers)",
        left,
        target="0",
        met=left == 0,
    )
