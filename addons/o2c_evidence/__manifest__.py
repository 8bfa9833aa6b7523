# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Evidence Pack",
    "summary": "One evidence pack per order (PDF and ZIP): confirmation, exceptions, "
    "approvals, credit releases, proofs of delivery, consents, messages, disputes, "
    "customer agreements",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    # a reporting addon: it shows what the feature addons record, so it depends
    # on them (the core stays unaware of them)
    "depends": [
        "o2c_exception_base",
        "o2c_credit_control",
        "o2c_fulfillment",
        "o2c_invoice_release",
        "o2c_dispute_helpdesk",
    ],
    "data": [
        "security/o2c_evidence_security.xml",
        "security/ir.model.access.csv",
        "report/o2c_evidence_report.xml",
        "views/o2c_customer_agreement_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/o2c_evidence_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "o2c_evidence/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
