# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL


def post_init_hook(env):
    backfill_confirmed_carriers(env)


def backfill_confirmed_carriers(env):
    """Orders confirmed before the install: their current carrier is the one they
    were confirmed with, as far as anyone can tell. One statement."""
    env.cr.execute(
        SQL(
            """UPDATE sale_order SET o2c_freight_carrier_id = carrier_id
                WHERE state = 'sale' AND carrier_id IS NOT NULL
                  AND o2c_freight_carrier_id IS NULL"""
        )
    )
    env["sale.order"].invalidate_model(["o2c_freight_carrier_id"])
