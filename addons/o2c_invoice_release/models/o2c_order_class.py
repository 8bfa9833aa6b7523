# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_company import RELEASE_POLICIES


class O2cOrderClass(models.Model):
    _inherit = "o2c.order.class"

    o2c_invoice_release_policy = fields.Selection(
        RELEASE_POLICIES,
        string="Invoice Release",
        help="When deliveries of orders of this class may be invoiced. Empty: the "
        "company's policy. A customer's own policy still wins.",
    )
