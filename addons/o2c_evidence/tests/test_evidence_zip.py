# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import io
import zipfile

from odoo.tests import HttpCase, new_test_user, tagged

from .common import EvidenceCommon


def read_zip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


@tagged("post_install", "-at_install")
class TestEvidenceZip(EvidenceCommon):
    """The ZIP: the pack and every evidence file the reader may read, listed."""

    def zip_of(self, user):
        report = self.env["report.o2c_evidence.report_evidence_pack"].with_user(user)
        return read_zip(report._o2c_evidence_zip(self.order.with_user(user)))

    def test_zip_holds_the_pack_and_the_evidence_files(self):
        files = self.zip_of(self.salesman)
        folder = self.order.name
        signature = f"{folder}/deliveries/{self.picking.name.replace('/', '_')} signature.png"
        expected = {
            "manifest.txt": None,
            # no wkhtmltopdf in tests: the pack is its HTML render
            f"{folder}/evidence_pack.html": None,
            f"{folder}/order/customer-po.pdf": b"%PDF purchase order",
            f"{folder}/deliveries/pod-scan.pdf": b"%PDF signed delivery note",
            signature: None,
            f"{folder}/disputes/damage-photo.jpg": b"JPEG crushed boxes",
            f"{folder}/agreements/framework-2026.pdf": b"%PDF framework prices",
        }
        self.assertLessEqual(set(expected), set(files))
        for path, content in expected.items():
            if content is not None:
                self.assertEqual(files[path], content, path)
        self.assertTrue(files[signature].startswith(b"\x89PNG"))
        self.assertIn(b"TRK-EVID-1", files[f"{folder}/evidence_pack.html"])

    def test_manifest_lists_every_file(self):
        files = self.zip_of(self.salesman)
        manifest = files.pop("manifest.txt").decode()
        for path, content in files.items():
            with self.subTest(path=path):
                line = f"{path}\t{len(content)}\t{hashlib.sha256(content).hexdigest()}\t"
                self.assertIn(line, manifest)
        self.assertIn(f"helpdesk.ticket,{self.ticket.id}", manifest)

    def test_zip_leaves_out_what_the_reader_may_not_read(self):
        lead = new_test_user(
            self.env,
            "ev_zip_lead",
            "sales_team.group_sale_salesman_all_leads,o2c_exception_base.group_o2c_user",
        )
        files = self.zip_of(lead)
        self.assertFalse([path for path in files if "damage-photo" in path])
        self.assertIn(f"{self.order.name}/deliveries/pod-scan.pdf", files)


@tagged("post_install", "-at_install")
class TestEvidenceZipRoute(EvidenceCommon, HttpCase):
    """The ZIP route checks access like the report does."""

    def test_route_downloads_the_zip(self):
        self.authenticate(self.salesman.login, self.salesman.login)
        response = self.url_open(f"/o2c/evidence/{self.order.id}.zip")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        self.assertIn(f"{self.order.name}/evidence_pack.html", read_zip(response.content))

    def test_route_refuses_readers_without_rights(self):
        self.authenticate(self.clerk.login, self.clerk.login)  # no O2C role
        response = self.url_open(f"/o2c/evidence/{self.order.id}.zip")
        self.assertEqual(response.status_code, 403)
        self.authenticate(self.salesman.login, self.salesman.login)
        self.assertEqual(self.url_open("/o2c/evidence/x1.zip").status_code, 404)
        self.assertEqual(self.url_open("/o2c/evidence/999999999.zip").status_code, 404)
