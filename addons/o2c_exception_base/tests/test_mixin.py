# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cFakeCommon


@tagged("post_install", "-at_install")
class TestMixin(O2cFakeCommon):
    def test_raise_is_idempotent(self):
        doc = self._doc(1500)
        first = doc._o2c_raise_exceptions("o2c_test_big", {"name": "A", "amount": 1})
        second = doc._o2c_raise_exceptions("o2c_test_big", {"name": "B", "amount": 2})
        self.assertEqual(first, second)
        self.assertEqual(doc.o2c_exception_count, 1)
        self.assertEqual(second.name, "B")
        self.assertEqual(second.amount, 2)

    def test_raise_per_record_values(self):
        docs = self._doc(1100) | self._doc(1200)
        excs = docs._o2c_raise_exceptions(
            "o2c_test_big", {docs[0].id: {"amount": 100}, docs[1].id: {"amount": 200}}
        )
        self.assertEqual(sorted(excs.mapped("amount")), [100, 200])

    def test_unknown_code_clear_error(self):
        with self.assertRaisesRegex(UserError, "no_such_code"):
            self._doc()._o2c_raise_exceptions("no_such_code")

    def test_held_action_leaves_no_side_effect_and_allowed_ones_proceed(self):
        held, free = self._doc(1500), self._doc(500)
        result = (held | free).action_confirm()
        self.assertEqual(free.state, "done")
        self.assertEqual(held.state, "draft")
        self.assertEqual(result["res_model"], "o2c.exception")
        self.assertIn("Held by O2C exceptions", str(held.message_ids[0].body))
        self.assertFalse(held.o2c_exception_ids.filtered(lambda e: e.state != "open"))

    def test_raise_on_hold_context(self):
        doc = self._doc(1500)
        with self.assertRaisesRegex(UserError, "held by O2C exceptions"):
            doc.with_context(o2c_raise_on_hold=True).action_confirm()

    def test_direct_write_of_guarded_state_refused_while_held(self):
        doc = self._doc(1500)
        doc.action_confirm()
        with self.assertRaisesRegex(UserError, "held by O2C exceptions"):
            doc.write({"state": "done"})
        self.assertEqual(doc.state, "draft")

    def test_change_after_approval_reopens_and_notifies(self):
        doc = self._doc(1500)
        doc.action_confirm()
        exc = doc.o2c_exception_ids
        exc.with_user(self.approver).action_approve("ok for 1500")
        self.assertEqual(exc.state, "approved")
        doc.with_user(self.requester).amount = 5000
        self.assertEqual(exc.state, "open", "a material change reopens the exception")
        self.assertFalse(exc.approval_ids, "the old approval no longer counts")
        self.assertTrue(
            exc.with_context(active_test=False).approval_ids, "but it stays in the audit trail"
        )
        self.assertTrue(doc.o2c_blocked)
        activities = exc.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("o2c_exception_base.mail_activity_type_o2c_approval")
        )
        self.assertIn(self.approver, activities.user_id, "approvers are told")
        self.assertNotIn(self.requester, activities.user_id)

    def test_change_of_non_key_field_keeps_approval(self):
        doc = self._doc(1500)
        doc.action_confirm()
        exc = doc.o2c_exception_ids
        exc.with_user(self.approver).action_approve("ok")
        doc.name = "Renamed"
        self.assertEqual(exc.state, "approved")
        doc.action_confirm()
        self.assertEqual(doc.state, "done")

    def test_line_change_caught_at_enforcement(self):
        doc = self._doc(1500, line_ids=[(0, 0, {"qty": 1})])
        doc.action_confirm()
        exc = doc.o2c_exception_ids
        exc.with_user(self.approver).action_approve("ok")
        # a direct line write does not go through the document's write()
        doc.line_ids.qty = 50
        self.assertEqual(exc.state, "approved")
        doc.action_confirm()
        self.assertEqual(exc.state, "open")
        self.assertEqual(doc.state, "draft")

    def test_request_approval_button(self):
        doc = self._doc(1500)
        doc.action_confirm()
        doc.with_user(self.requester).action_o2c_request_approval()
        exc = doc.o2c_exception_ids
        notified = exc.activity_ids.user_id
        self.assertLessEqual(
            self.approver | self.approver_2 | self.manager,
            notified,
            "every eligible approver of the company",
        )
        self.assertNotIn(self.requester, notified, "not the requester")
        self.assertNotIn(self.approver_b_only, notified, "not another company's approver")
        with self.assertRaisesRegex(UserError, "no open exception"):
            self._doc(10).action_o2c_request_approval()

    def test_smart_button_action(self):
        doc = self._doc(1500)
        doc.action_confirm()
        action = doc.action_o2c_view_exceptions()
        self.assertEqual(self.env["o2c.exception"].search(action["domain"]), doc.o2c_exception_ids)

    def test_api_raise(self):
        doc = self._doc(10)
        exc = self.Doc._o2c_api_raise(doc.ids, "o2c_test_big", "From code", 42)
        self.assertEqual((exc.name, exc.amount), ("From code", 42))
