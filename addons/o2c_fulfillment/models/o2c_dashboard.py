# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.addons.o2c_exception_base.dashboard import Figure
from odoo.addons.o2c_exception_base.models.o2c_exception import LIVE_STATES

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
    def _o2c_figure_declarations(self, ctx):
        return (
            super()._o2c_figure_declarations(ctx)
            + self._o2c_backorder_declarations(ctx)
            + [
                self._o2c_fill_rate_declaration(ctx),
                self._o2c_period_count_declaration(
                    ctx, SUBSTITUTION, "fulfillment_substitutions", self.env._("Substitutions"), 140
                ),
                self._o2c_period_count_declaration(
                    ctx, SHORT_PICK, "fulfillment_short_picks", self.env._("Short picks"), 150
                ),
            ]
        )

    # -------------------------------------------------------- BACKORDERS
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
    def _o2c_backorder_declarations(self, ctx):
        """Open backorders now: count, value and count by age of the exception
        (one SQL query for all, read from the backorder index)."""
        common = {
            "model": "o2c.exception",
            "scope": [
                *self._o2c_exception_scope(ctx),
                ("code", "=", BACKORDER),
                ("state", "in", list(LIVE_STATES)),
            ],
            "roles": ("sales", "warehouse"),
            "section": "fulfillment",
            "previous": False,
        }
        figures = [
            Figure(
                "fulfillment_open_backorders",
                self.env._("Open backorders"),
                domain=[],
                sequence=100,
                **common,
                headline=("warehouse",),
            ),
            Figure(
                "fulfillment_backorder_value",
                self.env._("Open backorder value"),
                domain=[],
                measure="sum",
                field="amount",
                currency_field="currency_id",
                unit="currency",
                sequence=101,
                **common,
            ),
        ]
        now = fields.Datetime.now()
        for index, (key, title, start, end) in enumerate(self._o2c_aging_buckets()):
            bucket = [("request_date", "<=", now - timedelta(days=start))]
            if end is not None:
                bucket.append(("request_date", ">", now - timedelta(days=end)))
            figures.append(
                Figure(
                    f"fulfillment_backorder_age_{key}",
                    title,
                    domain=bucket,
                    sequence=110 + index,
                    **common,
                )
            )
        return figures

    # --------------------------------------------------------- FILL RATE
    @api.model
    def _o2c_fill_rate_declaration(self, ctx):
        """Ordered lines shipped complete on their first delivery in the period."""
        # the line's stored company is its order's: no scan of every order
        scope = [("company_id", "in", ctx["company_ids"])]
        if ctx["team_ids"]:
            scope.append(("order_id.team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            scope.append(("order_id.warehouse_id", "in", ctx["warehouse_ids"]))

        def delivered(period):
            return period.between("o2c_first_delivery_date")

        return Figure(
            "fulfillment_fill_rate",
            self.env._("Fill rate (first delivery)"),
            "sale.order.line",
            lambda period: [*delivered(period), ("o2c_first_delivery_complete", "=", True)],
            scope=scope,
            # both periods are one range of first delivery dates (index-only scan)
            span=delivered,
            measure="rate",
            of=delivered,
            opens_whole=True,
            unit="percent",
            roles=("sales", "warehouse"),
            sequence=130,
            section="fulfillment",
            better="higher",
            context={"group_by": ["o2c_first_delivery_complete"]},
            help=self.env._(
                "Share of the order lines first delivered in the period "
                "that shipped their whole ordered quantity at once."
            ),
            headline=("all", "warehouse"),
        )

    # ------------------------------------------------------------ PERIOD
    @api.model
    def _o2c_period_count_declaration(self, ctx, code, key, title, sequence):
        """Exceptions of ``code`` raised in the period (and the previous one)."""
        return Figure(
            key,
            title,
            "o2c.exception",
            lambda period: period.between("request_date"),
            scope=[*self._o2c_exception_scope(ctx), ("code", "=", code)],
            roles=("warehouse",),
            sequence=sequence,
            section="fulfillment",
        )

    # ----------------------------------------------------------- REVIEW
    @api.model
    def _o2c_review_figure_keys(self):
        # the fill rate is one of the figures leadership reviews monthly
        return [*super()._o2c_review_figure_keys(), "fulfillment_fill_rate"]
