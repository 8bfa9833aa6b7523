# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import io
import mimetypes
import zipfile

from odoo import api, fields, models

from ..tools import fmt_dt, safe_file_name, unique_file_name

REPORT = "o2c_evidence.action_report_evidence_pack"


class ReportEvidencePack(models.AbstractModel):
    """The evidence pack of sales orders: the PDF (QWeb) and the ZIP of its files."""

    _name = "report.o2c_evidence.report_evidence_pack"
    _description = "O2C Evidence Pack"

    @api.model
    def _get_report_values(self, docids, data=None):
        # every path to the report (button, print menu, /report URL) comes here
        orders = self.env["sale.order"].browse(docids)
        orders._o2c_check_evidence_access()
        return {
            "doc_ids": docids,
            "doc_model": "sale.order",
            "docs": orders,
            "packs": {order.id: order._o2c_evidence_pack() for order in orders},
            "printed_by": self.env.user.name,
            "printed_on": fmt_dt(self.env, fields.Datetime.now()),
        }

    # ------------------------------------------------------------- ZIP
    @api.model
    def _o2c_evidence_zip(self, orders):
        """ZIP of the packs of ``orders`` (read as the current user): per order a
        folder with the pack and its evidence files by section, and a
        ``manifest.txt`` listing every file with its size, SHA-256 and source."""
        orders._o2c_check_evidence_access()
        buffer = io.BytesIO()
        manifest = [
            self.env._("Evidence of %s", ", ".join(orders.mapped("name"))),
            self.env._(
                "Prepared by %(user)s on %(date)s",
                user=self.env.user.name,
                date=fmt_dt(self.env, fields.Datetime.now()),
            ),
            "",
            "\t".join(["path", "bytes", "sha256", "source"]),
        ]
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for order in orders:
                for path, raw, source in self._o2c_evidence_entries(order):
                    archive.writestr(path, raw)
                    sha = hashlib.sha256(raw).hexdigest()
                    manifest.append("\t".join([path, str(len(raw)), sha, source]))
            archive.writestr("manifest.txt", "\n".join(manifest) + "\n")
        return buffer.getvalue()

    @api.model
    def _o2c_evidence_entries(self, order):
        """``(path, bytes, source)`` of the pack of ``order`` and of its evidence files."""
        folder = safe_file_name(order.name)
        content, extension = self._o2c_evidence_document(order)
        yield f"{folder}/evidence_pack.{extension}", content, order.display_name
        taken = set()
        for section in order._o2c_evidence_pack():
            for attachment in section["attachments"]:
                if attachment.type != "binary":
                    continue
                name = unique_file_name(self._o2c_file_name(attachment), taken)
                source = f"{attachment.res_model},{attachment.res_id} {attachment.res_name or ''}"
                yield f"{folder}/{section['key']}/{name}", attachment.raw or b"", source.strip()

    @api.model
    def _o2c_evidence_document(self, order):
        """The rendered pack of ``order`` and its extension: a PDF, or the HTML
        when wkhtmltopdf is missing (and in tests, where Odoo renders HTML)."""
        Report = self.env["ir.actions.report"]
        if Report.get_wkhtmltopdf_state() == "install":
            content, kind = Report._render_qweb_html(REPORT, order.ids)
        else:
            content, kind = Report._render_qweb_pdf(REPORT, order.ids)
        if isinstance(content, str):
            content = content.encode()
        return content, "pdf" if kind == "pdf" else "html"

    @api.model
    def _o2c_file_name(self, attachment):
        """A file name for ``attachment``: its name, with the extension of its type
        when it has none (a signature is stored as ``signature``)."""
        name = attachment.name or "file"
        if attachment.res_field:
            name = f"{attachment.res_name or ''} {name}".strip()
        name = safe_file_name(name)
        if "." not in name and attachment.mimetype:
            name += mimetypes.guess_extension(attachment.mimetype) or ""
        return name
