# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib

from odoo import models


class DmsDirectory(models.Model):
    _inherit = "dms.directory"

    def _o2c_evidence_store(self, entries):
        """File ``entries`` (``(name, bytes)``) in this directory: a new name is
        created, a changed content updated, an unchanged one left; never a
        duplicate. Empty files are skipped (a DMS file needs content)."""
        self.ensure_one()
        directory = self.sudo().with_context(active_test=False)
        existing = {file.name: file for file in directory.file_ids}
        to_create = []
        for name, raw in entries:
            if not raw:
                continue
            current = existing.get(name)
            if not current:
                to_create.append(
                    {"name": name, "directory_id": self.id, "content": base64.b64encode(raw)}
                )
            elif current.checksum != hashlib.sha1(raw).hexdigest() or not current.active:
                current.write({"content": base64.b64encode(raw), "active": True})
        if to_create:
            self.env["dms.file"].sudo().create(to_create)
