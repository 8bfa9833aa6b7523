# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeAmount(DisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 10 x 100 + 5 x 40 = 1,200 untaxed, 1,380 with 15 % tax
        cls.invoice = cls._invoice([(cls.product_a, 10, 100.0), (cls.product_b, 5, 40.0)])
        cls.line_a, cls.line_b = cls.invoice.invoice_line_ids

    def test_default_amount_is_what_is_due(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id)
        self.assertEqual(ticket.o2c_disputed_amount, 1380.0)
        self.assertEqual(self.invoice.o2c_dispute_amount, 1380.0)
        self.assertTrue(self.invoice.o2c_is_disputed)

    def test_negative_amount_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=-10.0)
        self.assertIn("Disputed Amount cannot be negative", str(cm.exception))

    def test_non_finite_amounts_rejected(self):
        for amount in (float("inf"), float("-inf"), float("nan")):
            with (
                self.subTest(amount=amount),
                self.assertRaisesRegex(ValidationError, "Disputed Amount must be a number"),
                self.env.cr.savepoint(),
            ):
                self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=amount)
        self.invoice.invalidate_recordset()
        self.assertFalse(self.invoice.o2c_dispute_ids)

    def test_zero_amount_rejected_on_invoice(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=0.0)
        self.assertIn("Disputed Amount must be positive", str(cm.exception))

    def test_amount_above_residual_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=1380.01)
        self.assertIn("above the amount still due", str(cm.exception))

    def test_amount_above_residual_after_payment_rejected(self):
        self._pay(self.invoice, 1000.0)
        self.assertEqual(self.invoice.amount_residual, 380.0)
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=400.0)
        self.assertIn("380.00", str(cm.exception))

    def test_open_disputes_together_not_above_residual(self):
        self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=1000.0)
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=400.0)
        self.assertIn("1,400.00", str(cm.exception))

    def test_amount_from_lines_taxes_included(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id, lines=[(self.line_a, 2, None), (self.line_b, 5, 10.0)]
        )
        # 2 x 100 x 1.15 = 230 ; 5 x 10 x 1.15 = 57.50 (pricing difference)
        self.assertEqual(ticket.o2c_line_ids.mapped("amount"), [230.0, 57.5])
        self.assertEqual(ticket.o2c_disputed_amount, 287.5)
        exc = self._exceptions(self.invoice, "invoice_dispute")
        self.assertEqual(exc.amount, 287.5)
        self.assertEqual(exc.ticket_id, ticket)

    def test_changing_lines_updates_invoice_and_exception(self):
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.line_a, 2, None)])
        ticket.o2c_line_ids.quantity = 4
        self.assertEqual(ticket.o2c_disputed_amount, 460.0)
        self.assertEqual(self.invoice.o2c_dispute_amount, 460.0)
        self.assertEqual(self._exceptions(self.invoice, "invoice_dispute").amount, 460.0)

    def test_line_quantity_above_invoiced_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.line_a, 11, None)])
        self.assertIn("above the invoiced quantity", str(cm.exception))

    def test_line_price_above_invoiced_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.line_a, 1, 150.0)])
        self.assertIn("above the invoiced unit price", str(cm.exception))

    def test_line_quantity_must_be_positive(self):
        with self.assertRaises(ValidationError) as cm:
            self._dispute(o2c_invoice_id=self.invoice.id, lines=[(self.line_a, 0, None)])
        self.assertIn("Disputed Quantity must be positive", str(cm.exception))

    def test_line_of_another_invoice_rejected(self):
        other = self._invoice()
        ticket = self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=10)
        with self.assertRaises(ValidationError) as cm:
            ticket.write(
                {
                    "o2c_line_ids": [
                        Command.create({"move_line_id": other.invoice_line_ids.id, "quantity": 1})
                    ]
                }
            )
        self.assertIn("must come from invoice", str(cm.exception))
