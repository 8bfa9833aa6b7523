# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import O2cSaleCommon

KEPT = "is done: its quantities are what the customer received"
DELIVERED = "are computed by Odoo from the documents they count"


@tagged("post_install", "-at_install")
class TestDoneDeliveryKept(O2cSaleCommon):
    """A done customer delivery keeps what it delivered: corrections are returns.

    Found by the peak-hour bench: two warehouse users took the same delivery; one
    validated it (7 units, invoiced at once), the other then wrote its own count
    (3) on the now done move, and the order was left invoiced beyond delivered.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = new_test_user(cls.env, "o2c_kept_stock", "stock.group_stock_user")
        cls.stock_manager = new_test_user(cls.env, "o2c_kept_manager", "stock.group_stock_manager")
        cls.goods = cls.env["product.product"].create(
            {"name": "O2C Kept Goods", "type": "consu", "invoice_policy": "delivery"}
        )

    def setUp(self):
        super().setUp()
        self.order = self._order(
            [(self.goods, 7, 10.0), (self.product_apple, 4, 2.0)], user=self.env.user
        )
        self.order.action_confirm()
        self.picking = self.order.picking_ids
        for move in self.picking.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        self.picking.with_user(self.stock_user).button_validate()
        self.line = self.order.order_line.filtered(lambda line: line.product_id == self.goods)
        self.move = self.picking.move_ids.filtered(lambda m: m.product_id == self.goods)
        self.assertEqual((self.picking.state, self.line.qty_delivered), ("done", 7.0))

    def _rpc(self, user, model, method, *args):
        """The call an RPC client makes; an error rolls its request back, as the server does."""
        with self.env.cr.savepoint():
            return call_kw(self.env(user=user)[model], method, list(args), {})

    def _assert_delivered_unchanged(self):
        self.env.invalidate_all()
        self.assertEqual(self.line.qty_delivered, 7.0)
        self.assertEqual(self.move.quantity, 7.0)
        self.assertEqual(sum(self.move.move_line_ids.mapped("quantity")), 7.0)

    def test_warehouse_user_cannot_rewrite_a_done_delivery(self):
        attempts = (
            ("stock.move", "write", self.move.ids, {"quantity": 3.0}),
            ("stock.move.line", "write", self.move.move_line_ids.ids, {"quantity": 3.0}),
            (
                "stock.picking",
                "write",
                self.picking.ids,
                {"move_ids": [Command.update(self.move.id, {"quantity": 3.0})]},
            ),
            (
                "stock.move.line",
                "create",
                {
                    "move_id": self.move.id,
                    "picking_id": self.picking.id,
                    "product_id": self.goods.id,
                    "quantity": 2.0,
                    "location_id": self.move.location_id.id,
                    "location_dest_id": self.move.location_dest_id.id,
                },
            ),
        )
        for model, method, *args in attempts:
            with self.subTest(model=model, method=method), self.assertRaisesRegex(UserError, KEPT):
                self._rpc(self.stock_user, model, method, *args)
            self._assert_delivered_unchanged()

    def test_unlocking_does_not_open_it_to_a_stock_manager(self):
        self._rpc(self.stock_manager, "stock.picking", "action_toggle_is_locked", self.picking.ids)
        self.assertFalse(self.picking.is_locked)
        with self.assertRaisesRegex(UserError, KEPT):
            self._rpc(self.stock_manager, "stock.move", "write", self.move.ids, {"quantity": 3.0})
        self._assert_delivered_unchanged()

    def test_what_was_delivered_does_not_move_to_another_sale_line(self):
        other = self.order.order_line - self.line
        with self.assertRaisesRegex(UserError, KEPT):
            self._rpc(
                self.stock_user, "stock.move", "write", self.move.ids, {"sale_line_id": other.id}
            )
        self._assert_delivered_unchanged()
        self.assertEqual(other.qty_delivered, 4.0)

    def test_a_return_corrects_it(self):
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.stock_user)
            .with_context(active_id=self.picking.id, active_model="stock.picking")
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = 2.0 if line.product_id == self.goods else 0.0
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.write({"quantity": 2.0, "picked": True})
        returned.with_user(self.stock_user).button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(self.line.qty_delivered, 5.0)

    def test_delivered_quantity_comes_from_the_deliveries(self):
        """A salesperson cannot write a delivered quantity over what the deliveries
        say (Odoo's form keeps it read-only; an RPC write stored it, invoiceable)."""
        for vals in ({"qty_delivered": 9.0}, {"qty_delivered": 0.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, DELIVERED):
                self._rpc(self.salesman, "sale.order.line", "write", self.line.ids, vals)
            self._assert_delivered_unchanged()
            self.assertEqual(self.line.qty_to_invoice, 7.0)
        with self.assertRaisesRegex(UserError, DELIVERED):
            self._rpc(
                self.salesman,
                "sale.order",
                "write",
                self.order.ids,
                {"order_line": [Command.update(self.line.id, {"qty_delivered": 9.0})]},
            )
        self._assert_delivered_unchanged()

    def test_a_new_line_delivers_nothing_until_shipped(self):
        other = self._order([(self.product_apple, 1, 2.0)], user=self.salesman)
        with self.assertRaisesRegex(UserError, DELIVERED):
            self._rpc(
                self.salesman,
                "sale.order.line",
                "create",
                {"order_id": other.id, "product_id": self.goods.id, "qty_delivered": 5.0},
            )
        self.assertEqual(other.order_line.product_id, self.product_apple)

    def test_a_manual_line_keeps_its_delivered_quantity_by_hand(self):
        """A service line is delivered by hand (Odoo's ``manual`` method): the
        salesperson records what was done, as in Odoo's form."""
        service = self.env["product.product"].create(
            {"name": "O2C Kept Service", "type": "service", "invoice_policy": "delivery"}
        )
        self._rpc(
            self.salesman,
            "sale.order",
            "write",
            self.order.ids,
            {"order_line": [Command.create({"product_id": service.id, "product_uom_qty": 3})]},
        )
        line = self.order.order_line.filtered(lambda line: line.product_id == service)
        self.assertEqual(line.qty_delivered_method, "manual")
        self._rpc(self.salesman, "sale.order.line", "write", line.ids, {"qty_delivered": 2.0})
        self.env.invalidate_all()
        self.assertEqual((line.qty_delivered, line.qty_to_invoice), (2.0, 2.0))
