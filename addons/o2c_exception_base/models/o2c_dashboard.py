# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import dataclasses
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, get_lang
from odoo.tools.query import Query

from ..dashboard import ADDITIVE, BETTER, UNITS, Figure, Period

ROLES = [
    ("all", "All"),
    ("sales", "Sales"),
    ("warehouse", "Warehouse"),
    ("finance", "Finance"),
    ("service", "Service"),
]
#: roles acting on the exceptions of each stage (role presets of the client)
STAGE_ROLES = {
    "lead_to_order": ("sales",),
    "order_validation": ("sales", "finance"),
    "fulfillment_planning": ("sales", "warehouse"),
    "warehouse_execution": ("warehouse",),
    "delivery_to_invoice": ("warehouse", "finance"),
    "post_invoice_service": ("finance", "service"),
}
EVERY_ROLE = ("sales", "warehouse", "finance", "service")
#: the filters ``get_dashboard_data`` accepts, and the ones holding record ids
FILTER_KEYS = ("company_ids", "warehouse_ids", "team_ids", "date_from", "date_to", "role")
ID_FILTERS = ("company_ids", "warehouse_ids", "team_ids")
#: dates a period may take (its previous period and the trend's weeks must stay
#: representable) and its longest length in days
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)
MAX_PERIOD_DAYS = 3660


@dataclasses.dataclass
class OpenBreakdown:
    """Open exceptions by stage and by type code, now and at the start of the period."""

    stages: defaultdict = dataclasses.field(default_factory=lambda: defaultdict(int))
    prev_stages: defaultdict = dataclasses.field(default_factory=lambda: defaultdict(int))
    codes: defaultdict = dataclasses.field(default_factory=lambda: defaultdict(int))
    prev_codes: defaultdict = dataclasses.field(default_factory=lambda: defaultdict(int))
    types: dict = dataclasses.field(default_factory=dict)
    sla: int = 0
    prev_sla: int = 0


