# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bulk history by SQL: copy a bundle of template documents made by the ORM many times.

The templates (orders with their lines, transfers, moves, invoices, payments,
reconciliations, O2C exceptions...) are real records made by the ORM, so every
copy is as consistent as they are. Each copy ``k`` gets new ids, all foreign keys
between copied rows remapped, the template customer replaced by a customer of
the catalogue, every date shifted back by the same number of days, and unique
names suffixed. Tables are found from the roots by following foreign keys, so
columns and tables added by any installed addon are copied too.
"""

from .lib import log

#: tables never copied even if they point to copied rows (chatter, caches, config)
SKIP_PREFIXES = (
    "mail_",
    "bus_",
    "ir_",
    "res_",
    "sms_",
    "snailmail_",
    "portal_",
    "rating_",
    "account_move_send",
    "payment_transaction",
    "sale_order_cancel",
    "sale_advance_payment",
    "stock_backorder",
    "stock_immediate",
    "o2c_exception_decision",
    "helpdesk_",
    "account_report",
)
#: columns holding a unique-ish reference that gets a ``-k`` suffix
SUFFIX_COLUMNS = {
    "stock_picking": ("name",),
    "account_move": ("name", "payment_reference"),
    "account_move_line": ("move_name",),
    "stock_move": ("reference",),
    "stock_move_line": ("reference",),
    "account_payment": ("name", "memo"),
    "procurement_group": ("name",),
}


class Cloner:
    """Copy the rows reachable from ``roots`` ``{table: ids}`` ``n`` times."""

    def __init__(self, cr, roots, partner_from, partners, span_days=365):
        self.cr = cr
        self.partner_from = list(partner_from)
        self.partners = list(partners)
        self.span_days = span_days
        self._load_schema()
        self.rows = self._collect(roots)
        self.order = self._insert_order()

    # ------------------------------------------------------------ SCHEMA
    def _load_schema(self):
        cr = self.cr
        cr.execute(
            """SELECT cl.relname, a.attname, ft.relname, a.attnotnull
                 FROM pg_constraint c
                 JOIN pg_class cl ON cl.oid = c.conrelid
                 JOIN pg_class ft ON ft.oid = c.confrelid
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                 JOIN pg_namespace n ON n.oid = cl.relnamespace
                WHERE c.contype = 'f' AND n.nspname = 'public'
                  AND array_length(c.conkey, 1) = 1"""
        )
        self.fks = {}  # table -> {column: (target table, not null)}
        for table, column, target, notnull in cr.fetchall():
            self.fks.setdefault(table, {})[column] = (target, notnull)
        cr.execute(
            """SELECT table_name, column_name, data_type
                 FROM information_schema.columns
                WHERE table_schema = 'public'
             ORDER BY table_name, ordinal_position"""
        )
        self.columns = {}
        for table, column, dtype in cr.fetchall():
            self.columns.setdefault(table, []).append((column, dtype))

    def _skip(self, table):
        return table.startswith(SKIP_PREFIXES) or table.startswith("_bm_")

    def _collect(self, roots):
        """``{table: set(ids)}`` of the roots and every row pointing to them (fixpoint)."""
        rows = {t: set(ids) for t, ids in roots.items() if ids}
        changed = True
        while changed:
            changed = False
            for table, fks in self.fks.items():
                if self._skip(table) or "id" not in dict(self.columns.get(table, [])):
                    continue
                for column, (target, _nn) in fks.items():
                    if target not in rows or target == table:
                        continue
                    self.cr.execute(
                        f'SELECT id FROM "{table}" WHERE "{column}" = ANY(%s)',
                        [list(rows[target])],
                    )
                    found = {r[0] for r in self.cr.fetchall()} - rows.get(table, set())
                    if found:
                        rows.setdefault(table, set()).update(found)
                        changed = True
        return rows

    def _insert_order(self):
        """Tables in an order where NOT NULL references point to earlier tables."""
        todo, done = set(self.rows), []
        while todo:
            ready = [
                t
                for t in sorted(todo)
                if all(
                    target == t or target not in todo
                    for _c, (target, nn) in self.fks.get(t, {}).items()
                    if nn
                )
            ]
            if not ready:
                raise RuntimeError(f"cannot order the copy of {sorted(todo)}")
            done.append(ready[0])
            todo.discard(ready[0])
        return done

    def _rel_tables(self):
        """Many2many tables (no id) with a column pointing to a copied table."""
        result = []
        for table, fks in self.fks.items():
            cols = dict(self.columns.get(table, []))
            if self._skip(table) or "id" in cols or len(fks) != 2 or len(cols) != 2:
                continue
            if any(target in self.rows for target, _nn in fks.values()):
                result.append(table)
        return sorted(result)

    def summary(self):
        return {t: len(ids) for t, ids in self.rows.items()}

    # -------------------------------------------------------------- COPY
    def run(self, n, chunk=1000, k_start=1, progress=None):
        """Make ``n`` copies (``k`` from ``k_start``), committing each chunk."""
        k = k_start
        last = k_start + n - 1
        while k <= last:
            k1 = min(last, k + chunk - 1)
            self._copy_range(k, k1)
            self.cr.commit()
            if progress:
                progress(k1 - k_start + 1, n)
            k = k1 + 1

    def _map(self, table):
        return f"_bm_{table}"

    def _build_maps(self, k0, k1):
        cr = self.cr
        for table, ids in self.rows.items():
            name = self._map(table)
            cr.execute(
                f"""CREATE TEMP TABLE IF NOT EXISTS "{name}"
                    (old_id int, k int, new_id int, PRIMARY KEY (old_id, k))"""
            )
            cr.execute(f'TRUNCATE "{name}"')
            cr.execute(
                f"""INSERT INTO "{name}" (old_id, k, new_id)
                    SELECT t.id, g.k, nextval(pg_get_serial_sequence(%s, 'id'))
                      FROM unnest(%s::int[]) t(id), generate_series(%s, %s) g(k)""",
                [table, sorted(ids), k0, k1],
            )
            cr.execute(f'ANALYZE "{name}"')

    def _copy_range(self, k0, k1):
        self._build_maps(k0, k1)
        deferred = []
        inserted = set()
        for table in self.order:
            deferred += self._insert(table, inserted)
            inserted.add(table)
        for table, column, target in deferred:
            self.cr.execute(
                f"""UPDATE "{table}" d SET "{column}" = j.new_id
                      FROM "{self._map(table)}" m
                      JOIN "{table}" s ON s.id = m.old_id
                      JOIN "{self._map(target)}" j ON j.old_id = s."{column}" AND j.k = m.k
                     WHERE d.id = m.new_id"""
            )
        for table in self._rel_tables():
            self._insert_rel(table)
        self._after_copy()

    def _shift(self, dtype, expr):
        offset = f"((m.k * 7919) %% {self.span_days})"
        if dtype == "date":
            return f"({expr} - {offset})"
        return f"({expr} - {offset} * interval '1 day')"

    def _insert(self, table, inserted):
        fks = self.fks.get(table, {})
        cols, exprs, joins, deferred = [], [], [], []
        models = self._doc_tables()
        for column, dtype in self.columns[table]:
            expr = f's."{column}"'
            target = fks.get(column, (None, False))[0]
            if column == "id":
                expr = "m.new_id"
            elif target in self.rows:
                if target != table and target not in inserted:
                    expr = "NULL"
                    deferred.append((table, column, target))
                else:
                    alias = f"j_{len(joins)}"
                    joins.append(
                        f'LEFT JOIN "{self._map(target)}" {alias} '
                        f'ON {alias}.old_id = s."{column}" AND {alias}.k = m.k'
                    )
                    expr = f'COALESCE({alias}.new_id, s."{column}")'
            elif target == "res_partner":
                expr = (
                    f'CASE WHEN s."{column}" = ANY(%(from)s) '
                    f"THEN (%(to)s::int[])[1 + (m.k - 1) %% %(nto)s] "
                    f'ELSE s."{column}" END'
                )
            elif column == "res_id" and "res_model" in dict(self.columns[table]):
                cases = []
                for model, doc_table in models.items():
                    alias = f"j_{len(joins)}"
                    joins.append(
                        f'LEFT JOIN "{self._map(doc_table)}" {alias} ON s.res_model = '
                        f"'{model}' AND {alias}.old_id = s.res_id AND {alias}.k = m.k"
                    )
                    cases.append(alias)
                if cases:
                    expr = f"COALESCE({', '.join(a + '.new_id' for a in cases)}, s.res_id)"
            elif dtype in ("date", "timestamp without time zone"):
                expr = self._shift(dtype, f's."{column}"')
            elif column in SUFFIX_COLUMNS.get(table, ()):
                expr = (
                    f'CASE WHEN s."{column}" IS NULL OR s."{column}" = \'/\' '
                    f'THEN s."{column}" ELSE s."{column}" || \'-\' || m.k END'
                )
            elif table == "sale_order" and column == "name":
                expr = "'H' || lpad(m.new_id::text, 7, '0')"
            elif column == "access_token":
                expr = "NULL"
            cols.append(f'"{column}"')
            exprs.append(expr)
        sql = (
            f'INSERT INTO "{table}" ({", ".join(cols)}) '
            f'SELECT {", ".join(exprs)} FROM "{self._map(table)}" m '
            f'JOIN "{table}" s ON s.id = m.old_id {" ".join(joins)}'
        )
        self.cr.execute(
            sql, {"from": self.partner_from, "to": self.partners, "nto": len(self.partners)}
        )
        return deferred

    def _doc_tables(self):
        """Copied tables that are documents O2C exceptions point to by (res_model, res_id)."""
        docs = {
            "sale.order": "sale_order",
            "stock.picking": "stock_picking",
            "account.move": "account_move",
        }
        return {model: table for model, table in docs.items() if table in self.rows}

    def _insert_rel(self, table):
        (c1, (t1, _n1)), (c2, (t2, _n2)) = sorted(self.fks[table].items())
        joins, exprs, conds = [], [], []
        for alias, column, target in (("a", c1, t1), ("b", c2, t2)):
            if target in self.rows:
                joins.append(
                    f'LEFT JOIN "{self._map(target)}" {alias} '
                    f'ON {alias}.old_id = s."{column}" AND {alias}.k = g.k'
                )
                exprs.append(f'COALESCE({alias}.new_id, s."{column}")')
                conds.append(f"{alias}.new_id IS NOT NULL")
            else:
                exprs.append(f's."{column}"')
        self.cr.execute(
            f"""INSERT INTO "{table}" ("{c1}", "{c2}")
                SELECT {", ".join(exprs)}
                  FROM "{table}" s
                 CROSS JOIN (SELECT DISTINCT k FROM "{self._map(next(iter(self.rows)))}") g
                  {" ".join(joins)}
                 WHERE {" OR ".join(conds)}
                ON CONFLICT DO NOTHING"""
        )

    def _after_copy(self):
        """Fix the few denormalised texts that name the document."""
        cr = self.cr
        if "o2c_exception" not in self.rows:
            return
        for model, table in self._doc_tables().items():
            cr.execute(
                f"""UPDATE o2c_exception e SET res_name = d.name
                      FROM "{self._map("o2c_exception")}" m, "{table}" d
                     WHERE e.id = m.new_id AND e.res_model = %s AND d.id = e.res_id""",
                [model],
            )
        # copies are history: an overdue open exception was escalated back then
        cr.execute(
            f"""UPDATE o2c_exception e SET escalated = TRUE, escalated_date = e.deadline
                  FROM "{self._map("o2c_exception")}" m
                 WHERE e.id = m.new_id AND e.state = 'open'
                   AND e.deadline < now() at time zone 'utc'
                   AND e.escalated IS NOT TRUE"""
        )


def clone(cr, roots, n, partner_from, partners, chunk=1000, k_start=1):
    """Copy ``roots`` and what hangs on them ``n`` times; return the per-table counts."""
    cloner = Cloner(cr, roots, partner_from, partners)
    log("history: template bundle %s", cloner.summary())

    def progress(done, total):
        log("history: %s/%s copies of the bundle", done, total)

    cloner.run(n, chunk=chunk, k_start=k_start, progress=progress)
    cr.execute("ANALYZE")
    return cloner.summary()
