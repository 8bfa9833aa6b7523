# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api

#: the shipped types' default root cause (their records are not updated)
DEFAULTS = {
    "o2c_pricing_approval.o2c_exception_type_discount_approval": (
        "o2c_exception_base.o2c_root_cause_customer_request"
    ),
}


def migrate(cr, version):
    """Give the shipped types their default root cause, unless one was chosen."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for type_xmlid, cause_xmlid in DEFAULTS.items():
        etype = env.ref(type_xmlid, raise_if_not_found=False)
        cause = env.ref(cause_xmlid, raise_if_not_found=False)
        if etype and cause and not etype.default_root_cause_id:
            etype.default_root_cause_id = cause
