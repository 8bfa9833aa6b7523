# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.upgrade import set_default_root_causes

#: the shipped types' default root cause (their records are not updated)
DEFAULTS = {
    "o2c_fulfillment.o2c_exception_type_backorder": "o2c_exception_base.o2c_root_cause_supplier",
    "o2c_fulfillment.o2c_exception_type_short_pick": (
        "o2c_exception_base.o2c_root_cause_warehouse_execution"
    ),
}


def migrate(cr, version):
    set_default_root_causes(cr, DEFAULTS)
