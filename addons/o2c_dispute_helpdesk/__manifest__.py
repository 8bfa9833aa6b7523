# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Dispute Helpdesk",
    "summary": "Invoice and delivery disputes as helpdesk tickets linked to order, "
    "delivery and invoice",
    "version": "18.0.1.2.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_exception_base", "helpdesk_mgmt"],
    "data": [
        "security/ir.model.access.csv",
        "security/o2c_dispute_security.xml",
        "data/o2c_exception_type_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/account_move_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
        "views/o2c_dispute_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/o2c_dispute_demo.xml", "demo/o2c_exception_demo.xml"],
    "pre_init_hook": "pre_init_hook",
}
