# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.addons.o2c_exception_base.models.o2c_exception import LIVE_STATES
from odoo.tools import SQL

from .o2c_exception import BACKORDER, SHORT_PICK, SUBSTITUTION


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_dashboard_sections(self):
        sections = super()._o2c_dashboard_sections()
        sections["fulfillment"] = {"title": self.env._("Fulfillment"), "sequence": 60}
        return sections

    def init(self):
        res = super().init()
        # The fill rate counts the lines first delivered in a period, complete or
        # not: an index-only scan instead of reading every such line. Created once
        # every table of the module is up to date (the columns exist).
        self.pool.post_init(
            tools.create_index,
            self.env.cr,
            "sale_order_line_o2c_fill_rate_idx",
            "sale_order_line",
            ["o2c_first_delivery_date", "company_id", "o2c_first_delivery_complete"],
            where="o2c_first_delivery_date IS NOT NULL",
        )
        # The open backorders (count, value and age by currency) from the index
        # alone, not from every backorder exception row.
        self.pool.post_init(
            tools.create_index,
            self.env.cr,
            "o2c_exception_backorder_idx",
            "o2c_exception",
            ["company_id", "state", "active", "currency_id", "request_date", "amount"],
            where="code = 'backorder'",
        )
        return res

    @api.model
    def _o2c_dashboard_figures(self, ctx):
        figures = super()._o2c_dashboard_figures(ctx)
        figures += self._o2c_backorder_figures(ctx)
        if self.env["sale.order.line"].has_access("read"):
            figures.append(self._o2c_fill_rate_figure(ctx))
        figures.append(
            self._o2c_period_count_figure(
                ctx, SUBSTITUTION, "fulfillment_substitutions", self.env._("Substitutions"), 140
            )
        )
        figures.append(
            self._o2c_period_count_figure(
                ctx, SHORT_PICK, "fulfillment_short_picks", self.env._("Short picks"), 150
            )
        )
        return figures

    # -------------------------------------------------------- BACKORDERS
    @api.model
    def _o2c_open_backorder_domain(self, ctx):
        return [
            *self._o2c_exception_scope(ctx),
            ("code", "=", BACKORDER),
            ("state", "in", list(LIVE_STATES)),
        ]

    @api.model
    def _o2c_aging_buckets(self):
        """``(key, title, from days, to days)`` of the backorder aging figures."""
        return [
            ("0_7", self.env._("Backorders 0-7 days old"), 0, 7),
            ("8_30", self.env._("Backorders 8-30 days old"), 7, 30),
            ("31_60", self.env._("Backorders 31-60 days old"), 30, 60),
            ("over_60", self.env._("Backorders over 60 days old"), 60, None),
        ]

    @api.model
    def _o2c_backorder_figures(self, ctx):
        """Open backorders: count, value (converted to the dashboard currency) and
        count by age of the exception, one SQL query for all."""
        domain = self._o2c_open_backorder_domain(ctx)
        now = fields.Datetime.now()
        buckets = []
        for key, title, start, end in self._o2c_aging_buckets():
            bucket = [*domain, ("request_date", "<=", now - timedelta(days=start))]
            if end is not None:
                bucket.append(("request_date", ">", now - timedelta(days=end)))
            buckets.append((key, title, bucket))
        count_sql = SQL("COUNT(*)")
        rows = self._o2c_filtered_query(
            "o2c.exception",
            [domain] + [bucket for __, __, bucket in buckets],
            # count and value of the open backorders, count of each age bucket
            [[count_sql, SQL("SUM(%s)", SQL.identifier("o2c_exception", "amount"))]]
            + [[count_sql]] * len(buckets),
            groupby=("currency_id",),
        )
        currency, today = ctx["currency"], fields.Date.context_today(self)
        company = self.env["res.company"].browse(ctx["company_ids"][:1]) or self.env.company
        Currency = self.env["res.currency"]
        count = value = 0
        ages = [0] * len(buckets)
        for currency_id, total, amount, *by_age in rows:
            count += total
            cur = Currency.browse(currency_id)
            amount = amount or 0.0
            value += (
                cur._convert(amount, currency, company, today)
                if cur and cur != currency
                else amount
            )
            for index, number in enumerate(by_age):
                ages[index] += number
        common = {
            "roles": ("sales", "warehouse"),
            "res_model": "o2c.exception",
            "section": "fulfillment",
        }
        return [
            self._o2c_figure(
                "fulfillment_open_backorders",
                self.env._("Open backorders"),
                count,
                sequence=100,
                domain=domain,
                **common,
            ),
            self._o2c_figure(
                "fulfillment_backorder_value",
                self.env._("Open backorder value"),
                currency.round(value),
                unit="currency",
                sequence=101,
                domain=domain,
                **common,
            ),
        ] + [
            self._o2c_figure(
                f"fulfillment_backorder_age_{key}",
                title,
                ages[index],
                domain=bucket,
                sequence=110 + index,
                **common,
            )
            for index, (key, title, bucket) in enumerate(buckets)
        ]

    # --------------------------------------------------------- FILL RATE
    @api.model
    def _o2c_fill_rate_domain(self, ctx, dt_from, dt_to):
        # the line's stored company is its order's: no scan of every order
        scope = [("company_id", "in", ctx["company_ids"])]
        if ctx["team_ids"]:
            scope.append(("order_id.team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            scope.append(("order_id.warehouse_id", "in", ctx["warehouse_ids"]))
        return [
            *scope,
            ("o2c_first_delivery_date", ">=", dt_from),
            ("o2c_first_delivery_date", "<", dt_to),
        ]

    @api.model
    def _o2c_fill_rates(self, ctx, periods):
        """Fill rate of each ``(dt_from, dt_to)`` of ``periods``, in one SQL query."""
        complete = [("o2c_first_delivery_complete", "=", True)]
        domains = []
        for dt_from, dt_to in periods:
            domain = self._o2c_fill_rate_domain(ctx, dt_from, dt_to)
            domains += [domain, domain + complete]
        first = min(start for start, __ in periods)
        last = max(end for __, end in periods)
        counts = self._o2c_filtered_counts(
            "sale.order.line", domains, scope=self._o2c_fill_rate_domain(ctx, first, last)
        )
        return [
            self._o2c_rate(shipped, total)
            for total, shipped in zip(counts[::2], counts[1::2], strict=True)
        ]

    @api.model
    def _o2c_fill_rate_figure(self, ctx):
        """Ordered lines shipped complete on their first delivery in the period."""
        domain = self._o2c_fill_rate_domain(ctx, ctx["dt_from"], ctx["dt_to"])
        rate, previous = self._o2c_fill_rates(
            ctx, [(ctx["dt_from"], ctx["dt_to"]), (ctx["prev_dt_from"], ctx["prev_dt_to"])]
        )
        return self._o2c_figure(
            "fulfillment_fill_rate",
            self.env._("Fill rate (first delivery)"),
            rate,
            previous=previous,
            unit="percent",
            roles=("sales", "warehouse"),
            res_model="sale.order.line",
            domain=domain,
            sequence=130,
            section="fulfillment",
            better="higher",
            context={"group_by": ["o2c_first_delivery_complete"]},
            help_text=self.env._(
                "Share of the order lines first delivered in the period "
                "that shipped their whole ordered quantity at once."
            ),
        )

    # ------------------------------------------------------------ PERIOD
    @api.model
    def _o2c_period_count_figure(self, ctx, code, key, title, sequence):
        """Exceptions of ``code`` raised in the period (and the previous one)."""

        def domain(dt_from, dt_to):
            return [
                *self._o2c_exception_scope(ctx),
                ("code", "=", code),
                ("request_date", ">=", dt_from),
                ("request_date", "<", dt_to),
            ]

        current = domain(ctx["dt_from"], ctx["dt_to"])
        count, previous = self._o2c_filtered_counts(
            "o2c.exception", [current, domain(ctx["prev_dt_from"], ctx["prev_dt_to"])]
        )
        return self._o2c_figure(
            key,
            title,
            count,
            previous=previous,
            roles=("warehouse",),
            res_model="o2c.exception",
            domain=current,
            sequence=sequence,
            section="fulfillment",
        )
