# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_company import RELEASE_POLICIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2c_invoice_release_policy = fields.Selection(
        RELEASE_POLICIES,
        string="Invoice Release",
        company_dependent=True,
        help="When this customer's deliveries may be invoiced, in the current "
        "company. Empty: the company's policy.",
    )

    def _o2c_get_release_policy(self, company, order_class=None):
        """Effective release policy of this customer (commercial entity) in ``company``.

        The customer's own policy, else the order class's, else the company's.
        """
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        return (
            partner.o2c_invoice_release_policy
            or (order_class and order_class.o2c_invoice_release_policy)
            or company.o2c_invoice_release_policy
        )
