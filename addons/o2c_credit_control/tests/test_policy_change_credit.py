# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.tests.test_policy_change import (
    HOSTILE_CONTEXT,
    O2cPolicyChangeTestMixin,
)
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CreditCommon

CREDIT_MANAGER = "o2c_credit_control.group_o2c_credit_manager"


@tagged("post_install", "-at_install")
class TestPolicyChangeCredit(O2cPolicyChangeTestMixin, CreditCommon):
    """Credit groups change through requests another credit manager approves (default on)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._o2c_policy_users(f",{CREDIT_MANAGER}")
        cls.o2c_manager = new_test_user(
            cls.env, "cc_pc_o2c_manager", "o2c_exception_base.group_o2c_manager"
        )
        cls.tag = cls.env["res.partner.category"].create({"name": "O2C PC credit tag"})
        cls.group = cls.env["o2c.credit.group"].create(
            {"name": "O2C PC group", "category_ids": [(6, 0, cls.tag.ids)], "credit_limit": 1000}
        )
        cls._require_approval("credit")
        cls.env.cr.precommit.run()  # the group's creation logged

    def _request_limit(self, limit=5000.0, **context):
        self.group.with_user(self.requester).with_context(**context).write(
            {"credit_limit": limit, "o2c_change_reason": "Customer grew"}
        )
        return self._requests(self.group)

    def test_credit_managers_approve(self):
        kind = self.env.ref("o2c_credit_control.o2c_policy_kind_credit")
        self.assertEqual(kind.approver_group_id, self.env.ref(CREDIT_MANAGER))

    def test_limit_applies_when_another_credit_manager_approves(self):
        request = self._request_limit(**HOSTILE_CONTEXT)
        self.assertEqual(self.group.credit_limit, 1000.0)
        self.assertEqual(request.old_values, {"credit_limit": 1000.0})
        self.assertEqual(request.new_values, {"credit_limit": 5000.0})
        with self.assertRaisesRegex(UserError, "You requested this change"):
            request.with_user(self.requester).action_approve()
        with self.assertRaisesRegex(UserError, "Only members of"):
            request.with_user(self.o2c_manager).action_approve()
        self.assertEqual(self.group.credit_limit, 1000.0)
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.group.credit_limit, 5000.0)
        self.assertIn((1000.0, 5000.0), self._tracked(self.group, "credit_limit"))

    def test_rejected_keeps_the_limit(self):
        request = self._request_limit()
        request.with_user(self.approver).decision_reason = "Overdue invoices"
        request.with_user(self.approver).action_reject()
        self.assertEqual(self.group.credit_limit, 1000.0)
        self.assertEqual(request.state, "rejected")

    def test_customer_tags_are_a_change_too(self):
        other = self.env["res.partner.category"].create({"name": "O2C PC other tag"})
        self.group.with_user(self.requester).write(
            {"category_ids": [(4, other.id)], "o2c_change_reason": "Add the other tag"}
        )
        self.assertEqual(self.group.category_ids, self.tag)
        request = self._requests(self.group)
        self.assertEqual(request.new_values, {"category_ids": sorted((self.tag | other).ids)})
        self.assertIn("O2C PC other tag", request.change_html)
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.group.category_ids, self.tag | other)

    def test_delete_refused(self):
        with self.assertRaisesRegex(UserError, "Archive them"):
            self.group.with_user(self.requester).unlink()

    def test_setting_off_applies_and_tracks(self):
        self._require_approval("credit", on=False)
        self.group.with_user(self.requester).with_context(**HOSTILE_CONTEXT).credit_limit = 2000
        self.assertEqual(self.group.credit_limit, 2000.0)
        self.assertFalse(self._requests(self.group))
        self.assertIn((1000.0, 2000.0), self._tracked(self.group, "credit_limit"))
