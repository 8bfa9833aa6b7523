# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..tools import fmt_date
from .common import EvidenceCommon

SECTIONS = [
    "order",
    "exceptions",
    "credit",
    "deliveries",
    "substitutions",
    "invoices",
    "messages",
    "disputes",
    "agreements",
]


@tagged("post_install", "-at_install")
class TestEvidencePack(EvidenceCommon):
    """The pack of the seeded day, read by the salesperson (an O2C user)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.text, cls.html, cls.kind = cls.pack_text(cls, cls.salesman)

    def assertInPack(self, *parts):
        for part in parts:
            with self.subTest(part=part):
                self.assertIn(re.sub(r"\s+", " ", part), self.text)

    def test_rendered_as_html_without_wkhtmltopdf(self):
        # tests render PDF reports as HTML (Odoo's rule); what is parsed is that HTML
        self.assertEqual(self.kind, "html")
        self.assertIn("o2c_evidence_pack", self.html)

    def test_sections_in_order(self):
        pack = self.order.with_user(self.salesman)._o2c_evidence_pack()
        self.assertEqual([section["key"] for section in pack], SECTIONS)
        self.assertFalse([section["key"] for section in pack if section["restricted"]])

    def test_order_as_confirmed(self):
        order = self.order
        self.assertInPack(
            f"Evidence pack {order.name}",
            "PO-EVID-1",
            order.o2c_channel_id.name,
            "Evidence product A",
            "Evidence substitute B",
            "640.00",
            "800.00",
            f"Confirmed by {self.salesman.name}",
            "customer-po.pdf",
        )

    def test_exceptions_with_decisions_and_approvals(self):
        pricing = self._exception(self.order, "discount_approval")
        dispute = self._exception(self.ticket, "dispute_resolution")
        self.assertInPack(
            pricing.name,
            f"Requested by {self.salesman.name}",
            f"Decided by {self.approver.name}",
            "Yearly volume deal EVIDENCE",
            pricing.key_hash,
            pricing.approval_ids.key_hash,
            "Paid by wire tomorrow",
            "Same specification",
            dispute.name,
            "Carrier damage confirmed",
            f"Root cause {dispute.root_cause_id.name}",
            # the exception's details: what the decision was about
            "Total value given away against the pricelist",
        )

    def test_credit_release_with_cap_and_expiry(self):
        release = self._exception(self.order, "credit_hold").o2c_credit_release_id
        self.assertEqual(release.amount_cap, 500.0)
        self.assertInPack(
            f"{self.finance.name} ( By an approver )",
            "$ 500.00",
            fmt_date(self.env, self.expiry),
        )

    def test_delivery_with_proof(self):
        self.assertInPack(
            self.picking.name,
            "Jo Receiver",
            "TRK-EVID-1",
            self.clerk.name,
            "pod-scan.pdf",
        )
        self.assertIn("o2c_evidence_signature", self.html)
        self.assertIn("data:image/png;base64,iVBOR", self.html)

    def test_substitution_and_consent(self):
        self.assertInPack(
            "Evidence Buyer on",
            "Phone",
            "Agreed on the phone to take B instead of A",
            f"recorded by {self.warehouse.name}",
        )

    def test_invoices_and_credit_note(self):
        credit_note = self.ticket.o2c_credit_note_ids
        self.assertInPack(self.invoice.name, credit_note.name, "Customer Credit Note")

    def test_messages_sent_to_the_customer_only(self):
        self.assertInPack("We are checking your order", "Evidence Buyer")
        self.assertNotIn("EVIDENCE-SECRET-NOTE", self.text)

    def test_dispute_and_resolution(self):
        credit_note = self.ticket.o2c_credit_note_ids
        self.assertInPack(
            f"{self.ticket.number} Damaged substitutes",
            "Resolution Credit note",
            f"Credit notes {credit_note.name} (Posted",
            "damage-photo.jpg",
        )

    def test_agreements_valid_then_and_now(self):
        self.assertInPack("Framework prices 2026", "framework-2026.pdf")
        self.assertNotIn("Payment terms 2024", self.text)
        values = self.order.with_user(self.salesman)._o2c_evidence_values_agreements()
        self.assertEqual([row["name"] for row in values["at_order"]], ["Framework prices 2026"])
        self.assertEqual([row["name"] for row in values["current"]], ["Framework prices 2026"])


@tagged("post_install", "-at_install")
class TestEvidencePackAccess(EvidenceCommon):
    """The pack is read with the reader's own rights."""

    def test_without_dispute_rights_the_rest_is_shown(self):
        # a sales lead without Helpdesk rights: Helpdesk's rules hide the dispute
        # ticket; it is counted as not shown, the rest of the pack is complete
        lead = new_test_user(
            self.env,
            "ev_lead",
            "sales_team.group_sale_salesman_all_leads,o2c_exception_base.group_o2c_user",
        )
        pack = {s["key"]: s for s in self.order.with_user(lead)._o2c_evidence_pack()}
        self.assertEqual(
            (pack["disputes"]["values"]["disputes"], pack["disputes"]["values"]["hidden"]), ([], 1)
        )
        text = self.pack_text(lead)[0]
        self.assertIn("1 more not shown: you are not allowed to read them.", text)
        self.assertNotIn("damage-photo.jpg", text)
        self.assertNotIn("No dispute.", text)
        for part in ("TRK-EVID-1", "Yearly volume deal EVIDENCE", "Framework prices 2026"):
            self.assertIn(part, text)

    def test_section_of_unreadable_model_not_built(self):
        order = self.order.with_user(self.salesman)
        built = []
        section = order._o2c_evidence_section(
            "audit", 5, "Audit", ["mail.tracking.value"], build=lambda: built.append(1) or {}
        )
        result = order._o2c_evidence_build(section)
        self.assertTrue(result["restricted"])
        self.assertFalse(built, "not even built for a reader of no right")

    def test_section_reaching_a_hidden_record_not_shown(self):
        order = self.order.with_user(self.salesman)

        def build():
            self.env["res.users"].with_user(self.salesman).browse(
                self.env.ref("base.user_root").id
            ).check_access("write")

        result = order._o2c_evidence_build(
            order._o2c_evidence_section("audit", 5, "Audit", ["res.users"], build=build)
        )
        self.assertTrue(result["restricted"])

    def test_without_o2c_role_refused(self):
        clerk = self.clerk  # reads orders, not an O2C user
        with self.assertRaises(AccessError):
            self.order.with_user(clerk).action_o2c_evidence_pack()
        with self.assertRaises(AccessError):
            self.pack_text(clerk)

    def test_order_not_readable_refused(self):
        # an O2C user who may read only their own orders
        other = new_test_user(
            self.env,
            "ev_other_seller",
            "sales_team.group_sale_salesman,o2c_exception_base.group_o2c_user",
        )
        with self.assertRaises(AccessError):
            self.pack_text(other)

    def test_zip_button_downloads_from_the_route(self):
        action = self.order.with_user(self.salesman).action_o2c_evidence_zip()
        self.assertEqual(action["url"], f"/o2c/evidence/{self.order.id}.zip")
        self.assertEqual(action["target"], "download")
        with self.assertRaises(AccessError):
            self.order.with_user(self.clerk).action_o2c_evidence_zip()

    def test_invoice_and_dispute_open_their_orders_pack(self):
        for record in (self.invoice, self.ticket):
            with self.subTest(model=record._name):
                action = record.with_user(self.salesman).action_o2c_evidence_pack()
                self.assertEqual(action["report_name"], "o2c_evidence.report_evidence_pack")
                self.assertEqual(action["context"]["active_ids"], self.order.ids)
