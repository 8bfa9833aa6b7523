# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.addons.o2c_exception_base.dashboard import Figure

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
    def _o2c_figure_declarations(self, ctx):
        """Discount value approved, rejected and requested; approval turnaround."""
        common = {
            "model": "o2c.exception",
            # what the queries read: the pricing approvals only
            "scope": [*self._o2c_exception_scope(ctx), ("code", "=", CODE)],
            "roles": ("sales", "finance"),
            "section": "pricing",
        }
        value = {
            "measure": "sum",
            "field": "amount",
            "currency_field": "currency_id",
            "unit": "currency",
            "help": self.env._(
                "Value given away against the pricelist on orders "
                "whose pricing approval was decided in the period."
            ),
        }
        return [
            *super()._o2c_figure_declarations(ctx),
            Figure(
                "pricing_value_approved",
                self.env._("Discount value approved"),
                domain=self._o2c_pricing_decided(["approved"]),
                sequence=30,
                **value,
                **common,
            ),
            Figure(
                "pricing_value_rejected",
                self.env._("Discount value rejected"),
                domain=self._o2c_pricing_decided(["rejected"]),
                sequence=31,
                **value,
                **common,
            ),
            Figure(
                "pricing_turnaround",
                self.env._("Pricing approval turnaround (median)"),
                domain=self._o2c_pricing_decided(["approved", "rejected"]),
                measure="median",
                field="turnaround_hours",
                unit="hours",
                sequence=32,
                help=self.env._("Median hours from the approval request to the decision."),
                **common,
            ),
            Figure(
                "pricing_value_requested",
                self.env._("Price override value requested"),
                domain=self._o2c_pricing_requested,
                sequence=33,
                context={"group_by": ["partner_id"]},
                **dict(
                    value,
                    help=self.env._(
                        "Value given away against the pricelist on orders "
                        "that asked for a pricing approval, by customer."
                    ),
                ),
                **common,
                headline=("sales",),
            ),
        ]

    @api.model
    def _o2c_dashboard_charts(self, ctx):
        charts = super()._o2c_dashboard_charts(ctx)
        charts["pricing_top_customers"] = self._o2c_pricing_top_customers(ctx)
        return charts

    # ---------------------------------------------------------- HELPERS
    @api.model
    def _o2c_pricing_decided(self, states):
        """Domain function: pricing approvals decided in a period in ``states``."""
        return lambda period: [("state", "in", states), *period.between("decision_date")]

    @api.model
    def _o2c_pricing_requested(self, period):
        return [("state", "!=", "cancelled"), *period.between("request_date")]

    @api.model
    def _o2c_pricing_top_customers(self, ctx):
        """Customers with the most value given away against the pricelist."""
        domain = [
            *self._o2c_exception_scope(ctx),
            ("code", "=", CODE),
            *self._o2c_pricing_requested(ctx["period"]),
        ]
        groups = self.env["o2c.exception"]._read_group(
            domain, ["partner_id", "currency_id"], ["amount:sum"]
        )
        totals = {}
        for partner, currency, amount in groups:
            totals[partner] = totals.get(partner, 0.0) + self._o2c_convert(ctx, currency.id, amount)
        top = sorted(totals.items(), key=lambda item: (-item[1], item[0].id))[:TOP_CUSTOMERS]
        # names of these customers only (not of every customer of the period)
        top_ids = [partner.id for partner, _v in top if partner]
        return {
            "title": self.env._("Customers with the most price given away"),
            "roles": ["all", "sales", "finance"],
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
            "drill": self._o2c_chart_drill(
                "o2c.exception",
                domain,
                [[("partner_id", "=", partner.id)] for partner, _v in top],
            ),
        }
