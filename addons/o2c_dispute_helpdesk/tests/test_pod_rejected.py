# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestPodRejected(DisputeCommon):
    """stock.picking._o2c_pod_rejected (called by o2c_invoice_release) opens a dispute."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.picking, cls.invoice = cls._delivered_order(
            [(cls.product_a, 4, 100.0), (cls.product_b, 5, 40.0)]
        )

    def _pod_disputes(self, picking):
        return self.Ticket.search(
            [("o2c_picking_id", "=", picking.id), ("o2c_dispute_type", "=", "not_delivered")]
        )

    def test_rejected_pod_opens_not_delivered_dispute(self):
        self.picking.with_user(self.agent)._o2c_pod_rejected("Signature missing")
        ticket = self._pod_disputes(self.picking)
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.o2c_is_dispute)
        self.assertEqual(ticket.o2c_dispute_state, "open")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.o2c_sale_order_id, self.order)
        self.assertEqual(ticket.o2c_invoice_id, self.invoice)
        self.assertIn("Signature missing", ticket.description)
        self.assertEqual(sorted(ticket.o2c_line_ids.mapped("quantity")), [4.0, 5.0])
        # (4 x 100 + 5 x 40) x 1.15
        self.assertEqual(ticket.o2c_disputed_amount, 690.0)
        self.assertFalse(ticket.user_id)
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual(exc.ticket_id, ticket)
        self.assertEqual(exc.picking_id, self.picking)

    def test_dispute_of_the_system_reaches_the_team_leader(self):
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Disputes", "user_id": self.agent.id, "user_ids": [(4, self.agent.id)]}
        )
        self.company.o2c_dispute_team_id = team
        self.picking.sudo()._o2c_pod_rejected("Signature missing")
        ticket = self._pod_disputes(self.picking)
        self.assertEqual((ticket.team_id, ticket.user_id), (team, self.agent))

    def test_rejected_again_adds_a_note_not_a_ticket(self):
        self.picking._o2c_pod_rejected("Signature missing")
        ticket = self._pod_disputes(self.picking)
        self.picking._o2c_pod_rejected("Wrong name on the POD")
        self.assertEqual(self._pod_disputes(self.picking), ticket)
        self.assertIn("Wrong name on the POD", ticket.message_ids[0].body)

    def test_partly_paid_invoice_disputes_what_is_due(self):
        self._pay(self.invoice, 400.0)  # 290 left
        self.picking._o2c_pod_rejected("Nobody signed")
        ticket = self._pod_disputes(self.picking)
        self.assertFalse(ticket.o2c_line_ids)
        self.assertEqual(ticket.o2c_disputed_amount, 290.0)

    def test_delivery_not_invoiced_disputes_the_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (
                        0,
                        0,
                        {"product_id": self.product_b.id, "product_uom_qty": 2, "price_unit": 40.0},
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking._o2c_pod_rejected("Refused at the door")
        ticket = self._pod_disputes(picking)
        self.assertFalse(ticket.o2c_invoice_id)
        self.assertEqual(ticket.o2c_line_ids.quantity, 2.0)
        self.assertEqual(ticket.o2c_disputed_amount, 80.0)
        self.assertEqual(self._exceptions(picking, "invoice_dispute").ticket_id, ticket)
