# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Credit Control",
    "summary": "Credit exposure, limits, overdue blocks and governed hold release",
    "version": "18.0.1.3.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_exception_base"],
    "data": [
        "security/o2c_credit_security.xml",
        "security/ir.model.access.csv",
        "data/o2c_exception_type_data.xml",
        "data/ir_cron_data.xml",
        "wizards/o2c_credit_release_wizard_views.xml",
        "views/o2c_credit_group_views.xml",
        "views/o2c_credit_release_views.xml",
        "views/o2c_exception_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/o2c_credit_menus.xml",
        "views/o2c_order_class_views.xml",
    ],
    "demo": ["demo/o2c_credit_demo.xml", "demo/o2c_exception_demo.xml"],
    "pre_init_hook": "pre_init_hook",
}
