# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Exception Base",
    "summary": "One governed queue for order-to-cash exceptions: approvals, "
    "segregation of duties, audit trail, escalation",
    "version": "18.0.1.6.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["sale_stock", "base_automation"],
    "data": [
        "security/o2c_security.xml",
        "security/ir.model.access.csv",
        "data/mail_message_subtype_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/o2c_sale_channel_data.xml",
        "data/o2c_root_cause_data.xml",
        "wizards/o2c_exception_decision_wizard_views.xml",
        "views/o2c_exception_views.xml",
        "views/o2c_exception_type_views.xml",
        "views/o2c_menus.xml",
        "views/o2c_dashboard_views.xml",
        "views/o2c_sale_channel_views.xml",
        "views/o2c_order_class_views.xml",
        "views/o2c_exception_rule_views.xml",
        "views/res_config_settings_views.xml",
        "data/o2c_exception_rule_data.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/sale_portal_templates.xml",
    ],
    "demo": ["demo/o2c_distributor_demo.xml", "demo/o2c_exception_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "o2c_exception_base/static/src/dashboard/**/*",
        ],
        "web.assets_tests": [
            "o2c_exception_base/static/tests/tours/**/*",
        ],
    },
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
}
