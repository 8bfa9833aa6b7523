# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade steps the feature addons' migration scripts share (no model here)."""

from odoo import SUPERUSER_ID, api


def set_default_root_causes(cr, defaults):
    """Give shipped exception types their default root cause, unless one was chosen.

    Their data records are not updated (noupdate), so an addon's migration calls
    this with ``{type xml id: root cause xml id}``.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    for type_xmlid, cause_xmlid in defaults.items():
        etype = env.ref(type_xmlid, raise_if_not_found=False)
        cause = env.ref(cause_xmlid, raise_if_not_found=False)
        if etype and cause and not etype.default_root_cause_id:
            etype.default_root_cause_id = cause
