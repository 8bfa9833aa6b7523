# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception import LIVE_STATES
from odoo.tools import SQL


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_dashboard_figures(self, ctx):
        figures = super()._o2c_dashboard_figures(ctx)
        figures += self._o2c_backorder_figures(ctx)
        figures += self._o2c_backorder_aging_figures(ctx)
        if self.env["sale.order.line"].has_access("read"):
            figures.append(self._o2c_fill_rate_figure(ctx))
        figures.append(
            self._o2c_period_count_figure(
                ctx, "substitution", "fulfillment_substitutions", self.env._("Substitutions"), 140
            )
        )
        figures.append(
            self._o2c_period_count_figure(
                ctx, "short_pick", "fulfillment_short_picks", self.env._("Short picks"), 150
            )
        )
        return figures

    # -------------------------------------------------------- BACKORDERS
    @api.model
    def _o2c_open_backorder_domain(self, ctx):
        return [
            *self._o2c_exception_scope(ctx),
            ("code", "=", "backorder"),
            ("state", "in", list(LIVE_STATES)),
        ]

    @api.model
    def _o2c_backorder_figures(self, ctx):
        """Open backorders: count and value (converted to the dashboard currency)."""
        domain = self._o2c_open_backorder_domain(ctx)
        groups = self.env["o2c.exception"]._read_group(
            domain, ["currency_id"], ["__count", "amount:sum"]
        )
        currency, today = ctx["currency"], fields.Date.context_today(self)
        company = self.env["res.company"].browse(ctx["company_ids"][:1]) or self.env.company
        count = sum(n for __, n, __ in groups)
        value = sum(
            cur._convert(amount, currency, company, today) if cur and cur != currency else amount
            for cur, __, amount in groups
        )
        common = {
            "roles": ("sales", "warehouse"),
            "res_model": "o2c.exception",
            "domain": domain,
            "section": "fulfillment",
        }
        return [
            self._o2c_figure(
                "fulfillment_open_backorders",
                self.env._("Open backorders"),
                count,
                sequence=100,
                **common,
            ),
            self._o2c_figure(
                "fulfillment_backorder_value",
                self.env._("Open backorder value"),
                currency.round(value),
                unit="currency",
                sequence=101,
                **common,
            ),
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
    def _o2c_backorder_aging_figures(self, ctx):
        """Open backorders by age of the exception, one SQL for every bucket."""
        now = fields.Datetime.now()
        base = self._o2c_open_backorder_domain(ctx)
        Exception_ = self.env["o2c.exception"]
        query = Exception_._search(base)
        buckets = []
        for key, title, start, end in self._o2c_aging_buckets():
            upper = now - timedelta(days=start)
            lower = now - timedelta(days=end) if end is not None else None
            domain = [*base, ("request_date", "<=", upper)]
            condition = SQL("request_date <= %s", upper)
            if lower:
                domain.append(("request_date", ">", lower))
                condition = SQL("%s AND request_date > %s", condition, lower)
            buckets.append((key, title, domain, condition))
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM o2c_exception WHERE id IN %s",
                SQL(", ").join(SQL("COUNT(*) FILTER (WHERE %s)", b[3]) for b in buckets),
                query.subselect(),
            )
        )
        counts = self.env.cr.fetchone()
        return [
            self._o2c_figure(
                f"fulfillment_backorder_age_{key}",
                title,
                counts[index],
                roles=("sales", "warehouse"),
                res_model="o2c.exception",
                domain=domain,
                sequence=110 + index,
                section="fulfillment",
            )
            for index, (key, title, domain, __) in enumerate(buckets)
        ]

    # --------------------------------------------------------- FILL RATE
    @api.model
    def _o2c_fill_rate_domain(self, ctx, dt_from, dt_to):
        return [
            *self._o2c_order_scope(ctx, "order_id."),
            ("o2c_first_delivery_date", ">=", dt_from),
            ("o2c_first_delivery_date", "<", dt_to),
        ]

    @api.model
    def _o2c_fill_rate(self, domain):
        groups = dict(
            self.env["sale.order.line"]._read_group(
                domain, ["o2c_first_delivery_complete"], ["__count"]
            )
        )
        total = sum(groups.values())
        return round(100.0 * groups.get(True, 0) / total, 1) if total else None

    @api.model
    def _o2c_fill_rate_figure(self, ctx):
        """Ordered lines shipped complete on their first delivery in the period."""
        domain = self._o2c_fill_rate_domain(ctx, ctx["dt_from"], ctx["dt_to"])
        previous = self._o2c_fill_rate(
            self._o2c_fill_rate_domain(ctx, ctx["prev_dt_from"], ctx["prev_dt_to"])
        )
        return self._o2c_figure(
            "fulfillment_fill_rate",
            self.env._("Fill rate (first delivery)"),
            self._o2c_fill_rate(domain),
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

        Exception_ = self.env["o2c.exception"]
        current = domain(ctx["dt_from"], ctx["dt_to"])
        return self._o2c_figure(
            key,
            title,
            Exception_.search_count(current),
            previous=Exception_.search_count(domain(ctx["prev_dt_from"], ctx["prev_dt_to"])),
            roles=("warehouse",),
            res_model="o2c.exception",
            domain=current,
            sequence=sequence,
            section="fulfillment",
        )
