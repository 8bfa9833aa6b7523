# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_DIRECTORY = "o2c_evidence_dms.dms_directory_o2c_evidence"


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_evidence_directory_id = fields.Many2one(
        "dms.directory",
        string="Evidence Directory",
        help="Documents directory where the evidence of this company's orders is "
        "filed (a directory per customer, in it one per order). Empty: the "
        "directory 'Order to Cash Evidence' of the storage of the same name.",
    )

    @api.constrains("o2c_evidence_directory_id")
    def _check_o2c_evidence_directory_id(self):
        for company in self:
            directory = company.sudo().o2c_evidence_directory_id
            if directory.storage_id.save_type == "attachment":
                raise ValidationError(
                    self.env._(
                        "Evidence Directory of %(company)s: %(directory)s is in a storage "
                        "that keeps record attachments; choose one of a database or file "
                        "storage.",
                        company=company.name,
                        directory=directory.display_name,
                    )
                )
            if directory.company_id and directory.company_id != company:
                raise ValidationError(
                    self.env._(
                        "Evidence Directory of %(company)s: %(directory)s belongs to "
                        "another company.",
                        company=company.name,
                        directory=directory.display_name,
                    )
                )

    def _o2c_evidence_root(self):
        """The directory the evidence of this company's orders is filed under."""
        self.ensure_one()
        return self.sudo().o2c_evidence_directory_id or self.env.ref(DEFAULT_DIRECTORY).sudo()
