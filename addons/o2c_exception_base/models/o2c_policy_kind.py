# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class O2cPolicyKind(models.Model):
    """A kind of policy (pricing, credit...) whose changes may need a second person.

    Each feature addon declares its kinds as data (``code`` is what its policy
    models name in ``_o2c_policy_kind``); the core knows none by name. A company
    requires approval for the kinds it lists (Settings > Order to Cash).
    """

    _name = "o2c.policy.kind"
    _description = "O2C Policy Kind"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True, readonly=True)
    sequence = fields.Integer(default=10)
    default_required = fields.Boolean(
        string="Approval by Default",
        readonly=True,
        help="New companies (and every company when the addon is installed) require "
        "a second person's approval for changes of this kind.",
    )
    approver_group_id = fields.Many2one(
        "res.groups",
        required=True,
        tracking=True,
        ondelete="restrict",
        default=lambda self: self.env.ref("o2c_exception_base.group_o2c_manager"),
        help="Who approves change requests of this kind (never their own requester).",
    )
    company_ids = fields.Many2many(
        "res.company",
        "o2c_policy_kind_company_rel",
        "kind_id",
        "company_id",
        string="Approval Required In",
        help="Companies where a change of these policies needs a second person's approval.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a policy kind must be unique."),
    ]

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # a kind required by default is required in every existing company too
        companies = self.env["res.company"].sudo().search([])
        for vals in vals_list:
            if vals.get("default_required") and "company_ids" not in vals:
                vals["company_ids"] = [fields.Command.set(companies.ids)]
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_requested(self):
        if (
            self.env["o2c.policy.change"]
            .sudo()
            .search_count([("kind_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                self.env._(
                    "A policy kind with change requests cannot be deleted: they are its record."
                )
            )

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_get(self, code):
        """The kind of ``code`` (empty when its addon's data is not loaded yet)."""
        if not code:
            return self.browse()
        return self.sudo().search([("code", "=", code)], limit=1)
