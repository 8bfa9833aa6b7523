# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..models.o2c_dispute_constants import ROOT_CAUSES
from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestRootCauseMap(DisputeCommon):
    """A dispute keeps its own root cause, mapped to the review's list, and its
    exceptions are decided with it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice([(cls.product_a, 10, 100.0)])  # 1,150 due
        cls.line = cls.invoice.invoice_line_ids

    def _cause(self, code):
        return self.env["o2c.root.cause"].search([("code", "=", code)])

    def _credit(self, root_cause, quantity=5):
        """A credit note of ``quantity`` x 115 applied (held above 500)."""
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            lines=[(self.line, quantity, None)],
            o2c_root_cause=root_cause,
            o2c_resolution="credit_note",
        )
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        return ticket

    def test_every_dispute_root_cause_maps_to_the_review_list(self):
        expected = {
            "pricing_policy": "policy_design",
            "master_data": "master_data",
            "training": "training",
            "supplier": "supplier",
            "warehouse_execution": "warehouse_execution",
            "carrier": "carrier",
            "customer": "customer_request",
        }
        self.assertEqual(set(expected), {code for code, _label in ROOT_CAUSES})
        tickets = self.Ticket.browse()
        for code in expected:
            tickets |= self._dispute(
                o2c_invoice_id=self.invoice.id, o2c_disputed_amount=10.0, o2c_root_cause=code
            )
        mapped = {t.o2c_root_cause: t.o2c_root_cause_id.code for t in tickets}
        self.assertEqual(mapped, expected)

    def test_the_mapping_follows_the_dispute_root_cause(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        self.assertFalse(ticket.o2c_root_cause_id)
        ticket.with_user(self.agent).o2c_root_cause = "carrier"
        self.assertEqual(ticket.o2c_root_cause_id, self._cause("carrier"))
        ticket.with_user(self.agent).o2c_root_cause = "customer"
        self.assertEqual(ticket.o2c_root_cause_id, self._cause("customer_request"))

    def test_agent_cannot_write_the_mapped_root_cause(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_root_cause="carrier")
        with self.assertRaisesRegex(UserError, "Root Cause"):
            ticket.with_user(self.agent).write({"o2c_root_cause_id": self._cause("training").id})
        self.assertEqual(ticket.o2c_root_cause_id, self._cause("carrier"))

    def test_approval_takes_the_dispute_root_cause(self):
        ticket = self._credit("pricing_policy")
        exc = self._exceptions(ticket, "dispute_resolution")
        self.assertEqual(exc.state, "open")
        exc.with_user(self.approver).action_approve()
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.root_cause_id, self._cause("policy_design"))

    def test_decision_wizard_prefills_the_dispute_root_cause(self):
        ticket = self._credit("customer")
        exc = self._exceptions(ticket, "dispute_resolution")
        wizard = Form(
            self.env["o2c.exception.decision.wizard"]
            .with_user(self.approver)
            .with_context(default_exception_ids=exc.ids, default_decision="approve")
        )
        self.assertEqual(wizard.root_cause_id, self._cause("customer_request"))

    def test_rejecting_a_resolution_asks_the_approver_why(self):
        ticket = self._credit("master_data")
        exc = self._exceptions(ticket, "dispute_resolution")
        with self.assertRaisesRegex(UserError, "Root Cause"):
            exc.with_user(self.approver).action_reject("Not our fault")
        self.assertEqual(exc.state, "open")
        carrier = self._cause("carrier")
        exc.with_user(self.approver).action_reject("Not our fault", root_cause_id=carrier.id)
        self.assertEqual((exc.state, exc.root_cause_id), ("rejected", carrier))

    def test_invoice_dispute_resolved_with_the_dispute_root_cause(self):
        ticket = self._credit("customer", quantity=2)  # 230: no approval needed
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(exc.root_cause_id, self._cause("customer_request"))

    def _moved_to_another_invoice(self):
        """A dispute without root cause moved off the invoice: the system resolves
        the invoice's exception (no open dispute left on it). Return that exception."""
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual((exc.state, exc.ticket_id), ("open", ticket))
        ticket.with_user(self.agent).o2c_invoice_id = self._invoice()
        self.assertEqual(exc.state, "resolved")
        return exc

    def test_system_decision_without_any_root_cause_never_fails(self):
        exc = self._moved_to_another_invoice()
        self.assertFalse(exc.root_cause_id, "no cause given, none invented")

    def test_type_default_when_the_dispute_has_none(self):
        training = self._cause("training")
        self.env.ref(
            "o2c_dispute_helpdesk.o2c_exception_type_invoice_dispute"
        ).default_root_cause_id = training
        exc = self._moved_to_another_invoice()
        self.assertEqual(exc.root_cause_id, training)
