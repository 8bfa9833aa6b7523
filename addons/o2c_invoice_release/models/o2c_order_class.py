# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_company import RELEASE_POLICIES


class O2cOrderClass(models.Model):
    _name = "o2c.order.class"
    _inherit = ["o2c.policy.governed.mixin", "o2c.order.class"]
    # the class's release policy changes through a request when its company (or,
    # for a shared class, any company) requires approval for invoice release
    _o2c_policy_kind = "invoice_release"
    _o2c_policy_fields = ("o2c_invoice_release_policy",)
    _o2c_policy_guard_unlink = False

    o2c_invoice_release_policy = fields.Selection(
        RELEASE_POLICIES,
        string="Invoice Release",
        help="When deliveries of orders of this class may be invoiced. Empty: the "
        "company's policy. A customer's own policy still wins.",
    )
