# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeLinks(DisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.picking, cls.invoice = cls._delivered_order()

    def test_dispute_takes_customer_and_company_of_invoice(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.company_id, self.company)
        self.assertEqual(ticket.o2c_dispute_state, "open")
        self.assertEqual(ticket.o2c_currency_id, self.invoice.currency_id)

    def test_consistent_order_delivery_invoice_accepted(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            o2c_sale_order_id=self.order.id,
            o2c_picking_id=self.picking.id,
            partner_id=self.contact.id,
            o2c_disputed_amount=50,
        )
        self.assertEqual(ticket.o2c_picking_id, self.picking)

    def test_wrong_partner_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, partner_id=self.other_customer.id)
        self.assertIn("not to the customer Other Customer", str(cm.exception))

    def test_wrong_company_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, company_id=self.company_b.id)
        self.assertIn("belongs to company", str(cm.exception))

    def test_delivery_of_another_order_rejected(self):
        other_order, other_picking, _inv = self._delivered_order()
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_sale_order_id=self.order.id, o2c_picking_id=other_picking.id)
        self.assertIn("does not belong to the Sales Order", str(cm.exception))
        self.assertNotEqual(other_order, self.order)

    def test_invoice_of_another_order_rejected(self):
        _order, _picking, other_invoice = self._delivered_order()
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_sale_order_id=self.order.id, o2c_invoice_id=other_invoice.id)
        self.assertIn("does not belong to the Sales Order", str(cm.exception))

    def test_draft_invoice_rejected(self):
        draft = self._invoice(post=False)
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=draft.id, o2c_disputed_amount=10)
        self.assertIn("posted customer invoice", str(cm.exception))

    def test_dispute_needs_a_document_and_a_type(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(partner_id=self.customer.id)
        self.assertIn("link it to an Invoice", str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, o2c_dispute_type=False)
        self.assertIn("Dispute Type is required", str(cm.exception))

    def test_dispute_raises_invoice_dispute_on_invoice(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=230.0)
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual(len(exc), 1)
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.ticket_id, ticket)
        self.assertEqual(exc.move_id, self.invoice)
        self.assertEqual(exc.stage, "post_invoice_service")
        self.assertEqual(exc.amount, 230.0)
        self.assertEqual(ticket.o2c_exception_ids, self.env["o2c.exception"])

    def test_second_dispute_refreshes_the_same_exception(self):
        first = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=200.0)
        second = self._dispute(
            o2c_invoice_id=self.invoice.id, o2c_disputed_amount=100.0, o2c_dispute_type="pricing"
        )
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual(len(exc), 1)
        self.assertEqual(exc.amount, 300.0)
        self.assertEqual(exc.ticket_id, first)
        self.assertIn(second.number, exc.name)

    def test_cancelling_last_dispute_resolves_the_exception(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id, o2c_disputed_amount=200.0, o2c_root_cause="customer"
        )
        ticket.with_user(self.agent).action_o2c_cancel_dispute()
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual(exc.state, "resolved")
        self.assertIn("cancelled", exc.decision_reason)
        self.assertEqual(ticket.o2c_dispute_state, "cancelled")
        self.assertTrue(ticket.stage_id.closed)

    def test_dispute_without_invoice_is_anchored_on_delivery(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product_b.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        ticket = self._dispute(
            o2c_picking_id=order.picking_ids.id, o2c_dispute_type="not_delivered"
        )
        exc = self._exceptions(order.picking_ids, "invoice_dispute")
        self.assertEqual(exc.ticket_id, ticket)
        self.assertEqual(ticket.o2c_sale_order_id, self.env["sale.order"])

    def test_open_dispute_from_invoice_prefills(self):
        action = self.invoice.with_user(self.agent).action_o2c_open_dispute()
        ctx = action["context"]
        self.assertEqual(ctx["default_o2c_invoice_id"], self.invoice.id)
        self.assertEqual(ctx["default_o2c_sale_order_id"], self.order.id)
        self.assertEqual(ctx["default_o2c_picking_id"], self.picking.id)
        self.assertEqual(ctx["default_partner_id"], self.customer.id)
        self.assertEqual(ctx["default_o2c_disputed_amount"], self.invoice.amount_residual)
        self.assertTrue(ctx["default_o2c_is_dispute"])

    def test_open_dispute_from_order_and_delivery_prefills(self):
        ctx = self.order.action_o2c_open_dispute()["context"]
        self.assertEqual(ctx["default_o2c_invoice_id"], self.invoice.id)
        self.assertEqual(ctx["default_o2c_picking_id"], self.picking.id)
        ctx = self.picking.action_o2c_open_dispute()["context"]
        self.assertEqual(ctx["default_o2c_sale_order_id"], self.order.id)
        self.assertEqual(ctx["default_o2c_invoice_id"], self.invoice.id)

    def test_smart_buttons_both_ways(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            o2c_sale_order_id=self.order.id,
            o2c_picking_id=self.picking.id,
            o2c_disputed_amount=10,
        )
        self.assertEqual(self.invoice.o2c_dispute_count, 1)
        self.assertEqual(self.order.o2c_dispute_count, 1)
        self.assertEqual(self.picking.o2c_dispute_count, 1)
        action = self.invoice.action_o2c_view_disputes()
        self.assertEqual(self.Ticket.search(action["domain"]), ticket)
        action = ticket.with_context(o2c_documents="sale_order").action_o2c_view_documents()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", self.order.id))

    def test_dispute_form_from_invoice(self):
        action = self.invoice.with_user(self.agent).action_o2c_open_dispute()
        Ticket = self.Ticket.with_user(self.agent).with_context(**action["context"])
        with Form(Ticket) as form:
            form.name = "Broken widgets"
            form.description = "<p>Two arrived broken</p>"
            form.o2c_dispute_type = "damaged"
            with form.o2c_line_ids.new() as line:
                line.move_line_id = self.invoice.invoice_line_ids[0]
                line.quantity = 2
        ticket = form.record
        self.assertEqual(ticket.o2c_sale_order_id, self.order)
        self.assertEqual(ticket.o2c_line_ids.product_id, self.product_a)
        self.assertEqual(ticket.o2c_disputed_amount, 230.0)
        self.assertEqual(self._exceptions(self.invoice, "invoice_dispute").amount, 230.0)
