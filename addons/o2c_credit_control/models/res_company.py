# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

POLICIES = [
    ("warn", "Warn"),
    ("approve", "Hold for approval"),
    ("block", "Block"),
]
LIMIT_TYPES = [
    ("unlimited", "Unlimited"),
    ("limit", "Limit"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------ FIELDS
    o2c_credit_check = fields.Boolean(
        string="Credit Control",
        default=True,
        help="Check the customer's credit exposure and overdue invoices when an "
        "order is confirmed.",
    )
    o2c_credit_default_limit_type = fields.Selection(
        LIMIT_TYPES,
        string="Default Credit Limit Type",
        default="unlimited",
        required=True,
        help="Customers without own terms or credit group: unlimited, or the "
        "default limit below (0 = no credit).",
    )
    o2c_credit_default_limit = fields.Monetary(
        string="O2C Default Credit Limit", currency_field="currency_id", default=0.0
    )
    o2c_credit_default_policy = fields.Selection(
        POLICIES,
        string="Default Credit Policy",
        default="approve",
        required=True,
        help="Warn: the order is confirmed with a warning. Hold for approval: a "
        "finance approver may release it. Block: only a payment, a credit note "
        "or a limit change releases it.",
    )
    o2c_credit_overdue_days = fields.Integer(
        string="Overdue Tolerance (days)",
        default=30,
        help="Invoices overdue by more than this many days count for the overdue check.",
    )
    o2c_credit_overdue_amount = fields.Monetary(
        string="Overdue Tolerance (amount)",
        currency_field="currency_id",
        default=0.0,
        help="Holds when the amount overdue beyond the tolerance days exceeds it.",
    )
    o2c_credit_block_delivery = fields.Boolean(
        string="Block Deliveries of Partners on Hold",
        help="Also hold the validation of deliveries of sales orders while their "
        "customer is over its limit or overdue beyond tolerance.",
    )

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(
        "o2c_credit_default_limit", "o2c_credit_overdue_days", "o2c_credit_overdue_amount"
    )
    def _check_o2c_credit_defaults(self):
        labels = {
            "o2c_credit_default_limit": self.env._("O2C Default Credit Limit"),
            "o2c_credit_overdue_days": self.env._("Overdue Tolerance (days)"),
            "o2c_credit_overdue_amount": self.env._("Overdue Tolerance (amount)"),
        }
        for company in self:
            for fname, label in labels.items():
                if company[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot be negative (company %(company)s).",
                            field=label,
                            company=company.name,
                        )
                    )
