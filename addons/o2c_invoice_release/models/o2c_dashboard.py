# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.addons.o2c_exception_base.dashboard import Figure
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
        if self.env["stock.picking"].has_access("read"):
            figures += self._o2c_pod_waiting_figures(ctx)
        return figures

    @api.model
    def _o2c_figure_declarations(self, ctx):
        return (
            super()._o2c_figure_declarations(ctx)
            + self._o2c_invoice_latency_declarations(ctx)
            + self._o2c_release_mode_declarations(ctx)
        )

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
        # the SQL below reads these tables: write the ORM's pending changes first
        for model in ("stock.picking", "stock.move", "sale.order.line", "sale.order"):
            self.env[model].flush_model()
        [(count, value)] = self.env.execute_query(
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
                headline=("warehouse", "finance"),
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
    def _o2c_invoice_latency_declarations(self, ctx):
        """Hours from delivery done to its first invoice posted: median and p90."""

        def invoiced(period):
            return period.between("o2c_invoice_posted_date")

        common = {
            "model": "stock.picking",
            "scope": self._o2c_delivery_scope(ctx),
            # both periods are one range of invoice dates (one index range scan)
            "span": invoiced,
            "domain": invoiced,
            "field": SQL(
                "EXTRACT(EPOCH FROM (stock_picking.o2c_invoice_posted_date "
                "- stock_picking.date_done)) / 3600.0"
            ),
            "unit": "hours",
            "roles": ("finance",),
            "section": "invoicing",
        }
        return [
            Figure(
                "invoice_latency_median",
                self.env._("Delivery to invoice (median)"),
                measure="median",
                sequence=62,
                help=self.env._("Hours from the delivery being done to its invoice being posted."),
                **common,
                headline=("finance",),
            ),
            Figure(
                "invoice_latency_p90",
                self.env._("Delivery to invoice (p90)"),
                measure="p90",
                sequence=63,
                help=self.env._("9 deliveries out of 10 are invoiced within this many hours."),
                **common,
            ),
        ]

    @api.model
    def _o2c_release_mode_declarations(self, ctx):
        """Posted invoices auto-released by the job vs overridden by finance."""

        def released(mode):
            return lambda period: [("o2c_release_mode", "=", mode), *period.dated("invoice_date")]

        common = {
            "model": "account.move",
            "scope": self._o2c_release_invoice_scope(ctx),
            "span": lambda period: period.dated("invoice_date"),
            "roles": ("finance",),
            "section": "invoicing",
        }
        return [
            Figure(
                "invoices_auto_released",
                self.env._("Auto-released invoices"),
                domain=released("auto"),
                sequence=64,
                better="higher",
                help=self.env._(
                    "Posted invoices created by the release job from released deliveries."
                ),
                **common,
            ),
            Figure(
                "invoices_overridden",
                self.env._("Overridden invoices"),
                domain=released("override"),
                sequence=65,
                help=self.env._(
                    "Posted invoices billing quantities before their release, "
                    "approved by a finance approver."
                ),
                **common,
            ),
        ]

    # ----------------------------------------------------------- REVIEW
    @api.model
    def _o2c_review_figure_keys(self):
        # the invoice latency is one of the figures leadership reviews monthly
        return [*super()._o2c_review_figure_keys(), "invoice_latency_median"]
