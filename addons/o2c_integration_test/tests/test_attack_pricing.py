# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DECISION_FIELDS, AttackCommon

CODE = "discount_approval"
ORDER_FIELDS = ["state", "amount_total", "o2c_blocked", "picking_ids", "date_order"]
#: what a confirmation changes (the held check itself raises the exception)
CONFIRM_FIELDS = ["state", "amount_total", "picking_ids", "date_order", "invoice_status"]
#: contexts a hostile client may send with the confirmation (former switches included)
HOSTILE_CONTEXTS = [
    {"o2c_skip_enforce_once": True},
    {"o2c_raise_on_hold": True},
    {"install_mode": True},
    {"import_file": True, "tracking_disable": True},
    {"o2c_decision": "approve", "active_test": False},
    {"mark_so_as_sent": True, "mail_notrack": True},
    {"o2c_skip_enforce_once": 1, "o2c_raise_on_hold": False, "install_mode": "1"},
]


@tagged("post_install", "-at_install")
class TestAttackPricing(AttackCommon):
    """The pricing control of a 40 % quotation holds on every path a salesperson has.

    One policy only (others archived): discounts above 15 % need an O2C approver,
    checked before sending too.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._only_pricing_policy("Attack pricing policy", check_on_send=True)
        data = cls.env["ir.model.data"]
        for name, record in (("customer", cls.customer), ("product", cls.product)):
            data.create(
                {"module": "o2c_atk", "name": name, "model": record._name, "res_id": record.id}
            )

    # ---------------------------------------------------------- HELPERS
    def pricing_exception(self, order):
        return order.o2c_exception_ids.filtered(
            lambda e: e.code == CODE and e.state in ("open", "approved", "rejected")
        )

    def held_quotation(self, discount=40.0):
        """A 40 % quotation of the salesman whose confirmation was held (exception open)."""
        order = self.quotation(discount=discount)
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "draft")
        exc = self.pricing_exception(order)
        self.assertEqual(exc.state, "open")
        return order, exc

    def approved_quotation(self, discount=40.0):
        """Approved on request, before any confirmation: it stays a quotation."""
        order = self.quotation(discount=discount)
        self.rpc(self.salesman, "sale.order", "action_o2c_pricing_request_approval", [order.id])
        exc = self.pricing_exception(order)
        self.assertEqual(exc.state, "open")
        self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="ok")
        self.assertEqual(exc.state, "approved")
        self.assertEqual(order.state, "draft", "nobody asked to confirm it yet")
        return order, exc

    def assertRefusedOrHeld(self, call):
        """The call raises a clear error or returns the held window: never confirms."""
        try:
            result = call()
        except (UserError, AccessError):
            return
        self.assertIsInstance(result, dict, "a held action returns the exceptions' window")
        self.assertEqual(result.get("res_model"), "o2c.exception")

    def order_count(self):
        return self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])

    # -------------------------------------------------------- CONFIRM
    def test_confirm_with_any_context_is_held(self):
        order = self.quotation(discount=40.0)
        before = self.snapshot(order, CONFIRM_FIELDS)
        for context in HOSTILE_CONTEXTS:
            with self.subTest(context=context):
                self.assertRefusedOrHeld(
                    lambda c=context: self.rpc(
                        self.salesman, "sale.order", "action_confirm", [order.id], context=c
                    )
                )
                self.assertUnchanged(order, CONFIRM_FIELDS, before)
        self.assertEqual(self.pricing_exception(order).state, "open")
        self.assertTrue(order.o2c_blocked)

    def test_price_context_sent_with_the_confirmation_moves_no_reference(self):
        """Odoo adds the context's ``no_variant_attributes_price_extra`` to a price: sent
        with the confirmation, it would lower the pricing check's reference to a price
        cut 45 % below the pricelist."""
        order = self.quotation()
        order.order_line.price_unit = 55.0  # the pricelist says 100
        before = self.snapshot(order, CONFIRM_FIELDS)
        context = {"no_variant_attributes_price_extra": -50.0}
        self.assertRefusedOrHeld(
            lambda: self.rpc(
                self.salesman, "sale.order", "action_confirm", [order.id], context=context
            )
        )
        self.assertUnchanged(order, CONFIRM_FIELDS, before)
        self.assertEqual(self.pricing_exception(order).state, "open")

    def test_write_state_sale_is_refused(self):
        order = self.quotation(discount=40.0)
        before = self.snapshot(order, ORDER_FIELDS)
        for context in HOSTILE_CONTEXTS:
            with self.subTest(context=context), self.assertRaisesRegex(UserError, "held by O2C"):
                self.rpc_write(self.salesman, order, {"state": "sale"}, context=context)
        self.assertUnchanged(order, ORDER_FIELDS, before)

    def test_write_state_sent_is_refused_when_checked_before_sending(self):
        order = self.quotation(discount=40.0)
        before = self.snapshot(order, ORDER_FIELDS)
        with self.assertRaisesRegex(UserError, "held by O2C"):
            self.rpc(self.salesman, "sale.order", "write", [order.id], {"state": "sent"})
        self.assertUnchanged(order, ORDER_FIELDS, before)
        # the mail composer's own switch marks quotations sent through write() too
        with self.assertRaisesRegex(UserError, "held by O2C"):
            self.rpc(
                self.salesman,
                "sale.order",
                "message_post",
                [order.id],
                body="Here is your quotation",
                context={"mark_so_as_sent": True},
            )
        self.assertUnchanged(order, ORDER_FIELDS, before)
        for method in ("action_quotation_sent", "action_quotation_send"):
            with self.subTest(method=method):
                self.assertRefusedOrHeld(
                    lambda m=method: self.rpc(
                        self.salesman,
                        "sale.order",
                        m,
                        [order.id],
                        context={"o2c_skip_enforce_once": True},
                    )
                )
                self.assertEqual(order.state, "draft")

    def test_create_in_final_state_is_refused(self):
        count = self.order_count()
        for state in ("sale", "sent"):
            vals = {
                "partner_id": self.customer.id,
                "state": state,
                "order_line": [Command.create({"product_id": self.product.id, "discount": 40.0})],
            }
            with self.subTest(state=state), self.assertRaisesRegex(UserError, "held by O2C"):
                self.rpc(
                    self.salesman,
                    "sale.order",
                    "create",
                    vals,
                    context={"o2c_skip_enforce_once": True, "default_state": state},
                )
        self.assertEqual(self.order_count(), count)

    def test_create_with_default_state_in_context_is_refused(self):
        count = self.order_count()
        vals = {
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product.id, "discount": 40.0})],
        }
        try:
            self.rpc(self.salesman, "sale.order", "create", vals, context={"default_state": "sale"})
        except UserError:
            self.assertEqual(self.order_count(), count)
            return
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertEqual(order.state, "draft", "a context default is not a confirmation")

    def test_personal_default_state_is_not_a_confirmation(self):
        """Any user may set personal defaults (``ir.default``): not a way to confirm."""
        self.rpc(self.salesman, "ir.default", "set", "sale.order", "state", "sale", user_id=True)
        count = self.order_count()
        vals = {
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product.id, "discount": 40.0})],
        }
        with self.assertRaisesRegex(UserError, "held by O2C"):
            self.rpc(self.salesman, "sale.order", "create", vals)
        self.assertEqual(self.order_count(), count)

    def test_import_in_final_state_is_refused(self):
        count = self.order_count()
        fields = ["partner_id/id", "state", "order_line/product_id/id", "order_line/discount"]
        for state in ("sale", "sent"):
            with self.subTest(state=state):
                result = self.rpc(
                    self.salesman,
                    "sale.order",
                    "load",
                    fields,
                    [["o2c_atk.customer", state, "o2c_atk.product", "40"]],
                    context={"o2c_skip_enforce_once": True},
                )
                self.assertFalse(result["ids"])
                messages = " ".join(m["message"] for m in result["messages"])
                self.assertIn("held by O2C exceptions", messages)
        self.assertEqual(self.order_count(), count)

    def test_import_of_a_clean_order_in_sale_is_checked_and_goes_on(self):
        """Control: the same import without a discount is confirmed (the checks ran)."""
        result = self.rpc(
            self.salesman,
            "sale.order",
            "load",
            ["partner_id/id", "state", "order_line/product_id/id", "order_line/discount"],
            [["o2c_atk.customer", "sale", "o2c_atk.product", "0"]],
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])
        self.assertEqual(self.env["sale.order"].browse(result["ids"]).state, "sale")

    # ---------------------------------------------------- AFTER APPROVAL
    def test_line_discount_written_after_approval_reopens(self):
        attempts = [
            ("sale.order.line", "write", lambda o: ([o.order_line.id], {"discount": 60.0})),
            (
                "sale.order",
                "write",
                lambda o: (
                    [o.id],
                    {"order_line": [Command.update(o.order_line.id, {"discount": 60.0})]},
                ),
            ),
            (
                "sale.order",
                "write",
                lambda o: (
                    [o.id],
                    {
                        "order_line": [
                            Command.create({"product_id": self.product.id, "discount": 50.0})
                        ]
                    },
                ),
            ),
            (
                "sale.order.line",
                "create",
                lambda o: ({"order_id": o.id, "product_id": self.product.id, "discount": 50.0},),
            ),
            ("sale.order.line", "write", lambda o: ([o.order_line.id], {"price_unit": 10.0})),
            ("sale.order.line", "write", lambda o: ([o.order_line.id], {"product_uom_qty": 50})),
        ]
        for model, method, args in attempts:
            with self.subTest(model=model, method=method):
                order, exc = self.approved_quotation()
                self.rpc(self.salesman, model, method, *args(order))
                self.assertEqual(exc.state, "open", "the approval was for other prices")
                self.assertFalse(exc.approval_ids.filtered("active"))
                self.assertIn(self.salesman, exc.conflict_user_ids)
                for call in (
                    lambda o=order: self.rpc(
                        self.salesman, "sale.order", "write", [o.id], {"state": "sale"}
                    ),
                    lambda o=order: self.rpc(
                        self.salesman,
                        "sale.order",
                        "action_confirm",
                        [o.id],
                        context={"o2c_raise_on_hold": True},
                    ),
                ):
                    with self.assertRaisesRegex(UserError, "held by O2C"):
                        call()
                self.assertEqual(order.state, "draft")
                self.assertFalse(order.picking_ids)

    def test_approved_pricing_confirms(self):
        """Control: an approved, unchanged quotation is confirmed by the salesman."""
        order, exc = self.approved_quotation()
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "sale")
        self.assertEqual(exc.state, "approved")

    # ---------------------------------------------- SEGREGATION OF DUTIES
    def test_approver_who_edited_the_discount_cannot_approve(self):
        edits = [
            ("sale.order.line", lambda o: ([o.order_line.id], {"discount": 45.0})),
            (
                "sale.order",
                lambda o: (
                    [o.id],
                    {"order_line": [Command.update(o.order_line.id, {"discount": 45.0})]},
                ),
            ),
        ]
        for model, args in edits:
            with self.subTest(model=model):
                order, exc = self.held_quotation()
                self.rpc(self.approver, model, "write", *args(order))
                self.assertIn(self.approver, exc.conflict_user_ids)
                with self.assertRaisesRegex(UserError, "Segregation of duties"):
                    self.rpc(
                        self.approver, "o2c.exception", "action_approve", [exc.id], reason="ok"
                    )
                with self.assertRaisesRegex(UserError, "Segregation of duties"):
                    self.rpc(
                        self.approver,
                        "o2c.exception.decision.wizard",
                        "create",
                        {"exception_ids": [Command.set(exc.ids)], "reason": "ok"},
                    )
                    wizard = self.env["o2c.exception.decision.wizard"].search(
                        [], order="id desc", limit=1
                    )
                    self.rpc(
                        self.approver, "o2c.exception.decision.wizard", "action_confirm", wizard.ids
                    )
                self.assertEqual(exc.state, "open")
                self.assertFalse(exc.approval_ids)
                # someone else still can
                self.rpc(self.approver_2, "o2c.exception", "action_approve", [exc.id], reason="ok")
                self.assertEqual(exc.state, "approved")

    def test_approver_who_set_the_discount_before_the_check_cannot_approve(self):
        """The approver gives the discount on the salesman's quotation, the salesman confirms."""
        order = self.quotation(discount=0.0)
        self.rpc(self.approver, "sale.order.line", "write", [order.order_line.id], {"discount": 40})
        self.rpc(self.salesman, "sale.order", "write", [order.id], {"note": "as agreed"})
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        exc = self.pricing_exception(order)
        self.assertEqual(exc.state, "open")
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="ok")
        self.assertEqual(exc.state, "open")

    def test_salesman_cannot_approve_own_pricing(self):
        order, exc = self.held_quotation()
        with self.assertRaises(UserError):
            self.rpc(self.salesman, "o2c.exception", "action_approve", [exc.id], reason="mine")
        self.assertEqual(exc.state, "open")
        self.assertFalse(exc.approval_ids)

    # ------------------------------------------------ DISTINCT APPROVERS
    def test_two_approver_rule_counts_people_not_ids(self):
        self.pricing_type.min_approvals = 2
        order, exc = self.held_quotation()
        self.assertEqual(exc.min_approvals, 2)
        self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id, exc.id], reason="ok")
        self.assertEqual(exc.state, "open")
        self.assertEqual(len(exc.approval_ids), 1)
        with self.assertRaisesRegex(UserError, "already approved"):
            self.rpc(self.approver, "o2c.exception", "action_approve", [exc.id], reason="again")
        with self.assertRaisesRegex(UserError, "held by O2C"):
            self.rpc(
                self.salesman,
                "sale.order",
                "action_confirm",
                [order.id],
                context={"o2c_raise_on_hold": True},
            )
        self.rpc(self.approver_2, "o2c.exception", "action_approve", [exc.id], reason="ok too")
        self.assertEqual(exc.state, "approved")
        self.assertEqual(len(exc.approval_ids.user_id), 2)
        self.assertEqual(order.state, "sale", "the held confirmation went on after the second")

    # ------------------------------------------------ GOVERNED DECISION
    def test_manager_cannot_write_the_pricing_decision(self):
        order, exc = self.held_quotation()
        before = self.snapshot(exc, DECISION_FIELDS)
        self.try_decision_writes(self.manager, exc)
        with self.assertRaises(UserError):
            self.rpc(
                self.manager,
                "o2c.exception",
                "write",
                [exc.id],
                {"state": "approved", "decided_by_id": self.approver.id, "decision_reason": "x"},
            )
        # through the order's one2many, too
        with self.assertRaises(UserError):
            self.rpc(
                self.manager,
                "sale.order",
                "write",
                [order.id],
                {"o2c_exception_ids": [Command.update(exc.id, {"state": "approved"})]},
            )
        with self.assertRaises(UserError):
            self.rpc(
                self.manager,
                "o2c.exception.approval",
                "create",
                {"exception_id": exc.id, "user_id": self.approver.id, "reason": "x"},
            )
        self.assertUnchanged(exc, DECISION_FIELDS, before)
        self.assertTrue(order.o2c_blocked)
        with self.assertRaisesRegex(UserError, "held by O2C"):
            self.rpc(self.salesman, "sale.order", "write", [order.id], {"state": "sale"})

    def test_manager_cannot_clear_the_hold_flag(self):
        order, exc = self.held_quotation()
        before = self.snapshot(order, ORDER_FIELDS)
        for vals in ({"o2c_blocked": False}, {"o2c_has_live_exception": False}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.rpc(self.manager, "sale.order", "write", [order.id], vals)
        self.assertUnchanged(order, ORDER_FIELDS, before)
