# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Dispute - Overdue Reminder",
    "summary": "OCA overdue reminders leave disputed invoices out while their dispute "
    "is open, and say so",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_dispute_helpdesk", "account_invoice_overdue_reminder"],
    "data": [
        "views/overdue_reminder_step_views.xml",
        "views/report_overdue_reminder.xml",
    ],
    "auto_install": True,
}
