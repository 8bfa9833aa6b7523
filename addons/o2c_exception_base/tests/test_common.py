# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cCommon


@tagged("post_install", "-at_install")
class TestO2cCommon(O2cCommon):
    def test_fixture_roles(self):
        self.assertTrue(
            self.approver.has_group("o2c_exception_base.group_o2c_user"), "approver implies user"
        )
        self.assertTrue(
            self.manager.has_group("o2c_exception_base.group_o2c_approver"),
            "manager implies approver",
        )
        self.assertFalse(self.requester.has_group("o2c_exception_base.group_o2c_approver"))
        self.assertFalse(self.employee.has_group("o2c_exception_base.group_o2c_user"))

    def test_default_types_cover_every_stage(self):
        types = self.env["o2c.exception.type"].search([("company_id", "=", False)])
        self.assertEqual(
            set(types.mapped("stage")),
            {
                "lead_to_order",
                "order_validation",
                "fulfillment_planning",
                "warehouse_execution",
                "delivery_to_invoice",
                "post_invoice_service",
            },
        )
        self.assertEqual(
            {
                "discount_approval",
                "credit_hold",
                "backorder",
                "substitution",
                "short_pick",
                "missing_pod",
                "invoice_dispute",
            }
            - set(types.mapped("code")),
            set(),
        )
