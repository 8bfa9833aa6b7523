# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_pricing_approval.hooks import adopt_core_records


def migrate(cr, version):
    adopt_core_records(cr)
