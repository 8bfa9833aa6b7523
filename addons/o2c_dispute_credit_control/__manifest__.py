# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Dispute - Credit Control",
    "summary": "OCA credit control runs leave disputed invoices out while their " "dispute is open",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_dispute_helpdesk", "account_credit_control"],
    "data": [
        "views/credit_control_line_views.xml",
        "views/credit_control_run_views.xml",
    ],
    "auto_install": True,
}
