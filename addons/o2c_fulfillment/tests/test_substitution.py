# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestSubstitution(O2cFulfillmentCommon):
    """Substitute products and lot changes wait for an approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.substitute, 10)

    def _substituted_delivery(self, qty=5):
        order = self._order([(self.product, qty, 50.0)])
        picking = order.picking_ids
        form = self._substitute_form(picking)
        self.assertEqual(form.substitute_id, self.substitute)
        form.quantity = qty
        form.save().action_confirm()
        return order, picking

    def _approve(self, picking, user=None):
        exc = self._exceptions(picking, "substitution")
        exc.with_user(user or self.approver).action_approve("Same spec, customer informed")
        return exc

    def test_substitute_blocks_validation(self):
        __, picking = self._substituted_delivery()
        res = self._deliver(picking, {self.substitute: 5})
        self.assertEqual(res["res_model"], "o2c.exception")
        self.assertNotEqual(picking.state, "done")
        exc = self._exceptions(picking, "substitution")
        self.assertTrue(exc.blocking)
        self.assertEqual(exc.state, "open")
        self.assertTrue(picking.o2c_blocked)
        self.assertIn("Approved substitute", exc.details)

    def test_policy_without_substitution_control_ships_as_odoo(self):
        """The control is the policy's: off, another product ships as in Odoo."""
        self.policy.substitution_control = False
        order, picking = self._substituted_delivery()
        # Odoo adds a sales line for the extra product: a right of sales users
        self._deliver(picking, {self.substitute: 5}, user=self.env.user)
        self.assertEqual(picking.state, "done")
        self.assertFalse(self._exceptions(picking, "substitution"))
        self.assertIn(self.substitute, order.order_line.product_id, "Odoo adds the line")
        added = order.order_line.filtered(lambda line: line.product_id == self.substitute)
        self.assertEqual(added.qty_delivered, 5.0, "delivered as the moves say: accepted")

    def test_warehouse_user_cannot_approve(self):
        __, picking = self._substituted_delivery()
        self._deliver(picking, {self.substitute: 5})
        with self.assertRaises(UserError):
            self._approve(picking, user=self.stock_user)

    def test_approval_releases_validation(self):
        __, picking = self._substituted_delivery()
        self._deliver(picking, {self.substitute: 5})
        exc = self._approve(picking)
        self.assertEqual(picking.state, "done", "the held validation went on by itself")
        self.assertEqual(exc.state, "approved")
        self.assertTrue(
            picking.message_ids.filtered(lambda m: "Validated after the decision" in str(m.body))
        )

    def test_substitution_kept_on_the_sale_line(self):
        order, picking = self._substituted_delivery()
        ordered_line = order.order_line
        self._deliver(picking, {self.substitute: 5})
        exc = self._approve(picking)  # the held validation goes on by itself
        sub = ordered_line.o2c_substitution_ids
        self.assertEqual(len(sub), 1)
        self.assertEqual(sub.substitute_product_id, self.substitute)
        self.assertEqual(sub.quantity, 5.0)
        self.assertEqual(sub.exception_id, exc)
        self.assertEqual(sub.approved_by_id, self.approver)
        new_line = sub.substitute_line_id
        self.assertEqual(new_line.o2c_substitute_for_line_id, ordered_line)
        self.assertEqual(new_line.qty_delivered, 5.0)
        self.assertEqual(new_line.price_unit, 50.0, "policy: the ordered price")

    def test_invoice_line_names_the_substitution(self):
        order, picking = self._substituted_delivery()
        self._deliver(picking, {self.substitute: 5})
        self._approve(picking)  # the held validation goes on by itself
        self.assertEqual(picking.state, "done")
        invoice = order._create_invoices()
        line = invoice.invoice_line_ids.filtered(lambda aml: aml.product_id == self.substitute)
        self.assertIn("substitute for", line.name)
        self.assertIn(self.product.display_name, line.name)

    def test_decision_shows_on_the_order(self):
        order, picking = self._substituted_delivery()
        self._deliver(picking, {self.substitute: 5})
        self._approve(picking)
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: picking.name in str(m.body) and "Approved" in str(m.body)
            )
        )

    def test_consent_required_before_approval(self):
        self.customer.o2c_substitution_consent_required = True
        __, picking = self._substituted_delivery()
        self._deliver(picking, {self.substitute: 5})
        with self.assertRaises(UserError) as cm:
            self._approve(picking)
        self.assertIn("Consent Date", str(cm.exception))

    def test_recorded_consent_allows_approval(self):
        self.customer.o2c_substitution_consent_required = True
        __, picking = self._substituted_delivery()
        self._deliver(picking, {self.substitute: 5})
        action = picking.with_user(self.salesperson).action_o2c_record_consent()
        form = Form(
            self.env["o2c.consent.wizard"]
            .with_user(self.salesperson)
            .with_context(**action["context"])
        )
        form.contact = "Jane, purchasing"
        form.save().action_confirm()
        exc = self._approve(picking)
        self.assertEqual(exc.state, "approved")
        self.assertEqual(picking.o2c_consent_contact, "Jane, purchasing")

    def test_unordered_product_is_a_substitution(self):
        extra = self._product("O2C Extra", 5.0)
        self._stock(extra, 1)
        self._stock(self.product, 2)
        order = self._order([(self.product, 2, 50.0)])
        picking = order.picking_ids
        move = (
            self.env["stock.move"]
            .with_user(self.stock_user)
            .create(
                {
                    "name": extra.name,
                    "product_id": extra.id,
                    "product_uom_qty": 1,
                    "product_uom": extra.uom_id.id,
                    "picking_id": picking.id,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                }
            )
        )
        move._action_confirm()
        self._deliver(picking, {self.product: 2, extra: 1})
        exc = self._exceptions(picking, "substitution")
        self.assertNotEqual(picking.state, "done")
        self.assertIn("Not ordered", exc.details)

    def test_reverting_the_substitution_resolves(self):
        __, picking = self._substituted_delivery()
        self._deliver(picking, {self.substitute: 5})
        exc = self._exceptions(picking, "substitution")
        sub_move = picking.move_ids.filtered("o2c_substitute_for_move_id")
        sub_move.with_user(self.stock_user)._action_cancel()
        self._stock(self.product, 5)
        original = picking.move_ids - sub_move
        original.product_uom_qty = 5
        original._action_assign()
        self._deliver(picking, {self.product: 5})
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(picking.state, "done")

    def test_action_done_backstop_refuses_unapproved_substitution(self):
        __, picking = self._substituted_delivery()
        self._set_quantities(picking.with_user(self.stock_user), {self.substitute: 5})
        with self.assertRaises(UserError):
            picking.with_user(self.stock_user)._action_done()

    def test_substitute_must_be_approved_for_the_product(self):
        other = self._product("O2C Other", 10.0)
        order = self._order([(self.product, 5, 50.0)])
        wizard = (
            self.env["o2c.substitute.wizard"]
            .with_user(self.stock_user)
            .create(
                {
                    "move_id": order.picking_ids.move_ids.id,
                    "substitute_id": other.id,
                    "quantity": 1,
                }
            )
        )
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertIn("Substitute", str(cm.exception))


