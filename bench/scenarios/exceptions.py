# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 5: raising many exceptions in one call; the escalation cron, one and two workers."""

import time

from bench.lib import Profiler, QueryKinds, log, odoo_env, timed

from .invoicing import two_workers

SCENARIO = "5 exceptions"


def _free_orders(env, n):
    """``n`` orders without a live ``discount_approval`` exception."""
    env.cr.execute(
        """SELECT so.id FROM sale_order so
            WHERE NOT EXISTS (SELECT 1 FROM o2c_exception e
                               WHERE e.res_model = 'sale.order' AND e.res_id = so.id
                                 AND e.code = 'discount_approval'
                                 AND e.state IN ('open', 'approved', 'rejected'))
         ORDER BY so.id LIMIT %s""",
        [n],
    )
    return env["sale.order"].browse([r[0] for r in env.cr.fetchall()])


def raise_many(bench, db, sizes):
    results = bench.results
    out = {}
    with odoo_env(db) as env:
        sales = env["res.users"].search([("login", "=", "bench_sales")]) or env.user
        for size in sizes["raise_counts"]:
            orders = _free_orders(env, size).with_user(sales).sudo()
            if len(orders) < size:
                results.note(f"{SCENARIO}: only {len(orders)} orders free for {size} exceptions")
            log("scenario 5: raising %s exceptions in one call", len(orders))
            with env.cr.savepoint() as sp:
                with QueryKinds() as kinds:
                    excs, elapsed, count = timed(
                        env,
                        orders._o2c_raise_exceptions,
                        "discount_approval",
                        {"name": "Bench raise"},
                    )
                out[size] = (len(excs), elapsed, count, kinds.counts)
                if size == max(sizes["raise_counts"]) and count > out[min(out)][2]:
                    env.invalidate_all()
                    with Profiler() as prof:
                        orders._o2c_raise_exceptions("discount_approval", {"name": "Bench raise 2"})
                    results.note(
                        f"{SCENARIO} raise profile: " + "; ".join(prof.top(match=("o2c_",)))
                    )
                sp.close(rollback=True)
            env.invalidate_all()
    small = out[min(out)]
    for _size, (made, elapsed, count, kinds) in sorted(out.items()):
        results.add(
            SCENARIO, f"{made} exceptions", "o2c", "raise in one call", elapsed * 1000, "ms"
        )
        writes = kinds.get("INSERT", 0) + kinds.get("UPDATE", 0)
        results.add(
            SCENARIO,
            f"{made} exceptions",
            "o2c",
            "raise queries",
            count,
            baseline=small[2],
            target="flat in the count",
            met=count <= small[2],
            note=f"{kinds.get('INSERT', 0)} INSERT, {kinds.get('UPDATE', 0)} UPDATE, "
            f"{count - writes} other",
        )
    if max(out) != min(out):
        big = out[max(out)]
        made_small, made_big = small[0], big[0]
        results.note(
            f"{SCENARIO}: raising {made_big} instead of {made_small} exceptions adds "
            f"{big[2] - small[2]} queries: the ORM writes at most 100 rows per INSERT or UPDATE "
            "(an UPDATE per set of changed columns) "
            f"(INSERT {small[3].get('INSERT', 0)} -> {big[3].get('INSERT', 0)}, "
            f"UPDATE {small[3].get('UPDATE', 0)} -> {big[3].get('UPDATE', 0)}) and reads "
            "and recomputes 1,000 records per query (the rest); no query is per exception"
        )


def _reset_open(env, n):
    """Make ``n`` exceptions open, not escalated and past their deadline (only them)."""
    env.cr.execute("UPDATE o2c_exception SET escalated = TRUE WHERE state = 'open'")
    env.cr.execute(
        """UPDATE o2c_exception SET state = 'open', escalated = FALSE, escalated_date = NULL,
                  deadline = (now() at time zone 'utc') - interval '1 hour', active = TRUE
            WHERE id IN (SELECT id FROM o2c_exception ORDER BY id LIMIT %s)""",
        [n],
    )
    env.invalidate_all()
    return env.cr.rowcount


def escalate(bench, db, sizes):
    results = bench.results
    n = sizes["escalate"]
    with odoo_env(db) as env:
        count = _reset_open(env, n)
        size = f"{count} open exceptions"
        log("scenario 5: escalation cron over %s open exceptions, one worker", count)
        env.flush_all()
        t0 = time.perf_counter()
        done = env["o2c.exception"]._cron_escalate()
        env.flush_all()
        elapsed = time.perf_counter() - t0
        # rolled back at the end of the block
    results.add(
        SCENARIO,
        size,
        "o2c",
        "escalation cron (1 worker)",
        elapsed,
        "s",
        note=f"{done} escalated, {done / elapsed:.0f}/s",
    )
    with odoo_env(db, commit=True) as env:
        count = _reset_open(env, min(n, sizes.get("escalate_workers", n)))
    size = f"{count} open exceptions"
    log("scenario 5: escalation cron over %s open exceptions, two workers at once", count)
    outs, wall = two_workers(db, "escalate", sizes["escalate_batch"])
    ids = [set(o["ids"]) for o in outs]
    both = len(ids[0] & ids[1])
    total = len(ids[0] | ids[1])
    results.add(
        SCENARIO,
        size,
        "o2c",
        "escalation cron (2 workers)",
        wall,
        "s",
        note=f"split {[len(i) for i in ids]}",
    )
    results.add(
        SCENARIO,
        size,
        "o2c",
        "rows escalated by both workers",
        both,
        target="0",
        met=both == 0 and total == count,
        note=f"{total} of {count} escalated",
    )
