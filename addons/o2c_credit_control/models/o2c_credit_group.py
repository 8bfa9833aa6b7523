# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo import api, fields, models, tools
from odoo.addons.o2c_exception_base.models.o2c_exception_type import (
    MAX_AMOUNT,
    MAX_DAYS,
    check_bounds,
)

from .credit_status import CreditTerms
from .res_company import LIMIT_TYPES, POLICIES

#: what makes the terms of the customers of a group
GROUP_TERMS_FIELDS = (
    "category_ids",
    "limit_type",
    "credit_limit",
    "policy",
    "overdue_days",
    "overdue_amount",
    "company_id",
    "active",
    "sequence",
)
#: bounds of the group's credit terms (an absurd value would overflow later)
GROUP_BOUNDS = {
    "credit_limit": (0.0, MAX_AMOUNT),
    "overdue_days": (0, MAX_DAYS),
    "overdue_amount": (0.0, MAX_AMOUNT),
}


class O2cCreditGroup(models.Model):
    """Credit terms shared by the customers tagged with one of its categories.

    Credit terms: Credit Managers only (access rights), tracked; a change
    re-checks the holds of its company right away, and never releases a hold
    of the user who changed it (see ``o2c.exception``).
    """

    _name = "o2c.credit.group"
    _description = "O2C Credit Group"
    _inherit = ["o2c.policy.governed.mixin", "mail.thread"]
    _order = "sequence, id"
    # changed through a request when the company requires approval for credit
    _o2c_policy_kind = "credit"
    _o2c_policy_fields = GROUP_TERMS_FIELDS

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        tracking=True,
        help="When a customer is in several groups, the first one applies.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    category_ids = fields.Many2many(
        "res.partner.category",
        "o2c_credit_group_category_rel",
        "group_id",
        "category_id",
        string="Customer Tags",
        required=True,
        tracking=True,
        help="Customers (commercial entities) with one of these tags get these terms "
        "unless they have their own.",
    )
    limit_type = fields.Selection(LIMIT_TYPES, default="limit", required=True, tracking=True)
    credit_limit = fields.Monetary(
        currency_field="currency_id", help="0 = no credit.", tracking=True
    )
    policy = fields.Selection(POLICIES, default="approve", required=True, tracking=True)
    overdue_days = fields.Integer(string="Overdue Tolerance (days)", default=30, tracking=True)
    overdue_amount = fields.Monetary(
        string="Overdue Tolerance (amount)", currency_field="currency_id", tracking=True
    )
    active = fields.Boolean(default=True, tracking=True)

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        companies = self.env["res.company"].browse(
            {vals.get("company_id") or self.env.company.id for vals in vals_list}
        )
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(self, GROUP_BOUNDS, self.env._("credit group %s", vals.get("name")), vals)
        with self._o2c_credit_terms_change(companies):
            return super().create(vals_list)

    def write(self, vals):
        where = lambda: self.env._("credit group %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, GROUP_BOUNDS, where, vals)  # before the ORM rounds them (inf)
        if not set(GROUP_TERMS_FIELDS).intersection(vals):
            return super().write(vals)
        companies = self.company_id
        if vals.get("company_id"):
            companies |= self.env["res.company"].browse(vals["company_id"])
        # the change is tracked whatever the caller's context says
        self = self.with_context(tracking_disable=False, mail_notrack=False)
        with self._o2c_credit_terms_change(companies):
            return super().write(vals)

    def unlink(self):
        with self._o2c_credit_terms_change(self.company_id):
            return super().unlink()

    @contextmanager
    def _o2c_credit_terms_change(self, companies):
        """Around a change of groups: register it on the open holds of ``companies``."""
        Exception_ = self.env["o2c.exception"]
        holds, before = Exception_._o2c_credit_terms_snapshot([("company_id", "in", companies.ids)])
        yield
        self.env.registry.clear_cache()  # _o2c_group_company_ids, before the re-check
        holds._o2c_credit_register_terms_change(before)._o2c_credit_recheck()

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*GROUP_BOUNDS)
    def _check_non_negative(self):
        for group in self:
            check_bounds(group, GROUP_BOUNDS, self.env._("credit group %s", group.name))

    # ---------------------------------------------------------- BUSINESS
    @api.model
    @tools.ormcache()
    def _o2c_group_company_ids(self):
        """Ids of the companies with active credit groups (cached per worker,
        cleared on every change of groups): the customers' tags are read only
        where a group may give them their terms."""
        return frozenset(self.sudo().search([]).company_id.ids)

    def _o2c_terms(self):
        """The credit terms this group gives its customers."""
        self.ensure_one()
        return CreditTerms(
            limit=self.credit_limit if self.limit_type == "limit" else None,
            policy=self.policy,
            overdue_days=self.overdue_days,
            overdue_amount=self.overdue_amount,
            source=self.name,
            limit_ref=f"{self._name},{self.id},credit_limit",
            tolerance_ref=f"{self._name},{self.id},overdue_amount",
        )
