# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.upgrade import set_default_root_causes

#: the shipped types' default root cause (their records are not updated)
DEFAULTS = {
    "o2c_pricing_approval.o2c_exception_type_discount_approval": (
        "o2c_exception_base.o2c_root_cause_customer_request"
    ),
}


def migrate(cr, version):
    set_default_root_causes(cr, DEFAULTS)
