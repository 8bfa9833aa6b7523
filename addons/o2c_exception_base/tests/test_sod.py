# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cFakeCommon


@tagged("post_install", "-at_install")
class TestSegregationOfDuties(O2cFakeCommon):
    def _held(self, user=None, **vals):
        doc = self._doc(1500, user=user, **vals)
        doc.with_user(user or self.requester).action_confirm()
        return doc, doc.o2c_exception_ids

    def test_requester_cannot_approve_even_as_approver(self):
        _doc, exc = self._held(user=self.approver)
        self.assertEqual(exc.requested_by_id, self.approver)
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            exc.with_user(self.approver).action_approve("mine")
        self.assertEqual(exc.state, "open")

    def test_document_author_cannot_approve(self):
        doc = self._doc(1500, user=self.approver_2)
        doc.with_user(self.requester).action_confirm()
        exc = doc.o2c_exception_ids
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            exc.with_user(self.approver_2).action_approve("I wrote it")

    def test_salesperson_cannot_approve(self):
        _doc, exc = self._held(user_id=self.approver.id)
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            exc.with_user(self.approver).action_approve("my customer")

    def test_non_approver_refused(self):
        _doc, exc = self._held()
        with self.assertRaisesRegex(UserError, "only members"):
            exc.with_user(self.requester).action_approve("please")
        with self.assertRaisesRegex(UserError, "only members"):
            exc.with_user(self.employee).action_reject("no")

    def test_two_person_rule(self):
        self.exc_type.min_approvals = 2
        _doc, exc = self._held()
        exc.with_user(self.approver).action_approve("first")
        self.assertEqual(exc.state, "open")
        with self.assertRaisesRegex(UserError, "already approved"):
            exc.with_user(self.approver).action_approve("again")
        exc.with_user(self.approver_2).action_approve("second")
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.approval_ids.user_id, self.approver | self.approver_2)

    def test_other_company_approver_refused(self):
        _doc, exc = self._held()
        self.assertEqual(exc.company_id, self.company)
        with self.assertRaisesRegex(UserError, "company"):
            exc.with_user(self.approver_b_only).sudo(False).with_company(
                self.company_b
            ).action_approve("not mine")

    def test_record_rule_hides_other_company(self):
        _doc, exc = self._held()
        visible = (
            self.env["o2c.exception"].with_user(self.approver_b_only).search([("id", "=", exc.id)])
        )
        self.assertFalse(visible)

    def test_exception_in_company_b_uses_company_b(self):
        doc = self._doc(1500, company_id=self.company_b.id)
        doc.action_confirm()
        exc = doc.o2c_exception_ids
        self.assertEqual(exc.company_id, self.company_b)
        exc.with_user(self.approver_b_only).action_approve("B approver")
        self.assertEqual(exc.state, "approved")

    def test_company_specific_type_wins(self):
        self.env["o2c.exception.type"].create(
            {
                "name": "B big",
                "code": "o2c_test_big",
                "company_id": self.company_b.id,
                "min_approvals": 2,
            }
        )
        doc = self._doc(1500, company_id=self.company_b.id)
        doc.action_confirm()
        self.assertEqual(doc.o2c_exception_ids.min_approvals, 2)

    def test_who_changed_the_document_cannot_approve_again(self):
        _doc, exc = self._held()
        doc = _doc
        exc.with_user(self.approver).action_approve("ok")
        doc.with_user(self.approver_2).amount = 7000
        self.assertEqual(exc.state, "open")
        self.assertIn(self.approver_2, exc.conflict_user_ids)
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            exc.with_user(self.approver_2).action_approve("I changed it myself")

    def test_partial_approval_of_old_document_no_longer_counts(self):
        self.exc_type.min_approvals = 2
        doc, exc = self._held()
        exc.with_user(self.approver).action_approve("first, for 1500")
        doc.amount = 9000
        self.assertFalse(exc.approval_ids, "the approval of the old amount is archived")
        exc.with_user(self.approver_2).action_approve("second")
        self.assertEqual(exc.state, "open", "two approvals of the current document needed")

    def test_decision_closes_approval_activities(self):
        _doc, exc = self._held()
        exc.action_notify_approvers()
        self.assertTrue(exc.activity_ids)
        exc.with_user(self.approver).action_approve("ok")
        self.assertFalse(exc.activity_ids)
