# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 4: the control tower and the approver's "To approve" queue.

The order cycle figures (cycle times, time held, their tables by exception type,
order class and channel) are measured alone too, with their values.
"""

from bench.lib import Profiler, log, odoo_env, summarize, timed

SCENARIO = "4 dashboard"
QUEUE_SPEC = {
    "request_date": {},
    "type_id": {"fields": {"display_name": {}}},
    "name": {},
    "res_name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "amount": {},
    "currency_id": {"fields": {}},
    "blocking": {},
    "requested_by_id": {"fields": {"display_name": {}}},
    "deadline": {},
    "is_overdue": {},
    "state": {},
}


def measure(db, reps, profile=False):
    """Dashboard as the O2C manager, queue as the approver: ``{name: stats}``."""
    out = {}
    with odoo_env(db) as env:
        manager = env["res.users"].search([("login", "=", "bench_manager")]) or env.user
        approver = env["res.users"].search([("login", "=", "bench_approver")]) or env.user
        env.cr.execute("SELECT count(*) FROM sale_order")
        out["orders"] = env.cr.fetchone()[0]
        env.cr.execute("SELECT count(*) FROM o2c_exception")
        out["exceptions"] = env.cr.fetchone()[0]
        denv = env(user=manager)
        dash = denv["o2c.dashboard"]
        qenv = env(user=approver)
        queue = qenv["o2c.exception"]
        calls = {
            "dashboard": (denv, lambda: dash.get_dashboard_data({})),
            "queue": (
                qenv,
                lambda: queue.web_search_read(
                    [("can_approve", "=", True)], QUEUE_SPEC, limit=80, count_limit=10001
                ),
            ),
        }
        for name, (cenv, call) in calls.items():
            times, queries = [], []
            for index in range(reps + 1):
                _r, elapsed, count = timed(cenv, call)
                if index:
                    times.append(elapsed)
                    queries.append(count)
            out[name] = summarize(times, queries)
            if profile:
                with Profiler() as prof:
                    timed(cenv, call)
                out[name]["profile"] = prof.top(match=("o2c_", "odoo/models.py", "odoo/osv"))
        out["figures"] = len(dash.get_dashboard_data({})["figures"])
        if "o2c.order.step" in env:
            out["cycle"] = _measure_cycle(denv, dash, reps)
    return out


#: the cycle figures reported with their values (another review reads these keys)
CYCLE_KEYS = (
    "cycle_to_delivery_median",
    "cycle_to_delivery_p90",
    "cycle_to_invoice_median",
    "cycle_to_invoice_p90",
    "cycle_to_cash_median",
    "cycle_to_cash_p90",
    "held_share",
)


def _measure_cycle(env, dash, reps):
    """The cycle time figures and tables alone: time, queries, values, step rows."""
    ctx = dash._o2c_dashboard_context({})

    def cycle():
        figures = dash._o2c_evaluate(ctx, dash._o2c_cycle_declarations(ctx))
        return figures, dash._o2c_cycle_charts(ctx)

    times, queries = [], []
    for index in range(reps + 1):
        _r, elapsed, count = timed(env, cycle)
        if index:
            times.append(elapsed)
            queries.append(count)
    out = summarize(times, queries)
    figures, charts = cycle()
    out["values"] = {f["key"]: f["value"] for f in figures if f["key"] in CYCLE_KEYS}
    out["tables"] = {name: len(chart["rows"]) for name, chart in charts.items()}
    env.cr.execute("SELECT count(*) FROM o2c_order_step")
    out["steps"] = env.cr.fetchone()[0]
    return out


def _report_cycle(results, size, out, baseline=None):
    """Rows of the cycle figures at one size (``baseline``: the small size's)."""
    cycle = out.get("cycle")
    if not cycle:
        return
    base = (baseline or {}).get("cycle") or {}
    results.add(
        SCENARIO,
        size,
        "o2c",
        "cycle figures (7) + 3 tables",
        cycle["median_ms"],
        "ms",
        baseline=base.get("median_ms"),
        note=f"{cycle['steps']} order steps",
    )
    results.add(
        SCENARIO,
        size,
        "o2c",
        "cycle queries",
        cycle["queries"],
        baseline=base.get("queries"),
        target="same as small" if baseline else None,
        met=cycle["queries"] == base.get("queries") if baseline else None,
    )
    values = ", ".join(
        f"{key} {value if value is None else round(value, 1)}"
        for key, value in cycle["values"].items()
    )
    results.note(f"{SCENARIO} {size} cycle figures (hours, held share %): {values}")


def report_small(results, small):
    size_s = f"{small['orders']} orders / {small['exceptions']} exc."
    results.add(
        SCENARIO, size_s, "o2c", "get_dashboard_data", small["dashboard"]["median_ms"], "ms"
    )
    results.add(
        SCENARIO,
        size_s,
        "o2c",
        "dashboard queries",
        small["dashboard"]["queries"],
        note=f"{small['figures']} figures",
    )
    results.add(
        SCENARIO, size_s, "o2c", "'To approve' queue (80 rows)", small["queue"]["median_ms"], "ms"
    )
    results.add(SCENARIO, size_s, "o2c", "queue queries", small["queue"]["queries"])
    _report_cycle(results, size_s, small)


def report_large(results, small, large):
    """The large size against the small one (``small`` may be missing)."""
    small = small or {
        "dashboard": {"median_ms": None, "queries": None},
        "queue": {"median_ms": None, "queries": None},
    }
    size_l = f"{large['orders']} orders / {large['exceptions']} exc."
    dash_ms = large["dashboard"]["median_ms"]
    results.add(
        SCENARIO,
        size_l,
        "o2c",
        "get_dashboard_data",
        dash_ms,
        "ms",
        baseline=small["dashboard"]["median_ms"],
        target="< 300 ms",
        met=dash_ms < 300,
    )
    results.add(
        SCENARIO,
        size_l,
        "o2c",
        "dashboard queries",
        large["dashboard"]["queries"],
        baseline=small["dashboard"]["queries"],
        target="same as small",
        met=large["dashboard"]["queries"] == small["dashboard"]["queries"],
    )
    queue_ms = large["queue"]["median_ms"]
    results.add(
        SCENARIO,
        size_l,
        "o2c",
        "'To approve' queue (80 rows)",
        queue_ms,
        "ms",
        baseline=small["queue"]["median_ms"],
        target="< 200 ms",
        met=queue_ms < 200,
    )
    results.add(
        SCENARIO,
        size_l,
        "o2c",
        "queue queries",
        large["queue"]["queries"],
        baseline=small["queue"]["queries"],
    )
    _report_cycle(results, size_l, large, small)
    for name in ("dashboard", "queue"):
        if large[name].get("profile"):
            results.note(
                f"{SCENARIO} {size_l} {name} profile: " + "; ".join(large[name]["profile"])
            )


def slow_figures(db, limit=8):
    """Time each figure family of the dashboard alone at this size (what to fix first)."""
    rows = []
    with odoo_env(db) as env:
        manager = env["res.users"].search([("login", "=", "bench_manager")]) or env.user
        dash = env(user=manager)["o2c.dashboard"]
        ctx = dash._o2c_dashboard_context({})
        for name in dir(type(dash)):
            if (
                not (name.startswith("_o2c_") and name.endswith("_figures"))
                or name == "_o2c_dashboard_figures"
            ):
                continue
            method = getattr(dash, name)
            try:
                _r, elapsed, count = timed(env, method, ctx)
            except TypeError:
                continue
            rows.append((elapsed * 1000, count, name))
        for name in ("_o2c_dashboard_charts",):
            _r, elapsed, count = timed(env, getattr(dash, name), ctx)
            rows.append((elapsed * 1000, count, name))
    rows.sort(reverse=True)
    log("scenario 4: slowest figure families %s", rows[:limit])
    return [f"{name} {ms:.0f} ms/{q} q" for ms, q, name in rows[:limit]]
