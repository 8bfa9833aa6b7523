# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Order Intake (EDI)",
    "summary": "Order files (CSV, UBL 2.1) imported in one batch, each order confirmed "
    "in the background through the O2C enforcement point: held ones in the queue",
    "version": "18.0.1.1.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_exception_base", "sale_stock"],
    "data": [
        "security/o2c_order_intake_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/o2c_order_import_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "o2c_order_intake/static/tests/tours/o2c_order_import_tour.js",
        ],
    },
    "installable": True,
}
