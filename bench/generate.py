# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Data of a wholesale distributor at scale, for the benchmark and for trying o2c.

Catalogue (ORM, batched ``create``): three warehouses, customers in segments,
products in categories with costs and stock, pricelists, sales teams, users.
History: a bundle of 28 template orders in every state (quotation, sent,
cancelled, confirmed, partly delivered, delivered, invoiced, paid) with 7 O2C
exceptions of every type and state, made by the ORM (their order steps spread
over a realistic cycle by SQL), then copied by SQL
(:mod:`bench.clone`) as many times as needed: 200,000 orders and 50,000
exceptions take minutes.

    .venv/bin/python bench/generate.py --config .o2c/odoo.conf --db DB --orders 200000
"""

import argparse
import datetime
import os
import random
import sys

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.lib import log, odoo_env, odoo_init

SEGMENTS = ("Key account", "Wholesale", "Retail")
CATEGORIES = ("Beverages", "Dry goods", "Frozen", "Household", "Hygiene")
WAREHOUSES = (("Bench North", "BNO"), ("Bench South", "BSO"))
#: orders of the template bundle, by state (28 orders, 7 exceptions: 4 to 1)
BUNDLE = (
    ["draft"] * 4
    + ["sent"] * 2
    + ["cancel"]
    + ["confirmed"] * 5
    + ["partial"] * 2
    + ["delivered"] * 4
    + ["invoiced"] * 5
    + ["paid"] * 5
)
EXCEPTION_PLAN = (
    ("discount_approval", "draft", "open"),
    ("credit_hold", "confirmed", "approved"),
    ("backorder", "backorder", "open"),
    ("substitution", "delivered_picking", "resolved"),
    ("short_pick", "partial_picking", "rejected"),
    ("missing_pod", "delivered_picking", "open"),
    ("invoice_dispute", "invoice", "open"),
)
REF = "BENCH-"


def _group_ids(env, xmlids):
    groups = env["res.groups"]
    for xmlid in xmlids:
        groups |= env.ref(xmlid, raise_if_not_found=False) or groups
    return groups


def _o2c_groups(env):
    data = env["ir.model.data"].search([("model", "=", "res.groups"), ("module", "=like", "o2c_%")])
    return env["res.groups"].browse(data.mapped("res_id"))


# ---------------------------------------------------------- CATALOGUE
def ensure_catalogue(env, customers=200, products=100, seed=42):
    """Create the distributor once (idempotent); return ``{name: recordset}``."""
    from odoo import Command

    rng = random.Random(seed)
    Partner = env["res.partner"].with_context(tracking_disable=True)
    existing = Partner.search([("ref", "=like", REF + "C%")], order="id")
    info = {}
    company = env.company
    if not existing:
        log("catalogue: %s customers, %s products, 3 warehouses", customers, products)
        company.write({"name": "Bench Distribution", "street": "1 Dock Road", "zip": "10001"})
        env["stock.warehouse"].create([{"name": n, "code": c} for n, c in WAREHOUSES])
        tags = env["res.partner.category"].create([{"name": s} for s in SEGMENTS])
        env["crm.team"].create([{"name": "Inside sales"}, {"name": "Field sales"}])
        country = env.ref("base.us", raise_if_not_found=False)
        Partner.create(
            [
                {
                    "name": f"Customer {i:05d}",
                    "ref": f"{REF}C{i:05d}",
                    "is_company": True,
                    "category_id": [Command.set(tags[i % len(tags)].ids)],
                    "street": f"{i} Market Street",
                    "zip": f"{10000 + i % 9000}",
                    "city": "Springfield",
                    "country_id": country.id if country else False,
                    "email": f"customer{i}@example.com",
                }
                for i in range(1, customers + 1)
            ]
        )
        categs = env["product.category"].create([{"name": c} for c in CATEGORIES])
        vals = []
        for i in range(1, products + 1):
            price = round(rng.uniform(5, 200), 2)
            vals.append(
                {
                    "name": f"Item {i:05d}",
                    "default_code": f"{REF}P{i:05d}",
                    "type": "consu",
                    "is_storable": True,
                    "invoice_policy": "delivery",
                    "list_price": price,
                    "standard_price": round(price * rng.uniform(0.45, 0.7), 2),
                    "categ_id": categs[i % len(categs)].id,
                    "sale_ok": True,
                }
            )
        env["product.template"].with_context(tracking_disable=True).create(vals)
        pricelists = env["product.pricelist"].create(
            [
                {
                    "name": f"{name} prices",
                    "item_ids": [
                        Command.create(
                            {
                                "compute_price": "percentage",
                                "percent_price": pct,
                                "applied_on": "3_global",
                            }
                        )
                    ],
                }
                for name, pct in (("Key account", 8), ("Wholesale", 4))
            ]
        )
        new = Partner.search([("ref", "=like", REF + "C%")], order="id")
        for index, pricelist in enumerate(pricelists):
            new.filtered(lambda p, t=tags[index]: t in p.category_id).write(
                {"property_product_pricelist": pricelist.id}
            )
        _stock(env, products)
        _users(env)
        env.flush_all()
        existing = new
    info["customers"] = existing
    info["products"] = env["product.product"].search(
        [("default_code", "=like", REF + "P%")], order="id"
    )
    info["warehouses"] = env["stock.warehouse"].search([], order="id")
    info["teams"] = env["crm.team"].search(
        [("name", "in", ("Inside sales", "Field sales"))], order="id"
    )
    info["sales"] = env["res.users"].search([("login", "=", "bench_sales")])
    info["approver"] = env["res.users"].search([("login", "=", "bench_approver")])
    info["manager"] = env["res.users"].search([("login", "=", "bench_manager")])
    return info


def _stock(env, products):
    """Plenty of stock of every product in every warehouse (no valuation entries)."""
    items = env["product.product"].search([("default_code", "=like", REF + "P%")])
    Quant = env["stock.quant"].sudo()
    for warehouse in env["stock.warehouse"].search([]):
        for product in items:
            Quant._update_available_quantity(product, warehouse.lot_stock_id, 1_000_000)


def _users(env):
    """A salesperson, an approver (every O2C approval group), an O2C manager."""
    from odoo import Command

    base = _group_ids(
        env,
        [
            "base.group_user",
            "sales_team.group_sale_salesman_all_leads",
            "stock.group_stock_user",
            "account.group_account_invoice",
        ],
    )
    o2c = _o2c_groups(env)
    user_group = env.ref("o2c_exception_base.group_o2c_user", raise_if_not_found=False)
    specs = (
        ("bench_sales", "Bench Salesperson", base | (user_group or base)),
        (
            "bench_approver",
            "Bench Approver",
            base | o2c | _group_ids(env, ["account.group_account_manager"]),
        ),
        (
            "bench_manager",
            "Bench Manager",
            base | o2c | _group_ids(env, ["sales_team.group_sale_manager"]),
        ),
    )
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    for login, name, groups in specs:
        user = Users.search([("login", "=", login)])
        if user:
            user.groups_id = [Command.link(g.id) for g in groups]
        else:
            Users.create(
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@example.com",
                    "groups_id": [Command.set(groups.ids)],
                }
            )


def refresh_o2c_users(env):
    """Give the bench users the O2C groups (after O2C is installed on a copied database)."""
    _users(env)


# ------------------------------------------------------------- ORDERS
def order_vals(info, partner, lines, index=0, warehouse=None, discount=0.0, rng=None):
    """Values of one quotation with ``lines`` lines of catalogue products."""
    from odoo import Command

    rng = rng or random.Random(index)
    products = info["products"]
    vals = {
        "partner_id": partner.id,
        "user_id": info["sales"].id or False,
        "team_id": info["teams"][index % len(info["teams"])].id if info["teams"] else False,
        "order_line": [
            Command.create(
                {
                    "product_id": products[(index * 7 + j) % len(products)].id,
                    "product_uom_qty": rng.randint(1, 20),
                    "discount": discount,
                }
            )
            for j in range(lines)
        ],
    }
    if warehouse:
        vals["warehouse_id"] = warehouse.id
    return vals


def deliver(pickings, ratio=1.0):
    """Validate transfers with ``ratio`` of the demand (backorder for the rest)."""
    for move in pickings.move_ids:
        qty = move.product_uom_qty if ratio >= 1 else max(1.0, int(move.product_uom_qty * ratio))
        move.quantity = qty
        move.picked = True
    return pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()


def make_bundle(env, info, n_exceptions=7):
    """Create the template bundle on a dedicated customer; return ``(roots, partner)``."""
    from odoo import Command  # noqa: F401

    rng = random.Random(7)
    partner = env["res.partner"].create(
        {"name": "Template customer", "is_company": True, "zip": "10001"}
    )
    warehouses = info["warehouses"]
    vals = [
        order_vals(
            info, partner, 1 + i % 5, index=i, warehouse=warehouses[i % len(warehouses)], rng=rng
        )
        for i in range(len(BUNDLE))
    ]
    orders = env["sale.order"].create(vals)
    by_state = {}
    for order, state in zip(orders, BUNDLE, strict=True):
        by_state.setdefault(state, env["sale.order"])
        by_state[state] |= order
    by_state["sent"].write({"state": "sent"})
    by_state["cancel"]._action_cancel()
    to_confirm = (
        orders.filtered(lambda o: o.state in ("draft", "sent"))
        - by_state["draft"]
        - by_state["sent"]
    )
    to_confirm.action_confirm()
    held = to_confirm.filtered(lambda o: o.state != "sale")
    if held:
        log("history: %s template orders held at confirmation (kept as they are)", len(held))
    partial = by_state["partial"].picking_ids
    deliver(partial, 0.5)
    done_states = ("delivered", "invoiced", "paid")
    full = env["sale.order"].union(*(by_state[s] for s in done_states)).picking_ids
    deliver(full)
    to_invoice = by_state["invoiced"] | by_state["paid"]
    invoices = to_invoice.filtered(lambda o: o.state == "sale")._create_invoices(
        grouped=True, final=True
    )
    invoices.action_post()
    paid_invoices = invoices.filtered(
        lambda m: m.invoice_line_ids.sale_line_ids.order_id & by_state["paid"]
    )
    if paid_invoices:
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid_invoices.ids
        ).create({"group_payment": False}).action_create_payments()
    docs = {
        "draft": by_state["draft"],
        "confirmed": by_state["confirmed"],
        "backorder": by_state["partial"].picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        ),
        "partial_picking": partial.filtered(lambda p: p.state == "done"),
        "delivered_picking": full.filtered(lambda p: p.state == "done"),
        "invoice": invoices - paid_invoices,
    }
    if "o2c.exception" in env:
        _bundle_exceptions(env, info, docs, n_exceptions)
    if "o2c.order.step" in env:
        _bundle_cycle(env, orders)
    env.flush_all()
    roots = {
        "sale_order": orders.ids,
        "procurement_group": orders.procurement_group_id.ids,
    }
    moves = invoices
    payments = env["account.payment"].search([("partner_id", "=", partner.id)])
    moves |= payments.move_id
    roots["account_move"] = moves.ids
    roots["account_full_reconcile"] = moves.line_ids.full_reconcile_id.ids
    return roots, partner


def _bundle_exceptions(env, info, docs, count):
    """Raise ``count`` exceptions on the bundle, cycling through types and states."""
    sales = info["sales"] or env.user
    approver = info["approver"] or env.user
    # rejecting and resolving need a root cause (o2c_exception_base 18.0.1.6.0)
    cause = env.ref("o2c_exception_base.o2c_root_cause_training").id
    used = {}
    codes = set(env["o2c.exception.type"].search([]).mapped("code"))
    plan = [p for p in EXCEPTION_PLAN if p[0] in codes]
    for index in range(count):
        code, kind, state = plan[index % len(plan)]
        pool = docs.get(kind)
        if not pool:
            continue
        doc = pool[used.get(kind, 0) % len(pool)]
        used[kind] = used.get(kind, 0) + 1
        amount = getattr(doc, "amount_total", 0.0) or 100.0
        exc = (
            doc.with_user(sales)
            .sudo()
            ._o2c_raise_exceptions(code, {"name": f"Bench {code}", "amount": amount})
        )
        exc = exc.filtered(lambda e, c=code: e.code == c)[:1]
        if not exc or state == "open":
            continue
        exc = exc.with_user(approver)
        try:
            if state == "approved":
                exc.action_approve("Bench: approved")
            elif state == "rejected":
                exc.action_reject("Bench: rejected", root_cause_id=cause)
            elif state == "resolved":
                exc.action_resolve("Bench: resolved", root_cause_id=cause)
        except Exception as error:
            log("history: could not %s a %s exception (%s)", state, code, error)


#: order steps in the order a cycle passes them, with the hours each takes after
#: the previous one (a range drawn per order): the bundle's orders were made in
#: seconds, their timeline is spread like a distributor's (days to deliver,
#: weeks to be paid)
CYCLE_GAPS = (
    ("quotation", (0, 0)),
    ("confirm_asked", (2, 48)),
    ("held", (0, 1)),
    ("released", (1, 30)),
    ("confirmed", (0, 2)),
    ("first_delivery", (6, 72)),
    ("delivered", (0, 96)),
    ("pod", (6, 72)),
    ("first_invoice", (2, 48)),
    ("invoiced", (0, 24)),
    ("paid", (240, 1080)),
)


def _bundle_cycle(env, orders, seed=11):
    """Spread the bundle's order steps (``o2c.order.step``) over a realistic cycle,
    by SQL; the copies of the bundle keep these durations (their dates shift).

    The steps of holds the bundle's exceptions never made at an ask (they are
    raised on documents already past it) come from the exceptions, as the
    install's backfill makes them; then every step gets a date, the released
    ones the hours held, and the orders the dates the dashboard reads.
    """
    from odoo import fields
    from odoo.addons.o2c_exception_base.hooks import backfill_order_steps

    env.flush_all()
    backfill_order_steps(env)
    cr = env.cr
    _bundle_paid_holds(cr, orders)
    cr.execute(
        "SELECT id, order_id, step FROM o2c_order_step WHERE order_id IN %s ORDER BY id",
        [tuple(orders.ids)],
    )
    by_order = {}
    for step_id, order_id, step in cr.fetchall():
        by_order.setdefault(order_id, []).append((step_id, step))
    rank = {step: index for index, (step, __) in enumerate(CYCLE_GAPS)}
    gaps = dict(CYCLE_GAPS)
    rng = random.Random(seed)
    now = fields.Datetime.now()
    updates = []
    for steps in by_order.values():
        steps.sort(key=lambda s: (rank.get(s[1], len(rank)), s[0]))
        hours, dated = 0.0, []
        for step_id, step in steps:
            gap = rng.uniform(*gaps.get(step, (0, 1)))
            hours += gap
            dated.append((step_id, hours, gap if step == "released" else None))
        start = now - datetime.timedelta(hours=hours + rng.uniform(1, 240))
        updates += [(sid, start + datetime.timedelta(hours=h), held) for sid, h, held in dated]
    if updates:
        cr.execute(
            """UPDATE o2c_order_step s SET date = v.date, held_hours = v.held
                 FROM (VALUES %s) AS v(id, date, held) WHERE s.id = v.id"""
            % ", ".join(["(%s, %s::timestamp, %s::float)"] * len(updates)),
            [value for row in updates for value in row],
        )
    _bundle_order_dates(cr, orders)
    env.invalidate_all()


def _bundle_paid_holds(cr, orders):
    """Every other paid order of the bundle was held once before its confirmation
    (a credit hold released by an approver): the dashboard's time held and held
    time by type have something to measure. Rows only (no exception behind)."""
    cr.execute(
        """SELECT id FROM o2c_exception_type
            WHERE blocking AND active ORDER BY code = 'credit_hold' DESC, id LIMIT 1"""
    )
    etype = cr.fetchone()
    if not etype:
        return
    cr.execute(
        """INSERT INTO o2c_order_step (order_id, company_id, step, date, type_id,
                                       create_uid, create_date, write_uid, write_date)
           SELECT s.order_id, s.company_id, h.step, s.date, %s,
                  1, now() at time zone 'utc', 1, now() at time zone 'utc'
             FROM (SELECT order_id, company_id, date,
                          row_number() OVER (ORDER BY order_id) AS n
                     FROM o2c_order_step WHERE order_id IN %s AND step = 'paid') s
            CROSS JOIN (VALUES ('held'), ('released')) h(step)
            WHERE s.n %% 2 = 1""",
        [etype[0], tuple(orders.ids)],
    )


def _bundle_order_dates(cr, orders):
    """The orders' step dates and hours held, from their (spread) steps."""
    cr.execute(
        """UPDATE sale_order so
              SET o2c_asked_date = st.asked, o2c_confirmed_date = st.confirmed,
                  o2c_delivered_date = st.delivered, o2c_invoiced_date = st.invoiced,
                  o2c_paid_date = st.paid, o2c_held_hours = st.held,
                  date_order = COALESCE(st.confirmed, so.date_order)
             FROM (SELECT order_id,
                          MIN(date) FILTER (WHERE step = 'confirm_asked') AS asked,
                          MIN(date) FILTER (WHERE step = 'confirmed') AS confirmed,
                          MIN(date) FILTER (WHERE step = 'delivered') AS delivered,
                          MIN(date) FILTER (WHERE step = 'invoiced') AS invoiced,
                          MIN(date) FILTER (WHERE step = 'paid') AS paid,
                          COALESCE(SUM(held_hours) FILTER (WHERE step = 'released'), 0) AS held
                     FROM o2c_order_step WHERE order_id IN %s GROUP BY order_id) st
            WHERE st.order_id = so.id""",
        [tuple(orders.ids)],
    )


