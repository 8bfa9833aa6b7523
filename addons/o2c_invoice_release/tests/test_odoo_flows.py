# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import Form, tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestOdooFlowsUngoverned(O2cReleaseCommon):
    """The release gate holds back deliveries waiting for release, and nothing else.

    Down payments, "ordered quantities" lines, services, quantities typed by hand,
    deliveries done before o2c was installed and credit notes invoice as in Odoo.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_ordered = cls._product("O2C pallet (ordered qty)", invoice_policy="order")
        cls.service = cls._product("O2C installation", type="service", list_price=50.0)

    def _mixed_order(self, partner=None):
        """Goods on delivered quantities, goods on ordered quantities and a service."""
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer_pod).id,
                "order_line": [
                    Command.create({"product_id": p.id, "name": p.name, "product_uom_qty": qty})
                    for p, qty in ((self.product, 10), (self.product_ordered, 2), (self.service, 2))
                ],
            }
        )
        order.action_confirm()
        return order

    def test_withheld_delivery_leaves_other_lines_invoiceable(self):
        order = self._mixed_order()
        picking = self._deliver(order)
        order.order_line.filtered(lambda line: line.product_id == self.service).qty_delivered = 2
        goods, ordered, service = order.order_line
        self.assertEqual((goods.qty_to_invoice, goods.o2c_qty_withheld), (0.0, 10.0))
        self.assertEqual(ordered.qty_to_invoice, 2.0, "ordered quantities: as in Odoo")
        self.assertEqual(service.qty_to_invoice, 2.0, "a service: as in Odoo")
        invoice = self._invoice(order)
        self.assertEqual(
            sorted(invoice.invoice_line_ids.mapped("product_id").ids),
            sorted((self.product_ordered | self.service).ids),
        )
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.state, "posted", "nothing unreleased billed: not held")
        self._proof(picking)
        self.assertEqual(self._invoice(order).invoice_line_ids.product_id, self.product)

    def test_down_payment_then_final_invoice(self):
        order = self._order(self.customer_pod)
        wizard = Form(
            self.env["sale.advance.payment.inv"]
            .with_user(self.clerk)
            .with_context(active_model="sale.order", active_ids=order.ids)
        )
        wizard.advance_payment_method = "percentage"
        wizard.amount = 10
        wizard.save().create_invoices()
        down = order.invoice_ids
        self.assertEqual(down.amount_total, 10.0)
        down.with_user(self.clerk).action_post()
        self.assertEqual(down.state, "posted")
        picking = self._deliver(order)
        self._proof(picking)
        final = self._invoice(order)
        self.assertEqual(final.amount_total, 90.0, "100 delivered minus the 10 paid down")
        final.with_user(self.clerk).action_post()
        self.assertEqual(final.state, "posted")

    def test_down_payment_on_withheld_delivery(self):
        order = self._order(self.customer_pod)
        self._deliver(order)
        self._invoice(order, advance_payment_method="percentage", amount=20)
        self.assertEqual(order.invoice_ids.amount_total, 20.0)
        self.assertEqual(order.order_line.filtered("product_id").o2c_qty_withheld, 10.0)

    def test_quantity_typed_by_hand_is_not_withheld(self):
        order = self._order(self.customer_pod)
        order.order_line.qty_delivered_method = "manual"
        order.order_line.qty_delivered = 3
        self.assertEqual(order.order_line.qty_to_invoice, 3.0)
        self.assertEqual(order.order_line.o2c_qty_withheld, 0.0)

    def test_delivery_done_before_install_is_invoiceable(self):
        """A delivery done before o2c existed has no release policy: never withheld."""
        order = self._order(self.customer_pod)
        picking = self._deliver(order)
        self.assertEqual(order.order_line.qty_to_invoice, 0.0)
        # what the install leaves on a delivery done before it (see hooks.py)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_picking SET o2c_release_policy = NULL WHERE id = %s", [picking.id]
        )
        picking.invalidate_recordset(["o2c_release_policy"])
        line = order.order_line
        line.invalidate_recordset(["o2c_qty_released", "qty_to_invoice", "o2c_qty_withheld"])
        for name in ("o2c_qty_released", "qty_to_invoice", "o2c_qty_withheld"):
            self.env.add_to_compute(line._fields[name], line)

        self.assertEqual(order.order_line.qty_to_invoice, 10.0)
        self.assertEqual(order.order_line.o2c_qty_withheld, 0.0)

    def test_credit_note_and_return_invoice_as_odoo(self):
        order = self._order(self.customer_delivery)
        picking = self._deliver(order)
        invoice = self._invoice(order)
        invoice.with_user(self.clerk).action_post()
        self._return(picking, 4)
        line = order.order_line
        self.assertEqual(line.qty_to_invoice, -4.0, "the return is credited as in Odoo")
        refund = self._invoice(order)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.invoice_line_ids.quantity, 4.0)
        refund.with_user(self.clerk).action_post()
        self.assertEqual(refund.state, "posted")
        # a credit note from the invoice itself
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.clerk)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "price error", "journal_id": invoice.journal_id.id})
        )
        action = reversal.refund_moves()
        credit_note = self.env["account.move"].browse(action["res_id"])
        credit_note.with_user(self.clerk).action_post()
        self.assertEqual(credit_note.state, "posted")

    def test_create_invoice_on_withheld_delivery_offers_a_regular_invoice(self):
        """The order's button for orders with nothing to invoice asks for a down
        payment; with deliveries awaiting release the wizard offers a regular invoice
        that shows them (and bills them only with an approved override)."""
        order = self._order(self.customer_pod)
        self._deliver(order)
        self.assertEqual(order.invoice_status, "no")
        wizard = Form(
            self.env["sale.advance.payment.inv"]
            .with_user(self.clerk)
            .with_context(
                active_model="sale.order",
                active_ids=order.ids,
                default_advance_payment_method="percentage",  # the order's button
            )
        )
        self.assertEqual(wizard.advance_payment_method, "delivered")
        self.assertIn(order.picking_ids.name, wizard.o2c_awaiting_release)
        wizard.o2c_include_unreleased = True
        wizard.o2c_release_reason = "Customer confirmed receipt by phone"
        wizard.save().create_invoices()
        invoice = order.invoice_ids
        self.assertEqual(invoice.amount_untaxed, 100.0)
        self.assertTrue(invoice.o2c_release_held, "held until finance approves the override")
