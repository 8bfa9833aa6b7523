# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 1: order confirmation, vanilla vs o2c vs OCA peers (interleaved runs)."""

import contextlib
import random
import statistics

from bench.generate import ensure_catalogue, order_vals
from bench.lib import LABELS as DATABASES
from bench.lib import Profiler, QueryTracer, log, odoo_env, summarize, timed

from .configure import customer

SCENARIO = "1 confirmation"
#: targets of the product owner (issue 27): o2c against vanilla Odoo
QUERY_MARGIN = 10  # at most this many queries more than vanilla per confirmation
TIME_RATIO = 1.10  # per-round time ratio, and below the OCA stack's


def calls_ratio(lines):
    """Python calls at most this times vanilla's: +8 % at 10 lines, +5 % at 200
    (the quick mode's 20 lines are held to the 10-line target)."""
    return 1.05 if lines >= 200 else 1.08


def run(bench, dbs, sizes):
    """``dbs``: ``{label: database}`` (vanilla first). Confirm fresh quotations, interleaved."""
    results = bench.results
    for lines in sizes["confirm_lines"]:
        reps, warmup = sizes["confirm_reps"][lines], sizes["confirm_warmup"][lines]
        log(
            "scenario 1: %s-line orders, %s runs after %s warm-up, %s",
            lines,
            reps,
            warmup,
            list(dbs),
        )
        stats = {}
        with contextlib.ExitStack() as stack:
            envs, orders = {}, {}
            for label, db in dbs.items():
                env = stack.enter_context(odoo_env(db))
                info = ensure_catalogue(env)
                partner = customer(env, "CONFIRM", "Bench confirm customer")
                sales = info["sales"]
                rng = random.Random(lines)
                # one more order per database: its confirmation counts the calls
                vals = [
                    order_vals(info, partner, lines, index=i, rng=rng)
                    for i in range(warmup + reps + 1)
                ]
                orders[label] = env["sale.order"].with_user(sales).create(vals)
                # committed: OCA base_exception reads the order from a second cursor
                env.cr.commit()
                envs[label] = env(user=sales)
            times = {label: [] for label in dbs}
            rounds = []  # {label: seconds} of each measured round
            queries = {label: [] for label in dbs}
            states = {label: set() for label in dbs}
            labels = list(envs)
            for index in range(warmup + reps):
                # each round starts with another database: no position bias
                shift = index % len(labels)
                round_times = {}
                for label in labels[shift:] + labels[:shift]:
                    env = envs[label]
                    # a fresh record, as a click or an RPC call confirms it: the
                    # batch it was created in would make every first read fetch
                    # the rows of all the bench orders (prefetch)
                    order = env["sale.order"].browse(orders[label].ids[index])
                    _res, elapsed, count = timed(env, order.action_confirm)
                    states[label].add(order.state)
                    round_times[label] = elapsed
                    if index >= warmup:
                        times[label].append(elapsed)
                        queries[label].append(count)
                if index >= warmup:
                    rounds.append(round_times)
            calls = {}
            for label in labels:
                env = envs[label]
                order = env["sale.order"].browse(orders[label].ids[-1])
                env.flush_all()
                env.invalidate_all()
                with Profiler() as prof:
                    order.action_confirm()
                    env.flush_all()
                calls[label] = prof.calls()
            for label in dbs:
                stats[label] = summarize(times[label], queries[label])
                stats[label]["calls"] = calls[label]
                if "vanilla" in dbs:
                    stats[label]["paired"] = paired(rounds, label, "vanilla")
                if states[label] != {"sale"}:
                    results.note(
                        f"{SCENARIO} {lines} lines {label}: orders ended in {states[label]}"
                    )
            if "delivery" in dbs and "o2c" in dbs:
                stats["o2c"]["paired_delivery"] = paired(rounds, "o2c", "delivery")
            if "purchase" in dbs and "o2c_purchase" in dbs:
                stats["o2c_purchase"]["paired_purchase"] = paired(
                    rounds, "o2c_purchase", "purchase"
                )
            if "o2c" in dbs and "o2c_off" in dbs:
                # the controls' own cost: the same installation with every control off
                stats["o2c"]["paired_off"] = paired(rounds, "o2c", "o2c_off")
            if "o2c" in envs:
                stats["o2c hold"] = _time_to_hold(envs["o2c"], lines, sizes)
            profile = None
            base = stats.get("vanilla")
            o2c = stats.get("o2c")
            if (
                base
                and o2c
                and (
                    o2c.get("paired", o2c["median_ms"] / base["median_ms"]) > TIME_RATIO
                    or o2c["queries"] > base["queries"] + QUERY_MARGIN
                    or o2c["calls"] > base["calls"] * calls_ratio(lines)
                )
            ):
                profile = _profile(envs["o2c"], lines) + _query_diff(envs, orders, lines)
        _cleanup(dbs, {label: recs.ids for label, recs in orders.items()})
        _report(results, lines, stats, profile)


