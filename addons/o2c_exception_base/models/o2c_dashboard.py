# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import dataclasses
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, get_lang

ROLES = [
    ("all", "All"),
    ("sales", "Sales"),
    ("warehouse", "Warehouse"),
    ("finance", "Finance"),
    ("service", "Service"),
]
UNITS = ("count", "currency", "hours", "percent", "days")
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
#: weeks shown at least by the trend chart
TREND_WEEKS = 12
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
    each period (``ctx["at"]`` / ``ctx["prev_at"]``, never later than now).
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
        role = ctx["role"]
        if role != "all":
            figures = [f for f in figures if role in f["roles"]]
        figures.sort(key=lambda f: (f["sequence"], f["key"]))
        return {
            "context": {
                "company_ids": ctx["company_ids"],
                "warehouse_ids": ctx["warehouse_ids"],
                "team_ids": ctx["team_ids"],
                "date_from": fields.Date.to_string(ctx["date_from"]),
                "date_to": fields.Date.to_string(ctx["date_to"]),
                "prev_from": fields.Date.to_string(ctx["prev_from"]),
                "prev_to": fields.Date.to_string(ctx["prev_to"]),
                "role": role,
                "currency_id": ctx["currency"].id,
                "currency_symbol": ctx["currency"].symbol,
                "currency_position": ctx["currency"].position,
            },
            "options": self._o2c_dashboard_options(),
            "sections": self._o2c_dashboard_sections(),
            "figures": figures,
            "charts": self._o2c_dashboard_charts(ctx),
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
        role = filters.get("role") or "all"
        if role not in dict(ROLES):
            role = "all"
        companies = self.env["res.company"].browse(company_ids)
        now = fields.Datetime.now()
        utc = self._o2c_day_start
        dt_to = utc(date_to + timedelta(days=1))
        prev_dt_to = utc(date_from)
        return {
            "company_ids": company_ids,
            "warehouse_ids": self._o2c_filter_ids(filters, "warehouse_ids"),
            "team_ids": self._o2c_filter_ids(filters, "team_ids"),
            "date_from": date_from,
            "date_to": date_to,
            "prev_from": prev_from,
            "prev_to": prev_to,
            # UTC datetimes bounding the periods in the user's timezone (end exclusive)
            "dt_from": prev_dt_to,
            "dt_to": dt_to,
            "prev_dt_from": utc(prev_from),
            "prev_dt_to": prev_dt_to,
            # instants at which snapshot figures are measured
            "at": min(dt_to, now),
            "prev_at": min(prev_dt_to, now),
            "role": role,
            "currency": companies[:1].currency_id or self.env.company.currency_id,
        }

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
            "stages": {"title": self.env._("Open exceptions by stage"), "sequence": 30},
            "types": {"title": self.env._("Open exceptions by type"), "sequence": 40},
        }

    # ----------------------------------------------------------- SCOPES
    @api.model
    def _o2c_exception_scope(self, ctx):
        """Domain of ``o2c.exception`` in the dashboard's company/warehouse/team scope."""
        domain = [("company_id", "in", ctx["company_ids"])]
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
        return [
            ("blocking", "=", True),
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
    def _o2c_confirmed_domain(self, ctx, dt_from, dt_to):
        """Sales orders confirmed between ``dt_from`` (included) and ``dt_to``."""
        return [
            *self._o2c_confirmed_scope(ctx),
            ("date_order", ">=", dt_from),
            ("date_order", "<", dt_to),
        ]

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
    ):
        """Build one figure; ``res_model``/``domain`` are its drill-down (same domain).

        :param better: ``"lower"``, ``"higher"`` or ``None``: which way the change
            from ``previous`` is good (colour of the trend in the client).
        """
        assert unit in UNITS, unit
        assert better in ("lower", "higher", None), better
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
            "action": action,
        }

    @api.model
    def _o2c_dashboard_figures(self, ctx):
        """Hook: return the list of figures. Addons call super() and append."""
        figures = self._o2c_exception_figures(ctx)
        figures += self._o2c_open_breakdown_figures(ctx)
        if self.env["sale.order"].has_access("read"):
            figures += self._o2c_order_figures(ctx)
        return figures

    @api.model
    def _o2c_exception_figures(self, ctx):
        """Blocking value and approval turnaround."""
        scope = self._o2c_exception_scope(ctx)
        held_domain = scope + self._o2c_held_domain(ctx["at"])
        held_now, held_prev = self._o2c_held_values(
            [held_domain, scope + self._o2c_held_domain(ctx["prev_at"])], ctx
        )
        Exc = self.env["o2c.exception"]

        def decided_domain(dt_from, dt_to):
            return [
                *scope,
                ("state", "in", ("approved", "rejected")),
                ("decision_date", ">=", dt_from),
                ("decision_date", "<", dt_to),
            ]

        decided = decided_domain(ctx["dt_from"], ctx["dt_to"])
        hours = SQL.identifier(Exc._table, "turnaround_hours")
        (median, p90), (prev_median, prev_p90) = self._o2c_percentiles_by_domain(
            "o2c.exception",
            [decided, decided_domain(ctx["prev_dt_from"], ctx["prev_dt_to"])],
            hours,
        )
        common = {"res_model": "o2c.exception", "section": "exceptions"}
        return [
            self._o2c_figure(
                "blocking_value",
                self.env._("Blocking value"),
                held_now,
                previous=held_prev,
                unit="currency",
                roles=("sales", "finance"),
                domain=held_domain,
                sequence=20,
                help_text=self.env._(
                    "Value at risk of the documents held by an open or rejected "
                    "blocking exception (highest value per document)."
                ),
                **common,
            ),
            self._o2c_figure(
                "turnaround_median",
                self.env._("Turnaround (median)"),
                median,
                previous=prev_median,
                unit="hours",
                roles=EVERY_ROLE,
                domain=decided,
                sequence=40,
                help_text=self.env._("Hours from request to approval or rejection."),
                **common,
            ),
            self._o2c_figure(
                "turnaround_p90",
                self.env._("Turnaround (p90)"),
                p90,
                previous=prev_p90,
                unit="hours",
                roles=EVERY_ROLE,
                domain=decided,
                sequence=50,
                help_text=self.env._("90% of the decisions of the period took less."),
                **common,
            ),
        ]

    @api.model
    def _o2c_held_value(self, domain, ctx):
        """Sum, in the dashboard currency, of the highest value at risk per held document."""
        return self._o2c_held_values([domain], ctx)[0]

    @api.model
    def _o2c_held_values(self, domains, ctx):
        """:meth:`_o2c_held_value` of each domain of ``domains``, in one SQL query.

        Each sum is filtered by the condition ``_search`` makes of its domain
        (access rules apply), so it covers exactly the drill-down's records.
        """
        Exc = self.env["o2c.exception"]
        table = SQL.identifier(Exc._table)
        where, conditions = self._o2c_filter_conditions(Exc, domains)
        amount = SQL("MAX(COALESCE(%s, 0))", SQL.identifier(Exc._table, "amount"))
        Exc.flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT currency_id, %s FROM (
                       SELECT currency_id, %s
                         FROM %s WHERE %s
                     GROUP BY res_model, res_id, currency_id
                   ) AS held GROUP BY currency_id""",
                SQL(", ").join(SQL("SUM(held_%s)", SQL(str(i))) for i in range(len(domains))),
                SQL(", ").join(
                    SQL("%s FILTER (WHERE %s) AS held_%s", amount, condition, SQL(str(i)))
                    for i, condition in enumerate(conditions)
                ),
                table,
                where,
            )
        )
        target = ctx["currency"]
        totals = [0.0] * len(domains)
        today = fields.Date.context_today(self)
        for currency_id, *amounts in rows:
            currency = self.env["res.currency"].browse(currency_id)
            for index, amount in enumerate(amounts):
                if amount and currency and currency != target:
                    amount = currency._convert(amount, target, self.env.company, today)
                totals[index] += amount or 0.0
        return [target.round(total) for total in totals]

    @api.model
    def _o2c_open_breakdown_figures(self, ctx):
        """Open exceptions: total, by stage (every stage), by type (those with any),
        and those past their SLA (one query for all, both instants)."""
        open_domain = self._o2c_exception_scope(ctx) + self._o2c_open_domain(ctx["at"])
        sla_domain = [*open_domain, ("deadline", "<", ctx["at"])]
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
            ),
        ]
        return figures + self._o2c_open_detail_figures(open_domain, counts)

    @api.model
    def _o2c_open_breakdown_counts(self, ctx):
        """Open and past-SLA exceptions by stage and type, now and at the period start."""
        scope = self._o2c_exception_scope(ctx)

        def open_domain(at, past_sla=False):
            return scope + self._o2c_open_domain(at) + ([("deadline", "<", at)] if past_sla else [])

        groups = self._o2c_filtered_counts(
            "o2c.exception",
            [
                open_domain(ctx["at"]),
                open_domain(ctx["prev_at"]),
                open_domain(ctx["at"], past_sla=True),
                open_domain(ctx["prev_at"], past_sla=True),
            ],
            groupby=("stage", "type_id"),
        )
        counts = OpenBreakdown()
        Type = self.env["o2c.exception.type"]
        for (stage, type_id), (count, prev_count, sla, prev_sla) in groups.items():
            counts.sla += sla
            counts.prev_sla += prev_sla
            etype = Type.browse(type_id)
            for by_stage, by_code, number in (
                (counts.stages, counts.codes, count),
                (counts.prev_stages, counts.prev_codes, prev_count),
            ):
                if number:
                    by_stage[stage] += number
                    by_code[etype.code] += number
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

    @api.model
    def _o2c_order_figures(self, ctx):
        """Touchless order rate and exception rate of the orders confirmed in the period."""
        touchless = self._o2c_invoiced_domain() + self._o2c_order_exception_domain(False)
        with_exc = self._o2c_order_exception_domain(True)
        confirmed = self._o2c_confirmed_domain(ctx, ctx["dt_from"], ctx["dt_to"])
        prev_confirmed = self._o2c_confirmed_domain(ctx, ctx["prev_dt_from"], ctx["prev_dt_to"])
        # one query for both periods: the orders confirmed in either
        counts = self._o2c_filtered_counts(
            "sale.order",
            [
                confirmed,
                confirmed + touchless,
                confirmed + with_exc,
                prev_confirmed,
                prev_confirmed + touchless,
                prev_confirmed + with_exc,
            ],
            scope=self._o2c_confirmed_domain(ctx, ctx["prev_dt_from"], ctx["dt_to"]),
        )
        total, touchless_rate, exc_rate = (
            counts[0],
            *(self._o2c_rate(n, counts[0]) for n in counts[1:3]),
        )
        prev_total, prev_touchless, prev_exc = (
            counts[3],
            *(self._o2c_rate(n, counts[3]) for n in counts[4:6]),
        )
        common = {"res_model": "sale.order", "section": "orders", "roles": ("sales", "finance")}
        return [
            self._o2c_figure(
                "touchless_rate",
                self.env._("Touchless order rate"),
                touchless_rate,
                previous=prev_touchless,
                unit="percent",
                domain=confirmed + touchless,
                sequence=60,
                better="higher",
                help_text=self.env._(
                    "Orders confirmed in the period that reached a posted invoice "
                    "without any exception."
                ),
                **common,
            ),
            self._o2c_figure(
                "exception_rate",
                self.env._("Exception rate"),
                exc_rate,
                previous=prev_exc,
                unit="percent",
                domain=confirmed + with_exc,
                sequence=70,
                help_text=self.env._("Orders confirmed in the period with at least one exception."),
                **common,
            ),
            self._o2c_figure(
                "orders_confirmed",
                self.env._("Orders confirmed"),
                total,
                previous=prev_total,
                domain=confirmed,
                sequence=80,
                better=None,
                **common,
            ),
        ]

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
        return charts

    @api.model
    def _o2c_trend_chart(self, ctx):
        """Exceptions raised per week and type, over the period (12 weeks at least)."""
        lang = get_lang(self.env)
        first_day = int(lang.week_start) - 1  # 0 = Monday

        def week_start(day):
            return day - timedelta(days=(day.weekday() - first_day) % 7)

        last = week_start(ctx["date_to"])
        start = min(week_start(ctx["date_from"]), last - timedelta(weeks=TREND_WEEKS - 1))
        domain = [
            *self._o2c_exception_scope(ctx),
            ("request_date", ">=", self._o2c_day_start(start)),
            ("request_date", "<", ctx["dt_to"]),
        ]
        groups = self.env["o2c.exception"]._read_group(
            domain, ["request_date:week", "type_id"], ["__count"]
        )
        weeks = [start + timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]
        index = {week: i for i, week in enumerate(weeks)}
        series = {}
        for week, etype, count in groups:
            week = week.date() if isinstance(week, datetime) else week
            name = etype.sudo().name
            data = series.setdefault(name, [0] * len(weeks))
            if week in index:
                data[index[week]] += count
        return {
            "title": self.env._("Exceptions raised per week, by type"),
            "type": "bar",
            "stacked": True,
            "sequence": 10,
            "roles": ["all", *EVERY_ROLE],
            "labels": [format_date(self.env, week, date_format="d MMM") for week in weeks],
            "datasets": [{"label": name, "data": data} for name, data in sorted(series.items())],
        }

    @api.model
    def _o2c_order_class_chart(self, ctx):
        """Touchless rate and exception rate of the period's orders per order class."""
        confirmed = self._o2c_confirmed_domain(ctx, ctx["dt_from"], ctx["dt_to"])
        columns = [
            # (key, label, domain of the orders counted, unit of the cell)
            ("orders", self.env._("Orders confirmed"), confirmed, "count"),
            (
                "touchless",
                self.env._("Touchless rate"),
                confirmed + self._o2c_invoiced_domain() + self._o2c_order_exception_domain(False),
                "percent",
            ),
            (
                "exception",
                self.env._("Exception rate"),
                confirmed + self._o2c_order_exception_domain(True),
                "percent",
            ),
        ]
        groups = self._o2c_filtered_counts(
            "sale.order",
            [domain for __, __, domain, __ in columns],
            groupby=("o2c_order_class_id",),
            scope=confirmed,
        )
        OrderClass = self.env["o2c.order.class"]
        classes = OrderClass.browse([class_id for (class_id,) in groups if class_id])
        # same order as a read_group by class: the classes' order, then no class
        ordered = [*classes.sorted(lambda c: (c.sequence, c.id)), OrderClass]
        rows = []
        for order_class in ordered:
            counts = groups.get((order_class.id or None,))
            if not counts:
                continue
            label = order_class.name if order_class else self.env._("No class")
            total = counts[0]
            cells = []
            for (__, title, domain, unit), value in zip(columns, counts, strict=True):
                domain = [*domain, ("o2c_order_class_id", "=", order_class.id)]
                action = self._o2c_window_action(f"{label}: {title}", "sale.order", domain)
                if unit != "count":
                    value = self._o2c_rate(value, total)
                cells.append({"value": value, "unit": unit, "action": action})
            rows.append({"label": label, "cells": cells})
        return {
            "title": self.env._("Touchless and exception rate by order class"),
            "type": "table",
            "sequence": 20,
            "roles": ["all", "sales", "finance"],
            "columns": [
                {"key": key, "label": label, "unit": unit} for key, label, __, unit in columns
            ],
            "rows": rows,
        }

    # ---------------------------------------------------------- HELPERS
    @api.model
    def _o2c_percentiles(self, model, domain, value_sql, percentiles=(0.5, 0.9)):
        """Percentiles of ``value_sql`` over ``model`` records matching ``domain``.

        One SQL query; the records come from ``_search`` so access rules and
        record rules apply. ``value_sql`` is an :class:`SQL` expression over the
        model's table columns (e.g. hours between two datetimes).
        """
        return self._o2c_percentiles_by_domain(model, [domain], value_sql, percentiles)[0]

    @api.model
    def _o2c_percentiles_by_domain(
        self, model, domains, value_sql, percentiles=(0.5, 0.9), scope=None
    ):
        """:meth:`_o2c_percentiles` of each domain of ``domains`` (e.g. this period
        and the previous one), in one SQL query: ``[[p50, p90], ...]``.

        The values of each domain are sorted once for all its percentiles.
        ``scope``: see :meth:`_o2c_filtered_query`.
        """
        aggregate = SQL(
            "percentile_cont(%s::float8[]) WITHIN GROUP (ORDER BY %s)",
            list(percentiles),
            value_sql,
        )
        return [
            [round(v, 2) if v is not None else None for v in values or [None] * len(percentiles)]
            for [values] in self._o2c_filtered_aggregates(model, domains, [aggregate], scope)
        ]

    @api.model
    def _o2c_domain_conditions(self, model, domains, rules=True):
        """SQL conditions on the table of ``model`` selecting the records of each domain.

        Each is the WHERE clause ``_search`` builds for the domain (record rules,
        ``active`` included), or an ``id IN (subquery)`` when that query needs joins.

        :param rules: ``False`` leaves out the record rules and the ``active``
            test (the domain's own terms only): for conditions tested on rows a
            WHERE clause with both has selected already.
        """
        Model = self.env[model] if isinstance(model, str) else model
        table = SQL.identifier(Model._table)
        conditions = []
        for domain in domains:
            if rules:
                query = Model._search(domain)
            else:
                query = Model._where_calc(domain, active_test=False)
            if query.from_clause.code != table.code:
                ids = SQL.identifier(Model._table, "id")
                conditions.append(SQL("%s IN %s", ids, query.subselect()))
            elif query.where_clause.code:
                conditions.append(SQL("(%s)", query.where_clause))
            else:
                conditions.append(SQL("TRUE"))
        return conditions

    @staticmethod
    def _o2c_domain_terms(domain):
        """Split ``domain`` into its top-level terms (implicitly AND-ed)."""
        domain = list(domain)
        terms, start = [], 0
        while start < len(domain):
            end, needed = start, 1
            while needed:
                item = domain[end]
                if isinstance(item, str) and item in ("&", "|"):
                    needed += 1
                elif not (isinstance(item, str) and item == "!"):
                    needed -= 1
                end += 1
            terms.append(domain[start:end])
            start = end
        return terms

    @api.model
    def _o2c_filter_conditions(self, model, domains, scope=None):
        """``(where, [condition per domain])`` to aggregate several domains at once.

        The terms shared by every domain (their common scope), the record rules
        and the ``active`` test are tested once in ``where``; each condition tests
        the rest of its domain only (fewer columns read, no subquery evaluated
        per condition). ``where`` selects the records of ``scope`` if given (a
        domain including every domain's records), else of the union of the
        domains.
        """
        Model = self.env[model] if isinstance(model, str) else model
        split = [self._o2c_domain_terms(domain) for domain in domains]
        shared = 0
        while split and all(len(terms) > shared for terms in split):
            if any(terms[shared] != split[0][shared] for terms in split):
                break
            shared += 1
        prefix = [item for term in split[0][:shared] for item in term] if split else []
        rests = [[item for term in terms[shared:] for item in term] for terms in split]
        conditions = self._o2c_domain_conditions(Model, rests, rules=False)
        # ``_search`` adds the record rules and the active test to the shared terms
        # (to nothing when no term is shared) and to the scope
        if scope is None:
            prefix_sql = self._o2c_domain_conditions(Model, [prefix])[0]
            where = SQL("%s AND (%s)", prefix_sql, SQL(" OR ").join(conditions) or SQL("FALSE"))
        else:
            where = self._o2c_domain_conditions(Model, [scope])[0]
            if prefix and list(scope[: len(prefix)]) != prefix:
                prefix_sql = self._o2c_domain_conditions(Model, [prefix], rules=False)[0]
                where = SQL("%s AND %s", where, prefix_sql)
        return where, conditions

    @api.model
    def _o2c_filtered_query(self, model, domains, aggregates, groupby=(), scope=None):
        """Rows of ``aggregates`` (SQL) for each domain of ``domains``, one SQL query.

        Every aggregate gets a ``FILTER (WHERE ...)`` with the condition of its
        domain (:meth:`_o2c_domain_conditions`): the table is read once for several
        figures and each counts exactly the records its drill-down domain opens.
        The terms shared by every domain (their scope) are tested once in the WHERE
        clause, the filters only test the rest of each domain: fewer columns read
        (index-only scans), no subquery evaluated per filter.

        :param aggregates: SQL aggregates computed for every domain, or a list of
            them per domain
        :param groupby: column names of the model's table to group by
        :param scope: domain whose records include those of every domain (the rows
            read, e.g. one date range covering two periods), by default the union
            of the domains
        :return: rows of the ``groupby`` values, then per domain its aggregates
        """
        Model = self.env[model]
        where, conditions = self._o2c_filter_conditions(Model, domains, scope)
        columns = [SQL.identifier(Model._table, name) for name in groupby]
        if aggregates and isinstance(aggregates[0], SQL):
            aggregates = [aggregates] * len(domains)
        selects = [
            SQL("%s FILTER (WHERE %s)", aggregate, condition)
            for condition, domain_aggregates in zip(conditions, aggregates, strict=True)
            for aggregate in domain_aggregates
        ]
        Model.flush_model()  # the SQL below must see pending ORM writes
        return self.env.execute_query(
            SQL(
                "SELECT %s FROM %s WHERE %s%s",
                SQL(", ").join(columns + selects),
                SQL.identifier(Model._table),
                where,
                SQL(" GROUP BY %s", SQL(", ").join(columns)) if columns else SQL(),
            )
        )

    @api.model
    def _o2c_filtered_aggregates(self, model, domains, aggregates, scope=None):
        """``[[aggregate values] per domain]`` (see :meth:`_o2c_filtered_query`)."""
        [row] = self._o2c_filtered_query(model, domains, aggregates, scope=scope)
        size = len(aggregates)
        return [list(row[i : i + size]) for i in range(0, len(row), size)]

    @api.model
    def _o2c_filtered_counts(self, model, domains, groupby=(), scope=None):
        """Number of records of each domain of ``domains``, in one SQL query
        (see :meth:`_o2c_filtered_query`).

        :return: ``[count per domain]``, or with ``groupby`` (column names)
            ``{(column values): [count per domain]}`` for the groups with any record
        """
        rows = self._o2c_filtered_query(model, domains, [SQL("COUNT(*)")], groupby, scope)
        if not groupby:
            return list(rows[0])
        size = len(groupby)
        return {tuple(row[:size]): list(row[size:]) for row in rows if any(row[size:])}
