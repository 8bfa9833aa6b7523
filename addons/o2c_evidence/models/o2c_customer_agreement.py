# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

AGREEMENT_KINDS = [
    ("framework_prices", "Framework prices"),
    ("payment_terms", "Payment terms"),
    ("signed_terms", "Signed terms and conditions"),
    ("other", "Other"),
]


class O2cCustomerAgreement(models.Model):
    """A customer's agreement (framework prices, payment terms, signed terms):
    part of the evidence of every order it covers. Archived, never deleted."""

    _name = "o2c.customer.agreement"
    _description = "O2C Customer Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        help="The customer's company (commercial entity): the agreement covers "
        "the orders of all its contacts.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.company,
    )
    kind = fields.Selection(AGREEMENT_KINDS, required=True, default="other", tracking=True)
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today, tracking=True
    )
    date_to = fields.Date(
        string="Valid To", tracking=True, help="Last day it applies; empty = open-ended."
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "o2c_customer_agreement_attachment_rel",
        "agreement_id",
        "attachment_id",
        string="Files",
        help="The signed agreement, price list or terms.",
    )
    notes = fields.Text()
    active = fields.Boolean(default=True, tracking=True)
    is_current = fields.Boolean(
        string="Valid Today", compute="_compute_is_current", search="_search_is_current"
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("date_from", "date_to")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.is_current = agreement._o2c_valid_on(today)

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Valid Today."))
        domain = self._o2c_valid_on_domain(fields.Date.context_today(self))
        return domain if (operator == "=") == value else ["!", *domain]

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_to and agreement.date_to < agreement.date_from:
                raise ValidationError(
                    self.env._(
                        "Valid To (%(end)s) of agreement %(name)s cannot be before its "
                        "Valid From (%(start)s).",
                        end=agreement.date_to,
                        name=agreement.name,
                        start=agreement.date_from,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for agreement in self:
            partner = agreement.partner_id
            if partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Customer of agreement %(name)s must be the customer's company "
                        "(%(company)s), not its contact %(contact)s.",
                        name=agreement.name,
                        company=partner.commercial_partner_id.display_name,
                        contact=partner.display_name,
                    )
                )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        agreements = super().create(vals_list)
        agreements._o2c_attach_files()
        return agreements

    def write(self, vals):
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._o2c_attach_files()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Customer agreements are evidence of the orders they cover: archive "
                "them instead of deleting them."
            )
        )

    # ---------------------------------------------------------- BUSINESS
    def _o2c_attach_files(self):
        """Files uploaded before the agreement was saved belong to no record: they
        are bound to it, so that whoever may read the agreement may read them.
        Only the user's own loose files (Odoo's rule for files of no record)."""
        for agreement in self:
            loose = agreement.sudo().attachment_ids.filtered(lambda a: not a.res_id)
            own = loose.filtered(lambda a: a.create_uid == self.env.user or self.env.is_system())
            own.write({"res_model": self._name, "res_id": agreement.id})

    def _o2c_valid_on(self, day):
        """Whether the agreement applies on ``day``."""
        self.ensure_one()
        return self.date_from <= day and (not self.date_to or self.date_to >= day)

    @api.model
    def _o2c_valid_on_domain(self, day):
        return [
            ("date_from", "<=", day),
            "|",
            ("date_to", "=", False),
            ("date_to", ">=", day),
        ]
