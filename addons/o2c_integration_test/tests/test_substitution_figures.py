# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import AttackCommon


@tagged("post_install", "-at_install")
class TestSubstitutionFigures(AttackCommon):
    """With every addon installed, a substitution is counted once by every figure.

    10 units ordered at 100; the warehouse ships 6 of them and 2 of an approved
    substitute, and backorders the 2 left.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["o2c.pricing.policy"].search([]).active = False
        cls.substitute = cls._storable_product("Attack substitute")
        cls.product.o2c_substitute_product_ids = cls.substitute
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.stock_location, -94
        )  # 6 of the ordered product left
        cls.env["stock.quant"]._update_available_quantity(cls.substitute, cls.stock_location, 5)
        cls.company.o2c_credit_check = True
        cls.customer.write({"o2c_credit_limit_type": "limit", "o2c_credit_limit": 100000.0})
        cls.customer.o2c_invoice_release_policy = "on_delivery"

    def _ship(self):
        order = self.quotation(qty=10.0)
        order.action_confirm()
        picking = order.picking_ids
        self.substitute_and_ship(picking, 2.0, 6.0)
        exc = order.o2c_exception_ids | picking.o2c_exception_ids
        self.rpc(
            self.approver,
            "o2c.exception",
            "action_approve",
            exc.filtered(lambda e: e.code == "substitution").ids,
            reason="same spec",
        )
        self.assertNotEqual(picking.state, "done", "the backorder question is the warehouse's")
        result = picking.with_user(self.warehouse).button_validate()
        backorder_wizard = Form(
            self.env["stock.backorder.confirmation"]
            .with_user(self.warehouse)
            .with_context(**result["context"])
        ).save()
        backorder_wizard.process()
        self.assertEqual(picking.state, "done")
        return order

    def test_every_figure_counts_the_substitute_once(self):
        order = self._ship()
        ordered = order.order_line.filtered(lambda line: line.product_id == self.product)
        sub = order.order_line - ordered
        self.assertEqual((ordered.product_uom_qty, ordered.qty_delivered), (8.0, 6.0))
        self.assertEqual((sub.product_uom_qty, sub.qty_delivered), (2.0, 2.0))
        # credit: 1,000 ordered, nothing invoiced yet
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.o2c_credit_exposure, 1000.0)
        # invoice release: what was delivered is released, the backorder is not
        self.assertEqual((ordered.o2c_qty_released, sub.o2c_qty_released), (6.0, 2.0))
        invoice = order.sudo()._create_invoices()
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("quantity")), [2.0, 6.0])
        invoice.action_post()
        self.customer.invalidate_recordset()
        # 800 invoiced (receivable) + 200 backordered, not 400 as with a double count
        self.assertAlmostEqual(self.customer.o2c_credit_exposure, 1000.0)
        self.assertAlmostEqual(self.customer.o2c_credit_orders, 200.0)
        backorder = order.o2c_exception_ids.filtered(lambda e: e.code == "backorder")
        self.assertEqual(backorder.o2c_missing_qty, 2.0)
