# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.hooks import adopt_from_core

#: external ids the core shipped for this addon before 18.0.1.3 (types, demo queue)
FROM_CORE = (
    "o2c_exception_type_discount_approval",
    "o2c_exception_demo_lead_open",
    "o2c_exception_demo_lead_approved",
    "o2c_exception_demo_lead_rejected",
    "o2c_exception_demo_discount",
    "o2c_exception_demo_rejected",
)


def adopt_core_records(cr):
    adopt_from_core(cr, "o2c_pricing_approval", FROM_CORE)


def pre_init_hook(env):
    adopt_core_records(env.cr)
