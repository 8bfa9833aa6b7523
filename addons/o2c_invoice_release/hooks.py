# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.hooks import adopt_from_core
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

#: external ids the core shipped for this addon before 18.0.1.3 (types, demo queue)
FROM_CORE = (
    "o2c_exception_type_missing_pod",
    "o2c_exception_demo_inv_open",
    "o2c_exception_demo_inv_resolved",
    "o2c_exception_demo_resolved",
)


def adopt_core_records(cr):
    adopt_from_core(cr, "o2c_invoice_release", FROM_CORE)


def pre_init_hook(env):
    """Keep the deliveries done before installation invoiceable, quickly.

    Deliveries validated before this module existed are released as they were
    (the legacy behaviour: a done delivery is invoiceable) but are not queued
    for automatic invoicing. Filling the new stored columns with SQL spares
    Odoo computing them for every existing transfer and order line.
    """
    adopt_core_records(env.cr)
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
