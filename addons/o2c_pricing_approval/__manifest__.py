# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Pricing Approval",
    "summary": "Discount, price-override and margin-floor approval on sale orders",
    "version": "18.0.1.4.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_exception_base", "sale_management"],
    "data": [
        "security/o2c_pricing_security.xml",
        "security/ir.model.access.csv",
        "data/o2c_exception_type_data.xml",
        "data/o2c_pricing_policy_data.xml",
        "data/o2c_policy_kind_data.xml",
        "views/o2c_pricing_policy_views.xml",
        "views/sale_order_views.xml",
        "views/o2c_pricing_menus.xml",
    ],
    "demo": ["demo/o2c_pricing_demo.xml", "demo/o2c_exception_demo.xml"],
    "pre_init_hook": "pre_init_hook",
}
