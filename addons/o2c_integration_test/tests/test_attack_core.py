# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo import Command
from odoo.addons.o2c_exception_base.governance import owning_action
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DECISION_FIELDS, AttackCommon

ORDER_FIELDS = ["state", "amount_total", "o2c_blocked", "picking_ids"]


@tagged("post_install", "-at_install")
class TestAttackTransitions(AttackCommon):
    """Class 1 and 2: no context key and no path other than the action confirms."""

    def test_context_key_does_not_skip_the_checks(self):
        order = self.quotation(discount=40.0)
        result = self.rpc(
            self.salesman,
            "sale.order",
            "action_confirm",
            [order.id],
            context={"o2c_skip_enforce_once": True, "install_mode": True},
        )
        self.assertEqual(
            result["res_model"], "o2c.exception", "the held window, not a confirmation"
        )
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertTrue(order.o2c_blocked)

    def test_write_state_runs_the_checks(self):
        order = self.quotation(discount=40.0)
        self.assertFalse(order.o2c_exception_ids, "never checked so far")
        before = self.snapshot(order, ORDER_FIELDS)
        with self.assertRaisesRegex(UserError, "held by O2C exceptions"):
            self.rpc(self.salesman, "sale.order", "write", [order.id], {"state": "sale"})
        self.assertUnchanged(order, ORDER_FIELDS, before)
        self.assertFalse(order.o2c_exception_ids, "the refused call leaves nothing behind")

    def test_create_in_final_state_runs_the_checks(self):
        vals = {
            "partner_id": self.customer.id,
            "state": "sale",
            "order_line": [
                Command.create({"product_id": self.product.id, "discount": 40.0}),
            ],
        }
        count = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        with self.assertRaisesRegex(UserError, "held by O2C exceptions"):
            self.rpc(self.salesman, "sale.order", "create", vals)
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), count
        )

    def test_import_in_final_state_runs_the_checks(self):
        count = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        result = self.rpc(
            self.salesman,
            "sale.order",
            "load",
            ["partner_id/.id", "state", "order_line/product_id/.id", "order_line/discount"],
            [[str(self.customer.id), "sale", str(self.product.id), "40"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("held by O2C exceptions", " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), count
        )

    def test_clean_order_written_to_sale_is_checked_and_goes_on(self):
        order = self.quotation()
        self.rpc(self.salesman, "sale.order", "write", [order.id], {"state": "sale"})
        self.assertEqual(order.state, "sale", "nothing holds it: the checks ran and passed")

    def test_stored_hold_flag_cannot_be_cleared(self):
        order = self.quotation()
        self.held(order)
        before = self.snapshot(order, ORDER_FIELDS)
        with self.assertRaisesRegex(UserError, "Held by Exception"):
            self.rpc(self.manager, "sale.order", "write", [order.id], {"o2c_blocked": False})
        self.assertUnchanged(order, ORDER_FIELDS, before)

    def test_held_delivery_cannot_be_done_by_any_path(self):
        picking = self.delivery()
        self.held(picking)
        before = self.snapshot(picking, ["state", "date_done"])
        moves_before = self.snapshot(picking.move_ids, ["state", "quantity"])
        attempts = [
            ("stock.picking", "button_validate", [picking.ids], {"o2c_skip_enforce_once": 1}),
            ("stock.picking", "write", [picking.ids, {"state": "done"}], {}),
            ("stock.move", "write", [picking.move_ids.ids, {"state": "done"}], {}),
        ]
        for model, method, args, context in attempts:
            with self.subTest(method=f"{model}.{method}"), self.assertRaises(UserError):
                self.rpc(
                    self.warehouse,
                    model,
                    method,
                    *args,
                    context=dict(context, o2c_raise_on_hold=True),
                )
        self.assertUnchanged(picking, ["state", "date_done"], before)
        self.assertUnchanged(picking.move_ids, ["state", "quantity"], moves_before)

    def test_held_invoice_cannot_be_posted_by_any_path(self):
        invoice = self.invoice()
        self.held(invoice)
        attempts = [
            ("action_post", [invoice.ids], {"o2c_raise_on_hold": True}),
            ("write", [invoice.ids, {"state": "posted"}], {}),
        ]
        for method, args, context in attempts:
            with self.subTest(method=method), self.assertRaises(UserError):
                self.rpc(self.billing, "account.move", method, *args, context=context)
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.name and invoice.name != "/", "no number was given")


@tagged("post_install", "-at_install")
class TestAttackDecisions(AttackCommon):
    """Class 3 and 5: decisions by the right, distinct people, through their action only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._hold_type().min_approvals = 2

    def test_one_person_counts_once(self):
        order = self.quotation()
        exc = self.held(order)
        self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id, exc.id], reason="ok")
        self.assertEqual(exc.state, "open", "two approvals needed, one person gave one")
        self.assertEqual(len(exc.approval_ids), 1)
        with self.assertRaisesRegex(UserError, "already approved"):
            self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="again")
        self.rpc(self.approver_2, "o2c.exception", "action_approve", [exc.id], reason="ok too")
        self.assertEqual(exc.state, "approved")

    def test_database_refuses_a_second_live_approval_of_one_person(self):
        exc = self.held(self.quotation())
        vals = {"exception_id": exc.id, "user_id": self.approver.id, "reason": "x"}
        Approval = self.env["o2c.exception.approval"].sudo()
        with owning_action("o2c.exception.approval"):
            Approval.create(vals)
            with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
                with self.env.cr.savepoint():
                    Approval.create(vals)

    def test_approvals_cannot_be_created_directly(self):
        exc = self.held(self.quotation())
        vals = {"exception_id": exc.id, "user_id": self.approver.id, "reason": "x"}
        with self.assertRaises(UserError):
            self.env["o2c.exception.approval"].sudo().create(vals)
        self.assertFalse(exc.approval_ids)

    def test_manager_cannot_write_a_decision(self):
        exc = self.held(self.quotation())
        before = self.snapshot(exc, DECISION_FIELDS)
        self.try_decision_writes(self.manager, exc)
        self.assertUnchanged(exc, DECISION_FIELDS, before)
        self.assertTrue(exc.sale_order_id.o2c_blocked)

    def test_manager_cannot_create_a_decided_exception(self):
        order = self.quotation()
        vals = {
            "type_id": self._hold_type().id,
            "res_model": "sale.order",
            "res_id": order.id,
            "name": "pre-approved",
            "state": "approved",
        }
        with self.assertRaises(UserError):
            self.rpc(self.manager, "o2c.exception", "create", vals)
        self.assertFalse(order.o2c_exception_ids)

    def test_unchanged_governed_value_passes(self):
        """A form sending the read-only state back unchanged is not an attack."""
        exc = self.held(self.quotation())
        self.rpc(self.manager, "o2c.exception", "write", [exc.id], {"state": "open", "name": "x"})
        self.assertEqual(exc.name, "x")

    def test_approver_who_edited_the_document_cannot_approve(self):
        self._hold_type().min_approvals = 1
        order = self.quotation()
        exc = self.held(order)
        line = order.order_line
        self.rpc(self.approver, "sale.order.line", "write", [line.id], {"discount": 10.0})
        self.assertIn(self.approver, exc.conflict_user_ids)
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="fine")
        self.assertEqual(exc.state, "open")

    def test_editor_through_the_order_form_cannot_approve(self):
        self._hold_type().min_approvals = 1
        order = self.quotation()
        exc = self.held(order)
        commands = [Command.update(order.order_line.id, {"price_unit": 90.0})]
        self.rpc(self.approver, "sale.order", "write", [order.id], {"order_line": commands})
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="fine")
        self.rpc(self.approver_2, "o2c.exception", "action_approve", [exc.id], reason="fine")
        self.assertEqual(exc.state, "approved")
