# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Freight Approval - Purchase",
    "summary": "Replenishments expedited for customer orders need the freight approval",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_freight_control", "purchase_stock"],
    "data": ["views/o2c_freight_policy_views.xml", "views/purchase_order_views.xml"],
    "auto_install": True,
    "pre_init_hook": "pre_init_hook",
}
