# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Credit Control",
    "summary": "Credit exposure, limits, overdue blocks and governed hold release",
    "version": "18.0.0.1.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_exception_base"],
    "data": [],
    "installable": True,
}
