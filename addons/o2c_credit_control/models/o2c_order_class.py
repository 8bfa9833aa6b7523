# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_company import POLICIES


class O2cOrderClass(models.Model):
    _inherit = "o2c.order.class"

    o2c_credit_policy = fields.Selection(
        POLICIES,
        string="Credit Policy",
        help="What happens when an order of this class is over the customer's credit "
        "terms (e.g. EDI orders of key accounts: warn only). Empty: the customer's policy. "
        "Limits stay per customer.",
    )
