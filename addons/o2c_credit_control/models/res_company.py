# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception_type import (
    MAX_AMOUNT,
    MAX_DAYS,
    check_bounds,
)

from .credit_rights import changed_fields, check_terms_right, non_default_fields
from .credit_status import CreditTerms

POLICIES = [
    ("warn", "Warn"),
    ("approve", "Hold for approval"),
    ("block", "Block"),
]
LIMIT_TYPES = [
    ("unlimited", "Unlimited"),
    ("limit", "Limit"),
]
#: the company's credit settings: credit terms of every customer without their own
COMPANY_SETTING_FIELDS = (
    "o2c_credit_check",
    "o2c_credit_default_limit_type",
    "o2c_credit_default_limit",
    "o2c_credit_default_policy",
    "o2c_credit_overdue_days",
    "o2c_credit_overdue_amount",
    "o2c_credit_block_delivery",
)
#: bounds of the company's default credit terms (an absurd value would overflow later)
COMPANY_BOUNDS = {
    "o2c_credit_default_limit": (0.0, MAX_AMOUNT),
    "o2c_credit_overdue_days": (0, MAX_DAYS),
    "o2c_credit_overdue_amount": (0.0, MAX_AMOUNT),
}


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
    o2c_portal_show_credit = fields.Boolean(
        string="Show Available Credit on the Portal",
        help="Customers see their credit limit and what is left of it on their account "
        "page; their balance, overdue amount and ageing are shown in any case.",
    )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        check_terms_right(
            self,
            non_default_fields(self, vals_list, COMPANY_SETTING_FIELDS, neutral=()),
            self.env._("the credit settings of a company"),
        )
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(self, COMPANY_BOUNDS, self.env._("company %s", vals.get("name")), vals)
        return super().create(vals_list)

    def write(self, vals):
        """The credit settings are credit terms: Credit Managers only, tracked on the holds.

        Holds whose terms change are re-checked right away; the changer may not
        release their own hold this way (see ``o2c.exception``).
        """
        where = lambda: self.env._("company %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, COMPANY_BOUNDS, where, vals)  # before the ORM rounds them (inf)
        fnames = changed_fields(self, vals, COMPANY_SETTING_FIELDS)
        if not fnames:
            return super().write(vals)
        check_terms_right(self, fnames, self.env._("the credit settings of a company"))
        Exception_ = self.env["o2c.exception"]
        holds, before = Exception_._o2c_credit_terms_snapshot([("company_id", "in", self.ids)])
        res = super().write(vals)
        holds._o2c_credit_register_terms_change(before)._o2c_credit_recheck()
        return res

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*COMPANY_BOUNDS)
    def _check_o2c_credit_defaults(self):
        for company in self:
            check_bounds(company, COMPANY_BOUNDS, self.env._("company %s", company.name))

    # ---------------------------------------------------------- BUSINESS
    def _o2c_credit_default_terms(self):
        """The terms of the customers without a credit group or terms of their own."""
        self.ensure_one()
        return CreditTerms(
            limit=self.o2c_credit_default_limit
            if self.o2c_credit_default_limit_type == "limit"
            else None,
            policy=self.o2c_credit_default_policy,
            overdue_days=self.o2c_credit_overdue_days,
            overdue_amount=self.o2c_credit_overdue_amount,
            source=self.env._("Company default"),
            limit_ref=f"res.company,{self.id},o2c_credit_default_limit",
            tolerance_ref=f"res.company,{self.id},o2c_credit_overdue_amount",
        )
