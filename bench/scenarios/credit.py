# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 2: credit exposure of a customer with many open invoices and open orders."""

from bench.clone import Cloner
from bench.generate import ensure_catalogue, order_vals
from bench.lib import Profiler, log, odoo_env, summarize, timed

from .configure import customer

SCENARIO = "2 credit exposure"


def run(bench, db, sizes):
    results = bench.results
    with odoo_env(db, commit=True) as env:
        if "o2c_credit_exposure" not in env["res.partner"]._fields:
            results.pending(SCENARIO, "o2c_credit_control is not installed")
            return
        info = ensure_catalogue(env)
        partner = customer(env, "CREDIT", "Bench credit customer")
        partner.sudo().write(
            {
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": 1e12,
                "o2c_overdue_tolerance_days": 3650,  # the largest allowed
                "o2c_overdue_tolerance_amount": 1e12,
            }
        )
        n_orders = sizes["credit_orders"]
        log("scenario 2: %s open orders for the credit customer", n_orders)
        orders = env["sale.order"].create(
            [order_vals(info, partner, 1, index=i) for i in range(n_orders)]
        )
        orders.action_confirm()
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {"product_id": info["products"][0].id, "quantity": 1, "price_unit": 10.0},
                    )
                ],
            }
        )
        invoice.action_post()
        env.cr.commit()
        cloner = Cloner(
            env.cr, {"account_move": invoice.ids}, [partner.id], [partner.id], span_days=1
        )
        have = 1
        per_size = {}
        for size in sizes["credit_invoices"]:
            if size > have:
                cloner.run(size - have, chunk=2000, k_start=have)
                have = size
                # the state autovacuum keeps a live database in (statistics, visibility
                # map), not a measurement racing the autovacuum of the new rows
                bench.pg.query("VACUUM ANALYZE account_move_line, account_move", db=db)
                env.invalidate_all()
            log("scenario 2: %s open invoices", size)
            per_size[size] = _measure(env, partner, info, sizes)
    _report(results, per_size, sizes)


def _measure(env, partner, info, sizes):
    company = env.company
    reps = sizes["credit_reps"]
    Partner = env["res.partner"]
    from odoo.addons.o2c_credit_control.models.credit_status import CreditRequest

    def exposure():
        return Partner._o2c_credit_evaluate([CreditRequest(0, partner, company)])

    out = {}
    times, queries = [], []
    for index in range(reps + 1):
        _r, elapsed, count = timed(env, exposure)
        if index:
            times.append(elapsed)
            queries.append(count)
    out["exposure"] = summarize(times, queries)
    # the check itself on a quotation, then full confirmations with the check on and off
    sales = info["sales"]
    quotes = env["sale.order"].create(
        [order_vals(info, partner, 10, index=i) for i in range(3 * (reps + 1))]
    )
    env.flush_all()
    check_t, check_q = [], []
    Order = env["sale.order"]
    for index, quote_id in enumerate(quotes.ids[: reps + 1]):
        # a fresh record: one created in a batch would prefetch all the quotes
        _r, elapsed, count = timed(env, Order.browse(quote_id)._o2c_credit_check)
        if index:
            check_t.append(elapsed)
            check_q.append(count)
    out["check"] = summarize(check_t, check_q)
    on_t, on_q, off_t, off_q = [], [], [], []
    rest = quotes.ids[reps + 1 :]
    for index in range(reps + 1):
        for flag, bucket_t, bucket_q in ((True, on_t, on_q), (False, off_t, off_q)):
            company.sudo().o2c_credit_check = flag
            env.flush_all()
            order = Order.with_user(sales).browse(rest[2 * index + (0 if flag else 1)])
            _r, elapsed, count = timed(env, order.action_confirm)
            if index:
                bucket_t.append(elapsed)
                bucket_q.append(count)
    company.sudo().o2c_credit_check = True
    out["confirm_on"] = summarize(on_t, on_q)
    out["confirm_off"] = summarize(off_t, off_q)
    if out["check"]["median_ms"] >= 20:
        with Profiler() as prof:
            timed(env, Order.browse(quotes.ids[0])._o2c_credit_check)
        out["profile"] = prof.top(match=("o2c_",))
    env.cr.rollback()
    return out


def _report(results, per_size, sizes):
    first = per_size[min(per_size)]
    big = max(per_size)
    for size, out in sorted(per_size.items()):
        label = f"{size} invoices + {sizes['credit_orders']} orders"
        for key, title in (("exposure", "exposure computation"), ("check", "credit check")):
            st = out[key]
            flat = st["queries"] == first[key]["queries"]
            results.add(SCENARIO, label, "o2c", f"{title} time", st["median_ms"], "ms")
            results.add(
                SCENARIO,
                label,
                "o2c",
                f"{title} queries",
                st["queries"],
                baseline=first[key]["queries"],
                target="same at every size",
                met=flat,
            )
        check = out["check"]["median_ms"]
        results.add(
            SCENARIO,
            label,
            "o2c",
            "check adds (check time)",
            check,
            "ms",
            target="< 20 ms at the largest size" if size == big else None,
            met=(check < 20) if size == big else None,
        )
        on, off = out["confirm_on"], out["confirm_off"]
        results.add(
            SCENARIO,
            label,
            "o2c",
            "credit-checked confirm (10 lines)",
            on["median_ms"],
            "ms",
            baseline=off["median_ms"],
            note="baseline: same confirmation with credit control off",
        )
        results.add(
            SCENARIO,
            label,
            "o2c",
            "credit-checked confirm queries",
            on["queries"],
            baseline=off["queries"],
            target="same at every size",
            met=on["queries"] == first["confirm_on"]["queries"],
        )
        if out.get("profile"):
            results.note(f"{SCENARIO} {label}: profile " + "; ".join(out["profile"]))
