# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from psycopg2 import errors as pgerrors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..governance import governed_write_allowed, owning_action

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("in_review", "In Review"),
    ("decided", "Decided"),
    ("closed", "Closed"),
]
#: ``{action: (state it starts from, state it leads to)}`` of the review's buttons
TRANSITIONS = {
    "start": ("draft", "in_review"),
    "decide": ("in_review", "decided"),
    "close": ("decided", "closed"),
}
#: days the stage owners have to go through a new review (their activity's deadline)
REVIEW_DEADLINE_DAYS = 7


class O2cReview(models.Model):
    """The monthly review of one company's order-to-cash by its leadership.

    Records the month's figures of the control tower (and the month before),
    the policy changes the advisor proposes with the board's decision on each,
    the top root causes of the month's decisions, the board's notes, and the
    stage owners it is assigned to. Created each month by a cron job (or by a
    manager); moves draft -> in review -> decided -> closed through its buttons
    only; never deleted (archive it).
    """

    _name = "o2c.review"
    _description = "O2C Monthly Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "o2c.governed.mixin"]
    _order = "date_from desc, company_id"
    _mail_post_access = "read"
    # the period, the figures as computed, who moved it and when: only the
    # engine's actions write them
    _o2c_governed_fields = (
        "name",
        "state",
        "company_id",
        "date_from",
        "date_to",
        "computed_date",
        "owner_ids",
        "owner_group_ids",
        "decided_by_id",
        "decided_date",
        "closed_by_id",
        "closed_date",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(compute="_compute_name", store=True, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    state = fields.Selection(
        STATES, default="draft", required=True, index=True, tracking=True, readonly=True
    )
    active = fields.Boolean(default=True, tracking=True)
    computed_date = fields.Datetime(string="Figures Computed On", readonly=True)
    metric_ids = fields.One2many("o2c.review.metric", "review_id", string="Figures")
    proposal_ids = fields.One2many("o2c.review.proposal", "review_id", string="Proposals")
    root_cause_ids = fields.One2many("o2c.review.root.cause", "review_id", string="Root Causes")
    notes = fields.Html(
        string="Decisions and Notes",
        sanitize=True,
        help="What the board decided and why; frozen once the review is closed.",
    )
    owner_ids = fields.Many2many(
        "res.users",
        "o2c_review_owner_rel",
        "review_id",
        "user_id",
        string="Owners",
        readonly=True,
        help="Users of the stage owner groups the review was assigned to.",
    )
    owner_group_ids = fields.Many2many(
        "res.groups", string="Owner Groups", readonly=True, help="Owner groups of the stages."
    )
    undecided_count = fields.Integer(
        string="Undecided Proposals", compute="_compute_undecided_count"
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    closed_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "company_period_uniq",
            "unique(company_id, date_from)",
            "A company has one monthly review per month.",
        ),
    ]

    # ----------------------------------------------------------- COMPUTE
    @api.depends("company_id", "date_from")
    def _compute_name(self):
        for rec in self:
            rec.name = self.env._(
                "Review %(month)s – %(company)s",
                month=rec.date_from.strftime("%Y-%m") if rec.date_from else "",
                company=rec.company_id.name or "",
            )

    @api.depends("proposal_ids.decision")
    def _compute_undecided_count(self):
        for rec in self:
            rec.undecided_count = len(rec.proposal_ids.filtered(lambda p: not p.decision))

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("date_from", "date_to")
    def _check_calendar_month(self):
        for rec in self:
            month_end = rec.date_from + relativedelta(day=31)
            if rec.date_from.day != 1 or rec.date_to != month_end:
                raise ValidationError(
                    self.env._(
                        "From and To of %(review)s must be one calendar month "
                        "(%(start)s to %(end)s).",
                        review=rec.name,
                        start=rec.date_from.replace(day=1),
                        end=month_end,
                    )
                )

    # -------------------------------------------------------------- CRUD
    def write(self, vals):
        if "notes" in vals and not governed_write_allowed(self._name):
            closed = self.filtered(
                lambda r: r.state == "closed" and self._o2c_value_differs(r, "notes", vals["notes"])
            )
            if closed:
                raise UserError(
                    self.env._("Decisions and Notes of a closed review are part of its record.")
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Monthly reviews are the board's record: archive them, never delete them.")
        )

    # ------------------------------------------------------------ ACTION
    def action_start_review(self):
        """Draft -> in review: the figures are frozen, the proposals can be decided."""
        return self._o2c_transition("start", {})

    def action_mark_decided(self):
        """In review -> decided, once every proposal has its decision."""
        undecided = self.filtered(lambda r: r.state == "in_review" and r.undecided_count)
        if undecided:
            raise UserError(
                self.env._(
                    "Proposals: decide each proposal of %s (accept, reject or defer) first.",
                    undecided[0].name,
                )
            )
        now = fields.Datetime.now()
        return self._o2c_transition("decide", {"decided_by_id": self.env.uid, "decided_date": now})

    def action_close(self):
        """Decided -> closed: the owners' review activities are done."""
        now = fields.Datetime.now()
        self._o2c_transition("close", {"closed_by_id": self.env.uid, "closed_date": now})
        self.sudo().activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=self.env._("Review closed by %s", self.env.user.name),
        )
        return True

    def action_refresh(self):
        """Compute the figures, proposals and root causes of a draft review again."""
        self._o2c_check_manager()
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("Only a draft review's figures are computed again."))
        for rec in self:
            rec.sudo()._o2c_compute_content()
        return True

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_manager(self):
        if not self.env.user.has_group("o2c_exception_base.group_o2c_manager"):
            raise UserError(self.env._("Only O2C managers move a monthly review forward."))
        self.check_access("write")

    def _o2c_transition(self, action, vals):
        """Move the reviews along ``action`` of :data:`TRANSITIONS`, with ``vals``."""
        self._o2c_check_manager()
        start, end = TRANSITIONS[action]
        wrong = self.filtered(lambda r: r.state != start)
        if wrong:
            labels = dict(STATES)
            raise UserError(
                self.env._(
                    "%(review)s is %(state)s: this step is for reviews %(start)s.",
                    review=wrong[0].name,
                    state=labels[wrong[0].state],
                    start=labels[start],
                )
            )
        self.sudo()._o2c_owned_write(dict(vals, state=end))
        return True

    # ------------------------------------------------------------ ENGINE
    @api.model
    def _o2c_month(self, day):
        """``(first day, last day)`` of the month of ``day``."""
        day = fields.Date.to_date(day)
        return day.replace(day=1), day + relativedelta(day=31)

    @api.model
    def _o2c_get_or_create(self, company, day):
        """The review of ``company`` for the month of ``day``, created if there is none.

        Safe when two sessions or workers create it at once: the unique
        constraint lets one through, the other finds it.
        """
        date_from, __ = self._o2c_month(day)
        existing = self._o2c_existing(company, date_from)
        if existing:
            return existing
        try:
            with self.env.cr.savepoint():
                return self._o2c_create_review(company, date_from)
        except pgerrors.UniqueViolation:
            return self._o2c_existing(company, date_from)

    @api.model
    def _o2c_existing(self, company, date_from):
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", company.id), ("date_from", "=", date_from)], limit=1)
        )

    @api.model
    def _o2c_create_review(self, company, date_from):
        """Create the review of ``company`` for the month starting ``date_from``:
        its figures, proposals, root causes and owners."""
        __, date_to = self._o2c_month(date_from)
        Review = self.sudo().with_company(company)
        with owning_action(self._name):
            review = Review.create(
                {"company_id": company.id, "date_from": date_from, "date_to": date_to}
            )
        review._o2c_compute_content()
        review._o2c_assign_owners()
        return review

    def _o2c_compute_content(self):
        """(Re)write the figures, proposals and root causes of the review (engine, sudo)."""
        self.ensure_one()
        for lines in (self.metric_ids, self.root_cause_ids, self.proposal_ids):
            lines.unlink()
        vals = {
            "metric_ids": [Command.create(v) for v in self._o2c_metric_vals()],
            "root_cause_ids": [Command.create(v) for v in self._o2c_root_cause_vals()],
            "proposal_ids": [Command.create(v) for v in self._o2c_proposal_vals()],
            "computed_date": fields.Datetime.now(),
        }
        with owning_action(self._name, "o2c.review.proposal"):
            self.write(vals)

    def _o2c_dashboard(self):
        """The control tower as the review reads it: this company only, every
        figure whoever runs it, days in the company's time zone (UTC without)."""
        company = self.company_id
        return (
            self.env["o2c.dashboard"]
            .sudo()
            .with_company(company)
            .with_context(allowed_company_ids=[company.id], tz=company.partner_id.tz or "UTC")
        )

    def _o2c_dashboard_figures(self, date_from, date_to):
        """``({key: figure}, {section key: section})`` of the dashboard over the dates."""
        data = self._o2c_dashboard().get_dashboard_data(
            {
                "company_ids": self.company_id.ids,
                "date_from": fields.Date.to_string(date_from),
                "date_to": fields.Date.to_string(date_to),
                "role": "all",
            }
        )
        return {figure["key"]: figure for figure in data["figures"]}, data["sections"]

    def _o2c_metric_vals(self):
        """Values of the review's figures: the dashboard's, on the month and the
        month before, in the dashboard's order (by section)."""
        keys = self._o2c_dashboard()._o2c_review_figure_keys()
        figures, sections = self._o2c_dashboard_figures(self.date_from, self.date_to)
        prev_from, prev_to = self._o2c_month(self.date_from - timedelta(days=1))
        before, __ = self._o2c_dashboard_figures(prev_from, prev_to)
        # a key without figure: a figure of an addon that is not installed
        shown = [figures[key] for key in dict.fromkeys(keys) if key in figures]
        section_of = {key: (s["sequence"], s["title"]) for key, s in sections.items()}
        for figure in shown:  # a section an addon did not declare: last, by its key
            section_of.setdefault(figure["section"], (1000, figure["section"]))
        shown.sort(key=lambda f: (section_of[f["section"]][0], f["sequence"], f["key"]))
        vals_list = []
        for sequence, figure in enumerate(shown):
            key = figure["key"]
            previous = before.get(key, {}).get("value")
            vals_list.append(
                {
                    "sequence": sequence,
                    "key": key,
                    "title": figure["title"],
                    "section": section_of[figure["section"]][1],
                    "unit": figure["unit"],
                    "value": figure["value"] or 0.0,
                    "has_value": figure["value"] is not None,
                    "previous": previous or 0.0,
                    "has_previous": previous is not None,
                    "better": figure["better"] or False,
                }
            )
        return vals_list

    def _o2c_root_cause_vals(self):
        """The most frequent root causes of the exceptions decided in the month."""
        day_start = self._o2c_dashboard()._o2c_day_start
        return self.env["o2c.review.root.cause"]._o2c_top_vals(
            self.company_id,
            day_start(self.date_from),
            day_start(self.date_to + timedelta(days=1)),
        )

    def _o2c_proposal_vals(self):
        """The advisor's proposals for the company and month, as proposal lines."""
        proposals = (
            self.env["o2c.advisor"]
            .sudo()
            .with_company(self.company_id)
            .o2c_proposals(self.company_id.ids, self.date_from, self.date_to)
        )
        Proposal = self.env["o2c.review.proposal"]
        return [Proposal._o2c_vals_from_advisor(seq, p) for seq, p in enumerate(proposals)]

    def _o2c_assign_owners(self):
        """Assign the review to the owners of every stage: one To-Do for each user."""
        self.ensure_one()
        groups, users = self.env["o2c.stage.owner"]._o2c_owners(self.company_id)
        self._o2c_owned_write(
            {"owner_ids": [Command.set(users.ids)], "owner_group_ids": [Command.set(groups.ids)]}
        )
        deadline = fields.Date.context_today(self) + timedelta(days=REVIEW_DEADLINE_DAYS)
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": self.id,
                    "activity_type_id": todo.id,
                    "user_id": user.id,
                    "summary": self.env._("Monthly review"),
                    "note": self.name,
                    "automated": True,
                    "date_deadline": deadline,
                }
                for user in users
            ]
        )

    @api.model
    def _cron_create_monthly_reviews(self):
        """Create last month's review of every company that has none yet.

        Idempotent (a company's review of a month exists once: an existing one
        is skipped, one created meanwhile by another worker is caught by the
        unique constraint); each company in its own savepoint, committed when
        run as a cron job: a company that fails is logged, the others go on.
        """
        date_from = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        companies = self.env["res.company"].sudo().search([])
        done = (
            self.sudo()
            .with_context(active_test=False)
            .search([("date_from", "=", date_from), ("company_id", "in", companies.ids)])
            .company_id
        )
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        created = self.browse()
        for company in companies - done:
            created |= self._o2c_cron_create_one(company, date_from)
            if in_cron:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return created

    @api.model
    def _o2c_cron_create_one(self, company, date_from):
        """The review of ``company`` created by the cron, or nothing if it fails."""
        try:
            with self.env.cr.savepoint():
                return self._o2c_create_review(company, date_from)
        except pgerrors.UniqueViolation:
            _logger.info("o2c: review %s of %s created meanwhile", date_from, company.name)
        except Exception:  # pylint: disable=broad-except
            _logger.exception(
                "o2c: the review %s of %s could not be created", date_from, company.name
            )
        return self.browse()
