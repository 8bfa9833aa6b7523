# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import AttackCommon

GOVERNED = "change only through the action that owns them"
HELD = "held by O2C exceptions"
RELEASE_FIELDS = [
    "o2c_released",
    "o2c_release_date",
    "o2c_released_by_id",
    "o2c_release_policy",
    "o2c_pod_state",
    "o2c_release_pending",
    "o2c_release_error",
    "o2c_invoice_ids",
    "o2c_invoice_posted_date",
]
#: written out, not read from the model: the attacks check what must not change
#: independently of the code under test
PROOF_FIELDS = [
    "state",
    "validated_by_id",
    "validated_date",
    "rejected_by_id",
    "rejected_date",
    "reject_reason",
    "confirmed_by_partner_id",
]
CONSENT_FIELDS = [
    "o2c_consent_date",
    "o2c_consent_contact",
    "o2c_consent_user_id",
    "o2c_consent_note",
]
#: every context key that once switched a release or fulfillment control, and more
HOSTILE_CONTEXT = {
    "o2c_release_mode": "override",
    "o2c_include_unreleased": True,
    "o2c_order_cancel": True,
    "o2c_backorder_resolution": "Customer agreed",
    "o2c_skip_enforce_once": True,
    "install_mode": True,
    "skip_backorder": True,
    "cancel_backorder": True,
}


