# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextvars import ContextVar

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..governance import (
    declared_names,
    governed_write_allowed,
    is_importing,
    owning_action,
    scoped,
)

#: the reason typed in Settings for the policy changes its Save makes (set by
#: ``res.config.settings`` around its own save, never by a client)
_SETTINGS_REASON = ContextVar("o2c_policy_settings_reason", default=None)


def settings_change_reason(reason):
    """Give ``reason`` to the governed policy changes made by the enclosed code."""
    return scoped(_SETTINGS_REASON, reason)


class O2cPolicyGovernedMixin(models.AbstractModel):
    """A policy whose business fields change only through an approved request.

    A model lists them in ``_o2c_policy_fields`` and names its kind (the
    ``code`` of an ``o2c.policy.kind`` its addon declares as data) in
    ``_o2c_policy_kind``. When the policy's company requires approval for that
    kind, a change of those fields, from any caller (form, RPC with any context,
    import, server action, a manager), is not applied: it becomes an
    ``o2c.policy.change`` request, with the reason given in
    ``o2c_change_reason`` (the form's "Reason for the Change"; refused without
    one), which another person approves. A new policy is created archived, with
    a request to activate it when a reason is given; deleting one is refused
    (archive it by request).
    Data files of installed modules are trusted as code (see
    ``o2c.governed.mixin._load_records``). Every applied change is tracked with
    its old and new values, whether approval is required or not.
    """

    _name = "o2c.policy.governed.mixin"
    _inherit = ["o2c.governed.mixin"]
    _description = "O2C Policy Governed by Change Requests"

    #: code of the ``o2c.policy.kind`` whose company setting requires approval
    _o2c_policy_kind = None
    #: business fields changed through a request when approval is required;
    #: each ``_inherit`` extension lists its own, they add up
    _o2c_policy_fields = ()
    #: field holding the policy's company (empty value: shared by every company)
    _o2c_policy_company_field = "company_id"
    #: deleting the policy is refused while approval is required
    _o2c_policy_guard_unlink = True

    # ------------------------------------------------------------ FIELDS
    o2c_change_reason = fields.Text(
        string="Reason for the Change",
        compute="_compute_o2c_change_reason",
        readonly=False,
        help="Why you change this policy. Changes need a second person's approval "
        "in this company: saving sends them as a change request with this reason.",
    )
    o2c_policy_approval_required = fields.Boolean(
        string="Changes Need Approval", compute="_compute_o2c_policy_approval_required"
    )
    o2c_pending_change_count = fields.Integer(
        string="Pending Change Requests", compute="_compute_o2c_pending_change_count"
    )

    # ----------------------------------------------------------- COMPUTE
    def _compute_o2c_change_reason(self):
        self.o2c_change_reason = False  # typed for one save, never stored

    @api.depends(lambda self: [f for f in [self._o2c_policy_company_field] if f])
    def _compute_o2c_policy_approval_required(self):
        required = self._o2c_policy_required()
        for rec in self:
            rec.o2c_policy_approval_required = rec in required

    def _compute_o2c_pending_change_count(self):
        ids = [i for i in self._origin.ids if i]
        counts = dict(
            self.env["o2c.policy.change"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", ids),
                    ("state", "=", "to_approve"),
                ],
                ["res_id"],
                ["__count"],
            )
        )
        for rec in self:
            rec.o2c_pending_change_count = counts.get(rec._origin.id, 0)

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        reasons = [
            vals.pop("o2c_change_reason", False) or _SETTINGS_REASON.get() for vals in vals_list
        ]
        if governed_write_allowed(self._name):
            return super().create(vals_list)
        held = [
            self._o2c_policy_hold_new(vals, reason)
            for vals, reason in zip(vals_list, reasons, strict=True)
        ]
        if all(h is None for h in held):
            return super().create(vals_list)
        # held new policies are created archived (or without their policy values):
        # their lines come with them, what needs approval is putting them in effect
        with owning_action(*self._o2c_policy_line_models()):
            records = super().create(vals_list)
        for record, changes, reason in zip(records, held, reasons, strict=True):
            if changes:
                self.env["o2c.policy.change"]._o2c_create_request(
                    record, changes, reason, context_fields=record._o2c_policy_field_names()
                )
            elif changes is not None:
                record._o2c_policy_note(
                    Markup("<p>%s</p>")
                    % self.env._(
                        "Created archived: changes of this policy need a second person's "
                        "approval. To put it in effect, set it Active with a Reason for the "
                        "Change and save: the approvers get the request."
                    )
                )
        return records

    @api.model
    def _load_records(self, data_list, update=False, ignore_duplicates=False):
        # a data file's policy brings its lines (tiers): trusted like the policy
        # (see o2c.governed.mixin); an import is user input and stays checked
        if is_importing():
            return super()._load_records(data_list, update, ignore_duplicates)
        with owning_action(*self._o2c_policy_line_models()):
            return super()._load_records(data_list, update, ignore_duplicates)

    def write(self, vals):
        vals = dict(vals)
        reason = vals.pop("o2c_change_reason", False) or _SETTINGS_REASON.get()
        policy = [f for f in self._o2c_policy_field_names() if f in vals]
        if not policy:
            return super().write(vals)
        held = self.browse()
        if not governed_write_allowed(self._name):
            held = self._o2c_policy_request(vals, policy, reason)
        # an applied change is tracked whatever the caller's context says
        applied = (self - held).with_context(tracking_disable=False, mail_notrack=False)
        if applied:
            lines = [f for f in policy if self._fields[f].type == "one2many"]
            Change = self.env["o2c.policy.change"]
            before = {rec: {f: Change._o2c_lines_text(rec[f]) for f in lines} for rec in applied}
            # a policy without chatter keeps its direct changes as change records
            direct = []
            if not self._o2c_policy_has_chatter() and not governed_write_allowed(self._name):
                direct = [
                    Change._o2c_prepare_request_vals(rec, changes)
                    for rec, changes in applied._o2c_policy_changes(vals, policy).items()
                ]
            super(O2cPolicyGovernedMixin, applied).write(vals)
            if lines:
                for rec in applied:
                    rec._o2c_policy_log_lines(before[rec])
            if direct:
                Change._o2c_log_direct(direct)
        others = {fname: value for fname, value in vals.items() if fname not in policy}
        if held and others:
            super(O2cPolicyGovernedMixin, held).write(others)
        return True

    @api.ondelete(at_uninstall=False)
    def _o2c_unlink_except_governed_policy(self):
        if not self._o2c_policy_guard_unlink or governed_write_allowed(self._name):
            return
        required = self._o2c_policy_required()
        if required:
            raise UserError(
                self.env._(
                    "%(records)s: changes of these policies need a second person's "
                    "approval in their company, so they are not deleted. Archive them "
                    "instead (with a reason): the archiving goes to the approvers as a "
                    "change request.",
                    records=", ".join(required.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------ ACTION
    def action_o2c_view_change_requests(self):
        """The change requests of this policy (pending first)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2c_exception_base.o2c_policy_change_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"create": False, "search_default_filter_to_approve": 1}
        return action

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_policy_field_names(self):
        """Policy fields declared by this model and all its extensions (in order)."""
        return declared_names(self, "_o2c_policy_fields")

    @api.model
    def _o2c_policy_line_models(self):
        """Models of the One2many policy fields (lines changed with their policy)."""
        return [
            self._fields[fname].comodel_name
            for fname in self._o2c_policy_field_names()
            if self._fields[fname].type == "one2many"
        ]

    def _o2c_policy_company(self):
        """The company whose setting governs this policy (empty: shared by all)."""
        self.ensure_one()
        fname = self._o2c_policy_company_field
        return self[fname] if fname else self.env["res.company"]

    def _o2c_policy_required(self):
        """The policies of ``self`` whose changes need an approved request."""
        kind = self.env["o2c.policy.kind"]._o2c_get(self._o2c_policy_kind)
        companies = kind.company_ids
        if not companies:
            return self.browse()
        # a shared policy applies in every company: the strictest setting wins
        return self.filtered(
            lambda rec: not rec._o2c_policy_company() or rec._o2c_policy_company() & companies
        )

    @api.model
    def _o2c_policy_required_new(self, vals):
        """Whether a policy created with ``vals`` needs an approved request."""
        fname = self._o2c_policy_company_field
        if not fname:
            return False
        kind = self.env["o2c.policy.kind"]._o2c_get(self._o2c_policy_kind)
        if not kind.company_ids:
            return False
        company_id = vals[fname] if fname in vals else self.default_get([fname]).get(fname)
        return not company_id or company_id in kind.company_ids.ids

    @api.model
    def _o2c_policy_hold_new(self, vals, reason):
        """Hold back what a new policy needs approval for; return it.

        ``None``: no approval needed. A policy with ``active`` among its policy
        fields is created archived (``vals`` changed in place) and its activation
        requested when a reason is given (``{}``: archived, nothing requested);
        any other is created without its policy values, which are requested
        (refused without a reason).
        """
        if not self._o2c_policy_required_new(vals):
            return None
        names = self._o2c_policy_field_names()
        if "active" in names:
            active = (
                vals["active"]
                if "active" in vals
                else self.default_get(["active"]).get("active", True)
            )
            vals["active"] = False
            return {"active": True} if active and reason else {}
        held = {fname: vals.pop(fname) for fname in names if vals.get(fname)}
        if held and not reason:
            raise self._o2c_policy_reason_error()
        return held

    def _o2c_policy_changes(self, vals, fnames):
        """``{record: {field: value}}``: the values of ``fnames`` that change each record."""
        Change = self.env["o2c.policy.change"]
        result = {}
        for rec in self:
            changed = {
                fname: vals[fname]
                for fname in fnames
                if Change._o2c_value_changes(rec, fname, vals[fname])
            }
            if changed:
                result[rec] = changed
        return result

    def _o2c_policy_request(self, vals, fnames, reason):
        """Turn the changes of ``fnames`` into requests where approval is required.

        Return the policies whose change was requested (not applied).
        """
        requested = self._o2c_policy_required()._o2c_policy_changes(vals, fnames)
        if not requested:
            return self.browse()
        self.check_access("write")
        if not reason:
            raise self._o2c_policy_reason_error()
        for record, changes in requested.items():
            self.env["o2c.policy.change"]._o2c_create_request(record, changes, reason)
        return self.browse([record.id for record in requested])

    def _o2c_policy_log_lines(self, before):
        """Post the line changes (``{field: old text}``) with their new text."""
        self.ensure_one()
        Change = self.env["o2c.policy.change"]
        rows = [
            (
                self._fields[fname]._description_string(self.env),
                old,
                Change._o2c_lines_text(self[fname]),
            )
            for fname, old in before.items()
        ]
        rows = [row for row in rows if row[1] != row[2]]
        if rows:
            self._o2c_policy_note(
                Markup("<p>%s</p>") % self.env._("Lines changed:") + Change._o2c_table(rows)
            )

    @api.model
    def _o2c_policy_has_chatter(self):
        return isinstance(self, self.pool["mail.thread"])

    def _o2c_policy_note(self, body):
        """Post ``body`` in the policy's chatter (a policy without one has its requests)."""
        self.ensure_one()
        if self._o2c_policy_has_chatter():
            self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _o2c_policy_reason_error(self):
        return UserError(
            self.env._(
                "Changes of %(model)s need a second person's approval in this company: "
                "say why in Reason for the Change and save again. Your change then goes "
                "to the approvers as a change request; it applies once approved.",
                model=self._description,
            )
        )
