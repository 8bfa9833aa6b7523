# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

from ..governance import declared_names, governed_write_allowed


class O2cPolicyLineMixin(models.AbstractModel):
    """A line of a governed policy (e.g. an approval tier): it changes with its policy.

    The policy lists the lines' One2many among its ``_o2c_policy_fields``: a
    change of the lines made on the policy becomes part of the policy's change
    request. Lines changed directly (RPC, import) while their policy needs
    approval are refused, pointing to the policy.
    """

    _name = "o2c.policy.line.mixin"
    _inherit = ["o2c.governed.mixin"]
    _description = "O2C Line of a Governed Policy"

    #: Many2one to the policy the line belongs to
    _o2c_policy_parent_field = None
    #: fields of the line shown and compared in its policy's change requests
    _o2c_policy_fields = ()

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        fname = self._o2c_policy_parent_field
        parents = self.env[self._fields[fname].comodel_name].browse(
            {vals[fname] for vals in vals_list if vals.get(fname)}
        )
        self._o2c_check_line_change(parents)
        return super().create(vals_list)

    def write(self, vals):
        fname = self._o2c_policy_parent_field
        parents = self[fname]
        if vals.get(fname):
            parents |= parents.browse(vals[fname])
        self._o2c_check_line_change(parents)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _o2c_unlink_except_governed_parent(self):
        self._o2c_check_line_change(self[self._o2c_policy_parent_field])

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_policy_field_names(self):
        """Fields of the line compared in change requests (all extensions)."""
        return declared_names(self, "_o2c_policy_fields")

    @api.model
    def _o2c_check_line_change(self, parents):
        """Refuse a direct change of lines whose policy needs approval."""
        if governed_write_allowed(self._name) or not parents:
            return
        required = parents.sudo()._o2c_policy_required()
        if required:
            raise UserError(
                self.env._(
                    "%(lines)s of %(policies)s change with the policy: edit them on the "
                    "policy's form and give a Reason for the Change. Changes of this "
                    "policy need a second person's approval in this company.",
                    lines=self._description,
                    policies=", ".join(required.mapped("display_name")),
                )
            )
