# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.addons.o2c_exception_base.hooks import adopt_from_core
from odoo.tools import SQL

#: external ids the core shipped for this addon before 18.0.1.3 (types, demo queue)
FROM_CORE = (
    "o2c_exception_type_backorder",
    "o2c_exception_type_substitution",
    "o2c_exception_type_short_pick",
    "o2c_exception_demo_plan_open",
    "o2c_exception_demo_plan_resolved",
    "o2c_exception_demo_wh_open",
    "o2c_exception_demo_wh_approved",
    "o2c_exception_demo_short_cancelled",
    "o2c_exception_demo_backorder",
)


def adopt_core_records(cr):
    adopt_from_core(cr, "o2c_fulfillment", FROM_CORE)


#: orders written since then are watched by the commitment job (see below)
WATCH_SINCE = "o2c_fulfillment.commitment_watch_since"


def pre_init_hook(env):
    """Leave the orders of a database with history alone until they are touched.

    The commitment job watches the orders written since the install (the
    transaction's time: the demo data of the install itself is watched), so an
    old order with an open delivery raises nothing until someone changes it.
    """
    adopt_core_records(env.cr)
    env["ir.config_parameter"].sudo().set_param(
        WATCH_SINCE, fields.Datetime.to_string(env.cr.now())
    )


def post_init_hook(env):
    """Stamp the first delivery of the lines already shipped (fill rate history).

    One statement: the earliest done customer delivery of each line, its quantity
    converted to the line's unit, compared with the ordered quantity.
    """
    env.cr.execute(
        SQL(
            """WITH deliveries AS (
               SELECT sm.sale_line_id AS line_id, sp.id AS picking_id, sp.date_done,
                      SUM(sm.quantity / mu.factor * lu.factor) AS qty
                 FROM stock_move sm
                 JOIN stock_picking sp ON sp.id = sm.picking_id
                 JOIN stock_location dest ON dest.id = sm.location_dest_id
                 JOIN sale_order_line sol ON sol.id = sm.sale_line_id
                 JOIN uom_uom mu ON mu.id = sm.product_uom
                 JOIN uom_uom lu ON lu.id = sol.product_uom
                WHERE sm.state = 'done' AND dest.usage = 'customer'
                  AND sm.product_id = sol.product_id AND sp.date_done IS NOT NULL
             GROUP BY sm.sale_line_id, sp.id, sp.date_done
           ), firsts AS (
               SELECT DISTINCT ON (line_id) line_id, date_done, qty
                 FROM deliveries
             ORDER BY line_id, date_done, picking_id
           )
           UPDATE sale_order_line sol
              SET o2c_first_delivery_date = firsts.date_done,
                  o2c_first_delivery_complete = firsts.qty >= sol.product_uom_qty - 0.000001
             FROM firsts
            WHERE firsts.line_id = sol.id AND sol.product_uom_qty > 0"""
        )
    )
