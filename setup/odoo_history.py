#!/usr/bin/env python3
# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Installing o2c on a database with history changes none of it (``make test-odoo``).

    odoo_history.py snapshot DB FILE   the documents of DB as they stand
    odoo_history.py compare  DB FILE   every document of FILE is unchanged in DB
                                       and carries no O2C exception

The database is reached like Odoo reaches it (PGHOST, PGPORT, PGUSER, PGPASSWORD).
"""

import json
import sys

import psycopg2

#: what a distributor's auditor compares: states, quantities and amounts
COLUMNS = {
    "sale_order": "state, invoice_status, amount_total, locked",
    "sale_order_line": "state, qty_delivered, qty_invoiced, qty_to_invoice, invoice_status, "
    "price_unit, discount",
    "stock_picking": "state, date_done, backorder_id",
    "stock_move": "state, quantity, product_uom_qty",
    "account_move": "state, amount_total, amount_residual, payment_state",
}
#: the documents an O2C exception may hold
MODELS = {
    "sale_order": "sale.order",
    "stock_picking": "stock.picking",
    "account_move": "account.move",
}


def snapshot(cr):
    data = {}
    for table, columns in COLUMNS.items():
        cr.execute(f"SELECT id, {columns} FROM {table} ORDER BY id")  # constants above
        data[table] = {str(row[0]): [str(value) for value in row[1:]] for row in cr.fetchall()}
    return data


def compare(cr, before):
    after, problems = snapshot(cr), []
    for table, rows in before.items():
        for rid, values in rows.items():
            now = after[table].get(rid)
            if now != values:
                problems.append(f"{table} {rid}: {values} -> {now}")
    for table, model in MODELS.items():
        ids = [int(rid) for rid in before[table]]
        if not ids:
            continue
        cr.execute(
            "SELECT id, res_id, name FROM o2c_exception WHERE res_model = %s AND res_id = ANY(%s)",
            (model, ids),
        )
        problems += [f"exception {e} on {model} {r}: {n}" for e, r, n in cr.fetchall()]
    counts = {table: len(rows) for table, rows in before.items()}
    print(f"history: {counts} documents before the install")
    for problem in problems:
        print(f"  CHANGED: {problem}")
    print(f"history: {len(problems)} changes")
    return 1 if problems else 0


def main(argv):
    if len(argv) != 3 or argv[0] not in ("snapshot", "compare"):
        sys.exit(__doc__)
    with psycopg2.connect(dbname=argv[1]) as conn, conn.cursor() as cr:
        if argv[0] == "snapshot":
            data = snapshot(cr)
            if not data["sale_order"] or not data["account_move"]:
                sys.exit("history: the database has no orders or invoices to compare")
            with open(argv[2], "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            return 0
        with open(argv[2], encoding="utf-8") as handle:
            return compare(cr, json.load(handle))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
