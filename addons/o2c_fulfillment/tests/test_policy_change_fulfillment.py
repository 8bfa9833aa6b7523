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
class TestPolicyChangeFulfillment(O2cPolicyChangeTestMixin, TransactionCase):
    """Fulfillment policies: approval off by default, on when the company asks for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        cls._o2c_policy_users()
        cls.policy = cls.env["o2c.fulfillment.policy"].create(
            {"name": "O2C PC fulfillment", "company_id": cls.env.company.id, "buffer_days": 1}
        )
        cls.env.cr.precommit.run()  # the policy's creation logged

    def test_off_by_default_changes_apply_tracked(self):
        kind = self.env.ref("o2c_fulfillment.o2c_policy_kind_fulfillment")
        self.assertFalse(kind.default_required)
        self._require_approval("fulfillment", on=False)
        self.policy.with_user(self.requester).with_context(**HOSTILE_CONTEXT).buffer_days = 3
        self.assertEqual(self.policy.buffer_days, 3)
        self.assertIn((1, 3), self._tracked(self.policy, "buffer_days"))

    def test_on_change_needs_another_manager(self):
        self._require_approval("fulfillment")
        self.policy.with_user(self.requester).with_context(**HOSTILE_CONTEXT).write(
            {"buffer_days": 5, "substitution_control": False, "o2c_change_reason": "Peak"}
        )
        self.assertEqual(self.policy.buffer_days, 1)
        self.assertTrue(self.policy.substitution_control)
        request = self._requests(self.policy)
        self.assertEqual(request.new_values, {"buffer_days": 5, "substitution_control": False})
        with self.assertRaisesRegex(UserError, "Only members of"):
            request.with_user(self.o2c_user).action_approve()
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.policy.buffer_days, 5)
        self.assertFalse(self.policy.substitution_control)
