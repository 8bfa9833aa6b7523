# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Fulfillment - Purchase",
    "summary": "Backorders replenished by RFQs, promised dates from open purchases",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_fulfillment", "purchase_stock"],
    "demo": ["demo/o2c_fulfillment_purchase_demo.xml"],
    "auto_install": True,
}
