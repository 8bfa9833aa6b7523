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

    def test_core_ships_only_its_own_types(self):
        """Each control ships its exception types; the core only the rule types."""
        core_types = self.env["ir.model.data"].search(
            [("module", "=", "o2c_exception_base"), ("model", "=", "o2c.exception.type")]
        )
        self.assertEqual(
            set(self.env["o2c.exception.type"].browse(core_types.mapped("res_id")).mapped("code")),
            {"order_rule", "delivery_rule", "invoice_rule"},
        )
