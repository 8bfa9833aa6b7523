# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def pre_init_hook(env):
    """Create ``sale_order.o2c_credit_hold`` up front.

    Nothing is on credit hold at install time: a constant default is instant in
    PostgreSQL and spares recomputing the flag for every existing order.
    """
    if not column_exists(env.cr, "sale_order", "o2c_credit_hold"):
        env.cr.execute(
            SQL("ALTER TABLE sale_order ADD COLUMN o2c_credit_hold boolean DEFAULT false")
        )
