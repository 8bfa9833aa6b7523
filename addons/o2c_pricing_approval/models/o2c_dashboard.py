# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

CODE = "discount_approval"
TOP_CUSTOMERS = 10


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_dashboard_figures(self, ctx):
        figures = super()._o2c_dashboard_figures(ctx)
        for state, key, title, sequence in (
            ("approved", "pricing_value_approved", self.env._("Discount value approved"), 30),
            ("rejected", "pricing_value_rejected", self.env._("Discount value rejected"), 31),
        ):
            domain = self._o2c_pricing_decided_domain(ctx, "dt_from", "dt_to", [state])
            previous = self._o2c_pricing_decided_domain(ctx, "prev_dt_from", "prev_dt_to", [state])
            figures.append(
                self._o2c_figure(
                    key,
                    title,
                    self._o2c_pricing_sum(domain, ctx),
                    previous=self._o2c_pricing_sum(previous, ctx),
                    unit="currency",
                    roles=("sales", "finance"),
                    res_model="o2c.exception",
                    domain=domain,
                    sequence=sequence,
                    section="pricing",
                    help_text=self.env._(
                        "Value given away against the pricelist on orders "
                        "whose pricing approval was decided in the period."
                    ),
                )
            )
        domain = self._o2c_pricing_decided_domain(ctx, "dt_from", "dt_to", ["approved", "rejected"])
        previous = self._o2c_pricing_decided_domain(
            ctx, "prev_dt_from", "prev_dt_to", ["approved", "rejected"]
        )
        figures.append(
            self._o2c_figure(
                "pricing_turnaround",
                self.env._("Pricing approval turnaround (median)"),
                self._o2c_pricing_median_turnaround(domain),
                previous=self._o2c_pricing_median_turnaround(previous),
                unit="hours",
                roles=("sales", "finance"),
                res_model="o2c.exception",
                domain=domain,
                sequence=32,
                section="pricing",
                help_text=self.env._("Median hours from the approval request to the decision."),
            )
        )
        domain = self._o2c_pricing_requested_domain(ctx, "dt_from", "dt_to")
        previous = self._o2c_pricing_requested_domain(ctx, "prev_dt_from", "prev_dt_to")
        figures.append(
            self._o2c_figure(
                "pricing_value_requested",
                self.env._("Price override value requested"),
                self._o2c_pricing_sum(domain, ctx),
                previous=self._o2c_pricing_sum(previous, ctx),
                unit="currency",
                roles=("sales", "finance"),
                res_model="o2c.exception",
                domain=domain,
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
        return {
            "labels": [partner.display_name or self.env._("No customer") for partner, _v in top],
            "datasets": [
                {
                    "label": self.env._("Price override value"),
                    "data": [ctx["currency"].round(value) for _p, value in top],
                }
            ],
            "partner_ids": [partner.id for partner, _v in top],
        }
