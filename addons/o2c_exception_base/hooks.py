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


def adopt_from_core(cr, module, names):
    """Give ``module`` the external ids the core shipped for it before 18.0.1.3.

    Until then the core's data defined every control's exception types (and its
    demo their queue entries). Moving the external ids keeps each database's
    records, their ids and everything pointing at them; loading the control's
    data under a new id would create a second type with the same code.
    """
    cr.execute(
        SQL(
            """UPDATE ir_model_data SET module = %s
                WHERE module = 'o2c_exception_base' AND name IN %s""",
            module,
            tuple(names),
        )
    )


def post_init_hook(env):
    backfill_order_channels(env)


def backfill_order_channels(env):
    """Orders from before the channel was recorded: EDI when their UTM source is the
    EDI source o2c shipped, the back office otherwise. One statement."""
    edi = env.ref("o2c_exception_base.o2c_sale_channel_edi", raise_if_not_found=False)
    back = env.ref("o2c_exception_base.o2c_sale_channel_back_office", raise_if_not_found=False)
    source = env.ref("o2c_exception_base.utm_source_edi", raise_if_not_found=False)
    if not (edi and back):
        return
    env.cr.execute(
        SQL(
            """UPDATE sale_order
                  SET o2c_channel_id = CASE WHEN source_id = %s THEN %s ELSE %s END
                WHERE o2c_channel_id IS NULL""",
            source.id if source else None,
            edi.id,
            back.id,
        )
    )
    env["sale.order"].invalidate_model(["o2c_channel_id"])
