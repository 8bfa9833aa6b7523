# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def pre_init_hook(env):
    """Nothing holds a purchase at install: the stored ``o2c_blocked`` column is
    created false at once instead of computed for every existing purchase."""
    if not column_exists(env.cr, "purchase_order", "o2c_blocked"):
        env.cr.execute(
            SQL("ALTER TABLE purchase_order ADD COLUMN o2c_blocked boolean DEFAULT false")
        )
