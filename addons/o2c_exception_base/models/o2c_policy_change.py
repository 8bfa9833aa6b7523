# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError

from ..governance import governed_write_allowed, owning_action

STATES = [
    ("to_approve", "To Approve"),
    ("approved", "Approved (applied)"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
    ("direct", "Applied without approval"),
]
#: the manager group approves requests of a kind without its own approver group
DEFAULT_APPROVER_GROUP = "o2c_exception_base.group_o2c_manager"


class O2cPolicyChange(models.Model):
    """A requested change of a governed policy, and the decision of a second person.

    The record changed, its old and new values (as stored, and as a table with
    the field labels and names of the day), the reason and the requester are
    written when the request is made; state, decider and date only by the
    Approve / Reject / Cancel actions. Approving applies the change, unless the
    policy changed since the request (stale: the requester asks again).
    Requests are never deleted.
    """

    _name = "o2c.policy.change"
    _description = "O2C Policy Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "o2c.governed.mixin"]
    _order = "id desc"
    _o2c_governed_fields = (
        "res_model",
        "res_id",
        "res_name",
        "model_name",
        "kind_id",
        "company_id",
        "old_values",
        "new_values",
        "change_html",
        "reason",
        "requested_by_id",
        "request_date",
        "state",
        "approved_by_id",
        "decision_date",
    )

    # ------------------------------------------------------------ FIELDS
    res_model = fields.Char(string="Policy Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Policy ID", model_field="res_model", required=True, index=True, readonly=True
    )
    res_name = fields.Char(string="Policy", readonly=True)
    model_name = fields.Char(string="Policy Type", readonly=True)
    kind_id = fields.Many2one("o2c.policy.kind", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", index=True, readonly=True, help="Empty: a policy shared by every company."
    )
    old_values = fields.Json(readonly=True, help="Values of the policy when requested.")
    new_values = fields.Json(readonly=True, help="Values the approval writes.")
    change_html = fields.Html(string="Change", readonly=True, sanitize_overridable=False)
    reason = fields.Text(required=True, readonly=True, tracking=True)
    requested_by_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    request_date = fields.Datetime(required=True, readonly=True)
    state = fields.Selection(
        STATES, required=True, default="to_approve", readonly=True, index=True, tracking=True
    )
    approved_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, tracking=True)
    decision_date = fields.Datetime(readonly=True)
    decision_reason = fields.Text(
        tracking=True, help="Why it was approved or rejected: required to reject."
    )
    active = fields.Boolean(default=True, help="Archive decided requests; they are never deleted.")
    can_decide = fields.Boolean(compute="_compute_can_decide")
    is_requester = fields.Boolean(compute="_compute_can_decide")

    # ----------------------------------------------------------- COMPUTE
    @api.depends("res_name", "model_name")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = self.env._(
                "Change of %(model)s %(policy)s",
                model=rec.model_name or "",
                policy=rec.res_name or "",
            )

    @api.depends_context("uid")
    @api.depends("state", "requested_by_id", "kind_id.approver_group_id")
    def _compute_can_decide(self):
        user = self.env.user
        for rec in self:
            rec.is_requester = rec.requested_by_id == user
            rec.can_decide = (
                rec.state == "to_approve"
                and not rec.is_requester
                and rec._o2c_approver_group() in user.groups_id
            )

    # -------------------------------------------------------------- CRUD
    def write(self, vals):
        if not governed_write_allowed(self._name):
            self._o2c_check_user_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Change requests are the record of the policy changes: archive them.")
        )

    # ------------------------------------------------------------ ACTION
    def action_approve(self):
        """Apply the change as the action that owns it, then record the decision."""
        for rec in self:
            rec._o2c_check_can_decide()
            record = rec._o2c_policy_record()
            record.check_access("write")
            if rec._o2c_is_stale(record):
                raise UserError(
                    self.env._(
                        "%(policy)s changed since this request was made: it is stale and "
                        "cannot be approved. Reject it; the requester asks again from the "
                        "current values.",
                        policy=rec.res_name,
                    )
                )
            with owning_action(record._name, *record._o2c_policy_line_models()):
                record.write(rec._o2c_write_values(record))
            rec._o2c_decide("approved")
        return True

    def action_reject(self):
        for rec in self:
            rec._o2c_check_can_decide()
            if not (rec.decision_reason or "").strip():
                raise UserError(self.env._("Decision Reason: say why you reject this change."))
            rec._o2c_decide("rejected")
        return True

    def action_cancel(self):
        """The requester (or an approver) withdraws a pending request."""
        for rec in self:
            if rec.state != "to_approve":
                raise UserError(self.env._("Only a pending change request can be cancelled."))
            if not (rec.is_requester or rec.can_decide):
                raise UserError(
                    self.env._("Only the requester or an approver cancels a change request.")
                )
            rec._o2c_decide("cancelled")
        return True

    def action_open_policy(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"active_test": False},
        }

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_user_write(self, vals):
        """The decider types the decision reason while pending; decided requests archive."""
        if "decision_reason" in vals and any(not rec.can_decide for rec in self):
            raise UserError(
                self.env._(
                    "Decision Reason is written by an approver of a pending change request "
                    "(not its requester)."
                )
            )
        if "active" in vals and any(rec.state == "to_approve" for rec in self):
            raise UserError(
                self.env._("A pending change request is cancelled or decided, not archived.")
            )

    @api.model
    def _o2c_request_change(self, record, vals, reason):
        """Request ``vals`` on ``record`` (a governed policy) for ``reason``; return the request.

        The request is made whether the company requires approval or not (e.g.
        a proposal of the policy-gap advisor goes to the approvers). Raises a
        UserError if ``record`` is not a governed policy, a field is not one of
        its policy fields, or nothing would change.
        """
        record.ensure_one()
        if record._name not in self.env.registry.descendants(
            ["o2c.policy.governed.mixin"], "_inherit"
        ):
            raise UserError(
                self.env._(
                    "%s is not a governed policy: it has no change requests.", record._description
                )
            )
        unknown = set(vals) - set(record._o2c_policy_field_names())
        if unknown:
            raise UserError(
                self.env._(
                    "%(fields)s: not policy fields of %(model)s.",
                    fields=", ".join(sorted(unknown)),
                    model=record._description,
                )
            )
        record.check_access("write")
        changes = record._o2c_policy_changes(vals, list(vals)).get(record)
        if not changes:
            raise UserError(
                self.env._("This change request changes nothing on %s.", record.display_name)
            )
        return self._o2c_create_request(record, changes, reason)

    @api.model
    def _o2c_create_request(self, record, vals, reason, context_fields=()):
        """Create the request of ``vals`` on ``record`` and ask its approvers.

        :param context_fields: more fields whose current value the request keeps
            and compares when approved (a new policy's whole content)
        """
        if not (reason or "").strip():
            raise record._o2c_policy_reason_error()
        values = self._o2c_prepare_request_vals(record, vals, context_fields)
        values["reason"] = reason.strip()
        with owning_action(self._name):
            request = self.sudo().create(values)
        request._o2c_notify_requested(record)
        return request.with_env(self.env)

    @api.model
    def _o2c_prepare_request_vals(self, record, vals, context_fields=()):
        """Values of a request of ``vals`` on ``record`` (before they are written)."""
        kind = self.env["o2c.policy.kind"]._o2c_get(record._o2c_policy_kind)
        fnames = [*vals, *(f for f in context_fields if f not in vals)]
        return {
            "res_model": record._name,
            "res_id": record.id,
            "res_name": record.display_name,
            "model_name": record._description,
            "kind_id": kind.id,
            "company_id": record._o2c_policy_company().id,
            "old_values": {f: self._o2c_snapshot(record, f) for f in fnames},
            "new_values": {f: self._o2c_write_value(record, f, v) for f, v in vals.items()},
            "change_html": self._o2c_change_table(record, fnames, vals),
            "requested_by_id": self.env.uid,
            "request_date": fields.Datetime.now(),
        }

    @api.model
    def _o2c_log_direct(self, values_list):
        """Record changes applied without approval (policies without a chatter).

        :param values_list: :meth:`_o2c_prepare_request_vals` results, taken
            before the change was written
        """
        now = fields.Datetime.now()
        for values in values_list:
            values.update(
                state="direct",
                reason=self.env._("No approval required in this company."),
                approved_by_id=self.env.uid,
                decision_date=now,
            )
        with owning_action(self._name):
            return self.sudo().create(values_list)

    def _o2c_notify_requested(self, record):
        """Activities for the approvers; a note on the policy."""
        self.ensure_one()
        requester = self.env.user
        for user in self._o2c_approvers() - requester:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Approve or reject: %s", self.display_name),
            )
        body = Markup("<p>%s</p>") % self.env._(
            "Change requested by %(user)s, waiting for a second person's approval " "(%(reason)s):",
            user=requester.name,
            reason=self.reason,
        )
        record._o2c_policy_note(body + self._get_html_link() + self.change_html)

    def _o2c_approvers(self):
        """Users who may decide this request, in its company."""
        self.ensure_one()
        return (
            self._o2c_approver_group()
            .sudo()
            .users.filtered(
                lambda u: u.active
                and not u.share
                and u.id != SUPERUSER_ID
                and (not self.company_id or self.company_id in u.company_ids)
            )
        )

    def _o2c_approver_group(self):
        self.ensure_one()
        return self.kind_id.approver_group_id or self.env.ref(DEFAULT_APPROVER_GROUP)

    def _o2c_check_can_decide(self):
        """A pending request, decided by an approver of its kind who did not request it."""
        self.ensure_one()
        if self.state != "to_approve":
            raise UserError(self.env._("This change request is already decided."))
        if self.requested_by_id == self.env.user:
            raise UserError(
                self.env._(
                    "You requested this change: a second person approves or rejects it "
                    "(you may cancel it)."
                )
            )
        group = self._o2c_approver_group()
        if group not in self.env.user.groups_id:
            raise UserError(
                self.env._(
                    "Only members of %(group)s decide change requests of %(kind)s.",
                    group=group.full_name,
                    kind=self.kind_id.name or self.model_name,
                )
            )

    def _o2c_decide(self, state):
        """Record the decision ``state`` of the current user; close the activities."""
        self.ensure_one()
        self._o2c_owned_write(
            {"state": state, "approved_by_id": self.env.uid, "decision_date": fields.Datetime.now()}
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        record = self.env[self.res_model].sudo().browse(self.res_id).exists()
        if record:
            body = Markup("<p>%s</p>") % self.env._(
                "Change request %(state)s by %(user)s.", state=label, user=self.env.user.name
            )
            record._o2c_policy_note(body + self._get_html_link())

    def _o2c_policy_record(self):
        """The policy of this request, as the current user (archived ones too)."""
        self.ensure_one()
        record = self.env[self.res_model].with_context(active_test=False).browse(self.res_id)
        if not record.exists():
            raise UserError(self.env._("The policy of this request was deleted."))
        return record

    def _o2c_is_stale(self, record):
        """Whether ``record`` no longer has the values this request was made from."""
        self.ensure_one()
        current = {f: self._o2c_snapshot(record, f) for f in self.old_values}
        return _json(current) != _json(self.old_values)

    def _o2c_write_values(self, record):
        """The request's new values in the format of ``write``."""
        self.ensure_one()
        result = {}
        for fname, value in self.new_values.items():
            if record._fields[fname].type == "many2many":
                value = [Command.set(value)]
            result[fname] = value
        return result

    # ---------------------------------------------------- VALUES (TOOLING)
    @api.model
    def _o2c_value_changes(self, record, fname, value):
        """Whether writing ``value`` (write format) changes ``record[fname]``."""
        field = record._fields[fname]
        if field.type == "one2many":
            after = self._o2c_lines_after(record, fname, value)
            return _json(self._o2c_lines_snapshot(after)) != _json(
                self._o2c_snapshot(record, fname)
            )
        return record._o2c_value_differs(record, fname, value)

    @api.model
    def _o2c_snapshot(self, record, fname):
        """JSON value of ``record[fname]``, compared when the request is approved."""
        field = record._fields[fname]
        value = record[fname]
        if field.type == "one2many":
            return self._o2c_lines_snapshot([(line.id, line) for line in value])
        return _serialize(field, value)

    @api.model
    def _o2c_lines_snapshot(self, lines):
        """``[[id, {field: value}], ...]`` of ``[(id, line), ...]`` (policy fields of the lines)."""
        return [
            [
                line_id,
                {f: _serialize(line._fields[f], line[f]) for f in line._o2c_policy_field_names()},
            ]
            for line_id, line in lines
        ]

    @api.model
    def _o2c_write_value(self, record, fname, value):
        """``value`` (write format) as stored in the request, to be written as is."""
        field = record._fields[fname]
        if field.type == "one2many":
            return json.loads(json.dumps(value, default=str))  # commands
        new = field.convert_to_record(field.convert_to_cache(value, record), record)
        return _serialize(field, new)

    @api.model
    def _o2c_lines_after(self, record, fname, commands):
        """``[(id or None, line)]``: the lines of ``record[fname]`` once ``commands`` ran."""
        lines = [(line.id, line) for line in record[fname]]
        Line = record[fname].browse()
        for command in commands or ():
            op = command[0]
            if op == Command.CREATE:
                lines.append((None, Line.new(command[2])))
            elif op == Command.UPDATE:
                lines = [
                    (i, Line.new(command[2], origin=line) if i == command[1] else line)
                    for i, line in lines
                ]
            elif op in (Command.DELETE, Command.UNLINK):
                lines = [(i, line) for i, line in lines if i != command[1]]
            elif op == Command.LINK:
                lines.append((command[1], Line.browse(command[1])))
            elif op == Command.CLEAR:
                lines = []
            elif op == Command.SET:
                lines = [(i, Line.browse(i)) for i in command[2]]
        return lines

    @api.model
    def _o2c_lines_text(self, lines):
        """One line of text per line record (their names)."""
        return "\n".join(lines.mapped("display_name"))

    @api.model
    def _o2c_display(self, record, fname, value):
        """``value`` (record format) of ``record``'s field as a user reads it."""
        field = record._fields[fname]
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if field.type in ("many2one", "many2many", "one2many"):
            return "\n".join(value.sudo().mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        return "" if value is False or value is None else str(value)

    @api.model
    def _o2c_change_table(self, record, fnames, vals):
        """The request's table: field label, current value, requested value."""
        rows = []
        for fname in fnames:
            field = record._fields[fname]
            old = self._o2c_display(record, fname, record[fname])
            if fname not in vals:
                new = self.env._("(unchanged)")
            elif field.type == "one2many":
                new = "\n".join(
                    line.display_name or ""
                    for _i, line in self._o2c_lines_after(record, fname, vals[fname])
                )
            else:
                value = field.convert_to_record(field.convert_to_cache(vals[fname], record), record)
                new = self._o2c_display(record, fname, value)
            rows.append((field._description_string(self.env), old, new))
        return self._o2c_table(rows)

    @api.model
    def _o2c_table(self, rows):
        """An HTML table of ``(label, old, new)`` rows (texts, escaped; lines kept)."""

        def cell(text):
            return Markup("<br/>").join((text or "").split("\n"))

        body = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (label, cell(old), cell(new))
            for label, old, new in rows
        )
        return Markup(
            '<table class="table table-sm o2c_policy_change_table"><thead><tr>'
            "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Field"), self.env._("Old Value"), self.env._("New Value"), body)


def _serialize(field, value):
    """JSON value of ``value`` (record format) of ``field``."""
    if field.type == "many2one":
        return value.id or False
    if field.type == "many2many":
        return sorted(value.ids)
    if field.type in ("date", "datetime"):
        return field.to_string(value) if value else False
    return value


def _json(value):
    """``value`` as it reads back from a JSON column (tuples are lists...)."""
    return json.loads(json.dumps(value, default=str))
