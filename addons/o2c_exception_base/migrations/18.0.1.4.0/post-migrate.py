# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Exceptions raised before they had a responsible get their document's."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    exceptions = (
        env["o2c.exception"]
        .with_context(active_test=False)
        .search([("responsible_id", "=", False), ("res_id", "!=", False)])
    )
    exceptions._o2c_assign_responsibles()
