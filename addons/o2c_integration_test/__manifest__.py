# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Integration Tests",
    "summary": "Tests of every o2c addon installed together: attacks on the controls, "
    "whole flows as real users",
    "version": "18.0.1.1.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": [
        "o2c_exception_base",
        "o2c_pricing_approval",
        "o2c_credit_control",
        "o2c_invoice_release",
        "o2c_fulfillment",
        "o2c_fulfillment_purchase",
        "o2c_dispute_helpdesk",
        "o2c_order_class_delivery",
    ],
    "data": ["data/o2c_exception_type_data.xml"],
    "assets": {
        "web.assets_tests": [
            "o2c_integration_test/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
