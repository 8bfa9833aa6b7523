# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import drop_index

from ..governance import owning_action
from ..tools import BatchJob, among_ids, post_park_note
from .o2c_exception_type import SEVERITIES, STAGES

STATES = [
    ("open", "Open"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]
# States in which an exception still concerns its document.
LIVE_STATES = ("open", "approved", "rejected")
# States in which a blocking exception holds the guarded action.
HOLDING_STATES = ("open", "rejected")
# The escalation cron's batches (o2c.batch runs them inline or as queue jobs).
ESCALATION_JOB = BatchJob(
    "o2c.exception", "_o2c_escalation_lock", "_escalate", "_park_escalation", "root.o2c.escalation"
)
# Decisions that stop an exception from holding: the held action may go on.
RELEASING_STATES = ("approved", "resolved", "cancelled")


class O2cException(models.Model):
    _name = "o2c.exception"
    _description = "O2C Exception"
    _inherit = ["mail.thread", "mail.activity.mixin", "o2c.governed.mixin"]
    _order = "id desc"
    _mail_post_access = "read"
    # The decision, who asked and who may not decide, the route fixed when raised
    # and the document: only the engine's actions write them (managers included).
    _o2c_governed_fields = (
        "state",
        "decided_by_id",
        "decision_date",
        "decision_reason",
        "turnaround_hours",
        "requested_by_id",
        "request_date",
        "conflict_user_ids",
        "approval_ids",
        "key_hash",
        "deadline",
        "escalated",
        "escalated_date",
        "escalation_error",
        "resolved_date",
        "type_id",
        "code",
        "stage",
        "blocking",
        "approver_group_id",
        "min_approvals",
        "severity",
        "rule_id",
        "res_model",
        "res_id",
        "sale_order_id",
        "picking_id",
        "move_id",
        "root_cause_id",
        "o2c_measure",
        "o2c_threshold",
        "o2c_policy_ref",
        "o2c_policy_label",
        "product_id",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(string="Summary", required=True)
    details = fields.Html(sanitize=True, help="What exactly triggered the exception.")
    type_id = fields.Many2one("o2c.exception.type", required=True, index=True, ondelete="restrict")
    code = fields.Char(readonly=True, index=True, help="Code of the type when raised.")
    # Route fixed when raised: later edits of the type do not change it.
    stage = fields.Selection(STAGES, required=True, index=True, readonly=True)
    blocking = fields.Boolean(readonly=True)
    approver_group_id = fields.Many2one("res.groups", readonly=True, ondelete="restrict")
    min_approvals = fields.Integer(readonly=True, default=1)
    severity = fields.Selection(SEVERITIES, readonly=True)
    state = fields.Selection(
        STATES, default="open", required=True, index=True, tracking=True, readonly=True
    )
    res_model = fields.Char(string="Document Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, index=True, readonly=True
    )
    res_name = fields.Char(string="Document", readonly=True)
    document_ref = fields.Reference(
        selection="_selection_document_model",
        string="Document Reference",
        compute="_compute_document_ref",
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", index=True, ondelete="set null", readonly=True
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", index=True, ondelete="set null", readonly=True
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", index=True, ondelete="set null", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, readonly=True)
    # the decision's context on the exception form (read through the order's rights)
    order_amount_total = fields.Monetary(
        related="sale_order_id.amount_total",
        string="Order Total",
        currency_field="order_currency_id",
    )
    order_currency_id = fields.Many2one(
        related="sale_order_id.currency_id", string="Order Currency"
    )
    rule_id = fields.Many2one(
        "o2c.exception.rule",
        index="btree_not_null",
        readonly=True,
        ondelete="restrict",
        help="The admin-defined rule that raised it, if any.",
    )
    order_class_id = fields.Many2one(
        "o2c.order.class",
        index="btree_not_null",
        readonly=True,
        help="Class of the sales order when the exception was raised.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    amount = fields.Monetary(string="Value at Risk")
    requested_by_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    responsible_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        tracking=True,
        help="Who answers for the held document (its salesperson or responsible, "
        "per the exception type): their 'My queue' lists it with what they must decide.",
    )
    # indexed by ``o2c_exception_request_date_idx`` (see ``_auto_init``)
    request_date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    conflict_user_ids = fields.Many2many(
        "res.users",
        "o2c_exception_conflict_user_rel",
        "exception_id",
        "user_id",
        string="Cannot Approve",
        readonly=True,
        help="Segregation of duties: the requester and the users who created or "
        "last changed the document.",
    )
    approval_ids = fields.One2many("o2c.exception.approval", "exception_id", readonly=True)
    approval_count = fields.Integer(compute="_compute_approval_count")
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True, index=True)
    decision_reason = fields.Text(readonly=True)
    turnaround_hours = fields.Float(
        string="Turnaround (h)",
        readonly=True,
        aggregator="avg",
        help="Hours from the request to the decision.",
    )
    deadline = fields.Datetime(readonly=True, index=True)
    escalated = fields.Boolean(readonly=True, index=True, tracking=True)
    escalated_date = fields.Datetime(readonly=True)
    escalation_error = fields.Text(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Why the escalation job could not escalate this exception; the job "
        "leaves it out until someone retries it.",
    )
    resolved_date = fields.Datetime(readonly=True)
    key_hash = fields.Char(string="Document Snapshot", readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    can_approve = fields.Boolean(
        string="I Can Approve", compute="_compute_can_approve", search="_search_can_approve"
    )
    active = fields.Boolean(default=True)
    # why it happened: set with the decision (required to resolve or reject)
    root_cause_id = fields.Many2one(
        "o2c.root.cause", readonly=True, index=True, ondelete="restrict", tracking=True
    )
    # what the policy-gap advisor reads: the figure the control compared with its
    # limit, the limit, and the policy (tier, group, rule) whose limit it was;
    # filled by the check that raised the exception
    o2c_measure = fields.Float(
        string="Measured Value",
        readonly=True,
        help="The figure the control compared with its limit (e.g. the highest "
        "discount in %, the credit overrun).",
    )
    o2c_threshold = fields.Float(
        string="Policy Limit", readonly=True, help="The limit the measured value broke."
    )
    o2c_policy_ref = fields.Char(
        string="Policy Reference",
        readonly=True,
        index="btree_not_null",
        help="model,id,field of the policy (pricing policy, credit group, customer, "
        "company...) and of its limit field that raised it; model,id for a rule.",
    )
    o2c_policy_label = fields.Char(string="Policy", readonly=True)
    product_id = fields.Many2one(
        "product.product",
        readonly=True,
        index="btree_not_null",
        help="The product mostly concerned (e.g. the line with the highest discount).",
    )

    def _auto_init(self):
        res = super()._auto_init()
        # The mixin looks exceptions up by document; the cron by deadline.
        tools.create_index(
            self.env.cr,
            "o2c_exception_res_model_res_id_state_idx",
            self._table,
            ["res_model", "res_id", "state"],
        )
        tools.create_index(
            self.env.cr,
            "o2c_exception_escalation_idx",
            self._table,
            ["deadline"],
            where="state = 'open' AND escalated IS NOT TRUE",
        )
        # Exceptions by request date, covering what the dashboard counts: open at
        # an instant (decision date), past their SLA (deadline), by stage and type,
        # raised per week. Index-only scans instead of reading every (wide) row.
        drop_index(self.env.cr, "o2c_exception__request_date_index", self._table)
        tools.create_index(
            self.env.cr,
            "o2c_exception_request_date_idx",
            self._table,
            [
                "request_date",
                "company_id",
                "active",
                "type_id",
                "stage",
                "decision_date",
                "deadline",
            ],
        )
        # The dashboard's held values read the blocking exceptions: an index-only
        # scan of them instead of reading every (wide) exception row.
        tools.create_index(
            self.env.cr,
            "o2c_exception_held_idx",
            self._table,
            [
                "request_date",
                "decision_date",
                "state",
                "company_id",
                "active",
                "res_model",
                "res_id",
                "currency_id",
                "amount",
            ],
            where="blocking",
        )
        return res

    # ----------------------------------------------------------- COMPUTE
    @api.model
    def _selection_document_model(self):
        return [(m.model, m.name) for m in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_document_ref(self):
        for rec in self:
            if rec.res_model and rec.res_model in self.env and rec.res_id:
                rec.document_ref = f"{rec.res_model},{rec.res_id}"
            else:
                rec.document_ref = False

    @api.depends("approval_ids")
    def _compute_approval_count(self):
        for rec in self:
            rec.approval_count = len(rec.approval_ids)

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for rec in self:
            rec.is_overdue = bool(rec.state == "open" and rec.deadline and rec.deadline < now)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [("state", "=", "open"), ("deadline", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends_context("uid")
    @api.depends("state", "approver_group_id", "requested_by_id", "conflict_user_ids")
    def _compute_can_approve(self):
        user = self.env.user
        for rec in self:
            rec.can_approve = bool(
                rec.state == "open"
                and rec.approver_group_id in user.groups_id
                and user != rec.requested_by_id
                and user not in rec.conflict_user_ids
                and user not in rec.approval_ids.user_id
            )

    def _search_can_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on I Can Approve."))
        user = self.env.user
        domain = [
            ("state", "=", "open"),
            ("approver_group_id", "in", user.groups_id.ids),
            ("requested_by_id", "!=", user.id),
            ("conflict_user_ids", "not any", [("id", "=", user.id)]),
            ("approval_ids", "not any", [("user_id", "=", user.id)]),
        ]
        return domain if (operator == "=") == value else ["!", "&", "&", "&", "&", *domain]

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # exceptions are raised by the engine (checks, rules, _o2c_api_raise) only
        self._o2c_check_governed_create(vals_list)
        self._prepare_create_vals(vals_list)
        # The row itself is the audit of the request (who, when, what); no
        # "created" message per exception, so bulk raises stay cheap.
        with owning_action(self._name):
            records = super(
                O2cException,
                self.with_context(mail_create_nosubscribe=True, mail_create_nolog=True),
            ).create(vals_list)
        return records.with_env(self.env)

    @api.model
    def _prepare_create_vals(self, vals_list):
        """Fill the route (from the type) and the document links (from the document)."""
        types = self.env["o2c.exception.type"].browse(
            {vals["type_id"] for vals in vals_list if vals.get("type_id")}
        )
        types.fetch(
            ["stage", "blocking", "approver_group_id", "min_approvals", "severity", "sla_hours"]
        )
        by_model = {}
        for vals in vals_list:
            if vals.get("res_model") and vals.get("res_id"):
                by_model.setdefault(vals["res_model"], set()).add(vals["res_id"])
        doc_vals = {}
        governed = self._o2c_document_models()
        for model, ids in by_model.items():
            if model in governed:
                docs = self.env[model].sudo().browse(ids).exists()
                for doc_id, dvals in docs._o2c_exception_document_vals().items():
                    doc_vals[(model, doc_id)] = dvals
        responsibles = self._o2c_document_responsibles(by_model)
        now = fields.Datetime.now()
        for vals in vals_list:
            etype = types.browse(vals.get("type_id"))
            if etype:
                vals.setdefault("code", etype.code)
                vals.setdefault("stage", etype.stage)
                vals.setdefault("blocking", etype.blocking)
                vals.setdefault("approver_group_id", etype.approver_group_id.id)
                vals.setdefault("min_approvals", etype.min_approvals)
                vals.setdefault("severity", etype.severity)
                if etype.sla_hours and "deadline" not in vals:
                    vals["deadline"] = now + timedelta(hours=etype.sla_hours)
            document = (vals.get("res_model"), vals.get("res_id"))
            for key, value in doc_vals.get(document, {}).items():
                vals.setdefault(key, value)
            if etype and document in responsibles:
                vals.setdefault(
                    "responsible_id", self._o2c_responsible_of(etype, *responsibles[document])
                )
            vals.setdefault("name", etype.name or self.env._("Exception"))

    def _o2c_assign_responsibles(self):
        """Give these exceptions the responsible of their document, per their type
        (exceptions raised before responsibles existed: see the migration)."""
        responsibles = self._o2c_document_responsibles(
            {model: excs.mapped("res_id") for model, excs in self.grouped("res_model").items()}
        )
        for exc in self:
            users = responsibles.get((exc.res_model, exc.res_id))
            if users:
                exc.responsible_id = self._o2c_responsible_of(exc.type_id, *users)

    @api.model
    def _o2c_document_responsibles(self, ids_by_model):
        """``{(model, id): (responsible user, team leader)}`` of the governed documents
        of ``ids_by_model`` (``{model: ids}``), one batch per model."""
        governed = self._o2c_document_models()
        result = {}
        for model, ids in ids_by_model.items():
            if model in governed:
                docs = self.env[model].sudo().browse(ids).exists()
                for doc_id, users in docs._o2c_responsibles().items():
                    result[(model, doc_id)] = users
        return result

    @api.model
    def _o2c_responsible_of(self, etype, user, leader):
        """The responsible an exception of ``etype`` gets on a document answered for
        by ``user`` (its salesperson, responsible) in a team led by ``leader``."""
        first, second = (leader, user) if etype.responsible == "team_leader" else (user, leader)
        return False if etype.responsible == "none" else (first or second).id

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Exceptions are part of the audit trail and cannot be deleted. "
                "Cancel or archive them instead."
            )
        )

    # ------------------------------------------------------------ ACTION
    def action_approve(self, reason=None, root_cause_id=None):
        """Record the current user's approval; approve when enough distinct approvers agree.

        The exceptions are locked first, so two sessions deciding at once are
        serialized; each person counts once (ids repeated in ``self`` too), and
        the database refuses a second live approval of one person.

        :param root_cause_id: why it happened (an ``o2c.root.cause`` id or record);
            optional: without one, the default of the exception's type
        """
        distinct = self.browse(list(dict.fromkeys(self.ids)))
        if len(distinct) != len(self):
            return distinct.action_approve(reason, root_cause_id=root_cause_id)
        reason = self._check_reason(reason, "approve")
        self._lock_for_decision()
        self._check_can_decide("approve")
        root_cause = self._o2c_check_root_cause(root_cause_id, "approve")
        user = self.env.user
        keys = self._get_document_key_hashes()
        with owning_action("o2c.exception.approval"):
            self.env["o2c.exception.approval"].sudo().create(
                [
                    {
                        "exception_id": rec.id,
                        "user_id": user.id,
                        "reason": reason,
                        "key_hash": keys.get(rec.id),
                        "root_cause_id": root_cause.id,
                    }
                    for rec in self
                ]
            )
        done = self.filtered(lambda r: r._approver_count() >= r.min_approvals)
        for rec in self - done:
            rec.sudo().message_post(
                body=self.env._(
                    "Approval %(count)s of %(needed)s by %(user)s: %(reason)s",
                    count=rec._approver_count(),
                    needed=rec.min_approvals,
                    user=user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        if done:
            done._o2c_set_root_cause(root_cause)
            done._set_decision("approved", reason, keys)
        return True

    def _approver_count(self):
        """Distinct people whose approval counts (archived ones do not)."""
        self.ensure_one()
        return len(self.approval_ids.filtered("active").user_id)

    def _lock_for_decision(self):
        """Lock these exceptions' rows until the transaction ends (one decider at a time).

        The rows are locked in id order and touched (a new row version, even for
        a partial approval that writes nothing else on the exception): a
        concurrent decision that committed meanwhile makes this fail with a
        serialization error, which Odoo's RPC layer retries, and the retry sees
        it. A bare ``FOR UPDATE`` would let the second of two approvers of a
        two-person rule go on with a snapshot missing the first approval.
        """
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE o2c_exception SET write_date = write_date WHERE id IN "
                    "(SELECT id FROM o2c_exception WHERE id IN %s ORDER BY id FOR UPDATE)",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset()

    def action_reject(self, reason=None, root_cause_id=None):
        """Reject: the document stays held until it changes or a manager cancels.

        :param root_cause_id: why it happened (an ``o2c.root.cause`` id or record), required
        """
        reason = self._check_reason(reason, "reject")
        self._lock_for_decision()
        self._check_can_decide("reject")
        self._o2c_set_root_cause(self._o2c_check_root_cause(root_cause_id, "reject"))
        self._set_decision("rejected", reason, self._get_document_key_hashes())
        return True

    def action_resolve(self, reason=None, root_cause_id=None):
        """The cause is gone (fixed document, delivered backorder, validated POD...).

        :param root_cause_id: why it happened (an ``o2c.root.cause`` id or record), required
        """
        reason = self._check_reason(reason, "resolve")
        self._lock_for_decision()
        self._check_can_decide("resolve")
        self._o2c_set_root_cause(self._o2c_check_root_cause(root_cause_id, "resolve"))
        self._set_decision("resolved", reason)
        return True

    def action_cancel(self, reason=None, root_cause_id=None):
        """Managers only: the exception no longer applies.

        :param root_cause_id: optional (an ``o2c.root.cause`` id or record): without
            one, the exception keeps its root cause or takes its type's default
        """
        reason = self._check_reason(reason, "cancel")
        if not self.env.user.has_group("o2c_exception_base.group_o2c_manager"):
            raise UserError(self.env._("Only O2C managers can cancel exceptions."))
        self._lock_for_decision()
        self._check_state(LIVE_STATES, "cancel")
        self._o2c_set_root_cause(self._o2c_check_root_cause(root_cause_id, "cancel"))
        self._set_decision("cancelled", reason)
        return True

    def action_approve_next(self, reason=None, root_cause_id=None):
        """Approve, then open the next exception this user may decide (by deadline)."""
        self.action_approve(reason, root_cause_id=root_cause_id)
        following = self.search([("can_approve", "=", True)], order="deadline, id", limit=1)
        if not following:
            return self.env["ir.actions.actions"]._for_xml_id(
                "o2c_exception_base.o2c_exception_action"
            )
        return following._o2c_form_action()

    def _o2c_form_action(self):
        """Window action opening this exception's form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_open_decision_wizard(self):
        decision = self.env.context.get("o2c_decision", "approve")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decision"),
            "res_model": "o2c.exception.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_exception_ids": self.ids, "default_decision": decision},
        }

    def action_open_document(self):
        self.ensure_one()
        if not self.document_ref:
            raise UserError(self.env._("The document of this exception no longer exists."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def action_notify_approvers(self):
        """Schedule an approval activity for each approver who can act now."""
        activity_type = self.env.ref(
            "o2c_exception_base.mail_activity_type_o2c_approval", raise_if_not_found=False
        )
        todo = self.filtered(lambda r: r.state == "open")
        if not todo or not activity_type:
            return True
        existing = {
            (a.res_id, a.user_id.id)
            for a in todo.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list, cache = [], {}
        for rec in todo:
            for user in rec._get_eligible_approvers(cache):
                if (rec.id, user.id) in existing:
                    continue
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": rec.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": self.env._("Approve: %s", rec.name)[:200],
                        "automated": True,
                        "date_deadline": (rec.deadline or fields.Datetime.now()).date(),
                    }
                )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
        return True

    # ---------------------------------------------------------- BUSINESS
    def _get_eligible_approvers(self, cache=None):
        """Users who may approve this exception now (group, company, SoD).

        :param cache: dict shared across calls to look each group/company up once
        """
        self.ensure_one()
        cache = {} if cache is None else cache
        key = (self.approver_group_id.id, self.company_id.id)
        if key not in cache:
            cache[key] = self.approver_group_id.sudo().users.filtered(
                lambda u: u.active
                and not u.share
                and self.company_id in u.company_ids
                and u.id != 1
            )
        return (
            cache[key] - self.requested_by_id - self.conflict_user_ids - self.approval_ids.user_id
        )

    def _o2c_reason_required(self, action):
        """Whether ``action`` needs a reason: approving needs none (one click from
        the queue), unless a control's exceptions say so (an override of terms)."""
        return action != "approve"

    def _check_reason(self, reason, action):
        if not self._o2c_reason_required(action) and not (reason and str(reason).strip()):
            return self.env._("Approved without comment.")
        if not reason or not str(reason).strip():
            raise UserError(
                self.env._("A reason is required to %s an exception (field Reason).", action)
            )
        return str(reason).strip()

    def _o2c_root_cause_required(self, action):
        """Whether ``action`` needs a root cause from its decider: rejecting and
        resolving do; approving and cancelling take the default when none is given."""
        return action in ("reject", "resolve")

    def _o2c_check_root_cause(self, root_cause_id, action):
        """The root cause given to ``action`` (an id or a record, over RPC an id),
        checked: it exists and is active, and is given when ``action`` needs one.

        :return: an ``o2c.root.cause`` record, empty when none was given
        """
        causes = self.env["o2c.root.cause"]
        if isinstance(root_cause_id, models.BaseModel) and root_cause_id._name == causes._name:
            root_cause_id = root_cause_id.id if len(root_cause_id) == 1 else root_cause_id.ids
        if root_cause_id and (
            isinstance(root_cause_id, bool)
            or not isinstance(root_cause_id, int)
            or not 0 < root_cause_id < 2**31  # an id the database can look up
        ):
            raise UserError(
                self.env._("Root Cause must be the id of one root cause (got %r).", root_cause_id)
            )
        cause = causes.browse(root_cause_id or ()).exists()
        if root_cause_id and not cause.active:
            raise UserError(
                self.env._(
                    "Root Cause %s does not exist or is archived: choose an active one.",
                    root_cause_id,
                )
            )
        if not cause and self._o2c_root_cause_required(action):
            raise UserError(
                self.env._(
                    "A root cause is required to %s an exception (field Root Cause).", action
                )
            )
        return cause

    def _o2c_set_root_cause(self, root_cause):
        """Record the root cause the decider gave, as part of their decision (none: no-op)."""
        if root_cause:
            self.sudo()._o2c_owned_write({"root_cause_id": root_cause.id})

    def _o2c_default_root_causes(self):
        """``{exception id: root cause}`` a decision takes when nobody gives one.

        The active default of the exception's type; a feature addon that knows
        better (a dispute's own root cause, say) extends it.
        """
        return {rec.id: rec.type_id.default_root_cause_id.filtered("active") for rec in self}

    def _o2c_root_cause_line(self):
        """The root cause line of the decision's chatter message (empty without one)."""
        self.ensure_one()
        if not self.root_cause_id:
            return ""
        return Markup("<br/>%s") % self.env._("Root cause: %s", self.root_cause_id.name)

    def _check_state(self, states, action):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "Cannot %(action)s exception %(name)s: it is %(state)s.",
                    action=action,
                    name=wrong[0].display_name,
                    state=dict(STATES)[wrong[0].state],
                )
            )

    def _check_can_decide(self, action):
        """Raise unless the current user may take ``action`` on every exception."""
        user = self.env.user
        self._check_state(("open",) if action != "resolve" else LIVE_STATES, action)
        for rec in self:
            if rec.company_id not in user.company_ids:
                raise UserError(
                    self.env._(
                        "You cannot %(action)s %(name)s: it belongs to company " "%(company)s.",
                        action=action,
                        name=rec.display_name,
                        company=rec.company_id.name,
                    )
                )
            if rec.approver_group_id not in user.groups_id and not user.has_group(
                "o2c_exception_base.group_o2c_manager"
            ):
                raise UserError(
                    self.env._(
                        "You cannot %(action)s %(name)s: only members of " "%(group)s can.",
                        action=action,
                        name=rec.display_name,
                        group=rec.approver_group_id.full_name,
                    )
                )
            if action != "approve":
                continue
            if rec.approver_group_id not in user.groups_id:
                raise UserError(
                    self.env._(
                        "You cannot approve %(name)s: only members of %(group)s can.",
                        name=rec.display_name,
                        group=rec.approver_group_id.full_name,
                    )
                )
            if user == rec.requested_by_id:
                raise UserError(
                    self.env._(
                        "Segregation of duties: you cannot approve %s, you requested it.",
                        rec.display_name,
                    )
                )
            if user in rec.conflict_user_ids:
                raise UserError(
                    self.env._(
                        "Segregation of duties: you cannot approve %s, you created, "
                        "changed or sell the document.",
                        rec.display_name,
                    )
                )
            if user in rec.approval_ids.user_id:
                raise UserError(
                    self.env._(
                        "You already approved %s: another approver is needed.", rec.display_name
                    )
                )

    def _set_decision(self, state, reason, keys=None):
        """Write a final state with who/when/why, close activities, tell the document.

        :param reason: a text, or ``{exception id: text}`` (one decision per record)
        """
        now = fields.Datetime.now()
        user = self.env.user
        reasons = {
            rec.id: reason.get(rec.id) or "" if isinstance(reason, dict) else reason for rec in self
        }
        # a decision nobody gave a root cause to (the system's, an approval without
        # one) takes the default; one given by the decider is already written
        defaults = self.filtered(lambda r: not r.root_cause_id)._o2c_default_root_causes()
        for rec in self:
            vals = {
                "state": state,
                "decided_by_id": user.id,
                "decision_date": now,
                "decision_reason": reasons[rec.id],
                "turnaround_hours": (now - rec.request_date).total_seconds() / 3600.0,
            }
            if defaults.get(rec.id):
                vals["root_cause_id"] = defaults[rec.id].id
            if state == "resolved":
                vals["resolved_date"] = now
            if keys is not None:
                vals["key_hash"] = keys.get(rec.id, rec.key_hash)
            with owning_action(self._name):
                rec.sudo().write(vals)
        label = dict(STATES)[state]
        bodies = {
            rec.id: Markup("<b>%s</b> %s<br/>%s%s")
            % (label, user.name, reasons[rec.id], rec._o2c_root_cause_line())
            for rec in self
        }
        self.sudo()._message_log_batch(bodies=bodies)
        self.sudo().activity_unlink(["o2c_exception_base.mail_activity_type_o2c_approval"])
        self._log_on_documents(
            lambda rec: Markup("%s: <b>%s</b> %s — %s")
            % (rec.name, label, user.name, reasons[rec.id])
        )
        if state in RELEASING_STATES:
            self._o2c_resume_documents()
        elif state == "rejected":
            self._o2c_tell_documents_rejected()

    def _o2c_held_documents(self):
        """``{model: {document id: its exceptions among these}}``: the governed
        documents these blocking exceptions hold."""
        documents = self._o2c_document_models()
        by_model = defaultdict(lambda: defaultdict(self.browse))
        for rec in self.filtered("blocking"):
            if rec.res_model in documents and rec.res_id:
                by_model[rec.res_model][rec.res_id] |= rec
        return by_model

    def _o2c_tell_documents_rejected(self):
        """The documents held by these rejected exceptions hear of it (a hook)."""
        for model, by_id in self._o2c_held_documents().items():
            self.env[model].sudo().browse(sorted(by_id)).exists()._o2c_after_rejection()

    def _o2c_resume_documents(self):
        """The held action of the documents these decisions freed goes on (or is asked for)."""
        for model, by_id in self._o2c_held_documents().items():
            stopped = {
                doc_id
                for doc_id, excs in by_id.items()
                if not all(exc.type_id.resume_after_decision for exc in excs)
            }
            docs = self.env[model].sudo().browse(sorted(by_id)).exists()
            docs.filtered(lambda d, s=stopped: d.id not in s)._o2c_resume_held()
            docs.filtered(lambda d, s=stopped: d.id in s)._o2c_resume_held(allowed=False)

    def _o2c_decide_as_system(self, state, reason):
        """Decide as the system (superuser), e.g. a hold released by a recheck.

        The audit shows the system as the decider; whose action triggered it
        is for the caller to record (e.g. in ``reason``).
        """
        return self.with_user(SUPERUSER_ID).sudo()._set_decision(state, reason)

    def _reopen(self, reason):
        """The document changed after the decision: the exception needs a new one."""
        now = fields.Datetime.now()
        # whoever changed the document may not approve the new request (SoD)
        changer = self.env.user if self.env.user.id != SUPERUSER_ID else self.env["res.users"]
        for rec in self:
            etype = rec.type_id
            rec.sudo()._o2c_owned_write(
                {
                    "conflict_user_ids": [Command.link(u.id) for u in changer],
                    "state": "open",
                    "decided_by_id": False,
                    "decision_date": False,
                    "decision_reason": False,
                    "root_cause_id": False,
                    "turnaround_hours": 0.0,
                    "request_date": now,
                    "escalated": False,
                    "escalation_error": False,
                    "deadline": now + timedelta(hours=etype.sla_hours)
                    if etype.sla_hours
                    else False,
                }
            )
        self.approval_ids.sudo()._o2c_owned_write({"active": False})
        self.sudo()._message_log_batch(
            bodies={
                rec.id: Markup("<b>%s</b>: %s") % (self.env._("Reopened"), reason) for rec in self
            }
        )
        self._log_on_documents(
            lambda rec: Markup("%s: <b>%s</b> — %s") % (rec.name, self.env._("reopened"), reason)
        )
        self.action_notify_approvers()

    def _log_on_documents(self, body_fn):
        """Post a note on each live document that has a chatter (one batch per model)."""
        for records, recs in self._o2c_by_document_model():
            lines = defaultdict(list)
            for rec in recs:
                lines[rec.res_id].append(body_fn(rec))
            bodies = {doc_id: Markup("<br/>").join(lines[doc_id]) for doc_id in records.ids}
            if bodies:
                records._o2c_log_batch(bodies)

    def _get_document_key_hashes(self):
        """Return ``{exception id: current key hash of its document}``."""
        result = {}
        for docs, model_recs in self._o2c_by_document_model():
            for code in set(model_recs.mapped("code")):
                recs = model_recs.filtered(lambda e, c=code: e.code == c)
                hashes = docs.browse(recs.mapped("res_id"))._o2c_key_hashes(code)
                for rec in recs:
                    result[rec.id] = hashes.get(rec.res_id)
        return result

    @api.model
    def _o2c_document_models(self):
        """The models that follow the documents' contract (``o2c.exception.mixin``)."""
        return self.env.registry["o2c.exception.mixin"]._inherit_children

    def _o2c_by_document_model(self):
        """Yield ``(documents, their exceptions)`` per governed model.

        The mixin guarantees every hook the queue calls on them; exceptions on
        other models (raised by code on a partner, say) have no document hooks.
        """
        governed = self._o2c_document_models()
        for model in sorted(set(self.mapped("res_model")) & set(governed)):
            recs = self.filtered(lambda e, m=model: e.res_model == m)
            yield self.env[model].sudo().browse(recs.mapped("res_id")).exists(), recs

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_escalate(self, batch_size=500):
        """Escalate open exceptions past their deadline, one committed batch at a time.

        Safe with several workers: each batch is taken with FOR UPDATE SKIP LOCKED,
        so two workers never escalate the same row.
        """
        return self.env["o2c.batch"]._o2c_run_batches(
            ESCALATION_JOB,
            batch_size,
            take_batch=lambda limit, _previous: self._escalate_batch(limit),
        )

    @api.model
    def _escalate_batch(self, limit):
        """Lock and escalate up to ``limit`` overdue exceptions, most overdue first.

        An exception that fails alone is parked (``escalation_error``, a note)
        and left out of the next runs; the others are escalated.
        """
        return ESCALATION_JOB.lock_and_run(
            self.env, limit, "overdue exceptions escalated", order=SQL("deadline")
        )

    @api.model
    def _o2c_escalation_lock(self, limit, after_id=0, ids=None, order=None):
        """Lock up to ``limit`` exceptions due for escalation (id order by default)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM o2c_exception
                WHERE state = 'open' AND escalated IS NOT TRUE AND deadline < %s
                  AND active AND escalation_error IS NULL AND id > %s %s
             ORDER BY %s
                LIMIT %s
           FOR UPDATE SKIP LOCKED""",
                fields.Datetime.now(),
                after_id,
                among_ids("id", ids),
                order or SQL("id"),
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _escalate(self):
        """Mark these exceptions escalated, log it, give their managers an activity."""
        now = fields.Datetime.now()
        self.with_context(tracking_disable=True)._o2c_owned_write(
            {"escalated": True, "escalated_date": now}
        )
        self._message_log_batch(
            bodies={
                rec.id: Markup("<b>%s</b>: %s")
                % (self.env._("Escalated"), self.env._("past its deadline of %s", rec.deadline))
                for rec in self
            }
        )
        self._create_escalation_activities()

    def _park_escalation(self, error):
        """Take this exception out of the escalation job, with the reason."""
        self.sudo()._o2c_owned_write({"escalation_error": error})
        post_park_note(self, self.env._("Escalation failed"), error)

    def action_retry_escalation(self):
        """Give exceptions the escalation job parked back to it (its next run)."""
        if not self.env.user.has_group("o2c_exception_base.group_o2c_manager"):
            raise UserError(self.env._("Only O2C managers can retry the escalation."))
        todo = self.filtered("escalation_error")
        if todo:
            todo.sudo()._o2c_owned_write({"escalation_error": False})
            todo.sudo()._message_log_batch(
                bodies=dict.fromkeys(
                    todo.ids,
                    self.env._("Escalation retry requested by %s", self.env.user.name),
                )
            )
            self.env.ref("o2c_exception_base.ir_cron_o2c_exception_escalate").sudo()._trigger()
        return True

    def _create_escalation_activities(self):
        activity_type = self.env.ref("o2c_exception_base.mail_activity_type_o2c_escalation")
        managers = (
            self.env.ref("o2c_exception_base.group_o2c_manager")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and u.id != 1)
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = []
        for rec in self:
            users = rec.type_id.escalation_user_id or managers.filtered(
                lambda u, rec=rec: rec.company_id in u.company_ids
            )
            for user in users:
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": rec.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": self.env._("Overdue: %s", rec.name)[:200],
                        "automated": True,
                        "date_deadline": today,
                    }
                )
        if vals_list:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                vals_list
            )