class O2cDashboard(models.AbstractModel):
    """Server side of the O2C control tower (client action ``o2c_dashboard``).

    One call returns every figure. Figures come from a chain of
    :meth:`_o2c_dashboard_figures` overrides: each addon appends its own, built
    with :meth:`_o2c_figure` so that the number and its drill-down share one
    domain. Snapshot figures (open, held, past SLA) are measured at the end of
    each period (``ctx["period"].at``, never later than now).
    """

    _name = "o2c.dashboard"
    _description = "O2C Dashboard"

    # ------------------------------------------------------------ PUBLIC
    @api.model
    def get_dashboard_data(self, filters=None):
        """Return ``{"context": ..., "figures": [...], "charts": {...}}``."""
        self.env["o2c.exception"].check_access("read")
        ctx = self._o2c_dashboard_context(self._o2c_check_filters(filters))
        figures = self._o2c_dashboard_figures(ctx)
        charts = self._o2c_dashboard_charts(ctx)
        role = ctx["role"]
        if role != "all":
            figures = [f for f in figures if role in f["roles"]]
            charts = {k: c for k, c in charts.items() if role in c.get("roles", EVERY_ROLE)}
        figures.sort(key=lambda f: (f["sequence"], f["key"]))
        return {
            "context": {
                "company_ids": ctx["company_ids"],
                "warehouse_ids": ctx["warehouse_ids"],
                "team_ids": ctx["team_ids"],
                "date_from": fields.Date.to_string(ctx["period"].date_from),
                "date_to": fields.Date.to_string(ctx["period"].date_to),
                "prev_from": fields.Date.to_string(ctx["prev_period"].date_from),
                "prev_to": fields.Date.to_string(ctx["prev_period"].date_to),
                "role": role,
                "currency_id": ctx["currency"].id,
                "currency_symbol": ctx["currency"].symbol,
                "currency_position": ctx["currency"].position,
            },
            "options": self._o2c_dashboard_options(),
            "sections": self._o2c_dashboard_sections(),
            "figures": figures,
            "charts": charts,
        }

    # ---------------------------------------------------------- CONTEXT
    @api.model
    def _o2c_check_filters(self, filters):
        """The filters of an RPC call, checked: a clear UserError naming a bad one.

        ``filters`` must be a dict (or nothing) of the keys of :data:`FILTER_KEYS`;
        ids are lists of integers, dates ISO strings, the role a string.
        """
        if filters is None or filters is False:
            return {}
        if not isinstance(filters, dict):
            kind = type(filters).__name__
            raise UserError(
                self.env._("Dashboard filters must be a dictionary, not %(type)s.", type=kind)
            )
        unknown = sorted(str(key) for key in filters if key not in FILTER_KEYS)
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown dashboard filter: %(keys)s (expected: %(expected)s).",
                    keys=", ".join(unknown),
                    expected=", ".join(FILTER_KEYS),
                )
            )
        for key in ID_FILTERS:
            value = filters.get(key)
            if value in (None, False):
                continue
            if not isinstance(value, list | tuple) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in value
            ):
                raise UserError(
                    self.env._("Filter %(field)s expects a list of record ids.", field=key)
                )
        for key in ("date_from", "date_to"):
            value = filters.get(key)
            if value not in (None, False, "") and not isinstance(value, str | date):
                raise UserError(
                    self.env._(
                        "Period: %(field)s is not a date (%(value)s).", field=key, value=value
                    )
                )
        role = filters.get("role")
        if role not in (None, False, "") and (not isinstance(role, str) or role not in dict(ROLES)):
            raise UserError(self.env._("Filter role expects one of %s.", ", ".join(dict(ROLES))))
        return filters

    @api.model
    def _o2c_dashboard_context(self, filters):
        """Normalise the filters; never widen them beyond the user's companies."""
        allowed = self.env.companies.ids
        company_ids = [c for c in filters.get("company_ids") or allowed if c in allowed] or allowed
        date_to = self._o2c_filter_date(filters, "date_to") or fields.Date.context_today(self)
        date_from = self._o2c_filter_date(filters, "date_from") or date_to - timedelta(days=29)
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "Period: the start date (%(start)s) is after the end date (%(end)s).",
                    start=date_from,
                    end=date_to,
                )
            )
        if (date_to - date_from).days >= MAX_PERIOD_DAYS:
            raise UserError(
                self.env._(
                    "Period: %(start)s to %(end)s is longer than %(days)s days.",
                    start=date_from,
                    end=date_to,
                    days=MAX_PERIOD_DAYS,
                )
            )
        length = (date_to - date_from).days + 1
        prev_to = date_from - timedelta(days=1)
        prev_from = prev_to - timedelta(days=length - 1)
        role = filters.get("role") or self._o2c_user_role()
        companies = self.env["res.company"].browse(company_ids)
        now = fields.Datetime.now()
        utc = self._o2c_day_start
        # UTC datetimes bounding the periods in the user's timezone (end excluded)
        end, prev_end = utc(date_to + timedelta(days=1)), utc(date_from)
        period = Period(date_from, date_to, prev_end, end, min(end, now))
        prev_period = Period(prev_from, prev_to, utc(prev_from), prev_end, min(prev_end, now))
        return {
            "period": period,
            "prev_period": prev_period,
            # both periods, read by one range scan where figures allow
            "span": Period(prev_from, date_to, prev_period.start, end, period.at),
            "company_ids": company_ids,
            "warehouse_ids": self._o2c_filter_ids(filters, "warehouse_ids"),
            "team_ids": self._o2c_filter_ids(filters, "team_ids"),
            "role": role,
            "currency": companies[:1].currency_id or self.env.company.currency_id,
            # amounts in other currencies are converted at the end of the period
            "company": companies[:1] or self.env.company,
            "rate_date": min(date_to, fields.Date.context_today(self)),
        }

    @api.model
    def _o2c_role_groups(self):
        """Hook: ``[(role, group xml id)]``, the groups of each role's users, in the
        order a user with several roles is given one (addons add their own)."""
        return [
            ("finance", "account.group_account_invoice"),
            ("warehouse", "stock.group_stock_user"),
            ("sales", "sales_team.group_sale_salesman"),
        ]

    @api.model
    def _o2c_user_role(self):
        """The role the dashboard opens on: O2C managers see every role, others
        their first role by their groups (finance, warehouse, service, sales)."""
        user = self.env.user
        if user.has_group("o2c_exception_base.group_o2c_manager"):
            return "all"
        for role, xmlid in self._o2c_role_groups():
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if group and group in user.groups_id:
                return role
        return "all"

    @api.model
    def _o2c_day_start(self, day):
        """Naive UTC datetime of midnight of ``day`` in the user's timezone."""
        tz_name = self.env.context.get("tz") or self.env.user.tz
        tz = pytz.timezone(tz_name) if tz_name in pytz.all_timezones_set else pytz.utc
        start = tz.localize(datetime.combine(day, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _o2c_filter_date(self, filters, key):
        try:
            day = fields.Date.to_date(filters.get(key) or None)
        except (TypeError, ValueError) as exc:
            raise UserError(
                self.env._("Period: %(field)s is not a date (%(value)s).", field=key, value=exc)
            ) from exc
        if day and not MIN_DATE <= day <= MAX_DATE:
            raise UserError(
                self.env._(
                    "Period: %(field)s (%(value)s) must be between %(min)s and %(max)s.",
                    field=key,
                    value=day,
                    min=MIN_DATE,
                    max=MAX_DATE,
                )
            )
        return day

    @api.model
    def _o2c_filter_ids(self, filters, key):
        try:
            return [int(i) for i in filters.get(key) or []]
        except (TypeError, ValueError) as exc:
            raise UserError(self.env._("Filter %(field)s expects record ids.", field=key)) from exc

    @api.model
    def _o2c_dashboard_options(self):
        return {
            "roles": ROLES,
            "companies": [(c.id, c.name) for c in self.env.companies],
            "warehouses": [
                (w.id, w.name)
                for w in self.env["stock.warehouse"].search(
                    [("company_id", "in", self.env.companies.ids)]
                )
            ],
            "teams": [
                (t.id, t.name)
                for t in self.env["crm.team"].search(
                    ["|", ("company_id", "=", False), ("company_id", "in", self.env.companies.ids)]
                )
            ],
        }

    @api.model
    def _o2c_dashboard_sections(self):
        """Hook: ``{section key: {"title": ..., "sequence": ...}}`` of the figures.

        The core declares its own sections; each feature addon adds the section of
        its figures (super() then its key).
        """
        return {
            "exceptions": {"title": self.env._("Exceptions"), "sequence": 10},
            "orders": {"title": self.env._("Order flow"), "sequence": 20},
            "cycle": {"title": self.env._("Cycle time"), "sequence": 25},
            "stages": {"title": self.env._("Open exceptions by stage"), "sequence": 30},
            "types": {"title": self.env._("Open exceptions by type"), "sequence": 40},
        }

    # ----------------------------------------------------------- SCOPES
    @api.model
    def _o2c_exception_scope(self, ctx):
        """Domain of ``o2c.exception`` in the dashboard's company/warehouse/team scope,
        and of the stages the role acts on."""
        domain = [("company_id", "in", ctx["company_ids"])]
        if ctx["role"] != "all":
            stages = [stage for stage, roles in STAGE_ROLES.items() if ctx["role"] in roles]
            domain.append(("stage", "in", stages))
        if ctx["team_ids"]:
            domain.append(("sale_order_id.team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            domain += [
                "|",
                ("sale_order_id.warehouse_id", "in", ctx["warehouse_ids"]),
                ("picking_id.picking_type_id.warehouse_id", "in", ctx["warehouse_ids"]),
            ]
        return domain

    @api.model
    def _o2c_order_scope(self, ctx, prefix=""):
        """Domain of ``sale.order`` (or a model reaching it through ``prefix``)."""
        domain = [(f"{prefix}company_id", "in", ctx["company_ids"])]
        if ctx["team_ids"]:
            domain.append((f"{prefix}team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            domain.append((f"{prefix}warehouse_id", "in", ctx["warehouse_ids"]))
        return domain

    @api.model
    def _o2c_open_domain(self, at):
        """Exceptions waiting for a decision at instant ``at``."""
        return [
            ("request_date", "<=", at),
            "|",
            ("decision_date", "=", False),
            ("decision_date", ">", at),
        ]

    @api.model
    def _o2c_held_domain(self, at):
        """Blocking exceptions holding their document at ``at`` (open or rejected)."""
        return [("blocking", "=", True), *self._o2c_holding_at(at)]

    @api.model
    def _o2c_holding_at(self, at):
        """Exceptions open or rejected at ``at`` (holding, if they are blocking)."""
        return [
            ("request_date", "<=", at),
            "|",
            "|",
            ("decision_date", "=", False),
            ("decision_date", ">", at),
            ("state", "=", "rejected"),
        ]

    @api.model
    def _o2c_confirmed_scope(self, ctx):
        """Confirmed sales orders in the dashboard scope (any date)."""
        return [*self._o2c_order_scope(ctx), ("state", "=", "sale")]

    @api.model
    def _o2c_invoiced_domain(self):
        """Sales orders with a posted customer invoice (stored flag of the order)."""
        return [("o2c_has_posted_invoice", "=", True)]

    @api.model
    def _o2c_order_exception_domain(self, with_exceptions=True):
        """Sales orders with (or without) any O2C exception linked to them.

        An exception is linked through ``sale_order_id`` (raised on the order, its
        transfers, its invoices...): the order's stored flag ``o2c_has_exception``.
        """
        return [("o2c_has_exception", "=", bool(with_exceptions))]

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_window_action(self, title, res_model, domain, context=None):
        """Drill-down window action on ``res_model`` records matching ``domain``."""
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": res_model,
            "domain": domain or [],
            "views": [(False, "list"), (False, "form")],
            "context": dict(context or {}, create=False),
            "target": "current",
        }

    @api.model
    def _o2c_chart_drill(self, res_model, domain, labels, datasets=None):
        """What a click on a bar opens: ``res_model`` records of ``domain`` and
        the terms of the clicked label (``labels[i]``) and series (``datasets[j]``)."""
        return {"res_model": res_model, "domain": domain, "labels": labels, "datasets": datasets}

    @api.model
    def _o2c_figure(
        self,
        key,
        title,
        value,
        *,
        previous=None,
        unit="count",
        roles=("all",),
        res_model=None,
        domain=None,
        sequence=50,
        section="exceptions",
        help_text=None,
        context=None,
        better="lower",
        headline=(),
    ):
        """One figure as the client shows it; ``res_model``/``domain`` are its
        drill-down. Declared figures (:class:`Figure`) are built with it; a figure
        computed another way (one per group of a query) calls it directly.

        :param better: ``"lower"``, ``"higher"`` or ``None``: which way the change
            from ``previous`` is good (colour of the trend in the client).
        """
        assert unit in UNITS, unit
        assert better in BETTER, better
        action = None
        if res_model:
            action = self._o2c_window_action(title, res_model, domain, context)
        return {
            "key": key,
            "title": title,
            "value": value,
            "previous": previous,
            "unit": unit,
            "roles": sorted(set(roles) | {"all"}),
            "sequence": sequence,
            "section": section,
            "help": help_text or "",
            "better": better,
            "headline": sorted(headline),
            "action": action,
        }

    @api.model
    def _o2c_figure_of(self, figure, ctx, value, previous):
        """The figure of a :class:`Figure` declaration and its two values."""
        return self._o2c_figure(
            figure.key,
            figure.title,
            value,
            previous=previous,
            unit=figure.unit,
            roles=figure.roles,
            res_model=figure.model,
            domain=figure.records(ctx["period"]),
            sequence=figure.sequence,
            section=figure.section,
            help_text=figure.help,
            context=figure.context,
            better=figure.better,
            headline=figure.headline,
        )

    @api.model
    def _o2c_dashboard_figures(self, ctx):
        """Hook: the figures shown. The declared ones (:meth:`_o2c_figure_declarations`),
        then those computed per group (open exceptions by stage and type); an addon
        with figures of its own kind calls super() and appends."""
        figures = self._o2c_evaluate(ctx, self._o2c_figure_declarations(ctx))
        return figures + self._o2c_open_breakdown_figures(ctx)

    @api.model
    def _o2c_figure_declarations(self, ctx):
        """Hook: the :class:`Figure` declarations. Addons call super() and append."""
        return (
            self._o2c_exception_declarations(ctx)
            + self._o2c_order_declarations(ctx)
            + self._o2c_cycle_declarations(ctx)
        )

    @api.model
    def _o2c_exception_declarations(self, ctx):
        """Blocking value and approval turnaround."""
        scope = self._o2c_exception_scope(ctx)

        def decided(period):
            return period.between("decision_date")

        turnaround = {
            "model": "o2c.exception",
            # what the query reads: the narrower, the fewer rows
            "scope": [*scope, ("state", "in", ("approved", "rejected"))],
            "domain": decided,
            "field": "turnaround_hours",
            "unit": "hours",
            "roles": EVERY_ROLE,
        }
        return [
            Figure(
                "blocking_value",
                self.env._("Blocking value"),
                "o2c.exception",
                lambda period: self._o2c_holding_at(period.at),
                # the blocking exceptions, read from their covering index
                scope=[*scope, ("blocking", "=", True)],
                measure="held",
                unit="currency",
                roles=("sales", "finance"),
                sequence=20,
                help=self.env._(
                    "Value at risk of the documents held by an open or rejected "
                    "blocking exception (highest value per document)."
                ),
                headline=("sales", "finance"),
            ),
            Figure(
                "turnaround_median",
                self.env._("Turnaround (median)"),
                measure="median",
                sequence=40,
                help=self.env._("Hours from request to approval or rejection."),
                **turnaround,
                headline=("all",),
            ),
            Figure(
                "turnaround_p90",
                self.env._("Turnaround (p90)"),
                measure="p90",
                sequence=50,
                help=self.env._("90% of the decisions of the period took less."),
                **turnaround,
            ),
        ]

    @api.model
    def _o2c_order_declarations(self, ctx):
        """Touchless order rate and exception rate of the orders confirmed in the period."""
        touchless = self._o2c_invoiced_domain() + self._o2c_order_exception_domain(False)
        with_exc = self._o2c_order_exception_domain(True)

        def confirmed(period):
            return period.between("date_order")

        common = {
            "model": "sale.order",
            "scope": self._o2c_confirmed_scope(ctx),
            # both periods are one range of order dates
            "span": confirmed,
            "section": "orders",
            "roles": ("sales", "finance"),
        }
        return [
            Figure(
                "touchless_rate",
                self.env._("Touchless order rate"),
                domain=lambda period: confirmed(period) + touchless,
                measure="rate",
                of=confirmed,
                unit="percent",
                sequence=60,
                better="higher",
                help=self.env._(
                    "Orders confirmed in the period that reached a posted invoice "
                    "without any exception."
                ),
                **common,
                headline=("all", "sales"),
            ),
            Figure(
                "exception_rate",
                self.env._("Exception rate"),
                domain=lambda period: confirmed(period) + with_exc,
                measure="rate",
                of=confirmed,
                unit="percent",
                sequence=70,
                help=self.env._("Orders confirmed in the period with at least one exception."),
                **common,
                headline=("sales",),
            ),
            Figure(
                "orders_confirmed",
                self.env._("Orders confirmed"),
                domain=confirmed,
                sequence=80,
                better=None,
                **common,
            ),
        ]

    # ------------------------------------------------------------- CYCLE
    @api.model
    def _o2c_cycles(self):
        """``[(key, stored date of the end of the cycle, title, roles)]``: each cycle
        runs from the confirmation to that date (kept on the order with its step)."""
        return [
            (
                "delivery",
                "o2c_delivered_date",
                self.env._("Order to delivery"),
                ("sales", "warehouse"),
            ),
            ("invoice", "o2c_invoiced_date", self.env._("Order to invoice"), ("sales", "finance")),
            ("cash", "o2c_paid_date", self.env._("Order to cash"), ("sales", "finance")),
        ]

    @api.model
    def _o2c_cycle_hours(self, end, start=None):
        """SQL: hours of the order's cycle from ``start`` (its confirmation) to ``end``."""
        column = lambda fname: SQL.identifier("sale_order", fname)  # noqa: E731
        start = start or column("o2c_confirmed_date")
        return SQL("EXTRACT(EPOCH FROM (%s - %s))::float / 3600.0", column(end), start)

    @api.model
    def _o2c_cycle_scope(self, ctx):
        """Confirmed orders in the dashboard scope (their cycles start then)."""
        return [*self._o2c_order_scope(ctx), ("o2c_confirmed_date", "!=", False)]

    @api.model
    def _o2c_cycle_declarations(self, ctx):
        """Cycle times of the orders whose cycle ended in the period (median and p90,
        in hours), and the share of the order-to-cash time spent held.

        An order counts in the period it was fully delivered (invoiced, paid): the
        review reads how long the orders finished that month took. Each cycle is
        one query (its dates, one index range); the held share reads the same
        orders as the cash cycle, in the same query.
        """
        scope = self._o2c_cycle_scope(ctx)
        figures = []
        for index, (key, end, title, roles) in enumerate(self._o2c_cycles()):

            def reached(period, end=end):
                return period.between(end)

            common = {
                "model": "sale.order",
                "scope": scope,
                "span": reached,
                "domain": reached,
                "field": self._o2c_cycle_hours(end),
                "unit": "hours",
                "section": "cycle",
                "roles": roles,
            }
            figures += [
                Figure(
                    f"cycle_to_{key}_median",
                    self.env._("%s (median)", title),
                    measure="median",
                    sequence=300 + 10 * index,
                    help=self.env._(
                        "From confirmation to this step, for the orders that reached it "
                        "in the period (half of them took less)."
                    ),
                    **common,
                ),
                Figure(
                    f"cycle_to_{key}_p90",
                    self.env._("%s (p90)", title),
                    measure="p90",
                    sequence=301 + 10 * index,
                    help=self.env._(
                        "90% of the orders that reached this step in the period took less."
                    ),
                    **common,
                ),
            ]
        return [*figures, self._o2c_held_share_declaration(scope)]

    @api.model
    def _o2c_held_share_declaration(self, scope):
        """Share of the order-to-cash time of the orders paid in the period spent held."""
        asked = SQL(
            "COALESCE(%s, %s)",
            SQL.identifier("sale_order", "o2c_asked_date"),
            SQL.identifier("sale_order", "o2c_confirmed_date"),
        )

        def paid(period):
            return period.between("o2c_paid_date")

        return Figure(
            "held_share",
            self.env._("Time held"),
            "sale.order",
            paid,
            scope=scope,
            span=paid,
            measure="ratio",
            field="o2c_held_hours",
            denominator=self._o2c_cycle_hours("o2c_paid_date", asked),
            unit="percent",
            section="cycle",
            sequence=340,
            roles=EVERY_ROLE,
            help=self.env._(
                "Share of the order-to-cash time (confirmation asked to paid) of the "
                "orders paid in the period spent held by O2C exceptions."
            ),
        )

    @api.model
    def _o2c_cycle_charts(self, ctx):
        """Time held per exception type; cycle times per order class and channel
        (for users who read orders: the steps are the orders' timeline)."""
        charts = {}
        if not self.env["sale.order"].has_access("read"):
            return charts
        if self.env["o2c.order.step"].has_access("read"):
            charts["held_time_by_type"] = self._o2c_held_time_chart(ctx)
        charts["cycle_by_class"] = self._o2c_cycle_breakdown(
            ctx, "o2c_order_class_id", self.env._("Cycle time by order class"), 30
        )
        charts["cycle_by_channel"] = self._o2c_cycle_breakdown(
            ctx, "o2c_channel_id", self.env._("Cycle time by channel"), 31
        )
        return charts

    @api.model
    def _o2c_held_time_chart(self, ctx):
        """Holds released in the period per exception type: how many, how long (one query)."""
        released = [
            ("company_id", "in", ctx["company_ids"]),
            *self._o2c_order_scope(ctx, prefix="order_id.")[1:],
            ("step", "=", "released"),
            *ctx["period"].between("date"),
        ]
        hours = SQL.identifier("o2c_order_step", "held_hours")
        rows = self._o2c_aggregate_rows(
            "o2c.order.step",
            released,
            [
                ([], SQL("COUNT(*)")),
                ([], SQL("SUM(%s)", hours)),
                ([], SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)", hours)),
            ],
            groupby=("type_id",),
        )
        total = sum(row[2] or 0.0 for row in rows)
        Type = self.env["o2c.exception.type"].sudo()
        table = []
        for type_id, count, held, median in sorted(rows, key=lambda r: -(r[2] or 0.0)):
            label = Type.browse(type_id).name if type_id else self.env._("No type")
            domain = [*released, ("type_id", "=", type_id)]
            action = self._o2c_window_action(label, "o2c.order.step", domain)
            cells = [
                (count, "count"),
                (round(held or 0.0, 2), "hours"),
                (round(median or 0.0, 2), "hours"),
                (self._o2c_rate(held or 0.0, total), "percent"),
            ]
            table.append(
                {
                    "label": label,
                    "cells": [{"value": v, "unit": u, "action": action} for v, u in cells],
                }
            )
        columns = [
            ("holds", self.env._("Holds released"), "count"),
            ("hours", self.env._("Time held"), "hours"),
            ("median", self.env._("Median per hold"), "hours"),
            ("share", self.env._("Share of time held"), "percent"),
        ]
        return {
            "title": self.env._("Time held per exception type"),
            "type": "table",
            "sequence": 25,
            "roles": ["all", *EVERY_ROLE],
            "columns": [{"key": k, "label": label, "unit": u} for k, label, u in columns],
            "rows": table,
        }

    @api.model
    def _o2c_cycle_breakdown(self, ctx, fname, title, sequence):
        """Median cycle times per value of the order's ``fname`` (class, channel):
        one query, a column per cycle, each cell opening its orders."""
        scope = self._o2c_cycle_scope(ctx)
        period = ctx["period"]
        cycles = self._o2c_cycles()
        parts = [
            (
                period.between(end),
                SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)", self._o2c_cycle_hours(end)),
            )
            for __, end, __, __ in cycles
        ]
        delivered = period.between(cycles[0][1])
        rows = self._o2c_aggregate_rows(
            "sale.order", scope, [(delivered, SQL("COUNT(*)")), *parts], groupby=(fname,)
        )
        Comodel = self.env[self.env["sale.order"]._fields[fname].comodel_name].sudo()
        values = {value: cells for value, *cells in rows}
        records = Comodel.browse([value for value in values if value])
        table = []
        for record in [*records.sorted(lambda r: (r.sequence, r.id)), Comodel]:
            cells = values.get(record.id or None)
            if not cells:
                continue
            label = record.name if record else self.env._("None")
            domains = [delivered, *(domain for domain, __ in parts)]
            table.append(
                {
                    "label": label,
                    "cells": [
                        {
                            "value": round(value, 2) if value is not None else None,
                            "unit": "count" if index == 0 else "hours",
                            "action": self._o2c_window_action(
                                f"{title}: {label}",
                                "sale.order",
                                [*scope, *domain, (fname, "=", record.id)],
                            ),
                        }
                        for index, (value, domain) in enumerate(zip(cells, domains, strict=True))
                    ],
                }
            )
        columns = [("delivered", self.env._("Orders delivered"), "count")] + [
            (key, self.env._("%s (median)", label), "hours") for key, __, label, __ in cycles
        ]
        return {
            "title": title,
            "type": "table",
            "sequence": sequence,
            "roles": ["all", "sales", "finance"],
            "columns": [{"key": k, "label": label, "unit": u} for k, label, u in columns],
            "rows": table,
        }

    @api.model
    def _o2c_open_breakdown_figures(self, ctx):
        """Open exceptions: total, by stage (every stage), by type (those with any),
        and those past their SLA (one query for all, both instants)."""
        at = ctx["period"].at
        open_domain = self._o2c_exception_scope(ctx) + self._o2c_open_domain(at)
        sla_domain = [*open_domain, ("deadline", "<", at)]
        counts = self._o2c_open_breakdown_counts(ctx)
        figures = [
            self._o2c_figure(
                "open_exceptions",
                self.env._("Open exceptions"),
                sum(counts.stages.values()),
                previous=sum(counts.prev_stages.values()),
                roles=EVERY_ROLE,
                res_model="o2c.exception",
                domain=open_domain,
                sequence=10,
                help_text=self.env._("Exceptions waiting for a decision at the end of the period."),
                headline=("all", "warehouse"),
            ),
            self._o2c_figure(
                "past_sla",
                self.env._("Past SLA"),
                counts.sla,
                previous=counts.prev_sla,
                roles=EVERY_ROLE,
                domain=sla_domain,
                sequence=30,
                help_text=self.env._("Open exceptions whose decision deadline has passed."),
                res_model="o2c.exception",
                section="exceptions",
                headline=("all",),
            ),
        ]
        return figures + self._o2c_open_detail_figures(open_domain, counts)

    @api.model
    def _o2c_open_breakdown_counts(self, ctx):
        """Open and past-SLA exceptions by stage and type, now and at the period start."""
        count = SQL("COUNT(*)")
        parts = []
        for past_sla in (False, True):
            for at in (ctx["period"].at, ctx["prev_period"].at):
                sla = [("deadline", "<", at)] if past_sla else []
                parts.append((self._o2c_open_domain(at) + sla, count))
        rows = self._o2c_aggregate_rows(
            "o2c.exception", self._o2c_exception_scope(ctx), parts, groupby=("stage", "type_id")
        )
        counts = OpenBreakdown()
        Type = self.env["o2c.exception.type"]
        for stage, type_id, number, prev_number, sla, prev_sla in rows:
            counts.sla += sla
            counts.prev_sla += prev_sla
            etype = Type.browse(type_id)
            for by_stage, by_code, value in (
                (counts.stages, counts.codes, number),
                (counts.prev_stages, counts.prev_codes, prev_number),
            ):
                if value:
                    by_stage[stage] += value
                    by_code[etype.code] += value
            if number or prev_number or sla or prev_sla:
                counts.types.setdefault(etype.code, etype)
        return counts

    @api.model
    def _o2c_open_detail_figures(self, open_domain, counts):
        """One figure per stage (every stage) and per type with open exceptions."""
        figures = []
        labels = dict(self.env["o2c.exception"]._fields["stage"]._description_selection(self.env))
        for seq, (stage, label) in enumerate(labels.items()):
            figures.append(
                self._o2c_figure(
                    f"open_stage_{stage}",
                    label,
                    counts.stages[stage],
                    previous=counts.prev_stages[stage],
                    roles=STAGE_ROLES.get(stage, EVERY_ROLE),
                    res_model="o2c.exception",
                    domain=[*open_domain, ("stage", "=", stage)],
                    sequence=100 + seq,
                    section="stages",
                )
            )
        for code, etype in sorted(counts.types.items(), key=lambda t: (t[1].sequence, t[0])):
            figures.append(
                self._o2c_figure(
                    f"open_type_{code}",
                    etype.sudo().name,
                    counts.codes[code],
                    previous=counts.prev_codes[code],
                    roles=STAGE_ROLES.get(etype.stage, EVERY_ROLE),
                    res_model="o2c.exception",
                    domain=[*open_domain, ("code", "=", code)],
                    sequence=200 + etype.sequence,
                    section="types",
                )
            )
        return figures

    @staticmethod
    def _o2c_rate(part, total):
        """Percentage (0-100, two decimals) or None when there is nothing to measure."""
        return round(100.0 * part / total, 2) if total else None

    # ----------------------------------------------------------- CHARTS
    @api.model
    def _o2c_dashboard_charts(self, ctx):
        """Hook: charts ``{name: {"title", "type", "labels", "datasets", ...}}``.

        ``type`` is ``bar`` (default) or ``line`` (Chart.js, ``stacked`` optional),
        or ``table`` with ``columns`` ``[{"key", "label", "unit"}]`` and ``rows``
        ``[{"label", "cells": [{"value", "unit", "action"}]}]``.
        """
        charts = {"exception_trend": self._o2c_trend_chart(ctx)}
        if self.env["sale.order"].has_access("read"):
            charts["order_class_split"] = self._o2c_order_class_chart(ctx)
        return {**charts, **self._o2c_cycle_charts(ctx)}

    @api.model
    def _o2c_trend_chart(self, ctx):
        """Exceptions raised per week and type, over the weeks of the period."""
        lang = get_lang(self.env)
        first_day = int(lang.week_start) - 1  # 0 = Monday

        def week_start(day):
            return day - timedelta(days=(day.weekday() - first_day) % 7)

        period = ctx["period"]
        last = week_start(period.date_to)
        start = week_start(period.date_from)
        domain = [*self._o2c_exception_scope(ctx), *period.between("request_date")]
        groups = self.env["o2c.exception"]._read_group(
            domain, ["request_date:week", "type_id"], ["__count"]
        )
        weeks = [start + timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]
        index = {week: i for i, week in enumerate(weeks)}
        series = {}
        for week, etype, count in groups:
            week = week.date() if isinstance(week, datetime) else week
            data = series.setdefault((etype.sudo().name, etype.id), [0] * len(weeks))
            if week in index:
                data[index[week]] += count
        series = sorted(series.items())
        utc = self._o2c_day_start
        week_terms = [
            [("request_date", ">=", utc(week)), ("request_date", "<", utc(week + timedelta(7)))]
            for week in weeks
        ]
        type_terms = [[("type_id", "=", type_id)] for (__, type_id), __ in series]
        return {
            "title": self.env._("Exceptions raised per week, by type"),
            "type": "bar",
            "stacked": True,
            "sequence": 10,
            "roles": ["all", *EVERY_ROLE],
            "labels": [format_date(self.env, week, date_format="d MMM") for week in weeks],
            "datasets": [{"label": name, "data": data} for (name, __), data in series],
            "drill": self._o2c_chart_drill("o2c.exception", domain, week_terms, type_terms),
        }

    @api.model
    def _o2c_order_class_chart(self, ctx):
        """Touchless rate and exception rate of the period's orders per order class."""
        confirmed = [*self._o2c_confirmed_scope(ctx), *ctx["period"].between("date_order")]
        columns = [
            # (key, label, the orders counted (besides confirmed), unit of the cell)
            ("orders", self.env._("Orders confirmed"), [], "count"),
            (
                "touchless",
                self.env._("Touchless rate"),
                self._o2c_invoiced_domain() + self._o2c_order_exception_domain(False),
                "percent",
            ),
            (
                "exception",
                self.env._("Exception rate"),
                self._o2c_order_exception_domain(True),
                "percent",
            ),
        ]
        rows = self._o2c_aggregate_rows(
            "sale.order",
            confirmed,
            [(domain, SQL("COUNT(*)")) for __, __, domain, __ in columns],
            groupby=("o2c_order_class_id",),
        )
        groups = {class_id: counts for class_id, *counts in rows}
        OrderClass = self.env["o2c.order.class"]
        classes = OrderClass.browse([class_id for class_id in groups if class_id])
        # same order as a read_group by class: the classes' order, then no class
        table = []
        for order_class in [*classes.sorted(lambda c: (c.sequence, c.id)), OrderClass]:
            counts = groups.get(order_class.id or None)
            if counts:
                table.append(self._o2c_order_class_row(order_class, confirmed, columns, counts))
        return {
            "title": self.env._("Touchless and exception rate by order class"),
            "type": "table",
            "sequence": 20,
            "roles": ["all", "sales", "finance"],
            "columns": [
                {"key": key, "label": label, "unit": unit} for key, label, __, unit in columns
            ],
            "rows": table,
        }

    @api.model
    def _o2c_order_class_row(self, order_class, confirmed, columns, counts):
        label = order_class.name if order_class else self.env._("No class")
        cells = []
        for (__, title, domain, unit), value in zip(columns, counts, strict=True):
            domain = [*confirmed, *domain, ("o2c_order_class_id", "=", order_class.id)]
            action = self._o2c_window_action(f"{label}: {title}", "sale.order", domain)
            if unit != "count":
                value = self._o2c_rate(value, counts[0])
            cells.append({"value": value, "unit": unit, "action": action})
        return {"label": label, "cells": cells}

    # ----------------------------------------------------------- ENGINE
    @api.model
    def _o2c_evaluate(self, ctx, declarations):
        """The figures of ``declarations`` the user may read, this period and the
        previous one: one SQL query per model, scope, span and kind of measure."""
        keys = [figure.key for figure in declarations]
        if len(set(keys)) != len(keys):
            twice = sorted({key for key in keys if keys.count(key) > 1})
            raise ValueError(f"Dashboard figures declared twice: {', '.join(twice)}")
        readable = [f for f in declarations if self.env[f.model].has_access("read")]
        groups = defaultdict(list)
        for figure in readable:
            groups[self._o2c_query_key(figure, ctx)].append(figure)
        values = {}
        for figures in groups.values():
            values.update(self._o2c_measure(ctx, figures))
        return [self._o2c_figure_of(figure, ctx, *values[figure.key]) for figure in readable]

    @api.model
    def _o2c_query_key(self, figure, ctx):
        """Figures with the same key are read by one query (one scan of their rows)."""
        span = figure.span(ctx["span"]) if figure.span else None
        kind = "held" if figure.measure == "held" else figure.measure in ADDITIVE
        return (figure.model, repr(list(figure.scope)), repr(span), kind)

    @api.model
    def _o2c_measure(self, ctx, figures):
        """``{key: [value, previous]}`` of ``figures`` (one query key), one SQL query."""
        first = figures[0]
        where = [*first.scope, *(first.span(ctx["span"]) if first.span else [])]
        periods = (ctx["period"], ctx["prev_period"])
        wanted = [(f, period) for f in figures for period in periods[: 1 + f.previous]]
        if first.measure == "held":
            domains = [figure.terms(period) for figure, period in wanted]
            results = self._o2c_held_values(ctx, first.model, where, domains)
        else:
            results = self._o2c_measure_rows(ctx, first.model, where, wanted, not first.span)
        values = defaultdict(lambda: [None, None])
        for (figure, period), value in zip(wanted, results, strict=True):
            values[figure.key][periods.index(period)] = value
        return values

    @api.model
    def _o2c_measure_rows(self, ctx, model, where, wanted, union=True):
        """The value of each ``(figure, period)`` of ``wanted``: one column per
        distinct (domain, measure), rows by currency when a sum converts.

        :param union: read only the rows of at least one domain (no span does)
        """
        columns = {}  # (domain, measure, field) as text: (domain, measure, field)
        refs = []
        for figure, period in wanted:
            terms = figure.terms(period)
            parts = [(terms, figure.measure, figure.field)]
            if figure.measure == "rate":
                parts = [(terms, "count", None), (figure.share_of(period), "count", None)]
            elif figure.measure == "ratio":
                parts = [(terms, "sum", figure.field), (terms, "sum", figure.denominator)]
            keys = [(repr(d), m, repr(f)) for d, m, f in parts]
            for key, part in zip(keys, parts, strict=True):
                columns.setdefault(key, part)
            refs.append(keys)
        index = {key: i for i, key in enumerate(columns)}
        currencies = sorted({f.currency_field for f, __ in wanted if f.currency_field})
        assert len(currencies) <= 1, currencies
        Model = self.env[model]
        rows = self._o2c_aggregate_rows(
            Model,
            where,
            [(d, self._o2c_aggregate(Model, m, f)) for d, m, f in columns.values()],
            groupby=currencies,
            union=union,
        )
        offset = len(currencies)
        return [
            self._o2c_reduce(ctx, figure, rows, [offset + index[key] for key in keys])
            for (figure, __), keys in zip(wanted, refs, strict=True)
        ]

    @api.model
    def _o2c_aggregate(self, Model, measure, field):
        """SQL aggregate of a measure (see :data:`MEASURES`) over ``Model``'s table."""
        if measure == "count":
            return SQL("COUNT(*)")
        value = field if isinstance(field, SQL) else Model._field_to_sql(Model._table, field)
        return {
            "sum": SQL("SUM(%s)", value),
            "avg": SQL("AVG(%s)", value),
            "median": SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)", value),
            "p90": SQL("percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)", value),
        }[measure]

    @api.model
    def _o2c_reduce(self, ctx, figure, rows, columns):
        """The value of ``figure`` from its ``columns`` of ``rows`` (one row per currency)."""
        values = [[row[column] or 0 for row in rows] for column in columns]
        if figure.measure == "count":
            return sum(values[0])
        if figure.measure in ("rate", "ratio"):
            return self._o2c_rate(sum(values[0]), sum(values[1]))
        if figure.measure == "sum":
            if figure.currency_field:
                values[0] = [
                    self._o2c_convert(ctx, row[0], v)
                    for row, v in zip(rows, values[0], strict=True)
                ]
            return ctx["currency"].round(sum(values[0]))
        # avg, median, p90: one row (their queries are never grouped), NULL without records
        value = rows[0][columns[0]] if rows else None
        return round(float(value), 2) if value is not None else None

    @api.model
    def _o2c_convert(self, ctx, currency_id, amount):
        """``amount`` in ``currency_id`` converted to the dashboard's currency."""
        currency, target = self.env["res.currency"].browse(currency_id), ctx["currency"]
        if not amount or not currency or currency == target:
            return amount or 0.0
        return currency._convert(amount, target, ctx["company"], ctx["rate_date"], round=False)

    @api.model
    def _o2c_held_values(self, ctx, model, where, domains):
        """Sum, in the dashboard currency, of the highest value at risk per document
        held by the exceptions of each domain of ``domains``, in one SQL query."""
        Exc = self.env[model]
        query = Exc._search(where)
        alias = query.table
        document = [Exc._field_to_sql(alias, name, query) for name in ("res_model", "res_id")]
        currency = Exc._field_to_sql(alias, "currency_id", query)
        query.groupby = SQL(", ").join([*document, currency])
        amount = SQL("MAX(COALESCE(%s, 0))", Exc._field_to_sql(alias, "amount", query))
        names = [SQL.identifier(f"held_{i}") for i in range(len(domains))]
        conditions = [self._o2c_condition(Exc, domain) for domain in domains]
        # only the exceptions held at one of the instants (not every blocking one)
        query.add_where(SQL("(%s)", SQL(" OR ").join(conditions)))
        held = [
            SQL("%s FILTER (WHERE %s) AS %s", amount, condition, name)
            for condition, name in zip(conditions, names, strict=True)
        ]
        Exc.flush_model()
        rows = self.env.execute_query(
            SQL(
                "SELECT held.currency, %s FROM (%s) AS held GROUP BY held.currency",
                SQL(", ").join(SQL("SUM(%s)", name) for name in names),
                query.select(SQL("%s AS currency", currency), *held),
            )
        )
        return [
            ctx["currency"].round(sum(self._o2c_convert(ctx, row[0], row[i + 1]) for row in rows))
            for i in range(len(domains))
        ]

    @api.model
    def _o2c_aggregate_rows(self, model, where, parts, groupby=(), union=True):
        """Rows ``(*groupby values, *aggregates)`` of the ``model`` records of ``where``.

        The rows read are those ``_search(where)`` selects (record rules and the
        active test apply); ``parts`` ``[(domain, SQL aggregate)]``: each aggregate
        is filtered by the condition of its domain on those rows, so that several
        figures read the table once and each counts exactly its drill-down's records.

        :param groupby: field names of the model (stored columns) to group by
        :param union: also restrict the rows read to those of at least one domain
            (an index may then serve; no group of rows outside every domain)
        """
        Model = self.env[model] if isinstance(model, str) else model
        query = Model._search(where)
        columns = [Model._field_to_sql(query.table, name, query) for name in groupby]
        if columns:
            query.groupby = SQL(", ").join(columns)
        conditions = [self._o2c_condition(Model, domain) for domain, __ in parts]
        if union:
            query.add_where(SQL("(%s)", SQL(" OR ").join(conditions)))
        aggregates = [
            SQL("%s FILTER (WHERE %s)", aggregate, condition)
            for (__, aggregate), condition in zip(parts, conditions, strict=True)
        ]
        Model.flush_model()  # aggregates given as SQL may read columns not flushed yet
        return self.env.execute_query(query.select(*columns, *aggregates))

    @api.model
    def _o2c_condition(self, Model, domain):
        """SQL condition on a row of ``Model``'s table: the row is in ``domain``.

        The WHERE clause the ORM builds for the domain (without record rules, which
        the query's own WHERE applies), or ``id IN (subquery)`` when that clause
        needs other tables joined (``auto_join`` fields).
        """
        if not domain:
            return SQL("TRUE")
        query = Model._where_calc(domain, active_test=False)
        own_table = Query(self.env, Model._table, Model._table_sql)
        if query.from_clause == own_table.from_clause:
            return SQL("(%s)", query.where_clause)
        return SQL("%s IN %s", SQL.identifier(Model._table, "id"), query.subselect())

    # ----------------------------------------------------------- REVIEW
    @api.model
    def _o2c_review_figure_keys(self):
        """Hook: keys of the figures the monthly review records (in the dashboard's order).

        Feature addons append the keys of their own figures; a key the dashboard
        does not return (a figure the installed addons do not have) is skipped.
        """
        return [
            "exception_rate",
            "turnaround_median",
            "cycle_to_cash_median",
            "cycle_to_delivery_median",
            "cycle_to_invoice_median",
            "held_share",
        ]