@tagged("post_install", "-at_install")
class TestAttackRelease(AttackCommon):
    """Class 4 (release flags, proofs, consent) and class 2 (posting, delivering)
    for invoice release and fulfillment: through RPC, as the least-privileged user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pod_customer = cls.env["res.partner"].create(
            {
                "name": "Attack POD Customer",
                "is_company": True,
                "o2c_invoice_release_policy": "on_pod",
            }
        )
        cls.delivery_customer = cls.env["res.partner"].create(
            {
                "name": "Attack Delivery Customer",
                "is_company": True,
                "o2c_invoice_release_policy": "on_delivery",
            }
        )
        cls.company.o2c_auto_invoice = False

    # ---------------------------------------------------------- HELPERS
    def _done_delivery(self, customer=None, qty=1.0, shipped=None):
        """A confirmed order of ``customer`` and its validated delivery (as the system)."""
        order = self.quotation(customer=customer or self.pod_customer, qty=qty)
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": qty if shipped is None else shipped, "picked": True})
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            Form(self.env[res["res_model"]].with_context(**res["context"])).save().process()
        self.assertEqual(picking.state, "done")
        return order, picking

    def _unreleased_invoice(self, order):
        """A manual draft invoice (billing user, RPC) billing the unreleased order line."""
        line = order.order_line
        move_id = self.rpc(
            self.billing,
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": order.partner_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1.0,
                            "price_unit": 100.0,
                            "sale_line_ids": [Command.set(line.ids)],
                        }
                    )
                ],
            },
        )
        return self.env["account.move"].browse(move_id)

    def _customer_count(self, partner):
        return self.env["account.move"].search_count([("partner_id", "=", partner.id)])

    # ---------------------------------------------------- RELEASE FLAGS
    def test_release_flags_cannot_be_written_and_invoice_stays_held(self):
        order, picking = self._done_delivery()
        self.assertFalse(picking.o2c_released)
        self.assertEqual(picking.o2c_pod_state, "missing")
        before = self.snapshot(picking, RELEASE_FIELDS)
        line_before = self.snapshot(order.order_line, ["o2c_qty_released", "qty_to_invoice"])
        attempts = [
            {
                "o2c_released": True,
                "o2c_released_by_id": self.billing.id,
                "o2c_release_date": fields.Datetime.now(),
            },
            {"o2c_release_policy": "on_delivery"},
            {"o2c_pod_state": "validated"},
            {"o2c_pod_aging_error": "left out of the missing-POD job"},
            {"o2c_release_pending": True},
            {"o2c_invoice_posted_date": fields.Datetime.now()},
        ]
        for vals in attempts:
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, GOVERNED):
                self.rpc(self.warehouse, "stock.picking", "write", picking.ids, vals)
        self.assertUnchanged(picking, RELEASE_FIELDS, before)
        # not a matter of access rights: the system itself cannot write them either
        with self.assertRaisesRegex(UserError, GOVERNED):
            picking.sudo().write({"o2c_released": True})
        self.env.invalidate_all()
        # nor the released quantity of the order line the gate reads
        with self.assertRaisesRegex(UserError, GOVERNED):
            self.rpc(
                self.salesman,
                "sale.order.line",
                "write",
                order.order_line.ids,
                {"o2c_qty_released": 1.0},
            )
        self.assertUnchanged(order.order_line, ["o2c_qty_released", "qty_to_invoice"], line_before)
        # and the invoice of the delivery is still held
        invoice = self._unreleased_invoice(order)
        with self.assertRaisesRegex(UserError, HELD):
            self.rpc(
                self.billing,
                "account.move",
                "action_post",
                invoice.ids,
                context=dict(HOSTILE_CONTEXT, o2c_raise_on_hold=True),
            )
        self.assertEqual(invoice.state, "draft")

    def test_invoice_evidence_cannot_be_written(self):
        order, picking = self._done_delivery()
        invoice = self._unreleased_invoice(order)
        for vals in (
            {"o2c_release_mode": "override"},
            {"o2c_picking_ids": [Command.link(picking.id)]},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, GOVERNED):
                self.rpc(self.billing, "account.move", "write", invoice.ids, vals)
        self.assertFalse(invoice.o2c_release_mode)
        self.assertFalse(invoice.o2c_picking_ids)
        with self.assertRaisesRegex(UserError, GOVERNED):
            self.rpc_write(
                self.warehouse,
                picking,
                {"o2c_invoice_ids": [Command.link(invoice.id)]},
            )
        self.assertFalse(picking.o2c_invoice_ids)

    def _invoice_by_wizard(self, order):
        """The salesman invoices the delivered quantities of ``order`` with the
        invoicing wizard, by RPC, with every hostile context key."""
        context = dict(HOSTILE_CONTEXT, active_model="sale.order", active_ids=order.ids)
        wizard = "sale.advance.payment.inv"
        vals = {"advance_payment_method": "delivered"}
        wizard_id = self.rpc(self.salesman, wizard, "create", vals, context=context)
        return self.rpc(self.salesman, wizard, "create_invoices", [wizard_id], context=context)

    def test_release_mode_is_not_taken_from_the_context(self):
        order, picking = self._done_delivery(customer=self.delivery_customer)
        self.assertTrue(picking.o2c_released)
        self._invoice_by_wizard(order)
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.o2c_release_mode, "manual", "not the caller's 'override'")
        self.assertEqual(invoice.invoice_line_ids.quantity, 1.0)

    def test_include_unreleased_key_bills_nothing_unreleased(self):
        order, _picking = self._done_delivery()
        count = self._customer_count(self.pod_customer)
        with self.assertRaises(UserError):  # nothing released: nothing to invoice
            self._invoice_by_wizard(order)
        self.assertEqual(self._customer_count(self.pod_customer), count)
        self.assertEqual(order.order_line.qty_invoiced, 0.0)

    # ------------------------------------------------------------ POSTING
    def test_unreleased_manual_invoice_cannot_be_posted_by_any_path(self):
        order, _picking = self._done_delivery()
        invoice = self._unreleased_invoice(order)
        fnames = ["state", "amount_total", "o2c_release_mode", "name"]
        before = self.snapshot(invoice, fnames)
        attempts = [
            ("write", [invoice.ids, {"state": "posted"}], HOSTILE_CONTEXT),
            ("action_post", [invoice.ids], dict(HOSTILE_CONTEXT, o2c_raise_on_hold=True)),
        ]
        for method, args, context in attempts:
            with self.subTest(method=method), self.assertRaisesRegex(UserError, HELD):
                self.rpc(self.billing, "account.move", method, *args, context=context)
            self.assertUnchanged(invoice, fnames, before)
        # the button without o2c_raise_on_hold answers with the held window
        result = self.rpc(
            self.billing, "account.move", "action_post", invoice.ids, context=HOSTILE_CONTEXT
        )
        self.assertEqual(result["res_model"], "o2c.exception")
        self.assertUnchanged(invoice, fnames, before)
        self.assertTrue(invoice.o2c_blocked)
        # created directly in state posted (refused by Odoo itself, and by the o2c core)
        count = self._customer_count(self.pod_customer)
        with self.assertRaises(UserError):
            self.rpc(
                self.billing,
                "account.move",
                "create",
                {
                    "move_type": "out_invoice",
                    "partner_id": self.pod_customer.id,
                    "state": "posted",
                    "o2c_release_mode": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "quantity": 1.0,
                                "price_unit": 100.0,
                                "sale_line_ids": [Command.set(order.order_line.ids)],
                            }
                        )
                    ],
                },
                context=HOSTILE_CONTEXT,
            )
        self.assertEqual(self._customer_count(self.pod_customer), count)
        self.assertEqual(order.order_line.qty_invoiced_posted, 0.0)

    # ------------------------------------------------------------- PROOFS
    def test_proof_decision_cannot_be_written(self):
        _order, picking = self._done_delivery()
        proof_id = self.rpc(
            self.warehouse,
            "o2c.delivery.proof",
            "create",
            {"picking_id": picking.id, "kind": "document", "received_by": "J. Doe"},
        )
        proof = self.env["o2c.delivery.proof"].browse(proof_id)
        before = self.snapshot(proof, PROOF_FIELDS)
        messages = len(proof.message_ids)
        for vals in (
            {
                "state": "validated",
                "validated_by_id": self.billing.id,
                "validated_date": fields.Datetime.now(),
            },
            {"validated_by_id": self.billing.id},
            {"state": "rejected", "rejected_by_id": self.billing.id, "reject_reason": "x"},
            # the customer who confirmed in the portal: written by the portal only
            {"confirmed_by_partner_id": self.customer.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, GOVERNED):
                self.rpc(self.warehouse, "o2c.delivery.proof", "write", proof.ids, vals)
        self.assertUnchanged(proof, PROOF_FIELDS, before)
        self.assertEqual(len(proof.message_ids), messages)
        self.assertFalse(picking.o2c_released)
        # its button checks the evidence: no signed delivery note attached
        with self.assertRaisesRegex(UserError, "Attach the signed delivery note"):
            self.rpc(self.warehouse, "o2c.delivery.proof", "action_validate", proof.ids)
        self.assertUnchanged(proof, PROOF_FIELDS, before)
        # created validated
        count = self.env["o2c.delivery.proof"].search_count([("picking_id", "=", picking.id)])
        with self.assertRaisesRegex(UserError, GOVERNED):
            self.rpc(
                self.warehouse,
                "o2c.delivery.proof",
                "create",
                {
                    "picking_id": picking.id,
                    "kind": "carrier",
                    "tracking_ref": "T-1",
                    "state": "validated",
                    "validated_by_id": self.billing.id,
                },
            )
        self.assertEqual(
            self.env["o2c.delivery.proof"].search_count([("picking_id", "=", picking.id)]), count
        )
        self.assertFalse(picking.o2c_released)
        # the button, with its evidence, records the user who pressed it
        attachment = self.env["ir.attachment"].create(
            {"name": "note.txt", "datas": base64.b64encode(b"signed")}
        )
        proof.attachment_ids = attachment
        self.rpc(
            self.warehouse,
            "o2c.delivery.proof",
            "action_validate",
            proof.ids,
            context={"default_validated_by_id": self.billing.id},
        )
        self.assertEqual(proof.state, "validated")
        self.assertEqual(proof.validated_by_id, self.warehouse)
        self.assertTrue(picking.o2c_released)
        self.assertEqual(picking.o2c_released_by_id, self.warehouse)
        # the evidence of a validated proof is frozen
        with self.assertRaises(UserError):
            self.rpc_write(
                self.warehouse,
                proof,
                {"attachment_ids": [Command.clear()]},
            )
        self.assertEqual(proof.attachment_ids, attachment)

    # ------------------------------------------------------------ CONSENT
    def test_portal_confirmer_cannot_be_created_or_imported(self):
        """Who confirmed a receipt on the portal is written by the portal action only."""
        _order, picking = self._done_delivery()
        Proof = self.env["o2c.delivery.proof"]
        with self.assertRaisesRegex(UserError, GOVERNED):
            self.rpc(
                self.warehouse,
                "o2c.delivery.proof",
                "create",
                {
                    "picking_id": picking.id,
                    "kind": "carrier",
                    "tracking_ref": "T-1",
                    "confirmed_by_partner_id": self.customer.id,
                },
                context=HOSTILE_CONTEXT,
            )
        result = self.rpc(
            self.warehouse,
            "o2c.delivery.proof",
            "load",
            ["picking_id/.id", "kind", "tracking_ref", "confirmed_by_partner_id/.id"],
            [[str(picking.id), "carrier", "T-2", str(self.customer.id)]],
            context=HOSTILE_CONTEXT,
        )
        self.assertFalse(result["ids"])
        self.assertFalse(Proof.search([("picking_id", "=", picking.id)]))

    def test_consent_fields_cannot_be_written(self):
        order = self.quotation()
        order.action_confirm()
        picking = order.picking_ids
        before = self.snapshot(picking, CONSENT_FIELDS)
        with self.assertRaisesRegex(UserError, GOVERNED):
            self.rpc_write(
                self.warehouse,
                picking,
                {
                    "o2c_consent_date": fields.Datetime.now(),
                    "o2c_consent_contact": "Someone",
                    "o2c_consent_user_id": self.billing.id,
                },
            )
        self.assertUnchanged(picking, CONSENT_FIELDS, before)
        # the wizard records the consent with the current user as "recorded by"
        context = {"default_o2c_consent_user_id": self.billing.id}
        wizard_id = self.rpc(
            self.warehouse,
            "o2c.consent.wizard",
            "create",
            {"picking_id": picking.id, "contact": "Jane at the customer", "note": "by phone"},
            context=context,
        )
        self.rpc(
            self.warehouse, "o2c.consent.wizard", "action_confirm", [wizard_id], context=context
        )
        self.assertEqual(picking.o2c_consent_user_id, self.warehouse)
        self.assertEqual(picking.o2c_consent_contact, "Jane at the customer")
        self.assertTrue(picking.o2c_consent_date)

    def test_substitution_record_is_frozen(self):
        picking = self.delivery()
        vals = {
            "kind": "product",
            "date": fields.Datetime.now(),
            "picking_id": picking.id,
            "company_id": self.company.id,
            "consent_date": fields.Datetime.now(),
            "consent_contact": "Someone",
            "approved_substitute": True,
        }
        with self.assertRaises(UserError):  # AccessError (no create right) or governed
            self.rpc(self.warehouse, "o2c.substitution", "create", vals)
        with self.assertRaisesRegex(UserError, GOVERNED):
            # not even as superuser: only the validation of the delivery records it
            self.env["o2c.substitution"].sudo().create(vals)

    # --------------------------------------------------------- BACKORDERS
    def test_backorder_cancel_needs_its_reason(self):
        order, _picking = self._done_delivery(customer=self.delivery_customer, qty=2.0, shipped=1.0)
        backorder = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertTrue(backorder.o2c_is_customer_backorder)
        reason = self.env.ref("o2c_fulfillment.o2c_reason_code_cancel_customer")
        fnames = ["state", "o2c_cancel_reason_id", "o2c_cancel_note"]
        before = self.snapshot(backorder, fnames)
        with self.assertRaisesRegex(UserError, GOVERNED):
            self.rpc_write(
                self.warehouse,
                backorder,
                {"o2c_cancel_reason_id": reason.id, "o2c_cancel_note": "agreed"},
            )
        with self.assertRaisesRegex(UserError, "needs a reason"):
            self.rpc(
                self.warehouse,
                "stock.picking",
                "action_cancel",
                backorder.ids,
                context=HOSTILE_CONTEXT,
            )
        with self.assertRaisesRegex(UserError, "not a valid cancellation reason"):
            self.rpc(
                self.warehouse,
                "stock.picking",
                "action_cancel",
                backorder.ids,
                context=dict(HOSTILE_CONTEXT, o2c_cancel_reason_id="1"),
            )
        self.assertUnchanged(backorder, fnames, before)
        # the wizard's key carries a reason the action validates and records
        self.rpc(
            self.warehouse,
            "stock.picking",
            "action_cancel",
            backorder.ids,
            context=dict(HOSTILE_CONTEXT, o2c_cancel_reason_id=reason.id, o2c_cancel_note="ok"),
        )
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(backorder.o2c_cancel_reason_id, reason)
        exc = order.o2c_exception_ids.filtered(lambda e: e.code == "backorder")
        self.assertEqual(exc.state, "resolved")
        self.assertIn(reason.name, exc.decision_reason)
        self.assertNotIn("Customer agreed", exc.decision_reason)

    def test_fulfillment_evidence_cannot_be_rewritten(self):
        order, picking = self._done_delivery(customer=self.delivery_customer, qty=2.0, shipped=1.0)
        exc = order.o2c_exception_ids.filtered(lambda e: e.code == "backorder")
        self.assertEqual(exc.o2c_missing_qty, 1.0)
        reason = self.env.ref("o2c_fulfillment.o2c_reason_code_short_stockout")
        with self.assertRaisesRegex(UserError, GOVERNED):
            self.rpc_write(
                self.manager,
                exc,
                {"o2c_missing_qty": 0.0, "o2c_reason_code_id": reason.id},
            )
        self.assertEqual(exc.o2c_missing_qty, 1.0)
        self.assertFalse(exc.o2c_reason_code_id)
        # the short pick reason of a done delivery is part of its audit trail
        with self.assertRaisesRegex(UserError, "audit trail"):
            self.rpc_write(
                self.warehouse,
                picking,
                {"o2c_short_reason_id": reason.id, "o2c_short_note": "after the fact"},
            )
        self.assertFalse(picking.o2c_short_reason_id)

    def test_substitution_baseline_cannot_be_rewritten(self):
        picking = self.delivery()
        move = picking.move_ids
        lot = self.env["stock.lot"].create({"name": "ATK-LOT", "product_id": self.product.id})
        for vals in (
            {"o2c_substitute_for_move_id": move.id},
            {"o2c_reserved_lot_ids": [Command.link(lot.id)]},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, GOVERNED):
                self.rpc(self.warehouse, "stock.move", "write", move.ids, vals)

    # ---------------------------------------------------- HELD DELIVERIES
    def test_held_delivery_cannot_be_done_with_any_context(self):
        picking = self.delivery()
        self.held(picking)
        fnames = ["state", "date_done", "o2c_released", "o2c_release_policy"]
        before = self.snapshot(picking, fnames)
        moves_before = self.snapshot(picking.move_ids, ["state", "quantity"])
        reason = self.env.ref("o2c_fulfillment.o2c_reason_code_short_stockout")
        context = dict(
            HOSTILE_CONTEXT,
            o2c_raise_on_hold=True,
            o2c_short_reason_id=reason.id,
            picking_ids_not_to_backorder=picking.ids,
        )
        attempts = [
            ("stock.picking", "button_validate", [picking.ids]),
            ("stock.picking", "write", [picking.ids, {"state": "done"}]),
            ("stock.move", "write", [picking.move_ids.ids, {"state": "done"}]),
            (
                "stock.move",
                "create",
                [
                    {
                        "name": "extra",
                        "picking_id": picking.id,
                        "product_id": self.product.id,
                        "product_uom_qty": 1.0,
                        "product_uom": self.product.uom_id.id,
                        "location_id": picking.location_id.id,
                        "location_dest_id": picking.location_dest_id.id,
                        "state": "done",
                    }
                ],
            ),
        ]
        for model, method, args in attempts:
            with self.subTest(call=f"{model}.{method}"), self.assertRaises(UserError):
                self.rpc(self.warehouse, model, method, *args, context=context)
            self.assertUnchanged(picking, fnames, before)
            self.assertUnchanged(picking.move_ids, ["state", "quantity"], moves_before)
