# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import Command
from odoo.addons.o2c_evidence.tests.common import EvidenceCommon
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

ROOT = "o2c_evidence_dms.dms_directory_o2c_evidence"


@tagged("post_install", "-at_install")
class TestFileEvidence(EvidenceCommon):
    """The seeded day's order filed into Documents: once, with the right files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = cls.env.ref(ROOT)
        cls.Directory = cls.env["dms.directory"].sudo()

    def directories(self):
        customer = self.Directory.search(
            [
                ("parent_id", "=", self.root.id),
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
            ]
        )
        orders = self.Directory.search(
            [("res_model", "=", "sale.order"), ("res_id", "=", self.order.id)]
        )
        return customer, orders

    def file_names(self, directory):
        return sorted(directory.sudo().file_ids.mapped("name"))

    def test_cron_files_the_done_order(self):
        self.assertEqual(self.order.invoice_status, "invoiced")
        self.env["sale.order"]._cron_o2c_file_evidence()
        customer, directory = self.directories()
        self.assertEqual(len(customer), 1)
        self.assertEqual(customer.name, "Evidence Customer")
        self.assertEqual(directory.parent_id, customer)
        self.assertEqual(directory.name, self.order.name)
        self.assertEqual(self.order.o2c_evidence_directory_id, directory)
        self.assertTrue(self.order.o2c_evidence_filed_date)
        names = self.file_names(directory)
        for expected in (
            "evidence_pack.html",
            "order - customer-po.pdf",
            "deliveries - pod-scan.pdf",
            "disputes - damage-photo.jpg",
            "agreements - framework-2026.pdf",
        ):
            self.assertIn(expected, names)
        pod = directory.file_ids.filtered(lambda f: f.name == "deliveries - pod-scan.pdf")
        self.assertEqual(pod.content, b"JVBERiBzaWduZWQgZGVsaXZlcnkgbm90ZQ==")
        pack = directory.file_ids.filtered(lambda f: f.name == "evidence_pack.html")
        self.assertIn(b"TRK-EVID-1", base64.b64decode(pack.content))

    def test_refiling_updates_never_duplicates(self):
        self.order.with_user(self.salesman).action_o2c_file_evidence()
        __, directory = self.directories()
        before = self.file_names(directory)
        self.assertEqual(len(before), len(set(before)))
        # a new file on the order, then filed again by the job and by the button
        self._file("late-letter.pdf", b"%PDF late", "sale.order", self.order.id)
        self.order.sudo()._o2c_owned_write({"o2c_evidence_filed_date": False})
        self.env["sale.order"]._cron_o2c_file_evidence()
        self.order.with_user(self.salesman).action_o2c_file_evidence()
        customer, again = self.directories()
        self.assertEqual((len(customer), again), (1, directory))
        self.assertEqual(self.file_names(again), sorted([*before, "order - late-letter.pdf"]))

    def test_failing_order_parked_others_filed(self):
        # another done order of the customer: a service, invoiced at once
        service = self.env["product.product"].create(
            {
                "name": "Evidence service",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        # a customer of no credit limit (the seeded one is over its limit)
        client = self.env["res.partner"].create({"name": "Evidence Other Client"})
        other = self.env["sale.order"].create(
            {"partner_id": client.id, "order_line": [Command.create({"product_id": service.id})]}
        )
        other.action_confirm()
        other._create_invoices().action_post()
        self.assertEqual((other.state, other.invoice_status), ("sale", "invoiced"))
        # the pack of the seeded order cannot be filed: a forbidden extension
        self.env["ir.config_parameter"].sudo().set_param("dms.forbidden_extensions", "jpg")
        self.env["sale.order"]._cron_o2c_file_evidence()
        self.assertIn("forbidden", self.order.o2c_evidence_error)
        self.assertFalse(self.order.o2c_evidence_filed_date)
        self.assertTrue(other.o2c_evidence_filed_date)
        self.assertIn("Evidence filing failed", self.order.message_ids[0].body)
        # parked: the next run leaves it out; a retry gives it back
        self.env["sale.order"]._cron_o2c_file_evidence()
        self.assertFalse(self.order.o2c_evidence_filed_date)
        self.env["ir.config_parameter"].sudo().set_param("dms.forbidden_extensions", "")
        self.order.with_user(self.salesman).action_o2c_retry_evidence_filing()
        self.assertFalse(self.order.o2c_evidence_error)
        self.env["sale.order"]._cron_o2c_file_evidence()
        self.assertTrue(self.order.o2c_evidence_filed_date)

    def test_filing_markers_are_governed(self):
        with self.assertRaises(UserError):
            self.order.with_user(self.manager).write({"o2c_evidence_filed_date": "2026-01-01"})
        with self.assertRaises(UserError):
            self.order.sudo().write(
                {"o2c_evidence_error": False, "o2c_evidence_directory_id": self.root.id}
            )

    def test_button_for_o2c_users_only(self):
        with self.assertRaises(AccessError):
            self.order.with_user(self.clerk).action_o2c_file_evidence()
        self.assertFalse(self.order.o2c_evidence_filed_date)

    def test_evidence_directory_checked_when_saved(self):
        model = self.env["ir.model"]._get("sale.order")
        storage = self.env["dms.storage"].create(
            {"name": "Attachments of orders", "save_type": "attachment", "model_ids": model.ids}
        )
        directory = self.Directory.create(
            {
                "name": "Order attachments",
                "is_root_directory": True,
                "storage_id": storage.id,
                "model_id": model.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "Evidence Directory of"):
            self.company.o2c_evidence_directory_id = directory
