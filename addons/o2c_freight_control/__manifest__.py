# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Freight Approval",
    "summary": "Approval of expedited and costly freight on orders and deliveries",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    # stock_delivery (auto-installed with delivery + sale_stock) holds the
    # carrier and shipping cost of the transfers
    "depends": ["o2c_exception_base", "delivery", "sale_stock", "stock_delivery"],
    "data": [
        "security/o2c_freight_security.xml",
        "security/ir.model.access.csv",
        "data/o2c_exception_type_data.xml",
        "data/o2c_freight_policy_data.xml",
        "views/delivery_carrier_views.xml",
        "views/o2c_freight_policy_views.xml",
        "views/o2c_freight_menus.xml",
    ],
    "demo": ["demo/o2c_freight_demo.xml"],
    "post_init_hook": "post_init_hook",
}
