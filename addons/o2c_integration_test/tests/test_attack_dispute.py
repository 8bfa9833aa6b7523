# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import AttackCommon

HELPDESK = "helpdesk_mgmt.group_helpdesk_user"
AGENT_GROUPS = f"{HELPDESK},account.group_account_invoice,o2c_exception_base.group_o2c_user"
TICKET_FIELDS = [
    "o2c_dispute_state",
    "o2c_resolved_date",
    "o2c_resolution_hours",
    "o2c_resolution_amount",
    "o2c_disputed_amount",
    "o2c_is_dispute",
    "o2c_blocked",
    "o2c_credit_note_ids",
    "stage_id",
    "active",
]
INVOICE_FIELDS = ["o2c_is_disputed", "o2c_dispute_amount", "amount_residual", "payment_state"]


@tagged("post_install", "-at_install")
class TestAttackDispute(AttackCommon):
    """A dispute's state, its evidence and what it leaves out of overdue checks
    change only through the dispute's actions (open, apply resolution, cancel)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.o2c_dispute_approval_amount = 500.0
        cls.agent = new_test_user(cls.env, "atk_agent", AGENT_GROUPS)
        cls.approver_agent = new_test_user(
            cls.env, "atk_approver_agent", f"{AGENT_GROUPS},o2c_exception_base.group_o2c_approver"
        )
        cls.invoice_posted = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product.id, "quantity": 10, "price_unit": 100}
                    )
                ],
            }
        )
        cls.invoice_posted.action_post()
        cls.Ticket = cls.env["helpdesk.ticket"]

    # ---------------------------------------------------------- HELPERS
    def dispute(self, resolution="credit_note", qty=10.0, **vals):
        """An open dispute of the agent on the whole invoice line (1000 above the 500 limit)."""
        aml = self.invoice_posted.invoice_line_ids
        values = {
            "name": "Damaged goods",
            "description": "<p>Damaged</p>",
            "o2c_is_dispute": True,
            "o2c_dispute_type": "damaged",
            "o2c_invoice_id": self.invoice_posted.id,
            "o2c_root_cause": "carrier",
            "o2c_resolution": resolution,
            "o2c_line_ids": [Command.create({"move_line_id": aml.id, "quantity": qty})],
            **vals,
        }
        ticket = self.Ticket.with_user(self.agent).create(values).sudo()
        self.assertEqual(ticket.o2c_dispute_state, "open")
        return ticket

    def waiting_approval(self):
        ticket = self.dispute()
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", [ticket.id])
        self.assertEqual(ticket.o2c_dispute_state, "to_approve")
        return ticket, self.resolution_exception(ticket)

    def resolution_exception(self, ticket):
        return ticket.o2c_exception_ids.filtered(
            lambda e: e.code == "dispute_resolution" and e.state in ("open", "approved")
        )

    def disputed_amounts(self):
        return self.env["account.move"]._o2c_disputed_amounts(self.invoice_posted.ids)

    def ticket_count(self):
        return self.Ticket.with_context(active_test=False).search_count(
            [("o2c_invoice_id", "=", self.invoice_posted.id)]
        )

    # ------------------------------------------------------ DISPUTE STATE
    def test_dispute_state_and_evidence_cannot_be_written(self):
        ticket, exc = self.waiting_approval()
        before = self.snapshot(ticket, TICKET_FIELDS)
        attacks = [
            {"o2c_dispute_state": "resolved"},
            {"o2c_dispute_state": "cancelled"},
            {"o2c_dispute_state": "open"},
            {"o2c_resolved_date": "2026-01-01 00:00:00"},
            {"o2c_resolution_hours": 1.0},
            {"o2c_resolution_amount": 1.0},
            {"o2c_resolution_amount_company": 1.0},
            {"o2c_disputed_amount_company": 1.0},
            {"o2c_currency_id": self.env.ref("base.EUR").id},
        ]
        for user in (self.agent, self.manager):
            for vals in attacks:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    self.rpc(user, "helpdesk.ticket", "write", [ticket.id], vals)
        self.assertUnchanged(ticket, TICKET_FIELDS, before)
        self.assertEqual(exc.state, "open")

    def test_new_dispute_cannot_start_decided(self):
        count = self.ticket_count()
        vals = {
            "name": "Pre-decided",
            "description": "<p>x</p>",
            "o2c_is_dispute": True,
            "o2c_dispute_type": "pricing",
            "o2c_invoice_id": self.invoice_posted.id,
            "o2c_disputed_amount": 100.0,
        }
        attempts = [
            ({"o2c_dispute_state": "resolved"}, {}),
            ({"o2c_dispute_state": "open", "o2c_resolution_hours": 0.5}, {}),
            ({}, {"default_o2c_dispute_state": "cancelled"}),
            ({}, {"default_o2c_resolved_date": "2026-01-01 00:00:00"}),
        ]
        for extra, context in attempts:
            with self.subTest(vals=extra, context=context), self.assertRaises(UserError):
                self.rpc(
                    self.agent, "helpdesk.ticket", "create", dict(vals, **extra), context=context
                )
        # a personal default is a value the user chose, too
        self.rpc(
            self.agent,
            "ir.default",
            "set",
            "helpdesk.ticket",
            "o2c_dispute_state",
            "resolved",
            user_id=True,
        )
        with self.assertRaises(UserError):
            self.rpc(self.agent, "helpdesk.ticket", "create", vals)
        self.assertEqual(self.ticket_count(), count)

    def test_import_of_a_decided_dispute_is_refused(self):
        count = self.ticket_count()
        result = self.rpc(
            self.agent,
            "helpdesk.ticket",
            "load",
            [
                "name",
                "o2c_is_dispute",
                "o2c_dispute_type",
                "o2c_invoice_id/.id",
                "o2c_dispute_state",
            ],
            [["Imported", "1", "pricing", str(self.invoice_posted.id), "resolved"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("Dispute Status", " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self.ticket_count(), count)

    def test_cancelled_dispute_cannot_be_reopened_by_a_write(self):
        ticket = self.dispute(resolution=False)
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_cancel_dispute", [ticket.id])
        self.assertEqual(ticket.o2c_dispute_state, "cancelled")
        self.assertEqual(self.disputed_amounts(), {})
        before = self.snapshot(ticket, TICKET_FIELDS)
        line = ticket.o2c_line_ids
        attacks = [
            ("helpdesk.ticket", "write", [ticket.id], {"o2c_dispute_state": "open"}),
            ("helpdesk.ticket", "write", [ticket.id], {"o2c_is_dispute": False}),
            ("helpdesk.ticket", "write", [ticket.id], {"o2c_disputed_amount": 5.0}),
            ("helpdesk.ticket", "write", [ticket.id], {"o2c_resolution": "write_off"}),
            ("helpdesk.ticket", "write", [ticket.id], {"o2c_root_cause": "customer"}),
            (
                "helpdesk.ticket",
                "write",
                [ticket.id],
                {"o2c_line_ids": [Command.update(line.id, {"quantity": 1})]},
            ),
            ("o2c.dispute.line", "write", [line.id], {"price_unit": 1.0}),
            ("o2c.dispute.line", "unlink", [line.id]),
            (
                "o2c.dispute.line",
                "create",
                {"ticket_id": ticket.id, "move_line_id": line.move_line_id.id, "quantity": 1},
            ),
        ]
        for model, method, *args in attacks:
            with self.subTest(model=model, method=method, args=args), self.assertRaises(UserError):
                self.rpc(self.agent, model, method, *args)
        self.assertUnchanged(ticket, TICKET_FIELDS, before)
        self.assertEqual(self.disputed_amounts(), {}, "the invoice counts as overdue again")

    def test_open_dispute_is_cancelled_not_archived(self):
        ticket = self.dispute()
        before = self.snapshot(ticket, TICKET_FIELDS)
        attacks = (
            {"active": False},
            {"o2c_is_dispute": False},
            {"o2c_is_dispute": False, "o2c_dispute_state": False},
        )
        for vals in attacks:
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.rpc(self.agent, "helpdesk.ticket", "write", [ticket.id], vals)
        self.assertUnchanged(ticket, TICKET_FIELDS, before)

    # ---------------------------------------------------------- APPROVAL
    def test_amounts_cannot_be_lowered_under_the_approval_limit(self):
        ticket = self.dispute()
        line = ticket.o2c_line_ids
        for model, ids, vals in (
            ("helpdesk.ticket", [ticket.id], {"o2c_resolution_amount": 1.0}),
            ("helpdesk.ticket", [ticket.id], {"o2c_resolution_amount_company": 1.0}),
            ("o2c.dispute.line", [line.id], {"amount": 1.0}),
        ):
            with self.subTest(model=model, vals=vals), self.assertRaises(UserError):
                self.rpc(self.agent, model, "write", ids, vals)
        self.rpc(
            self.agent,
            "helpdesk.ticket",
            "action_o2c_apply_resolution",
            [ticket.id],
            context={"o2c_skip_enforce_once": True, "o2c_dispute_reason": "fake"},
        )
        self.assertEqual(ticket.o2c_dispute_state, "to_approve")
        self.assertFalse(ticket.o2c_credit_note_ids)
        self.assertEqual(self.resolution_exception(ticket).state, "open")

    def test_editor_of_a_waiting_claim_cannot_approve_it(self):
        ticket, exc = self.waiting_approval()
        line = ticket.o2c_line_ids
        self.rpc(self.approver_agent, "o2c.dispute.line", "write", [line.id], {"quantity": 9})
        self.assertIn(self.approver_agent, exc.conflict_user_ids)
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            self.rpc(
                self.approver_agent, "o2c.exception", "action_approve", [exc.id], reason="fine"
            )
        self.assertEqual(exc.state, "open")
        self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="fine")
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", [ticket.id])
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertEqual(ticket.o2c_credit_note_ids.amount_total, 900.0)

    def test_claim_changed_after_approval_needs_a_new_one(self):
        ticket, exc = self.waiting_approval()
        self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="ok for 900")
        self.assertEqual(exc.state, "approved")
        self.rpc(self.agent, "helpdesk.ticket", "write", [ticket.id], {"o2c_credit_mode": "full"})
        self.assertEqual(exc.state, "open", "the approval was for another resolution")
        self.assertIn(self.agent, exc.conflict_user_ids)
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", [ticket.id])
        self.assertFalse(ticket.o2c_credit_note_ids)

    def test_resolution_exception_link_is_governed(self):
        ticket, exc = self.waiting_approval()
        other = self.Ticket.create({"name": "Another ticket", "description": "<p>x</p>"})
        with self.assertRaises(UserError):
            self.rpc(self.manager, "o2c.exception", "write", [exc.id], {"ticket_id": other.id})
        self.assertEqual(exc.ticket_id, ticket)

    # ----------------------------------------- OVERDUE EXCLUSION, EVIDENCE
    def test_overdue_exclusion_cannot_be_faked_on_the_invoice(self):
        before = self.snapshot(self.invoice_posted, INVOICE_FIELDS)
        for user in (self.salesman, self.billing, self.manager):
            for vals in (
                {"o2c_is_disputed": True},
                {"o2c_dispute_amount": 1000.0},
                {"o2c_is_disputed": True, "o2c_dispute_amount": 1000.0},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    self.rpc(user, "account.move", "write", [self.invoice_posted.id], vals)
        self.assertUnchanged(self.invoice_posted, INVOICE_FIELDS, before)
        self.assertEqual(self.disputed_amounts(), {})

    def test_resolution_documents_cannot_be_linked_by_hand(self):
        ticket = self.dispute(resolution="rejected", o2c_rejection_reason="Not damaged")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Gesture", "price_unit": 10})],
            }
        )
        incoming = self.env["stock.picking"].create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": self.env.ref("stock.picking_type_in").id,
            }
        )
        attacks = [
            (self.billing, "account.move", [refund.id], {"o2c_origin_dispute_id": ticket.id}),
            (self.warehouse, "stock.picking", [incoming.id], {"o2c_origin_dispute_id": ticket.id}),
            (
                self.agent,
                "helpdesk.ticket",
                [ticket.id],
                {"o2c_credit_note_ids": [Command.link(refund.id)]},
            ),
            (
                self.manager,
                "sale.order",
                [self.quotation().id],
                {"o2c_origin_dispute_id": ticket.id},
            ),
        ]
        for user, model, ids, vals in attacks:
            with self.subTest(model=model, vals=vals), self.assertRaises(UserError):
                self.rpc(user, model, "write", ids, vals)
        self.assertFalse(ticket.o2c_credit_note_ids)
        self.assertFalse(ticket.o2c_return_picking_ids)
        self.assertFalse(ticket.o2c_replacement_order_ids)

    def test_approved_resolution_goes_through(self):
        """Control: the dispute's own actions still resolve it, with the evidence."""
        ticket, exc = self.waiting_approval()
        self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="ok")
        self.rpc(self.agent, "helpdesk.ticket", "action_o2c_apply_resolution", [ticket.id])
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertTrue(ticket.o2c_resolved_date)
        self.assertEqual(ticket.o2c_credit_note_ids.o2c_origin_dispute_id, ticket)
        self.assertEqual(ticket.o2c_credit_note_ids.state, "posted")
        self.assertEqual(self.disputed_amounts(), {})
