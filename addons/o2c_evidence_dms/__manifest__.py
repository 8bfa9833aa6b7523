# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Evidence in DMS",
    "summary": "Files each order's evidence pack and evidence files into OCA dms: "
    "a directory per customer and per order",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_evidence", "dms"],
    "data": [
        "data/dms_data.xml",
        "data/ir_cron_data.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
