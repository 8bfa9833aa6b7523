# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

from .stock_picking import WAITING_POD_STATES


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_dashboard_sections(self):
        sections = super()._o2c_dashboard_sections()
        sections["invoicing"] = {"title": self.env._("Delivery to invoice"), "sequence": 70}
        return sections

    # ----------------------------------------------------------- SCOPES
    @api.model
    def _o2c_delivery_scope(self, ctx):
        """Domain of customer deliveries of sales orders in the dashboard scope."""
        domain = [
            ("company_id", "in", ctx["company_ids"]),
            ("sale_id", "!=", False),
            ("picking_type_code", "=", "outgoing"),
        ]
        if ctx["warehouse_ids"]:
            domain.append(("picking_type_id.warehouse_id", "in", ctx["warehouse_ids"]))
        if ctx["team_ids"]:
            domain.append(("sale_id.team_id", "in", ctx["team_ids"]))
        return domain

    @api.model
    def _o2c_release_invoice_scope(self, ctx):
        domain = [
            ("company_id", "in", ctx["company_ids"]),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
        ]
        if ctx["team_ids"]:
            domain.append(("team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            domain.append(
                ("o2c_picking_ids.picking_type_id.warehouse_id", "in", ctx["warehouse_ids"])
            )
        return domain

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_dashboard_figures(self, ctx):
        figures = super()._o2c_dashboard_figures(ctx)
        # Raw SQL below (and in _o2c_percentiles) reads the database: write the
        # ORM's pending changes first.
        self.env.flush_all()
        if self.env["stock.picking"].has_access("read"):
            figures += self._o2c_pod_waiting_figures(ctx)
            figures += self._o2c_invoice_latency_figures(ctx)
        if self.env["account.move"].has_access("read"):
            figures += self._o2c_release_mode_figures(ctx)
        return figures

    @api.model
    def _o2c_pod_waiting_domain(self, ctx):
        return [
            *self._o2c_delivery_scope(ctx),
            ("state", "=", "done"),
            ("o2c_release_policy", "=", "on_pod"),
            ("o2c_released", "=", False),
            ("o2c_pod_state", "in", list(WAITING_POD_STATES)),
        ]

    @api.model
    def _o2c_pod_waiting_figures(self, ctx):
        """Deliveries waiting for their POD: count and sales value (one SQL)."""
        domain = self._o2c_pod_waiting_domain(ctx)
        query = self.env["stock.picking"]._search(domain)
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(DISTINCT p.id),
                      COALESCE(SUM(m.quantity * sol.price_reduce_taxexcl
                                   / COALESCE(NULLIF(so.currency_rate, 0), 1)), 0)
                 FROM stock_picking p
            LEFT JOIN stock_move m ON m.picking_id = p.id AND m.state = 'done'
            LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id
            LEFT JOIN sale_order so ON so.id = sol.order_id
                WHERE p.id IN %s""",
                query.subselect(),
            )
        )
        count, value = self.env.cr.fetchone()
        common = {
            "roles": ("warehouse", "finance"),
            "res_model": "stock.picking",
            "domain": domain,
            "section": "invoicing",
        }
        return [
            self._o2c_figure(
                "pod_waiting_count",
                self.env._("Deliveries waiting for POD"),
                count,
                sequence=60,
                help_text=self.env._(
                    "Done deliveries of customers invoiced on proof of delivery whose "
                    "proof is missing, pending or rejected."
                ),
                **common,
            ),
            self._o2c_figure(
                "pod_waiting_value",
                self.env._("Value waiting for POD"),
                ctx["currency"].round(value),
                unit="currency",
                sequence=61,
                help_text=self.env._(
                    "Untaxed sales value of the goods shipped in those deliveries, in "
                    "company currency."
                ),
                **common,
            ),
        ]

    @api.model
    def _o2c_invoice_latency_figures(self, ctx):
        """Hours from delivery done to its first invoice posted: median and p90."""
        hours = SQL(
            "EXTRACT(EPOCH FROM (stock_picking.o2c_invoice_posted_date "
            "- stock_picking.date_done)) / 3600.0"
        )

        def domain(dt_from, dt_to):
            return [
                *self._o2c_delivery_scope(ctx),
                ("o2c_invoice_posted_date", ">=", dt_from),
                ("o2c_invoice_posted_date", "<", dt_to),
            ]

        current = domain(ctx["dt_from"], ctx["dt_to"])
        (median, p90), (prev_median, prev_p90) = self._o2c_percentiles_by_domain(
            "stock.picking",
            [current, domain(ctx["prev_dt_from"], ctx["prev_dt_to"])],
            hours,
            # one date range: an index range scan covering both periods
            scope=domain(ctx["prev_dt_from"], ctx["dt_to"]),
        )
        common = {
            "unit": "hours",
            "roles": ("finance",),
            "res_model": "stock.picking",
            "domain": current,
            "section": "invoicing",
        }
        return [
            self._o2c_figure(
                "invoice_latency_median",
                self.env._("Delivery to invoice (median)"),
                median,
                previous=prev_median,
                sequence=62,
                help_text=self.env._(
                    "Hours from the delivery being done to its invoice being posted."
                ),
                **common,
            ),
            self._o2c_figure(
                "invoice_latency_p90",
                self.env._("Delivery to invoice (p90)"),
                p90,
                previous=prev_p90,
                sequence=63,
                help_text=self.env._("9 deliveries out of 10 are invoiced within this many hours."),
                **common,
            ),
        ]

    @api.model
    def _o2c_release_mode_figures(self, ctx):
        """Posted invoices auto-released by the job vs overridden by finance."""

        def domain(mode, date_from, date_to):
            return [
                *self._o2c_release_invoice_scope(ctx),
                ("o2c_release_mode", "=", mode),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
            ]

        modes = (
            (
                "invoices_auto_released",
                "auto",
                self.env._("Auto-released invoices"),
                self.env._(
                    "Posted invoices created by the release job from released " "deliveries."
                ),
            ),
            (
                "invoices_overridden",
                "override",
                self.env._("Overridden invoices"),
                self.env._(
                    "Posted invoices billing quantities before their release, "
                    "approved by a finance approver."
                ),
            ),
        )
        domains = []
        for __, mode, __, __ in modes:
            domains += [
                domain(mode, ctx["date_from"], ctx["date_to"]),
                domain(mode, ctx["prev_from"], ctx["prev_to"]),
            ]
        # one query for both modes and both periods
        counts = self._o2c_filtered_counts("account.move", domains)
        figures = []
        for index, (key, mode, title, help_text) in enumerate(modes):
            current = domains[2 * index]
            figures.append(
                self._o2c_figure(
                    key,
                    title,
                    counts[2 * index],
                    previous=counts[2 * index + 1],
                    roles=("finance",),
                    res_model="account.move",
                    domain=current,
                    sequence=64 + index,
                    section="invoicing",
                    help_text=help_text,
                    better="higher" if mode == "auto" else "lower",
                )
            )
        return figures
