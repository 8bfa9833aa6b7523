# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.tests.common import o2c_test_env
from odoo.addons.o2c_exception_base.tests.test_policy_change import (
    HOSTILE_CONTEXT,
    O2cPolicyChangeTestMixin,
)
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestPolicyChangeInvoiceRelease(O2cPolicyChangeTestMixin, TransactionCase):
    """The invoice release policy of the company and of order classes, when governed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        # company settings are changed (and their requests decided) by Settings admins
        cls._o2c_policy_users(",base.group_system,sales_team.group_sale_manager")
        cls.company = cls.env.company
        cls.company.o2c_invoice_release_policy = "on_delivery"
        cls.order_class = cls.env["o2c.order.class"].create(
            {"name": "O2C PC class", "code": "o2c_pc_class", "company_id": cls.company.id}
        )
        cls._require_approval("invoice_release")

    def test_order_class_release_policy_by_request(self):
        self.order_class.with_user(self.requester).with_context(**HOSTILE_CONTEXT).write(
            {"o2c_invoice_release_policy": "manual", "o2c_change_reason": "Key accounts"}
        )
        self.assertFalse(self.order_class.o2c_invoice_release_policy)
        request = self._requests(self.order_class)
        self.assertIn("Manual release", request.change_html)
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.order_class.o2c_invoice_release_policy, "manual")

    def test_settings_change_becomes_a_request_with_its_reason(self):
        Settings = self.env["res.config.settings"].with_user(self.requester)
        with self.assertRaisesRegex(UserError, "Reason for the Change"):
            Settings.create({"o2c_invoice_release_policy": "on_pod"})
        Settings.create(
            {"o2c_invoice_release_policy": "on_pod", "o2c_policy_change_reason": "Disputes"}
        ).execute()
        self.assertEqual(self.company.o2c_invoice_release_policy, "on_delivery")
        request = self._requests(self.company)
        self.assertEqual(request.reason, "Disputes")
        self.assertEqual(request.new_values, {"o2c_invoice_release_policy": "on_pod"})
        with self.assertRaisesRegex(UserError, "You requested this change"):
            request.with_user(self.requester).action_approve()
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.company.o2c_invoice_release_policy, "on_pod")

    def test_other_company_settings_apply(self):
        self.env.company.with_user(self.requester).o2c_pod_aging_days = 7
        self.assertEqual(self.company.o2c_pod_aging_days, 7)

    def test_setting_off_change_applies_and_is_recorded(self):
        """Order classes have no chatter: a direct change is kept as a change record."""
        self._require_approval("invoice_release", on=False)
        self.order_class.with_user(self.requester).with_context(**HOSTILE_CONTEXT).write(
            {"o2c_invoice_release_policy": "on_pod"}
        )
        self.assertEqual(self.order_class.o2c_invoice_release_policy, "on_pod")
        record = self._requests(self.order_class)
        self.assertEqual(record.state, "direct")
        self.assertEqual(record.old_values, {"o2c_invoice_release_policy": False})
        self.assertEqual(record.new_values, {"o2c_invoice_release_policy": "on_pod"})
        self.assertEqual(record.approved_by_id, self.requester)
