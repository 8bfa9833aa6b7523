# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.hooks import adopt_from_core
from odoo.tools import SQL
from odoo.tools.sql import column_exists

# Stored computed columns added to account_move: nothing is disputed at
# install time, so the constant defaults are right and Odoo does not recompute
# them for every existing journal entry.
_ACCOUNT_MOVE_COLUMNS = (
    ("o2c_dispute_amount", "numeric DEFAULT 0"),
    ("o2c_is_disputed", "boolean DEFAULT false"),
)

#: external ids the core shipped for this addon before 18.0.1.3 (types, demo queue)
FROM_CORE = (
    "o2c_exception_type_invoice_dispute",
    "o2c_exception_demo_post_open",
    "o2c_exception_demo_post_rejected",
)


def adopt_core_records(cr):
    adopt_from_core(cr, "o2c_dispute_helpdesk", FROM_CORE)


def pre_init_hook(env):
    """Create the heavy stored columns up front (instant with a constant default)."""
    adopt_core_records(env.cr)
    for column, definition in _ACCOUNT_MOVE_COLUMNS:
        if not column_exists(env.cr, "account_move", column):
            env.cr.execute(
                SQL(
                    "ALTER TABLE account_move ADD COLUMN %s " + definition,
                    SQL.identifier(column),
                )
            )