def generate_history(env, info, orders, exceptions=None, chunk=250, bundle=None):
    """Add about ``orders`` orders (and ``exceptions`` O2C exceptions) of history.

    :param bundle: dict kept by the caller between calls: the template bundle is
        made once and copied again by later calls (its exception mix stays).
    """
    from bench.clone import clone

    bundle = {} if bundle is None else bundle
    bundle_orders = len(BUNDLE)
    copies = max(1, round(orders / bundle_orders))
    if exceptions is None:
        exceptions = orders // 4
    if "roots" not in bundle:
        per_bundle = max(0, round(exceptions / copies)) if "o2c.exception" in env else 0
        log("history: bundle of %s orders / %s exceptions", bundle_orders, per_bundle)
        roots, partner = make_bundle(env, info, per_bundle)
        env.cr.commit()
        bundle.update(roots=roots, partner=partner.id, k=1)
    log("history: %s copies of the bundle", copies)
    counts = clone(
        env.cr,
        bundle["roots"],
        copies,
        [bundle["partner"]],
        info["customers"].ids,
        chunk=chunk,
        k_start=bundle["k"],
    )
    bundle["k"] += copies
    env.invalidate_all()
    return {
        "orders": counts.get("sale_order", 0) * copies,
        "exceptions": counts.get("o2c_exception", 0) * copies,
        "copies": copies,
        "per_bundle": counts,
    }


# ---------------------------------------------------------------- CLI
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--db", required=True, help="database (sale_stock installed)")
    parser.add_argument("--orders", type=int, default=1000, help="orders of history")
    parser.add_argument("--exceptions", type=int, help="O2C exceptions (default orders / 4)")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--products", type=int, default=500)
    args = parser.parse_args(argv)
    odoo_init(args.config)
    with odoo_env(args.db, commit=True) as env:
        info = ensure_catalogue(env, args.customers, args.products)
        env.cr.commit()
        result = generate_history(env, info, args.orders, args.exceptions)
    log("done: %s", result)


if __name__ == "__main__":
    main()
