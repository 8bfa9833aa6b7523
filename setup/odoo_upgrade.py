#!/usr/bin/env python3
# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An upgrade keeps the queue as it was (``make test-upgrade``).

    odoo_upgrade.py snapshot DB FILE          the queue of DB before the upgrade
    odoo_upgrade.py compare  DB FILE ADDONS   after ``-u all``: the same exceptions,
                                              approvals and types, each external id
                                              on the same record and owned by the
                                              addon whose data now defines it

The database is reached like Odoo reaches it (PGHOST, PGPORT, PGUSER, PGPASSWORD).
"""

import json
import pathlib
import re
import sys

import psycopg2

#: what an auditor compares: the queue, its decisions and the types they follow
COLUMNS = {
    "o2c_exception": "type_id, code, state, res_model, res_id, requested_by_id, "
    "decided_by_id, decision_reason, amount, blocking, active",
    "o2c_exception_approval": "exception_id, user_id, reason, active",
    "o2c_exception_type": "code, company_id, blocking, sla_hours, active",
}
#: the models whose external ids moved between addons
MOVED_MODELS = ("o2c.exception.type", "o2c.exception")


def snapshot(cr):
    data = {}
    for table, columns in COLUMNS.items():
        cr.execute(f"SELECT id, {columns} FROM {table} ORDER BY id")  # constants above
        data[table] = {str(row[0]): [str(value) for value in row[1:]] for row in cr.fetchall()}
    cr.execute(
        "SELECT name, module, res_id, model FROM ir_model_data WHERE model IN %s ORDER BY name",
        (MOVED_MODELS,),
    )
    data["xmlids"] = {
        name: [module, res_id, model] for name, module, res_id, model in cr.fetchall()
    }
    return data


def new_records(before, after):
    """``{table: ids}`` of the records the new version's data or demo added."""
    added = {}
    for name, (_module, res_id, model) in after["xmlids"].items():
        if name not in before["xmlids"]:
            added.setdefault(model.replace(".", "_"), set()).add(str(res_id))
    return added


def defining_addon(addons, name):
    """The addon whose data or demo files define the record ``name`` today."""
    pattern = re.compile(rf'<record id="{re.escape(name)}"')
    for path in sorted(pathlib.Path(addons).glob("o2c_*/*/*.xml")):
        if pattern.search(path.read_text(encoding="utf-8")):
            return path.parts[-3]
    return None


def compare(cr, before, addons):
    after, problems = snapshot(cr), []
    shipped = new_records(before, after)
    for table in COLUMNS:
        changed = {k for k in before[table] if after[table].get(k) != before[table][k]}
        added = set(after[table]) - set(before[table]) - shipped.get(table, set())
        if changed or added:
            problems.append(f"{table}: changed {sorted(changed)}, added {sorted(added)}")
    moved = 0
    for name, (module, res_id, model) in before["xmlids"].items():
        now = after["xmlids"].get(name)
        owner = defining_addon(addons, name) or module
        if now != [owner, res_id, model]:
            problems.append(f"external id {module}.{name} (record {res_id}): now {now}")
        moved += owner != module
    codes = [row[0] + "/" + row[1] for row in after["o2c_exception_type"].values()]
    problems += [f"two types with code {c}" for c in {c for c in codes if codes.count(c) > 1}]
    counts = {table: len(before[table]) for table in COLUMNS}
    print(
        f"upgrade: {counts} kept, {moved} external ids moved to the addon that ships them, "
        f"{sum(map(len, shipped.values()))} records added by the new data"
    )
    for problem in problems:
        print("  CHANGED", problem)
    return not problems


def main(argv):
    command, db, path = argv[1:4]
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        if command == "snapshot":
            pathlib.Path(path).write_text(json.dumps(snapshot(cr)), encoding="utf-8")
            return 0
        before = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        return 0 if compare(cr, before, argv[4]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
