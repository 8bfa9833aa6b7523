# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api
from odoo.addons.o2c_exception_base.hooks import backfill_order_steps


def migrate(cr, version):
    """The orders from before 18.0.1.6.0 get their timeline (order steps), by SQL."""
    backfill_order_steps(api.Environment(cr, SUPERUSER_ID, {}))
