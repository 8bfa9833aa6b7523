# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeReturn(DisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoiced_two_products()

    def _return_dispute(self, quantity=3):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            o2c_sale_order_id=self.order.id,
            o2c_picking_id=self.picking.id,
            lines=[(self.line_a, quantity, None)],
            o2c_root_cause="carrier",
            o2c_resolution="return_refund",
        )
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        return ticket

    def _receive(self, returned, quantity=None):
        for move in returned.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
        returned.move_ids.picked = True
        returned.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=returned.ids
        ).button_validate()

    def test_return_picking_created_waiting(self):
        ticket = self._return_dispute()
        returned = ticket.o2c_return_picking_ids
        self.assertEqual(returned.return_id, self.picking)
        self.assertEqual(returned.move_ids.product_id, self.product_a)
        self.assertEqual(returned.move_ids.product_uom_qty, 3.0)
        self.assertTrue(returned.move_ids.to_refund)
        self.assertEqual(ticket.o2c_dispute_state, "waiting_return")
        self.assertFalse(ticket.o2c_credit_note_ids)
        self.assertTrue(self.invoice.o2c_is_disputed)
        self.assertEqual(self.invoice.o2c_dispute_amount, 345.0)

    def test_receiving_return_credits_and_resolves(self):
        ticket = self._return_dispute()
        self._receive(ticket.o2c_return_picking_ids)
        refund = ticket.o2c_credit_note_ids
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.amount_total, 345.0)  # 3 x 100 x 1.15
        self.assertEqual(self.invoice.amount_residual, 1380.0 - 345.0)
        line_a = self.order.order_line.filtered(lambda sol: sol.product_id == self.product_a)
        # delivered and invoiced both went down by the 3 returned units
        self.assertEqual(line_a.qty_delivered, 7.0)
        self.assertEqual(line_a.qty_invoiced, 7.0)
        # nothing to invoice again, nothing to credit again
        self.assertEqual(self.order.order_line.mapped("qty_to_invoice"), [0.0, 0.0])
        self.assertEqual(ticket.o2c_dispute_state, "resolved")
        self.assertFalse(self.invoice.o2c_is_disputed)

    def test_partial_return_credits_what_came_back(self):
        ticket = self._return_dispute()
        self._receive(ticket.o2c_return_picking_ids, quantity=2)
        self.assertEqual(ticket.o2c_credit_note_ids.amount_total, 230.0)

    def test_return_needs_done_delivery(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            lines=[(self.line_a, 3, None)],
            o2c_root_cause="carrier",
            o2c_resolution="return_refund",
        )
        with self.assertRaises(ValidationError) as cm:
            ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertIn("done Delivery", str(cm.exception))

    def test_return_more_than_shipped_refused(self):
        # 10 of A shipped in two deliveries (2, then the backorder's 8), one invoice
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 10,
                            "price_unit": 100.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        first = order.picking_ids
        first.move_ids.write({"quantity": 2, "picked": True})
        first.with_context(skip_backorder=True).button_validate()
        rest = order.picking_ids - first
        rest.move_ids.write({"quantity": 8, "picked": True})
        rest.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        ticket = self._dispute(
            o2c_invoice_id=invoice.id,
            o2c_picking_id=first.id,
            lines=[(invoice.invoice_line_ids, 3, None)],
            o2c_root_cause="carrier",
            o2c_resolution="return_refund",
        )
        # the first delivery held 2 of them: 3 cannot come back from it
        with self.assertRaises(UserError) as cm:
            ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertIn("did not ship enough", str(cm.exception))
