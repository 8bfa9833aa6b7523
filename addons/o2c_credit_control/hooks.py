# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.hooks import adopt_from_core
from odoo.tools import SQL
from odoo.tools.sql import column_exists

#: external ids the core shipped for this addon before 18.0.1.3 (types, demo queue)
FROM_CORE = (
    "o2c_exception_type_credit_hold",
    "o2c_exception_demo_val_open_late",
    "o2c_exception_demo_val_approved",
    "o2c_exception_demo_val_resolved",
    "o2c_exception_demo_credit",
)


def adopt_core_records(cr):
    adopt_from_core(cr, "o2c_credit_control", FROM_CORE)


def pre_init_hook(env):
    """Create ``sale_order.o2c_credit_hold`` up front.

    Nothing is on credit hold at install time: a constant default is instant in
    PostgreSQL and spares recomputing the flag for every existing order.
    """
    adopt_core_records(env.cr)
    if not column_exists(env.cr, "sale_order", "o2c_credit_hold"):
        env.cr.execute(
            SQL("ALTER TABLE sale_order ADD COLUMN o2c_credit_hold boolean DEFAULT false")
        )