def paired(rounds, label, base):
    """Median over the rounds of ``label``'s time over ``base``'s in the same round.

    The databases of a round run one after the other within seconds, so a slower
    or faster spell of the machine (other load, a neighbour VM, autovacuum)
    weighs on both sides of each ratio; medians of the whole series do not pair
    the runs and moved by up to 15 % between full runs on this 2-core machine.
    """
    return statistics.median(r[label] / r[base] for r in rounds)


def _cleanup(dbs, ids):
    """Delete the committed quotations (their confirmations were rolled back)."""
    for label, db in dbs.items():
        with odoo_env(db, commit=True) as env:
            env["sale.order"].browse(ids[label]).exists().unlink()


def _time_to_hold(env, lines, sizes):
    """A quotation with a 60 % discount: the pricing control holds it."""
    info = ensure_catalogue(env(su=True))
    partner = customer(env(su=True), "CONFIRM", "Bench confirm customer")
    warmup = sizes["confirm_warmup"][lines]
    n = warmup + sizes["confirm_reps"][lines]
    rng = random.Random(lines + 1)
    vals = [order_vals(info, partner, lines, index=i, discount=60.0, rng=rng) for i in range(n)]
    orders = env["sale.order"].create(vals)
    times, queries, held = [], [], 0
    for index, order_id in enumerate(orders.ids):
        order = env["sale.order"].browse(order_id)  # fresh, see run()
        _res, elapsed, count = timed(env, order.action_confirm)
        held += order.state in ("draft", "sent") and order.o2c_blocked
        if index >= warmup:
            times.append(elapsed)
            queries.append(count)
    stats = summarize(times, queries)
    stats["held"] = held == len(orders)
    return stats


def _profile(env, lines):
    info = ensure_catalogue(env(su=True))
    partner = customer(env(su=True), "CONFIRM", "Bench confirm customer")
    orders = env["sale.order"].create([order_vals(info, partner, lines, index=i) for i in range(3)])
    orders[0].action_confirm()
    with Profiler() as prof:
        for order in orders[1:]:
            timed(env, order.action_confirm)
    own = "; ".join(prof.top(by="tottime", limit=6))
    return [*prof.top(match=("o2c_",)), f"self time: {own}"]


def _query_diff(envs, orders, lines):
    """Where the added queries come from: o2c vs vanilla, per addon function."""
    tracers = {}
    for label in ("vanilla", "o2c"):
        env = envs[label]
        info = ensure_catalogue(env(su=True))
        partner = customer(env(su=True), "CONFIRM", "Bench confirm customer")
        pair = env["sale.order"].create(
            [order_vals(info, partner, lines, index=i) for i in range(2)]
        )
        timed(env, pair[0].action_confirm)
        env.flush_all()
        env.invalidate_all()
        with QueryTracer() as tracer:
            timed(env, pair[1].action_confirm)
        tracers[label] = tracer
    return [
        "added queries by function: " + "; ".join(tracers["o2c"].diff(tracers["vanilla"], limit=16))
    ]


LABELS = {
    "delivery": "vanilla+stock_delivery",
    "purchase": "vanilla+purchase_stock",
    "o2c_off": "o2c, every control off",
    "o2c_purchase": "o2c+purchase_stock",
}


def _report_vs_delivery(results, size, name, st, delivery):
    """o2c against vanilla with Odoo's stock_delivery, which freight control depends
    on (informational: the targets are against vanilla)."""
    results.add(
        SCENARIO,
        size,
        name,
        "added queries vs vanilla+stock_delivery",
        st["queries"] - delivery["queries"],
    )
    results.add(
        SCENARIO,
        size,
        name,
        "Python calls vs vanilla+stock_delivery",
        st["calls"],
        baseline=delivery["calls"],
        note="exact (cProfile)",
    )
    results.add(
        SCENARIO,
        size,
        name,
        "time vs vanilla+stock_delivery, same round (median of per-round ratios)",
        round(st["paired_delivery"], 3),
        "x",
    )


