# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeApproval(DisputeCommon):
    """Credit or write-off above the company limit (500) waits for an approver."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice([(cls.product_a, 10, 100.0)])  # 1,150 due
        cls.line = cls.invoice.invoice_line_ids

    def _big_credit(self, quantity=5):
        # 5 x 100 x 1.15 = 575 > 500
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            lines=[(self.line, quantity, None)],
            o2c_root_cause="master_data",
            o2c_resolution="credit_note",
        )
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        return ticket

    def test_below_limit_needs_no_approval(self):
        ticket = self._big_credit(quantity=4)  # 460
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertFalse(self._exceptions(ticket, "dispute_resolution"))

    def test_above_limit_is_held_for_approval(self):
        ticket = self._big_credit()
        self.assertEqual(ticket.o2c_resolution_amount, 575.0)
        self.assertEqual(ticket.o2c_dispute_state, "to_approve")
        self.assertTrue(ticket.o2c_blocked)
        self.assertFalse(ticket.o2c_credit_note_ids)
        self.assertEqual(self.invoice.amount_residual, 1150.0)
        exc = self._exceptions(ticket, "dispute_resolution")
        self.assertEqual(exc.state, "open")
        self.assertTrue(exc.blocking)
        self.assertEqual(exc.amount, 575.0)
        self.assertEqual(exc.ticket_id, ticket)
        self.assertEqual(exc.move_id, self.invoice)
        self.assertEqual(exc.requested_by_id, self.agent)
        # the approvers were asked
        self.assertIn(self.approver, exc.activity_ids.user_id)
        # the invoice stays disputed meanwhile
        self.assertTrue(self.invoice.o2c_is_disputed)

    def test_requester_cannot_approve(self):
        ticket = self._big_credit()
        exc = self._exceptions(ticket, "dispute_resolution")
        self.env.ref("o2c_exception_base.group_o2c_approver").users |= self.agent
        with self.assertRaises(UserError) as cm:
            exc.with_user(self.agent).action_approve("my own credit")
        self.assertIn("Segregation of duties", str(cm.exception))
        self.assertEqual(exc.state, "open")

    def test_assigned_agent_cannot_approve(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            lines=[(self.line, 5, None)],
            o2c_root_cause="master_data",
            o2c_resolution="credit_note",
        )
        ticket.user_id = self.approver_2
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        exc = self._exceptions(ticket, "dispute_resolution")
        with self.assertRaises(UserError) as cm:
            exc.with_user(self.approver_2).action_approve("my ticket")
        self.assertIn("Segregation of duties", str(cm.exception))

    def test_approved_then_applied(self):
        ticket = self._big_credit()
        exc = self._exceptions(ticket, "dispute_resolution")
        exc.with_user(self.approver).action_approve("Damage confirmed by the carrier")
        self.assertEqual(exc.state, "approved")
        self.assertFalse(ticket.o2c_blocked)
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertEqual(ticket.o2c_credit_note_ids.amount_total, 575.0)
        self.assertEqual(self.invoice.amount_residual, 575.0)
        self.assertEqual(exc.state, "approved")

    def test_change_after_approval_reopens(self):
        ticket = self._big_credit()
        exc = self._exceptions(ticket, "dispute_resolution")
        exc.with_user(self.approver).action_approve("ok for 575")
        ticket.o2c_line_ids.quantity = 6  # 690 now
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.amount, 690.0)
        self.assertEqual(ticket.o2c_dispute_state, "to_approve")
        self.assertFalse(ticket.o2c_credit_note_ids)

    def test_rejected_resolution_stays_held(self):
        ticket = self._big_credit()
        exc = self._exceptions(ticket, "dispute_resolution")
        carrier = self.env.ref("o2c_exception_base.o2c_root_cause_carrier")
        exc.with_user(self.approver).action_reject("Not our fault", root_cause_id=carrier.id)
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertFalse(ticket.o2c_credit_note_ids)
        self.assertEqual(ticket.o2c_dispute_state, "to_approve")

    def test_switching_to_rejection_needs_no_approval(self):
        ticket = self._big_credit()
        ticket.write({"o2c_resolution": "rejected", "o2c_rejection_reason": "Not our fault"})
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertEqual(self._exceptions(ticket, "dispute_resolution").state, "resolved")

    def test_write_off_above_limit_needs_approval(self):
        account = self.env["account.account"].create(
            {"name": "WO", "code": "O2CWO2", "account_type": "expense"}
        )
        self.company.o2c_dispute_writeoff_account_id = account
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            o2c_disputed_amount=600.0,
            o2c_root_cause="customer",
            o2c_resolution="write_off",
        )
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertEqual(ticket.o2c_dispute_state, "to_approve")
        self.assertEqual(self._exceptions(ticket, "dispute_resolution").amount, 600.0)

    def test_limit_is_per_company_setting(self):
        self.company.o2c_dispute_approval_amount = 1000.0
        ticket = self._big_credit()
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
