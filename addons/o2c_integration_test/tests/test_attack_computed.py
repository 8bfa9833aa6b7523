# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AttackCommon

#: the refusal of a value written over a field Odoo computes
COMPUTED = "are computed by Odoo from the documents they count"
#: the refusal of a customer move written done
VALIDATE = "is delivered by validating it"
#: the refusal of a governed field
GOVERNED = "record a decision or evidence"
#: the refusal of a change to a done customer delivery
KEPT = "is done: its quantities are what the customer received"


@tagged("post_install", "-at_install")
class TestAttackComputed(AttackCommon):
    """What Odoo computes from deliveries, invoices and payments is not written.

    Odoo's forms show these fields read-only, but its ORM stores whatever an RPC
    client writes over a stored computed field: each attack below, by the
    least-privileged user who can write the document, used to succeed.
    """

    def _invoiced_delivery(self):
        """An order delivered (7 units, validated) and invoiced (posted)."""
        order = self.quotation(qty=7)
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 7, "picked": True})
        picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, picking, invoice

    def _refused(self, user, records, vals, pattern=COMPUTED):
        with self.subTest(model=records._name, vals=vals):
            with self.assertRaisesRegex(UserError, pattern):
                self.rpc_write(user, records, vals)

    def test_a_delivery_is_done_by_its_validation_only(self):
        picking = self.delivery()
        line = picking.move_ids.sale_line_id
        before = self.snapshot(picking, ["state"])
        self._refused(self.warehouse, picking.move_ids, {"state": "done"}, VALIDATE)
        self._refused(self.warehouse, picking, {"state": "done"})
        self.assertUnchanged(picking, ["state"], before)
        self.assertEqual(line.qty_delivered, 0.0, "nothing left the stock")
        self.rpc(self.warehouse, "stock.picking", "button_validate", picking.ids)
        self.assertEqual((picking.state, line.qty_delivered), ("done", 1.0))

    def test_a_done_delivery_is_not_taken_back_by_its_state(self):
        order, picking, __ = self._invoiced_delivery()
        for state in ("cancel", "assigned", "draft"):
            self._refused(self.warehouse, picking.move_ids, {"state": state}, KEPT)
        self.assertEqual(picking.move_ids.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 7.0)

    def test_an_invoiced_quantity_is_not_invoiced_again(self):
        order, __, __ = self._invoiced_delivery()
        line = order.order_line
        fnames = ["qty_invoiced", "qty_to_invoice", "invoice_status", "price_subtotal"]
        before = self.snapshot(line, fnames)
        for vals in (
            {"qty_invoiced": 0.0},
            {"qty_to_invoice": 3.0},
            {"invoice_status": "to invoice"},
            {"price_subtotal": 0.0},
            {"state": "draft"},
        ):
            self._refused(self.salesman, line, vals)
        self.assertUnchanged(line, fnames, before)
        self._refused(self.salesman, order, {"amount_total": 0.0})
        self._refused(self.salesman, order, {"invoice_status": "to invoice"})
        self.assertEqual(order.amount_total, 700.0)

    def test_a_debt_is_not_written_off_by_its_residual(self):
        """The credit exposure sums the receivable residuals: zeroing one would let
        the customer order beyond their limit."""
        __, __, invoice = self._invoiced_delivery()
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        for records, vals in (
            (receivable, {"amount_residual": 0.0}),
            (receivable, {"reconciled": True}),
            (invoice, {"amount_residual": 0.0}),
            (invoice, {"payment_state": "paid"}),
        ):
            self._refused(self.billing, records, vals)
        self.assertEqual(receivable.amount_residual, 700.0)
        self.assertEqual((invoice.payment_state, invoice.amount_residual), ("not_paid", 700.0))

    def test_a_draft_invoice_is_not_posted_through_its_lines(self):
        invoice = self.invoice()
        self._refused(self.billing, invoice.invoice_line_ids, {"parent_state": "posted"})
        self.assertEqual(invoice.invoice_line_ids.parent_state, "draft")

    def test_odoo_own_writes_of_the_computed_value_pass(self):
        """Blocking an invoice's payment is Odoo's button writing ``payment_state``."""
        __, __, invoice = self._invoiced_delivery()
        self.rpc(self.billing, "account.move", "action_toggle_block_payment", invoice.ids)
        self.assertEqual(invoice.payment_state, "blocked")
        self.rpc(self.billing, "account.move", "action_toggle_block_payment", invoice.ids)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_a_posted_invoice_bills_what_was_posted(self):
        """A posted invoice's lines, written by RPC, would bill more than was
        released, or let a sale line count as not invoiced and be invoiced again."""
        order, __, invoice = self._invoiced_delivery()
        line, billed = order.order_line, invoice.invoice_line_ids
        fnames = ["quantity", "price_unit", "sale_line_ids"]
        before = self.snapshot(billed, fnames)
        for vals in (
            {"sale_line_ids": [Command.clear()]},
            {"quantity": 9.0},
            {"price_unit": 1.0},
        ):
            self._refused(self.billing, billed, vals, "is posted: its lines are what")
        self._refused(self.salesman, line, {"invoice_lines": [Command.clear()]}, GOVERNED)
        self.assertUnchanged(billed, fnames, before)
        self.assertEqual((line.qty_invoiced, line.qty_to_invoice), (7.0, 0.0))
        self.assertEqual(invoice.amount_total, 700.0)

    def test_a_corrected_invoice_is_posted_again(self):
        """Reset to draft, the invoice is edited and its posting checked again."""
        __, __, invoice = self._invoiced_delivery()
        self.rpc(self.billing, "account.move", "button_draft", invoice.ids)
        self.rpc_write(self.billing, invoice.invoice_line_ids, {"price_unit": 90.0})
        self.rpc(self.billing, "account.move", "action_post", invoice.ids)
        self.assertEqual((invoice.state, invoice.amount_total), ("posted", 630.0))
