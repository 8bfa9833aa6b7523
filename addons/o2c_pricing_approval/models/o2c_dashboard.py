# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

from .sale_order import CODE

TOP_CUSTOMERS = 10


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_dashboard_sections(self):
        sections = super()._o2c_dashboard_sections()
        sections["pricing"] = {"title": self.env._("Pricing"), "sequence": 45}
        return sections

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_dashboard_figures(self, ctx):
        return (
            super()._o2c_dashboard_figures(ctx)
            + self._o2c_pricing_value_figures(ctx)
            + [self._o2c_pricing_turnaround_figure(ctx)]
        )

    @api.model
    def _o2c_pricing_value_figures(self, ctx):
        """Discount value approved, rejected and requested (six sums, one query)."""
        figures = []
        decided = {
            state: self._o2c_pricing_decided_domain(ctx, "dt_from", "dt_to", [state])
            for state in ("approved", "rejected")
        }
        requested = self._o2c_pricing_requested_domain(ctx, "dt_from", "dt_to")
        domains = [
            decided["approved"],
            self._o2c_pricing_decided_domain(ctx, "prev_dt_from", "prev_dt_to", ["approved"]),
            decided["rejected"],
            self._o2c_pricing_decided_domain(ctx, "prev_dt_from", "prev_dt_to", ["rejected"]),
            requested,
            self._o2c_pricing_requested_domain(ctx, "prev_dt_from", "prev_dt_to"),
        ]
        # the six sums (three figures, two periods) in one query
        sums = self._o2c_pricing_sums(domains, ctx)
        for index, (state, key, title, sequence) in enumerate(
            (
                ("approved", "pricing_value_approved", self.env._("Discount value approved"), 30),
                ("rejected", "pricing_value_rejected", self.env._("Discount value rejected"), 31),
            )
        ):
            figures.append(
                self._o2c_figure(
                    key,
                    title,
                    sums[2 * index],
                    previous=sums[2 * index + 1],
                    unit="currency",
                    roles=("sales", "finance"),
                    res_model="o2c.exception",
                    domain=decided[state],
                    sequence=sequence,
                    section="pricing",
                    help_text=self.env._(
                        "Value given away against the pricelist on orders "
                        "whose pricing approval was decided in the period."
                    ),
                )
            )
        figures.append(
            self._o2c_figure(
                "pricing_value_requested",
                self.env._("Price override value requested"),
                sums[4],
                previous=sums[5],
                unit="currency",
                roles=("sales", "finance"),
                res_model="o2c.exception",
                domain=requested,
                sequence=33,
                section="pricing",
                context={"group_by": ["partner_id"]},
                help_text=self.env._(
                    "Value given away against the pricelist on orders "
                    "that asked for a pricing approval, by customer."
                ),
            )
        )
        return figures

    @api.model
    def _o2c_pricing_turnaround_figure(self, ctx):
        domain = self._o2c_pricing_decided_domain(ctx, "dt_from", "dt_to", ["approved", "rejected"])
        previous = self._o2c_pricing_decided_domain(
            ctx, "prev_dt_from", "prev_dt_to", ["approved", "rejected"]
        )
        [median], [prev_median] = self._o2c_percentiles_by_domain(
            "o2c.exception", [domain, previous], SQL("turnaround_hours"), percentiles=(0.5,)
        )
        return self._o2c_figure(
            "pricing_turnaround",
            self.env._("Pricing approval turnaround (median)"),
            median,
            previous=prev_median,
            unit="hours",
            roles=("sales", "finance"),
            res_model="o2c.exception",
            domain=domain,
            sequence=32,
            section="pricing",
            help_text=self.env._("Median hours from the approval request to the decision."),
        )

    @api.model
    def _o2c_dashboard_charts(self, ctx):
        charts = super()._o2c_dashboard_charts(ctx)
        charts["pricing_top_customers"] = self._o2c_pricing_top_customers(ctx)
        return charts

    # ---------------------------------------------------------- HELPERS
    @api.model
    def _o2c_pricing_decided_domain(self, ctx, start, end, states):
        return [
            *self._o2c_exception_scope(ctx),
            ("code", "=", CODE),
            ("state", "in", states),
            ("decision_date", ">=", ctx[start]),
            ("decision_date", "<", ctx[end]),
        ]

    @api.model
    def _o2c_pricing_requested_domain(self, ctx, start, end):
        return [
            *self._o2c_exception_scope(ctx),
            ("code", "=", CODE),
            ("state", "!=", "cancelled"),
            ("request_date", ">=", ctx[start]),
            ("request_date", "<", ctx[end]),
        ]

    @api.model
    def _o2c_pricing_sums(self, domains, ctx):
        """:meth:`_o2c_pricing_sum` of each domain of ``domains``, in one SQL query."""
        amount = SQL("SUM(%s)", SQL.identifier("o2c_exception", "amount"))
        rows = self._o2c_filtered_query("o2c.exception", domains, [amount], ["currency_id"])
        totals = [0.0] * len(domains)
        Currency = self.env["res.currency"]
        for currency_id, *amounts in rows:
            for index, value in enumerate(amounts):
                if value:
                    totals[index] += self._o2c_pricing_convert(
                        Currency.browse(currency_id), value, ctx
                    )
        return [ctx["currency"].round(total) for total in totals]

    @api.model
    def _o2c_pricing_sum(self, domain, ctx):
        """Sum of the exceptions' amounts in the dashboard currency (one read_group)."""
        groups = self.env["o2c.exception"]._read_group(domain, ["currency_id"], ["amount:sum"])
        return ctx["currency"].round(
            sum(self._o2c_pricing_convert(currency, amount, ctx) for currency, amount in groups)
        )

    @api.model
    def _o2c_pricing_convert(self, currency, amount, ctx):
        target = ctx["currency"]
        if not currency or currency == target:
            return amount
        return currency._convert(amount, target, self.env.company, ctx["date_to"], round=False)

    @api.model
    def _o2c_pricing_median_turnaround(self, domain):
        return self._o2c_percentiles(
            "o2c.exception", domain, SQL("turnaround_hours"), percentiles=(0.5,)
        )[0]

    @api.model
    def _o2c_pricing_top_customers(self, ctx):
        """Customers with the most value given away against the pricelist."""
        domain = self._o2c_pricing_requested_domain(ctx, "dt_from", "dt_to")
        groups = self.env["o2c.exception"]._read_group(
            domain, ["partner_id", "currency_id"], ["amount:sum"]
        )
        totals = {}
        for partner, currency, amount in groups:
            totals[partner] = totals.get(partner, 0.0) + self._o2c_pricing_convert(
                currency, amount, ctx
            )
        top = sorted(totals.items(), key=lambda item: (-item[1], item[0].id))[:TOP_CUSTOMERS]
        # names of these customers only (not of every customer of the period)
        top_ids = [partner.id for partner, _v in top if partner]
        return {
            "labels": [
                partner.with_prefetch(top_ids).display_name or self.env._("No customer")
                for partner, _v in top
            ],
            "datasets": [
                {
                    "label": self.env._("Price override value"),
                    "data": [ctx["currency"].round(value) for _p, value in top],
                }
            ],
            "partner_ids": [partner.id for partner, _v in top],
        }
