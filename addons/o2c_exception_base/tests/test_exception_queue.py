# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import O2cFakeCommon


@tagged("post_install", "-at_install")
class TestExceptionQueue(O2cFakeCommon):
    def _raise(self, amount=1500.0):
        doc = self._doc(amount)
        doc.action_confirm()
        exc = doc.o2c_exception_ids
        self.assertEqual(len(exc), 1)
        return doc, exc

    def test_raise_copies_route_and_document(self):
        doc, exc = self._raise()
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.stage, "order_validation")
        self.assertTrue(exc.blocking)
        self.assertEqual(
            exc.approver_group_id, self.env.ref("o2c_exception_base.group_o2c_approver")
        )
        self.assertEqual(exc.partner_id, self.partner)
        self.assertEqual(exc.amount, 500.0)
        self.assertEqual(exc.requested_by_id, self.requester)
        self.assertEqual(exc.res_name, doc.display_name)
        self.assertTrue(exc.deadline)
        self.assertEqual(doc.state, "draft", "held: the guarded action did not happen")
        self.assertTrue(doc.o2c_blocked)

    def test_route_fixed_when_type_changes_later(self):
        _doc, exc = self._raise()
        self.exc_type.write({"min_approvals": 3, "blocking": False})
        self.assertEqual(exc.min_approvals, 1)
        self.assertTrue(exc.blocking)

    def test_approve_releases_document(self):
        doc, exc = self._raise()
        exc.with_user(self.approver).action_approve("Key account, margin ok")
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.decided_by_id, self.approver)
        self.assertEqual(exc.decision_reason, "Key account, margin ok")
        self.assertEqual(exc.approval_ids.user_id, self.approver)
        self.assertFalse(doc.o2c_blocked)
        doc.with_user(self.requester).action_confirm()
        self.assertEqual(doc.state, "done")
        messages = exc.message_ids.mapped("body")
        self.assertTrue(
            any("Key account, margin ok" in str(b) for b in messages),
            "the decision and its reason are in the chatter",
        )

    def test_reject_keeps_document_held(self):
        doc, exc = self._raise()
        exc.with_user(self.approver).action_reject(
            "Too big", root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id
        )
        self.assertEqual(exc.state, "rejected")
        self.assertTrue(doc.o2c_blocked)
        result = doc.action_confirm()
        self.assertEqual(result["res_model"], "o2c.exception")
        self.assertEqual(doc.state, "draft")

    def test_fixing_document_resolves(self):
        doc, exc = self._raise()
        doc.amount = 900
        doc.action_confirm()
        self.assertEqual(exc.state, "resolved")
        self.assertTrue(exc.resolved_date)
        self.assertEqual(doc.state, "done")

    def test_empty_reason_refused_to_reject_nothing_changed(self):
        _doc, exc = self._raise()
        for reason in (None, "", "   "):
            with self.assertRaisesRegex(UserError, r"reason is required to reject.*Reason"):
                exc.with_user(self.approver).action_reject(reason)
        self.assertEqual(exc.state, "open")
        self.assertFalse(exc.decided_by_id)

    def test_approve_needs_no_reason(self):
        """One click from the queue: the approval records who and when, and says
        that no comment was given."""
        _doc, exc = self._raise()
        exc.with_user(self.approver).action_approve()
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.approval_ids.user_id, self.approver)
        self.assertEqual(exc.approval_ids.reason, "Approved without comment.")

    def test_approve_and_open_the_next_exception_to_decide(self):
        (_doc, first), (_doc2, second) = self._raise(), self._raise(amount=2000.0)
        action = first.with_user(self.approver).action_approve_next()
        self.assertEqual(first.state, "approved")
        self.assertEqual((action["res_model"], action["res_id"]), ("o2c.exception", second.id))
        action = second.with_user(self.approver).action_approve_next()
        self.assertEqual(action["xml_id"], "o2c_exception_base.o2c_exception_action")

    def test_cannot_approve_cancelled(self):
        _doc, exc = self._raise()
        exc.with_user(self.manager).action_cancel("Duplicate")
        self.assertEqual(exc.state, "cancelled")
        with self.assertRaisesRegex(UserError, "Cancelled"):
            exc.with_user(self.approver).action_approve("late")
        self.assertEqual(exc.state, "cancelled")
        self.assertFalse(exc.approval_ids)

    def test_only_manager_cancels(self):
        _doc, exc = self._raise()
        with self.assertRaisesRegex(UserError, "managers"):
            exc.with_user(self.approver).action_cancel("no")
        self.assertEqual(exc.state, "open")

    def test_never_deleted(self):
        _doc, exc = self._raise()
        with self.assertRaises(AccessError):
            exc.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            exc.sudo().unlink()
        exc.with_user(self.approver).action_approve("ok")
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            exc.approval_ids.sudo().unlink()

    def test_user_cannot_write_state(self):
        _doc, exc = self._raise()
        with self.assertRaises(UserError):  # AccessError is one too
            exc.with_user(self.approver).write({"state": "approved"})
        self.assertEqual(exc.state, "open")

    def test_deleting_document_cancels_its_exceptions(self):
        doc, exc = self._raise()
        doc.unlink()
        self.assertEqual(exc.state, "cancelled")
        self.assertTrue(exc.exists())

    def test_negative_sla_and_zero_approvals_refused(self):
        # assertRaises (not ...Regex) rolls back to a savepoint: nothing is kept
        with self.assertRaises(ValidationError) as cm:
            self.exc_type.sla_hours = -1
        self.assertIn("SLA (hours)", str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            self.exc_type.min_approvals = 0
        self.assertIn("Approvals Needed", str(cm.exception))
        self.assertEqual((self.exc_type.sla_hours, self.exc_type.min_approvals), (2, 1))

    def test_code_unique_per_company(self):
        with self.assertRaises(ValidationError) as cm:
            self.env["o2c.exception.type"].create({"name": "Dup", "code": "o2c_test_big"})
        self.assertIn("already used", str(cm.exception))
        other = self.env["o2c.exception.type"].create(
            {"name": "B", "code": "o2c_test_big", "company_id": self.company_b.id}
        )
        self.assertEqual(other.company_id, self.company_b)

    def test_decision_wizard(self):
        _doc, exc = self._raise()
        action = (
            exc.with_user(self.approver)
            .with_context(o2c_decision="approve")
            .action_open_decision_wizard()
        )
        wiz_form = Form(
            self.env[action["res_model"]].with_user(self.approver).with_context(**action["context"])
        )
        wiz_form.reason = "Approved from the wizard"
        wiz_form.save().action_confirm()
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.decision_reason, "Approved from the wizard")

    def test_wizard_requires_reason(self):
        _doc, exc = self._raise()
        wiz = (
            self.env["o2c.exception.decision.wizard"]
            .with_user(self.approver)
            .create({"exception_ids": [(4, exc.id)], "decision": "reject", "reason": " "})
        )
        with self.assertRaisesRegex(UserError, "reason is required"):
            wiz.action_confirm()
        self.assertEqual(exc.state, "open")

    def test_to_approve_filter(self):
        _doc, exc = self._raise()
        Exc = self.env["o2c.exception"]
        self.assertIn(exc, Exc.with_user(self.approver).search([("can_approve", "=", True)]))
        self.assertNotIn(exc, Exc.with_user(self.requester).search([("can_approve", "=", True)]))

    def test_asking_again_does_not_log_the_hold_again(self):
        doc, exc = self._raise()

        def hold_notes():
            return doc.message_ids.filtered(lambda m: "Held by O2C exceptions" in (m.body or ""))

        self.assertEqual(len(hold_notes()), 1)
        doc.action_confirm()
        doc.action_confirm()
        self.assertEqual(len(hold_notes()), 1, "nothing new holds it: no new note")
        self.assertEqual(len(doc.o2c_exception_ids), 1, "nor a new exception")
        exc.with_user(self.approver).action_reject(
            "No", root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id
        )
        doc.action_confirm()
        self.assertEqual(len(hold_notes()), 1, "the same exception, rejected, still holds it")
