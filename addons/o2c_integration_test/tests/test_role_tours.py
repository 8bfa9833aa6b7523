# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AttackCommon

O2C_USER = "o2c_exception_base.group_o2c_user"


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase, AttackCommon):
    """A delivery's day in the browser, each step as the user of its role (every
    o2c addon installed): the warehouse records the proof with a photo, finance
    validates it and invoices, the warehouse opens the invoiced delivery, the
    service desk resolves the customer's dispute. Each tour fails on an error
    dialog (the tour runner reports it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_clerk = new_test_user(
            cls.env, "tour_stock_clerk", f"stock.group_stock_user,{O2C_USER}"
        )
        cls.finance = new_test_user(
            cls.env,
            "tour_finance",
            "account.group_account_invoice,o2c_exception_base.group_o2c_approver",
        )
        helpdesk = f"helpdesk_mgmt.group_helpdesk_user,{O2C_USER}"
        # credit notes are invoices: the service desk that gives money back bills
        cls.service = new_test_user(
            cls.env, "tour_service", f"{helpdesk},account.group_account_invoice"
        )
        cls.first_line = new_test_user(cls.env, "tour_first_line", helpdesk)
        cls.customer.name = "Tour Distributor"
        cls.customer.o2c_invoice_release_policy = "on_pod"
        cls.company.o2c_auto_post = False

    def _delivered(self):
        order = self.quotation(qty=2.0)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 2.0, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.o2c_pod_state, "missing")
        return order, picking

    def test_proof_of_delivery_to_invoice(self):
        order, picking = self._delivered()
        picking_url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(picking_url, "o2c_role_warehouse_pod", login=self.stock_clerk.login)
        proof = picking.o2c_proof_ids
        self.assertEqual(proof.state, "pending")
        self.assertEqual(proof.attachment_ids.mapped("name"), ["pod.png"])
        self.assertEqual(proof.attachment_ids.res_model, "o2c.delivery.proof")

        self.start_tour(
            "/odoo/action-o2c_invoice_release.o2c_delivery_proof_action",
            "o2c_role_finance_pod",
            login=self.finance.login,
        )
        self.assertEqual((proof.state, proof.validated_by_id), ("validated", self.finance))
        self.assertTrue(picking.o2c_released)
        self.env["sale.order"]._cron_o2c_auto_invoice()
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "draft")
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "o2c_role_finance_invoice",
            login=self.finance.login,
        )
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(picking.o2c_invoice_ids, invoice)
        self.start_tour(picking_url, "o2c_role_warehouse_invoiced", login=self.stock_clerk.login)

    def test_service_resolves_a_dispute(self):
        order, picking = self._delivered()
        picking.o2c_proof_ids.create(
            {"picking_id": picking.id, "kind": "carrier", "tracking_ref": "TRK-1"}
        ).action_validate()
        self.env["sale.order"]._cron_o2c_auto_invoice()
        invoice = order.invoice_ids
        invoice.action_post()
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "One unit arrived broken",
                "description": "<p>Broken</p>",
                "partner_id": self.customer.id,
                "user_id": self.service.id,
                "o2c_is_dispute": True,
                "o2c_dispute_type": "damaged",
                "o2c_invoice_id": invoice.id,
                "o2c_line_ids": [
                    Command.create({"move_line_id": invoice.invoice_line_ids.id, "quantity": 1.0})
                ],
            }
        )
        ticket_url = f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{ticket.id}"
        self.start_tour(ticket_url, "o2c_role_first_line_dispute", login=self.first_line.login)
        self.start_tour(ticket_url, "o2c_role_service_dispute", login=self.service.login)
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        credit_note = ticket.o2c_credit_note_ids
        self.assertEqual((credit_note.move_type, credit_note.amount_total), ("out_refund", 100.0))
