# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import O2cReleaseCommon

PNG = base64.b64encode(
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
    b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe"
    b"\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


@tagged("post_install", "-at_install")
class TestDeliveryProof(O2cReleaseCommon):
    def setUp(self):
        super().setUp()
        self.order = self._order(self.customer_pod)
        self.picking = self._deliver(self.order)

    def test_received_in_the_future_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self._proof(
                self.picking, validate=False, received_at=fields.Datetime.now() + timedelta(hours=2)
            )
        self.assertIn("Received At", str(cm.exception))
        self.assertIn("future", str(cm.exception))

    def test_received_before_delivery_done_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self._proof(
                self.picking, validate=False, received_at=self.picking.date_done - timedelta(days=1)
            )
        self.assertIn("before the delivery", str(cm.exception))

    def test_proof_on_incoming_transfer_refused(self):
        receipt_type = self.env.ref("stock.picking_type_in")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": receipt_type.default_location_dest_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "in",
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": receipt_type.default_location_dest_id.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.quantity = 1
        receipt.button_validate()
        with self.assertRaises(ValidationError) as cm:
            self._proof(receipt, validate=False)
        self.assertIn("field Delivery", str(cm.exception))
        self.assertIn(receipt.name, str(cm.exception))

    def test_proof_on_undone_delivery_refused(self):
        order = self._order(self.customer_pod)
        with self.assertRaisesRegex(ValidationError, "before recording its proof"):
            self._proof(order.picking_ids, validate=False)

    def test_reject_validated_without_reason_refused(self):
        proof = self._proof(self.picking)
        with self.assertRaises(UserError) as cm:
            proof.action_reject("  ")
        self.assertIn("field Reason", str(cm.exception))
        self.assertEqual(proof.state, "validated")
        self.assertTrue(self.picking.o2c_released)

    def test_reject_wizard_requires_and_records_reason(self):
        proof = self._proof(self.picking, validate=False)
        action = proof.action_open_reject_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.warehouse)
            .with_context(**action["context"])
            .create({"reason": "illegible"})
        )
        wizard.action_confirm()
        self.assertEqual(proof.state, "rejected")
        self.assertEqual(proof.reject_reason, "illegible")
        self.assertEqual(proof.rejected_by_id, self.warehouse)
        self.assertEqual(self.picking.o2c_pod_state, "rejected")

    def test_rejection_calls_the_dispute_hook(self):
        proof = self._proof(self.picking)
        Picking = type(self.env["stock.picking"])
        with patch.object(Picking, "_o2c_pod_rejected", autospec=True) as hook:
            proof.action_reject("wrong consignee")
        hook.assert_called_once()
        self.assertEqual(hook.call_args.args[0], self.picking)
        self.assertEqual(hook.call_args.args[1], "wrong consignee")

    def test_validated_proof_is_frozen(self):
        proof = self._proof(self.picking)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            proof.received_by = "Someone else"
        with self.assertRaisesRegex(UserError, "cannot be archived"):
            proof.active = False
        with self.assertRaisesRegex(UserError, "never deleted"):
            proof.sudo().unlink()

    def test_pending_proof_archived_not_deleted(self):
        proof = self._proof(self.picking, validate=False)
        with self.assertRaisesRegex(UserError, "never deleted"):
            proof.sudo().unlink()
        proof.active = False
        self.assertEqual(self.picking.o2c_pod_state, "missing")

    def test_document_needs_attachment(self):
        proof = self._proof(self.picking, validate=False, kind="document", received_by="Jo")
        with self.assertRaisesRegex(UserError, "field Attachments"):
            proof.action_validate()
        proof.attachment_ids = [Command.create({"name": "pod.pdf", "raw": b"%PDF-1.4"})]
        proof.action_validate()
        self.assertEqual(self.picking.o2c_pod_state, "validated")

    def test_carrier_needs_tracking_reference(self):
        proof = self._proof(self.picking, validate=False, tracking_ref=False)
        with self.assertRaisesRegex(UserError, "field Tracking Reference"):
            proof.action_validate()

    def test_signature_reuses_the_delivery_signature(self):
        proof = self._proof(self.picking, validate=False, kind="signature", received_by="Jo")
        with self.assertRaisesRegex(UserError, "has no signature"):
            proof.action_validate()
        self.picking.signature = PNG
        self.assertEqual(proof.signature, self.picking.signature)
        proof.action_validate()
        self.assertEqual(proof.validated_by_id, self.warehouse)
        self.assertTrue(proof.validated_date)

    def test_portal_confirmation_is_a_validated_proof(self):
        contact = self.picking.partner_id
        proof = self.picking.sudo()._o2c_portal_confirm_receipt("Jo Customer", contact)
        self.assertEqual(proof.kind, "portal")
        self.assertEqual(proof.confirmed_by_partner_id, contact)
        self.assertEqual(proof.state, "validated")
        self.assertEqual(proof.received_by, "Jo Customer")
        self.assertTrue(self.picking.o2c_released)
        again = self.picking.sudo()._o2c_portal_confirm_receipt("Jo Customer", contact)
        self.assertEqual(again, proof, "confirming twice adds nothing")

    def test_portal_confirmation_can_be_disabled(self):
        self.company.o2c_portal_pod = False
        with self.assertRaisesRegex(UserError, "disabled"):
            self.picking.sudo()._o2c_portal_confirm_receipt("Jo", self.picking.partner_id)

    def test_pod_state_not_required_without_pod_policy(self):
        order = self._order(self.customer_delivery)
        picking = self._deliver(order)
        self.assertEqual(picking.o2c_pod_state, "not_required")
        self._proof(picking)
        self.assertEqual(picking.o2c_pod_state, "validated", "a proof is kept anyway")

    def test_employee_reads_but_cannot_record(self):
        employee = new_test_user(self.env, "o2c_rel_employee", "base.group_user")
        proof = self._proof(self.picking, validate=False)
        self.assertEqual(proof.with_user(employee).read(["state"])[0]["state"], "pending")
        with self.assertRaises(AccessError):
            self._proof(self.picking, validate=False, user=employee)

    def test_other_company_proof_hidden(self):
        company_b = self.env["res.company"].create({"name": "O2C release B"})
        self.warehouse.write({"company_ids": [Command.link(company_b.id)]})
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=[company_b.id]))
        order = env_b["sale.order"].create(
            {
                "partner_id": self.customer_pod.id,
                "company_id": company_b.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        picking = self._deliver(order)
        proof = (
            self.env["o2c.delivery.proof"]
            .with_user(self.warehouse)
            .with_context(allowed_company_ids=[company_b.id])
            .create({"picking_id": picking.id, "kind": "carrier", "tracking_ref": "B-1"})
        )
        self.assertEqual(proof.company_id, company_b)
        only_a = new_test_user(
            self.env, "o2c_rel_warehouse_a", "base.group_user,stock.group_stock_user"
        )
        self.assertFalse(
            self.env["o2c.delivery.proof"].with_user(only_a).search([("id", "=", proof.id)])
        )
        self.assertTrue(
            self.env["o2c.delivery.proof"]
            .with_user(self.warehouse)
            .with_context(allowed_company_ids=[self.company.id, company_b.id])
            .search([("id", "=", proof.id)])
        )
