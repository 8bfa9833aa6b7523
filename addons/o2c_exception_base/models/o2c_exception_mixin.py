# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json
from collections import defaultdict

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from ..governance import checking, checking_ids, enforced, enforced_ids, owning_action
from .o2c_exception import HOLDING_STATES, LIVE_STATES, RELEASING_STATES
from .o2c_order_step import resuming, resuming_ids, step_batch


class O2cExceptionMixin(models.AbstractModel):
    """Documents that raise, block on and resolve O2C exceptions.

    Configure with class attributes (see ``readme/USAGE.md``); feature addons
    plug their checks into :meth:`_o2c_run_checks`.
    """

    _name = "o2c.exception.mixin"
    _inherit = ["o2c.governed.mixin"]
    _description = "O2C Exception Mixin"

    #: field of ``o2c.exception`` that links back to this model (stored link)
    _o2c_link_field = None
    #: the guarded action of this document ("confirm", "validate", "post")
    _o2c_guarded_action = None
    #: states the guarded action moves the document to; writing them is refused
    #: while the document is held
    _o2c_guarded_states = ()
    #: fields whose values an approval is bound to (dotted paths allowed)
    _o2c_key_fields = ()
    #: field holding the customer
    _o2c_partner_field = "partner_id"
    #: fields whose change renames the document (its exceptions show the new name)
    _o2c_name_fields = ("name",)
    #: path to the user who answers for the document (salesperson, responsible)
    _o2c_responsible_field = None
    #: path to the sales team whose leader answers for it when nobody else does
    _o2c_team_field = None
    #: ``{guarded action: method}`` that goes on with a held action once decided
    _o2c_resume_methods = {}
    #: ``{guarded action: order step}`` recorded when the action is asked (see
    #: :meth:`_o2c_step_orders`), e.g. ``{"confirm": "confirm_asked"}``
    _o2c_asked_steps = {}
    #: stored results of the checks, and the held action to go on with: only the
    #: engine moves them
    _o2c_governed_fields = (
        "o2c_blocked",
        "o2c_has_live_exception",
        "o2c_resume_action",
        "o2c_resume_user_id",
    )

    # ------------------------------------------------------------ FIELDS
    o2c_exception_ids = fields.One2many(
        "o2c.exception",
        "res_id",
        string="O2C Exceptions",
        domain=lambda self: [("res_model", "=", self._name)],
        copy=False,
    )
    o2c_exception_count = fields.Integer(
        string="Exceptions", compute="_compute_o2c_exception_count", compute_sudo=True
    )
    o2c_can_approve = fields.Boolean(
        string="I Can Approve It",
        compute="_compute_o2c_can_approve",
        help="An open exception of this document waits for the current user's approval.",
    )
    o2c_blocked = fields.Boolean(
        string="Held by Exception",
        compute="_compute_o2c_blocked",
        store=True,
        index=True,
        copy=False,
        compute_sudo=True,
        help="An open or rejected blocking exception holds this document's " "guarded action.",
    )
    o2c_has_live_exception = fields.Boolean(
        string="Has Live Exceptions",
        compute="_compute_o2c_blocked",
        store=True,
        copy=False,
        compute_sudo=True,
        help="An open, approved or rejected exception is attached. Documents without "
        "one skip every exception lookup (the touchless path costs no query).",
    )

    o2c_resume_action = fields.Char(
        string="Held Action",
        readonly=True,
        copy=False,
        help="The action exceptions hold (e.g. confirm): it goes on by itself once "
        "they are decided.",
    )
    o2c_resume_user_id = fields.Many2one(
        "res.users",
        string="Held Action Asked By",
        readonly=True,
        copy=False,
        help="Who asked for the held action: it goes on on their behalf.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends_context("uid")
    def _compute_o2c_can_approve(self):
        saved, open_ids = self._origin, set()
        if saved.ids:
            excs = self.env["o2c.exception"].search(saved._o2c_approvable_domain())
            open_ids = set(excs.mapped("res_id"))
        for rec in self:
            rec.o2c_can_approve = rec._origin.id in open_ids

    def _o2c_approvable_domain(self):
        """Open exceptions of these documents the current user may approve."""
        return [*self._o2c_exception_domain(("open",)), ("can_approve", "=", True)]

    def _compute_o2c_exception_count(self):
        groups = self.env["o2c.exception"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)],
            ["res_id"],
            ["__count"],
        )
        counts = dict(groups)
        for rec in self:
            rec.o2c_exception_count = counts.get(rec.id, 0)

    @api.depends(
        "o2c_exception_ids.state", "o2c_exception_ids.blocking", "o2c_exception_ids.active"
    )
    def _compute_o2c_blocked(self):
        for rec in self:
            live = [e for e in rec.o2c_exception_ids if e.state in LIVE_STATES]
            rec.o2c_blocked = any(e.blocking and e.state in HOLDING_STATES for e in live)
            rec.o2c_has_live_exception = bool(live)

    # -------------------------------------------------------------- CRUD
    def write(self, vals):
        action = self._o2c_state_actions().get(vals.get("state"))
        if action:
            self._o2c_enforce_transition(vals["state"], action)
        res = super().write(vals)
        roots = {path.split(".")[0] for path in self._o2c_all_key_fields()}
        if roots.intersection(vals):
            self._o2c_check_key_changes()
        if self.env["o2c.exception.rule"]._o2c_has_save_rules(self._name):
            self.env["o2c.exception.rule"]._o2c_evaluate(self, "save")
        if set(self._o2c_name_fields).intersection(vals):
            self._o2c_refresh_exception_names()
        return res

    def _o2c_refresh_exception_names(self):
        """The queue shows the document's current name ("Draft Invoice" becomes
        INV/2026/00001 when posted): its live exceptions follow a rename."""
        excs = self.env["o2c.exception"].sudo().search(self._o2c_exception_domain(LIVE_STATES))
        # display names of the renamed documents with exceptions only (posting a batch
        # of invoices without any computes none)
        for exc in excs:
            name = self.browse(exc.res_id).display_name
            if exc.res_name != name:
                exc.res_name = name

    @api.model_create_multi
    def create(self, vals_list):
        # A record created directly in a guarded state (import, RPC) is created
        # before it, then moved to it through write(): the same checks as the action.
        # A guarded state given as a default (context ``default_state``, personal
        # ``ir.default``) is a value the caller chose: the same checks.
        actions = self._o2c_state_actions()
        if actions and "state" in self._fields:
            chosen = self._o2c_chosen_defaults(vals_list, ["state"]).get("state")
            if chosen in actions:
                vals_list = [
                    vals if "state" in vals else dict(vals, state=chosen) for vals in vals_list
                ]
        pending = {i: v["state"] for i, v in enumerate(vals_list) if v.get("state") in actions}
        if pending:
            # created in the state the field's code gives, whatever the defaults say
            own = self._o2c_own_default("state")
            initial = {"state": own} if own else {}
            vals_list = [
                {**{k: v for k, v in vals.items() if k != "state"}, **initial}
                if i in pending
                else vals
                for i, vals in enumerate(vals_list)
            ]
        records = super().create(vals_list)
        by_state = {}
        for index, state in pending.items():
            by_state.setdefault(state, []).append(records[index].id)
        for state, ids in by_state.items():
            self.browse(ids).write({"state": state})
        if self.env["o2c.exception.rule"]._o2c_has_save_rules(self._name):
            self.env["o2c.exception.rule"]._o2c_evaluate(records, "save")
        return records

    def unlink(self):
        live = self.env["o2c.exception"].sudo().search(self._o2c_exception_domain(LIVE_STATES))
        if live:
            live._set_decision(
                "cancelled", self.env._("Document deleted by %s.", self.env.user.name)
            )
        return super().unlink()

    # ---------------------------------------------------------- BUSINESS
    def _o2c_exception_domain(self, states=None, codes=None):
        """Domain of these records' exceptions (in ``states``, of type ``codes``).

        Live states only: records without a live exception are left out, so that
        the search costs no query when none has one (an empty ``in``).
        """
        records = self
        if states and set(states) <= set(LIVE_STATES):
            records = self.filtered("o2c_has_live_exception")
        domain = [("res_model", "=", self._name), ("res_id", "in", records.ids)]
        if states:
            domain.append(("state", "in", list(states)))
        if codes:
            domain.append(("code", "in", list(codes)))
        return domain

    def _o2c_exception_document_vals(self):
        """Return ``{id: vals}`` copied on an exception raised on each record."""
        result = {}
        partner_field = self._o2c_partner_field
        for rec in self:
            partner = rec[partner_field] if partner_field in rec._fields else False
            company = rec.company_id if "company_id" in rec._fields else self.env.company
            currency = rec.currency_id if "currency_id" in rec._fields else False
            vals = {
                "res_name": rec.display_name,
                "partner_id": partner and partner.commercial_partner_id.id,
                "company_id": (company or self.env.company).id,
                "currency_id": (currency or (company or self.env.company).currency_id).id,
                "conflict_user_ids": [Command.set(rec._o2c_conflict_users().ids)],
            }
            if self._o2c_link_field:
                vals[self._o2c_link_field] = rec.id
            result[rec.id] = vals
        return result

    def _o2c_responsibles(self):
        """``{id: (responsible user, team leader)}`` of each document (either may be
        empty): who answers for what holds it, besides the approvers."""
        users, teams = self.env["res.users"], self.env["crm.team"]
        result = {}
        for rec in self:
            user = (
                rec.mapped(self._o2c_responsible_field)[:1]
                if self._o2c_responsible_field
                else users
            )
            team = rec.mapped(self._o2c_team_field)[:1] if self._o2c_team_field else teams
            result[rec.id] = (user, team.user_id)
        return result

    def _o2c_conflict_users(self):
        """Users who may not approve exceptions of this document (SoD)."""
        self.ensure_one()
        users = self.create_uid | self.write_uid | self.env.user
        if "user_id" in self._fields and self.user_id:
            users |= self.user_id
        return users.filtered(lambda u: u.id != 1)

    def _o2c_key_fields_by_code(self):
        """``{exception code: key field paths}`` for the codes bound to other fields
        than :attr:`_o2c_key_fields`; extend with ``{**super()..., CODE: paths}``."""
        return {}

    def _o2c_get_key_fields(self, code):
        """Fields an approval of exception type ``code`` is bound to."""
        return tuple(self._o2c_key_fields_by_code().get(code, self._o2c_key_fields))

    @tools.ormcache()
    def _o2c_all_key_fields(self):
        """Every path whose change may move a key: the declared ones and, for a
        computed key field, what it depends on (derived, never kept in step by hand).

        Cached per model (every write of a governed document asks): the key fields
        are declared in code, they change with the registry only.
        """
        paths = set(self._o2c_key_fields).union(*self._o2c_key_fields_by_code().values())
        for path in list(paths):
            field = self._fields.get(path)
            if field is not None and field.compute:
                paths.update(self.pool.field_depends[field])
        return frozenset(paths)

    def _o2c_key_hashes(self, code):
        """Return ``{id: fingerprint of the key values}`` (batched through prefetch)."""
        paths = self._o2c_get_key_fields(code)
        result = {}
        for rec in self:
            values = []
            for path in paths:
                value = rec.mapped(path)
                if isinstance(value, models.BaseModel):
                    value = sorted(value.ids)
                values.append(value)
            blob = json.dumps(values, default=str, sort_keys=True)
            result[rec.id] = hashlib.sha1(blob.encode()).hexdigest()
        return result

    def _o2c_raise_exceptions(self, code, values=None, rule=None):
        """Raise (or refresh) one exception of type ``code`` on each record.

        Idempotent: an open or rejected exception of that type on the document is
        updated, not duplicated; an approved one whose document is unchanged
        stays approved; one whose key values changed is reopened.

        :param values: dict applied to every record, or ``{record id: dict}``;
            keys ``name``, ``details``, ``amount`` and any ``o2c.exception`` field.
        :param rule: the ``o2c.exception.rule`` raising it (rules of the same type
            keep separate exceptions)
        :return: the live exceptions, one per record.
        """
        if not self:
            return self.env["o2c.exception"]
        values = values or {}
        per_record = values if all(isinstance(k, int) for k in values) and values else None
        Exception_ = self.env["o2c.exception"].sudo()
        companies = self.company_id if "company_id" in self._fields else self.env.company
        types = self.env["o2c.exception.type"]._get_by_code([code], companies | self.env.company)
        existing = {
            exc.res_id: exc
            for exc in Exception_.search(
                [
                    *self._o2c_exception_domain(LIVE_STATES, [code]),
                    ("rule_id", "=", rule.id if rule else False),
                ]
            )
        }
        hashes = self._o2c_key_hashes(code)
        to_create, to_reopen, result = [], Exception_, Exception_
        for rec in self:
            vals = dict(per_record.get(rec.id, {}) if per_record else values)
            etype = rec._o2c_exception_type_of(code, types)
            exc = existing.get(rec.id)
            if not exc:
                vals.update(
                    {
                        "type_id": etype.id,
                        "res_model": self._name,
                        "res_id": rec.id,
                        "key_hash": hashes[rec.id],
                        "rule_id": rule.id if rule else False,
                    }
                )
                to_create.append(vals)
                continue
            result |= exc
            if exc.state in ("approved", "rejected") and exc.key_hash != hashes[rec.id]:
                to_reopen |= exc
            self._o2c_refresh_exception(exc, vals, hashes[rec.id])
        if to_reopen:
            to_reopen._reopen(self.env._("the document changed after the decision"))
        if to_create:
            with owning_action("o2c.exception"):
                result |= Exception_.create(to_create)
        return result.with_env(self.env)

    def _o2c_set_exceptions(self, code, values, reason):
        """The outcome of one check over ``self``: raise (or refresh) ``code`` on the
        records of ``values`` (``{record id: dict}``, see :meth:`_o2c_raise_exceptions`)
        and resolve it with ``reason`` on the others. Returns the raised exceptions."""
        held = self.browse(list(values))
        (self - held)._o2c_resolve_exceptions([code], reason)
        return held._o2c_raise_exceptions(code, values)

    def _o2c_exception_type_of(self, code, types):
        """The type ``code`` of this record's company, from ``types`` (``_get_by_code``)."""
        company = self.company_id if "company_id" in self._fields else self.env.company
        etype = types.get((code, (company or self.env.company).id))
        if not etype:
            raise UserError(
                self.env._(
                    "No active O2C exception type with code %(code)s for company %(company)s.",
                    code=code,
                    company=company.name,
                )
            )
        return etype

    def _o2c_refresh_exception(self, exc, vals, key_hash):
        """Write on the live exception ``exc`` what changed of ``vals`` and its key."""
        changed = {k: v for k, v in vals.items() if self._o2c_value_differs(exc, k, v)}
        if changed or exc.key_hash != key_hash:
            changed["key_hash"] = key_hash
            exc._o2c_owned_write(changed)

    def _o2c_resolve_exceptions(self, codes=None, reason=None, rule=None, states=HOLDING_STATES):
        """Resolve the exceptions (of ``codes``) of these records: cause gone.

        Only exceptions of ``rule`` (or raised without a rule when ``rule`` is None),
        in ``states`` (add ``"approved"`` to close acknowledged non-blocking ones).
        ``reason`` may be a text or ``{record id: text}``.
        """
        if not self:
            return self.env["o2c.exception"]
        todo = (
            self.env["o2c.exception"]
            .sudo()
            .search(
                [
                    *self._o2c_exception_domain(states, codes),
                    ("rule_id", "=", rule.id if rule else False),
                ]
            )
        )
        default = self.env._("Cause no longer present.")
        if isinstance(reason, dict):
            reason = {exc.id: reason.get(exc.res_id) or default for exc in todo}
        if todo:
            todo._set_decision("resolved", reason or default)
        return todo

    def _o2c_check_key_changes(self, codes=None):
        """React to a change of the key values of these documents' live exceptions.

        - a decided exception whose document changed is reopened (the changer
          may not approve it: segregation of duties);
        - whoever changed the document while the exception is open may not
          approve it either (even an approver editing the held quotation);
        - partial approvals (two-person rule) given to the document as it was
          are archived: they no longer count.
        """
        domain = self._o2c_exception_domain(LIVE_STATES, codes)
        live = self.env["o2c.exception"].sudo().search(domain)
        if not live:
            return live
        by_code = {}
        for exc in live:
            by_code.setdefault(exc.code, live.browse())
            by_code[exc.code] |= exc
        changed, edited, stale = live.browse(), {}, self.env["o2c.exception.approval"].sudo()
        past = set(self.browse(live.mapped("res_id"))._o2c_past_guarded_action().ids)
        for code, excs in by_code.items():
            hashes = self.browse(excs.mapped("res_id"))._o2c_key_hashes(code)
            for exc in excs:
                current = hashes.get(exc.res_id)
                if exc.state != "open" and exc.key_hash != current:
                    if exc.res_id not in past:
                        changed |= exc
                elif exc.state == "open":
                    if exc.key_hash != current:
                        edited[exc] = current
                    stale |= exc.approval_ids.filtered(lambda a, c=current: a.key_hash != c)
        if edited:
            self._o2c_record_editor(edited)
        if stale:
            stale._o2c_owned_write({"active": False})
            stale.exception_id._message_log_batch(
                bodies={
                    exc.id: self.env._("Earlier approval no longer counts: the document changed.")
                    for exc in stale.exception_id
                }
            )
        if changed:
            changed._reopen(
                self.env._("%s changed the document after the decision.", self.env.user.name)
            )
        return changed

    def _o2c_record_editor(self, edited):
        """The current user changed the documents of these open exceptions.

        :param edited: ``{exception: current key hash}``; the user joins the
            exceptions' conflict users and the snapshot moves to the new values.
        """
        user = self.env.user
        for exc, current in edited.items():
            vals = {"key_hash": current}
            if user.id != SUPERUSER_ID and user not in exc.conflict_user_ids:
                vals["conflict_user_ids"] = [Command.link(user.id)]
            exc._o2c_owned_write(vals)

    def _o2c_run_checks(self, action):
        """Hook: evaluate the controls of ``action`` over the whole recordset.

        Feature addons override it, call ``super()`` and raise/resolve their
        exceptions with :meth:`_o2c_raise_exceptions` / :meth:`_o2c_resolve_exceptions`.
        Must not have side effects other than exception rows. The base
        implementation evaluates the admin-defined rules (``o2c.exception.rule``).
        """
        self.env["o2c.exception.rule"]._o2c_evaluate(self, action)
        return True

    def _o2c_state_actions(self):
        """Return ``{state: guarded action}``: moving into ``state`` is that action.

        Default: each of ``_o2c_guarded_states`` is ``_o2c_guarded_action``.
        """
        return dict.fromkeys(self._o2c_guarded_states, self._o2c_guarded_action)

    def _o2c_past_guarded_action(self):
        """The records of ``self`` whose guarded action is behind them.

        A decision is bound to the document as it was when its action went
        through (an order confirmed, a delivery done). A later change, such as
        a line the delivery adds for a substitute or a freight line, does not
        reopen it: the document is no longer waiting for that decision. What
        such a change may do is the business of the control that watches it
        (e.g. o2c_pricing_approval refuses out-of-policy prices on confirmed
        orders).
        """
        if "state" not in self._fields or not self._o2c_guarded_states:
            return self.browse()
        return self.filtered(lambda rec: rec.state in self._o2c_guarded_states)

    def _o2c_held_for(self, action):
        """The records of ``self`` whose exceptions hold ``action`` (after the checks)."""
        return self.filtered("o2c_blocked")

    def _o2c_enforce(self, action=None):
        """Run every check for ``action`` and return the records it may go on with.

        The exceptions are written in this transaction (they survive: the caller
        does not raise), the held records get a note. Nothing else happens
        before this returns, so a held action leaves no side effect. Nothing in
        the context switches it off.
        """
        action = action or self._o2c_guarded_action
        if not self:
            return self
        with checking(self):
            self._o2c_run_checks(action)
            self._o2c_check_key_changes()
        self.flush_recordset(["o2c_blocked"])
        return self - self._o2c_held_for(action)

    def _o2c_enforce_transition(self, state, action):
        """Backstop of every path into ``state`` (create, write, import, RPC, cron).

        Records the guarded action has just checked go on; the others get the
        same checks now and a ``UserError`` naming what holds them, before any
        change is written.
        """
        checked = enforced_ids(self._name, action)
        todo = self.filtered(lambda rec: rec.state != state and rec.id not in checked)
        if not todo:
            return
        held = todo - todo._o2c_enforce(action)
        if held:
            raise UserError(held._o2c_held_message())

    def _o2c_raise_if_held(self):
        held = self.filtered("o2c_blocked")
        if held:
            raise UserError(held._o2c_held_message())

    def _o2c_held_lines(self):
        """Return ``{record id: [text]}``: what holds each record, who can release it.

        One search for the whole recordset; approvers looked up once per group.
        """
        excs = (
            self.env["o2c.exception"]
            .sudo()
            .search([*self._o2c_exception_domain(HOLDING_STATES), ("blocking", "=", True)])
        )
        lines, cache = defaultdict(list), {}
        for exc in excs:
            if exc.state == "rejected":
                status = self.env._(
                    "rejected by %(user)s: %(reason)s",
                    user=exc.decided_by_id.name,
                    reason=exc.decision_reason,
                )
            else:
                approvers = exc._get_eligible_approvers(cache)[:5]
                who = ", ".join(approvers.mapped("name")) or exc.approver_group_id.full_name
                status = self.env._(
                    "waiting for %(n)s approval(s) from %(who)s",
                    n=exc.min_approvals - exc._approver_count(),
                    who=who,
                )
            lines[exc.res_id].append(f"- {exc.res_name}: {exc.name} ({status})")
        return lines

    def _o2c_held_message(self):
        """Human text: what holds these records and who can release them."""
        lines = self._o2c_held_lines()
        return self.env._(
            "This action is held by O2C exceptions:\n%s",
            "\n".join(line for rec in self for line in lines[rec.id]),
        )

    def _o2c_action_held(self):
        """What the UI shows for held records: their exceptions, with the reason."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Held by O2C exceptions"),
            "res_model": "o2c.exception",
            "view_mode": "list,form",
            "domain": self._o2c_exception_domain(HOLDING_STATES),
            "target": "new" if len(self) == 1 else "current",
            "context": {"create": False},
            "help": Markup("<p>%s</p>") % self._o2c_held_message(),
        }

    def _o2c_hold_or_proceed(self, proceed, action=None):
        """Shared enforcement: run ``proceed(allowed)`` on the records not held.

        Returns the result of ``proceed`` when nothing is held; otherwise the
        held action (UI) or a ``UserError`` when ``o2c_raise_on_hold`` is in the
        context (API callers that want an error rather than a window). The order
        steps it passes (asked, held, done) are created by one ``create``.
        """
        action = action or self._o2c_guarded_action
        # what held the documents already held (asking again must not log again)
        before = self.filtered("o2c_blocked")._o2c_holding_exceptions()
        with step_batch(self.env):
            # an ask is a step of the order, unless it repeats one still held or
            # the engine goes on with one after the decision
            resumed = resuming_ids(self._name)
            fresh = self.filtered(lambda r: r.o2c_resume_action != action and r.id not in resumed)
            fresh._o2c_record_step(self._o2c_asked_steps.get(action))
            allowed = self._o2c_enforce(action)
            held = self - allowed
            result = True
            if allowed:
                result = allowed._o2c_proceed(proceed, action)
            now = held._o2c_holding_exceptions()
            held._o2c_record_holds(now)
        if not held:
            return result
        held.filtered(lambda r: before.get(r.id) != now.get(r.id))._o2c_log_hold()
        if action in self._o2c_resume_methods:
            held._o2c_remember_resume(action)
        if self.env.context.get("o2c_raise_on_hold"):
            raise UserError(held._o2c_held_message())
        return held._o2c_action_held()

    def _o2c_proceed(self, proceed, action):
        """Run ``proceed`` on these documents, which nothing holds: the action goes on."""
        waiting = self.filtered(
            lambda r: r.o2c_has_live_exception and r.o2c_resume_action == action
        )
        if waiting:
            waiting.sudo()._o2c_owned_write(
                {"o2c_resume_action": False, "o2c_resume_user_id": False}
            )
        with enforced(self, action):
            return proceed(self)

    def _o2c_remember_resume(self, action):
        """The held ``action`` goes on after the decision on behalf of who asked for
        it; for a customer (portal, public user: a signed quotation) or the system,
        on behalf of the document's responsible, who may do it, else the system."""
        docs = self.sudo()
        # the portal works as the superuser: a customer acting there is no user to act for
        if not self.env.user.share and self.env.uid != SUPERUSER_ID:
            docs._o2c_owned_write({"o2c_resume_action": action, "o2c_resume_user_id": self.env.uid})
            return
        responsibles = docs._o2c_responsibles()
        for doc in docs:
            owner, leader = responsibles.get(doc.id, (None, None))
            user = owner or leader or self.env.ref("base.user_root")
            doc._o2c_owned_write({"o2c_resume_action": action, "o2c_resume_user_id": user.id})

    def _o2c_holding_exceptions(self):
        """``{id: frozenset of the ids of the exceptions holding it}`` (one search)."""
        if not self:
            return {}
        holding = defaultdict(set)
        excs = (
            self.env["o2c.exception"]
            .sudo()
            .search_fetch(
                [*self._o2c_exception_domain(HOLDING_STATES), ("blocking", "=", True)], ["res_id"]
            )
        )
        for exc in excs:
            holding[exc.res_id].add(exc.id)
        return {rec_id: frozenset(ids) for rec_id, ids in holding.items()}

    def _o2c_log_hold(self):
        lines = self._o2c_held_lines()
        self._o2c_log_batch(
            {
                rec.id: Markup("<b>%s</b><br/>%s")
                % (self.env._("Held by O2C exceptions"), Markup("<br/>").join(lines[rec.id]))
                for rec in self
            }
        )

    def _o2c_log_batch(self, bodies):
        """Log ``{id: body}`` notes: every governed document has a chatter (mail.thread)."""
        self.sudo()._message_log_batch(bodies=bodies)

    # ------------------------------------------------------------- STEPS
    def _o2c_step_orders(self):
        """Hook: ``{document id: (sale orders, step values)}``: the orders whose
        timeline (``o2c.order.step``) these documents' steps belong to, and what
        their rows refer to (e.g. ``{"picking_id": id}``). None by default."""
        return {}

    def _o2c_step_rows(self, step, date=None, extras=None):
        """Rows of ``step`` of the orders of these documents, at ``date`` (now).

        :param extras: ``{document id: [dict]}``: one row per dict per order
            (default: one row each)
        """
        # to the second, as stored: a create_date (transaction time, with its
        # microseconds) would otherwise sort after later steps of the same second
        date = (date or fields.Datetime.now()).replace(microsecond=0)
        rows = []
        for rec_id, (orders, vals) in self._o2c_step_orders().items():
            for extra in (extras or {}).get(rec_id, [{}]):
                rows.extend(
                    {
                        "order_id": order.id,
                        "company_id": order.company_id.id,
                        "step": step,
                        "date": date,
                        "user_id": self.env.uid,
                        **vals,
                        **extra,
                    }
                    for order in orders
                )
        return rows

    def _o2c_record_step(self, step, date=None):
        """Record ``step`` of the orders of these documents (nothing without ``step``)."""
        if step and self:
            self.env["o2c.order.step"]._o2c_record(self._o2c_step_rows(step, date))

    def _o2c_record_holds(self, holding):
        """A ``held`` step per exception holding these documents (``{id: exception
        ids}``) and order, unless that hold is already recorded and not released."""
        exc_ids = {exc_id for ids in holding.values() for exc_id in ids}
        if not exc_ids:
            return
        Step = self.env["o2c.order.step"]
        recorded = Step._o2c_open_holds(exc_ids)
        excs = self.env["o2c.exception"].sudo().browse(sorted(exc_ids))
        extras = {
            rec_id: [
                {"exception_id": exc.id, "type_id": exc.type_id.id}
                for exc in excs.browse(sorted(ids))
            ]
            for rec_id, ids in holding.items()
        }
        rows = self.browse(list(holding))._o2c_step_rows("held", extras=extras)
        Step._o2c_record(
            [row for row in rows if (row["order_id"], row["exception_id"]) not in recorded]
        )

    def _o2c_record_releases(self):
        """A ``released`` step per recorded hold of these documents whose exception
        no longer holds them (decided, resolved, cancelled)."""
        if not self._o2c_step_orders():
            return
        excs = self.env["o2c.exception"].sudo().search(self._o2c_exception_domain(RELEASING_STATES))
        Step = self.env["o2c.order.step"]
        holds = Step._o2c_open_holds(excs.ids)
        if holds:
            Step._o2c_release_rows(holds, excs)

    # ------------------------------------------------------------ RESUME
    def _o2c_resume_labels(self):
        """Return ``{action: (what was done, what to do)}`` for the chatter and activity."""
        return {
            "confirm": (self.env._("Confirmed"), self.env._("Confirm now")),
            "validate": (self.env._("Validated"), self.env._("Validate now")),
            "post": (self.env._("Posted"), self.env._("Post now")),
        }

    def _o2c_resume_held(self, allowed=True):
        """Go on with the held action of the documents nothing holds any more.

        On behalf of whoever asked for it (their rights, their company), in a
        savepoint of the decision's transaction, so that a failure leaves the
        decision standing. If it cannot go on (held again, stock gone, a
        question to answer, a lock), they get one activity to do it themselves.

        :param allowed: ``False`` when the type of a decided exception says not
            to go on by itself (the activity only)
        """
        self._o2c_record_releases()
        busy = checking_ids(self._name)
        todo = self.filtered(
            lambda d: d.id not in busy and d.o2c_resume_action and not d.o2c_blocked
        )
        for doc in todo:
            action, user = doc.o2c_resume_action, doc.o2c_resume_user_id
            doc._o2c_owned_write({"o2c_resume_action": False, "o2c_resume_user_id": False})
            if doc._o2c_past_guarded_action() or not (user.active or user.id == SUPERUSER_ID):
                continue
            error = doc._o2c_try_resume(action, user) if allowed else ""
            if error is None:
                doc._o2c_after_resume(action)
                done = doc._o2c_resume_labels().get(action, (action, action))[0]
                doc._message_log(
                    body=self.env._(
                        "%(done)s after the decision of %(decider)s, on behalf of %(user)s.",
                        done=done,
                        decider=self.env.user.name
                        if self.env.uid != SUPERUSER_ID
                        else self.env._("the system"),
                        user=user.name,
                    )
                )
            else:
                doc._o2c_resume_activity(action, user, error)

    def _o2c_after_rejection(self):
        """Hook: an exception holding these documents was rejected."""
        return True

    def _o2c_after_resume(self, action):
        """Hook: the held ``action`` of this document went through after the decision."""
        self.ensure_one()

    def _o2c_try_resume(self, action, user):
        """Run the held ``action`` as ``user``; return ``None`` if it went through, else why."""
        self.ensure_one()
        doc = self.with_user(user)
        if "company_id" in self._fields and self.company_id:
            doc = doc.with_company(self.company_id)
        try:
            with self.env.cr.savepoint(), resuming(self):
                getattr(doc, self._o2c_resume_methods[action])()
        except (UserError, ValidationError, AccessError) as error:
            return str(error.args[0] if error.args else error)
        if self._o2c_past_guarded_action():
            return None
        if self.o2c_blocked:
            return self.env._(
                "New exceptions hold it: %s", "; ".join(self._o2c_held_lines()[self.id])
            )
        return self.env._("It needs a choice only you can make (e.g. a backorder).")

    def _o2c_resume_activity(self, action, user, reason):
        """One activity for ``user``: the exceptions are decided, do the held action now."""
        self.ensure_one()
        todo = self._o2c_resume_labels().get(action, (action, action))[1]
        xmlid = "o2c_exception_base.mail_activity_type_o2c_resume"
        self.activity_unlink([xmlid], user_id=user.id)
        self.activity_schedule(
            xmlid,
            summary=todo,
            note=Markup("<p>%s</p><p>%s</p>")
            % (self.env._("The exceptions that held it are decided."), reason or ""),
            user_id=user.id,
        )

    # ------------------------------------------------------------ ACTION
    def action_o2c_view_exceptions(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2c_exception_base.o2c_exception_action"
        )
        action["domain"] = self._o2c_exception_domain()
        action["context"] = {"create": False, "search_default_filter_live": 1}
        return action

    def action_o2c_request_approval(self):
        """Notify the approvers of the open exceptions of these documents; a toast
        says whom."""
        excs = self.env["o2c.exception"].sudo().search(self._o2c_exception_domain(("open",)))
        if not excs:
            raise UserError(self.env._("There is no open exception to approve."))
        excs.action_notify_approvers()
        excs._log_on_documents(
            lambda e: Markup("%s: %s")
            % (e.name, self.env._("approval requested by %s", self.env.user.name))
        )
        cache = {}
        approvers = self.env["res.users"].union(
            *(exc._get_eligible_approvers(cache) for exc in excs)
        )
        names = ", ".join(approvers[:5].mapped("name")) or self.env._("the O2C approvers")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Approval requested"),
                "message": self.env._("%(names)s will decide.", names=names),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_o2c_open_approval(self):
        """Open the first open exception of these documents the user may approve."""
        exc = self.env["o2c.exception"].search(
            self._o2c_approvable_domain(), order="deadline, id", limit=1
        )
        if not exc:
            raise UserError(self.env._("There is nothing here you may approve."))
        return exc._o2c_form_action()

    @api.model
    def _o2c_api_raise(self, res_ids, code, message=None, amount=None):
        """Documented entry point for developers and server actions.

        ``env['sale.order']._o2c_api_raise(ids, 'credit_hold', 'Over limit')``
        """
        values = {}
        if message:
            values["name"] = message
        if amount is not None:
            values["amount"] = amount
        return self.browse(res_ids)._o2c_raise_exceptions(code, values)
