# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Order Classes - Delivery",
    "summary": "Order classes scoped by delivery carrier; shipping lines are freight, not goods",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_exception_base", "delivery"],
    "data": ["views/o2c_order_class_views.xml"],
    "auto_install": True,
}
