# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import EvidenceCommon


@tagged("post_install", "-at_install")
class TestEvidenceCommon(EvidenceCommon):
    """The seeded day is what the pack tests assume."""

    def test_seeded_day(self):
        order = self.order
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            sorted(order.o2c_linked_exception_ids.mapped("code")),
            [
                "credit_hold",
                "discount_approval",
                "dispute_resolution",
                "invoice_dispute",
                "substitution",
            ],
        )
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.picking.o2c_consent_channel, "phone")
        self.assertEqual(self.proof.state, "validated")
        self.assertEqual(self.invoice.state, "posted")
        credit_note = self.ticket.o2c_credit_note_ids
        self.assertEqual((credit_note.move_type, credit_note.state), ("out_refund", "posted"))
        self.assertEqual(
            self.env["o2c.substitution"].search([("order_id", "=", order.id)]).quantity, 2.0
        )
