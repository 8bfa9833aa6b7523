# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


def pre_init_hook(env):
    """Keep the deliveries done before installation invoiceable, quickly.

    Deliveries validated before this module existed are released as they were
    (the legacy behaviour: a done delivery is invoiceable) but are not queued
    for automatic invoicing. Filling the new stored columns with SQL spares
    Odoo computing them for every existing transfer and order line.
    """
    cr = env.cr
    if not column_exists(cr, "stock_picking", "o2c_released"):
        create_column(cr, "stock_picking", "o2c_released", "boolean")
        create_column(cr, "stock_picking", "o2c_release_date", "timestamp")
        create_column(cr, "stock_picking", "o2c_pod_state", "varchar")
        cr.execute(
            SQL(
                """UPDATE stock_picking
                  SET o2c_pod_state = 'not_required',
                      o2c_released = (state = 'done'),
                      o2c_release_date = CASE WHEN state = 'done' THEN date_done END"""
            )
        )
    if not column_exists(cr, "sale_order_line", "o2c_qty_released"):
        create_column(cr, "sale_order_line", "o2c_qty_released", "numeric")
        create_column(cr, "sale_order_line", "o2c_qty_withheld", "numeric")
        cr.execute(
            SQL("UPDATE sale_order_line SET o2c_qty_released = qty_delivered, o2c_qty_withheld = 0")
        )
