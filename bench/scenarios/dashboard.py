# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 4: the control tower and the approver's "To approve" queue."""

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
    return out


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
