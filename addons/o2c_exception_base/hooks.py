# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def pre_init_hook(env):
    """Create the stored ``o2c_blocked`` columns up front.

    Nothing is held at install time, so ``false`` is the right value; adding
    the column with a constant default is instant in PostgreSQL and spares Odoo
    recomputing it for every existing order, transfer and journal entry.
    """
    for table in ("sale_order", "stock_picking", "account_move"):
        if not column_exists(env.cr, table, "o2c_blocked"):
            env.cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN o2c_blocked boolean DEFAULT false",
                    SQL.identifier(table),
                )
            )
