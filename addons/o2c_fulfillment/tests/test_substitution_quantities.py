# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestSubstitutionQuantities(O2cFulfillmentCommon):
    """A substitution moves quantity from the ordered line to the substitute's line.

    Ordered, delivered and invoiced quantities of the order reconcile, so every
    figure that reads them (exposure, fill rate, invoicing, backorders) agrees.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 6)
        cls._stock(cls.substitute, 10)

    def _substitute(self, qty_ordered, qty_substituted):
        order = self._order([(self.product, qty_ordered, 50.0)])
        picking = order.picking_ids
        form = self._substitute_form(picking)
        form.quantity = qty_substituted
        form.save().action_confirm()
        return order, picking

    def _approve(self, picking):
        exc = self._exceptions(picking, "substitution")
        exc.with_user(self.approver).action_approve("Same spec, customer informed")

    def _lines(self, order):
        ordered = order.order_line.filtered(lambda line: line.product_id == self.product)
        substitute = order.order_line.filtered(lambda line: line.product_id == self.substitute)
        return ordered, substitute

    def test_full_shipment_reconciles(self):
        order, picking = self._substitute(8, 2)
        total = order.amount_untaxed
        self._deliver(picking, {self.product: 6, self.substitute: 2})
        self._approve(picking)
        self.assertEqual(picking.state, "done", "the held validation went on by itself")
        ordered, substitute = self._lines(order)
        self.assertEqual((ordered.product_uom_qty, ordered.qty_delivered), (6.0, 6.0))
        self.assertEqual((substitute.product_uom_qty, substitute.qty_delivered), (2.0, 2.0))
        self.assertEqual(substitute.o2c_substitute_for_line_id, ordered)
        self.assertEqual(substitute.price_unit, 50.0, "policy: the ordered price")
        self.assertEqual(order.amount_untaxed, total, "the order's value is unchanged")
        self.assertEqual(order.invoice_status, "to invoice")
        invoice = order._create_invoices()
        self.assertEqual(
            sorted(invoice.invoice_line_ids.mapped("quantity")), [2.0, 6.0], "once each unit"
        )
        self.assertEqual(invoice.amount_untaxed, total)
        self.assertTrue(ordered.o2c_first_delivery_complete)
        self.assertFalse(substitute.o2c_first_delivery_date, "fill rate counts ordered lines")

    def test_partial_shipment_with_backorder_reconciles(self):
        order, picking = self._substitute(10, 2)
        self._deliver(picking, {self.product: 6, self.substitute: 2})
        self._approve(picking)
        # a backorder is a choice for the warehouse: asked, not guessed
        self.assertNotEqual(picking.state, "done")
        self._deliver(picking, {self.product: 6, self.substitute: 2}, backorder=True)
        self.assertEqual(picking.state, "done")
        ordered, substitute = self._lines(order)
        self.assertEqual((ordered.product_uom_qty, ordered.qty_delivered), (8.0, 6.0))
        self.assertEqual((substitute.product_uom_qty, substitute.qty_delivered), (2.0, 2.0))
        backorder = order.picking_ids - picking
        self.assertEqual(backorder.move_ids.product_uom_qty, 2.0)
        exc = self._exceptions(order, "backorder")
        self.assertEqual(exc.o2c_missing_qty, 2.0)
        self.assertFalse(ordered.o2c_first_delivery_complete)