@tagged("post_install", "-at_install")
class TestLotChange(O2cFulfillmentCommon):
    """Another lot than reserved, on a substitution-sensitive product, needs approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("stock.group_production_lot")
        cls.lot_product = cls._product(
            "O2C Serum", 30.0, tracking="lot", o2c_substitution_sensitive=True
        )
        Lot = cls.env["stock.lot"]
        cls.lot_1 = Lot.create({"name": "L-001", "product_id": cls.lot_product.id})
        cls.lot_2 = Lot.create({"name": "L-002", "product_id": cls.lot_product.id})
        cls._stock(cls.lot_product, 5, lot=cls.lot_1)
        cls._stock(cls.lot_product, 5, lot=cls.lot_2)

    def _swap_lot(self, picking):
        reserved = picking.move_ids.o2c_reserved_lot_ids
        self.assertEqual(len(reserved), 1)
        other = (self.lot_1 | self.lot_2) - reserved
        picking.move_line_ids.with_user(self.stock_user).lot_id = other
        return other

    def test_lot_change_is_held(self):
        order = self._order([(self.lot_product, 3, 30.0)])
        picking = order.picking_ids
        other = self._swap_lot(picking)
        picking.move_ids.picked = True
        res = picking.with_user(self.stock_user).button_validate()
        self.assertEqual(res["res_model"], "o2c.exception")
        exc = self._exceptions(picking, "substitution")
        self.assertIn(other.name, exc.details)
        self.assertNotEqual(picking.state, "done")

    def test_lot_change_on_insensitive_product_passes(self):
        self.lot_product.o2c_substitution_sensitive = False
        order = self._order([(self.lot_product, 3, 30.0)])
        picking = order.picking_ids
        self.assertFalse(picking.move_ids.o2c_reserved_lot_ids)
        picking.move_line_ids.with_user(self.stock_user).lot_id = self.lot_2
        picking.move_ids.picked = True
        picking.with_user(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(self._exceptions(picking, "substitution"))

    def test_reserved_lot_ships_without_exception(self):
        order = self._order([(self.lot_product, 3, 30.0)])
        picking = order.picking_ids
        picking.move_ids.picked = True
        picking.with_user(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(self._exceptions(picking, "substitution"))

    def test_approved_lot_change_is_recorded(self):
        order = self._order([(self.lot_product, 3, 30.0)])
        picking = order.picking_ids
        other = self._swap_lot(picking)
        picking.move_ids.picked = True
        picking.with_user(self.stock_user).button_validate()
        self._exceptions(picking, "substitution").with_user(self.approver).action_approve(
            "Same batch quality"
        )
        self.assertEqual(picking.state, "done", "the held validation went on by itself")
        sub = picking.o2c_substitution_ids
        self.assertEqual(sub.kind, "lot")
        self.assertEqual(sub.substitute_lot_ids, other)
        self.assertEqual(sub.sale_line_id, order.order_line)