def _report(results, lines, stats, profile):
    size = f"{lines} lines"
    base = stats.get("vanilla")
    oca = stats.get("oca")
    purchase = stats.get("purchase")
    delivery = stats.get("delivery")
    for label in DATABASES:
        st = stats.get(label)
        if not st:
            continue
        name = LABELS.get(label, label)
        if label == "vanilla":
            results.add(SCENARIO, size, name, "confirm median", st["median_ms"], "ms")
            results.add(SCENARIO, size, name, "confirm p90", st["p90_ms"], "ms")
            results.add(SCENARIO, size, name, "queries per confirm", st["queries"])
            results.add(SCENARIO, size, name, "Python calls per confirm", st["calls"])
            continue
        results.add(
            SCENARIO,
            size,
            name,
            "confirm median",
            st["median_ms"],
            "ms",
            baseline=base and base["median_ms"],
        )
        if "paired" in st:
            target = met = None
            if label == "o2c":
                target = f"<= {TIME_RATIO:.2f}x vanilla"
                met = st["paired"] <= TIME_RATIO
                if oca and "paired" in oca:
                    target += ", < OCA"
                    met = met and st["paired"] < oca["paired"]
            results.add(
                SCENARIO,
                size,
                name,
                "time vs vanilla, same round (median of per-round ratios)",
                round(st["paired"], 3),
                "x",
                target=target,
                met=met,
            )
        results.add(
            SCENARIO,
            size,
            name,
            "confirm p90",
            st["p90_ms"],
            "ms",
            baseline=base and base["p90_ms"],
        )
        target = met = None
        if label == "o2c" and base:
            target = f"<= vanilla + {QUERY_MARGIN}"
            met = st["queries"] <= base["queries"] + QUERY_MARGIN
            if oca:
                target += ", < OCA"
                met = met and st["queries"] < oca["queries"]
        results.add(
            SCENARIO,
            size,
            name,
            "queries per confirm",
            st["queries"],
            baseline=base and base["queries"],
            target=target,
            met=met,
        )
        if base:
            results.add(SCENARIO, size, name, "added queries", st["queries"] - base["queries"])
            target = met = None
            if label == "o2c":
                target = f"<= {calls_ratio(lines):.2f}x vanilla"
                met = st["calls"] <= base["calls"] * calls_ratio(lines)
            results.add(
                SCENARIO,
                size,
                name,
                "Python calls per confirm",
                st["calls"],
                baseline=base["calls"],
                note="exact, unlike the times: the interpreter's work (cProfile)",
                target=target,
                met=met,
            )
        if "paired_off" in st:
            results.add(
                SCENARIO,
                size,
                name,
                "time vs o2c with every control off, same round (the controls' own cost)",
                round(st["paired_off"], 3),
                "x",
            )
        if label == "o2c" and delivery:
            _report_vs_delivery(results, size, name, st, delivery)
        if label == "o2c_purchase" and purchase:
            # the same targets, against vanilla with Odoo Purchase
            results.add(
                SCENARIO,
                size,
                name,
                "added queries vs vanilla+purchase_stock",
                st["queries"] - purchase["queries"],
                target=f"<= {QUERY_MARGIN}",
                met=st["queries"] - purchase["queries"] <= QUERY_MARGIN,
            )
            results.add(
                SCENARIO,
                size,
                name,
                "confirm median vs vanilla+purchase_stock",
                st["median_ms"],
                "ms",
                baseline=purchase["median_ms"],
            )
            results.add(
                SCENARIO,
                size,
                name,
                "time vs vanilla+purchase_stock, same round (median of per-round ratios)",
                round(st["paired_purchase"], 3),
                "x",
                target=f"<= {TIME_RATIO:.2f}x vanilla+purchase_stock",
                met=st["paired_purchase"] <= TIME_RATIO,
            )
    hold = stats.get("o2c hold")
    if hold:
        results.add(
            SCENARIO,
            size,
            "o2c",
            "time to hold (60 % discount)",
            hold["median_ms"],
            "ms",
            baseline=base and base["median_ms"],
            note=None if hold["held"] else "the order was NOT held",
        )
        results.add(
            SCENARIO,
            size,
            "o2c",
            "queries to hold",
            hold["queries"],
            baseline=base and base["queries"],
        )
    if profile:
        results.note(f"{SCENARIO} {size}: o2c profile (cumulative): " + "; ".join(profile))
