# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

from .o2c_dispute_constants import DISPUTE_TYPES, OPEN_STATES, ROOT_CAUSES

ROLES = ("finance", "service", "sales")


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_dashboard_sections(self):
        sections = super()._o2c_dashboard_sections()
        sections["disputes"] = {"title": self.env._("Disputes"), "sequence": 80}
        return sections

    # ----------------------------------------------------------- SCOPES
    @api.model
    def _o2c_dispute_scope(self, ctx):
        """Domain of dispute tickets in the dashboard's company/team/warehouse scope."""
        domain = [("o2c_is_dispute", "=", True), ("company_id", "in", ctx["company_ids"])]
        if ctx["team_ids"]:
            domain.append(("o2c_sale_order_id.team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            domain.append(("o2c_sale_order_id.warehouse_id", "in", ctx["warehouse_ids"]))
        return domain

    @api.model
    def _o2c_dispute_created_domain(self, ctx, previous=False):
        start, end = ("prev_dt_from", "prev_dt_to") if previous else ("dt_from", "dt_to")
        return [
            *self._o2c_dispute_scope(ctx),
            ("create_date", ">=", ctx[start]),
            ("create_date", "<", ctx[end]),
        ]

    @api.model
    def _o2c_dispute_resolved_domain(self, ctx, previous=False):
        start, end = ("prev_dt_from", "prev_dt_to") if previous else ("dt_from", "dt_to")
        return [
            *self._o2c_dispute_scope(ctx),
            ("o2c_dispute_state", "=", "resolved"),
            ("o2c_resolved_date", ">=", ctx[start]),
            ("o2c_resolved_date", "<", ctx[end]),
        ]

    @api.model
    def _o2c_dispute_invoice_scope(self, ctx, previous=False):
        """Posted customer invoices dated in the period (denominator of the dispute rate)."""
        start, end = ("prev_from", "prev_to") if previous else ("date_from", "date_to")
        return self._o2c_dispute_invoice_domain(ctx, ctx[start], ctx[end])

    @api.model
    def _o2c_dispute_invoice_domain(self, ctx, date_from, date_to):
        """Posted customer invoices dated from ``date_from`` to ``date_to`` (included)."""
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("company_id", "in", ctx["company_ids"]),
        ]
        if ctx["team_ids"]:
            domain.append(("team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            domain.append(
                ("invoice_line_ids.sale_line_ids.order_id.warehouse_id", "in", ctx["warehouse_ids"])
            )
        return [*domain, ("invoice_date", ">=", date_from), ("invoice_date", "<=", date_to)]

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_dashboard_figures(self, ctx):
        figures = super()._o2c_dashboard_figures(ctx)
        Ticket = self.env["helpdesk.ticket"]
        if not Ticket.has_access("read"):
            return figures
        figures += self._o2c_dispute_open_figures(ctx)
        if self.env["account.move"].has_access("read"):
            figures += self._o2c_dispute_rate_figures(ctx)
        figures += self._o2c_dispute_breakdown_figures(ctx)
        return figures

    @api.model
    def _o2c_dispute_open_figures(self, ctx):
        """Open disputes: count and value (company currency), one query."""
        domain = [*self._o2c_dispute_scope(ctx), ("o2c_dispute_state", "in", OPEN_STATES)]
        [(count, value)] = self.env["helpdesk.ticket"]._read_group(
            domain, [], ["__count", "o2c_disputed_amount_company:sum"]
        )
        common = {
            "roles": ROLES,
            "res_model": "helpdesk.ticket",
            "domain": domain,
            "section": "disputes",
        }
        return [
            self._o2c_figure(
                "dispute_open_count", self.env._("Disputes open"), count, sequence=70, **common
            ),
            self._o2c_figure(
                "dispute_open_value",
                self.env._("Disputed value open"),
                value or 0.0,
                unit="currency",
                sequence=71,
                **common,
            ),
        ]

    @api.model
    def _o2c_dispute_rate_figures(self, ctx):
        """Average resolution time and disputes per 100 invoices, with the previous period."""
        figures = []
        # one query per model for both periods
        resolved = self._o2c_filtered_aggregates(
            "helpdesk.ticket",
            [self._o2c_dispute_resolved_domain(ctx, previous) for previous in (False, True)],
            [
                SQL("COUNT(*)"),
                SQL("AVG(%s)", SQL.identifier("helpdesk_ticket", "o2c_resolution_hours")),
            ],
        )
        hours = [round(avg or 0.0, 2) if count else None for count, avg in resolved]
        figures.append(
            self._o2c_figure(
                "dispute_resolution_time",
                self.env._("Average dispute resolution time"),
                hours[0],
                previous=hours[1],
                unit="hours",
                roles=ROLES,
                res_model="helpdesk.ticket",
                domain=self._o2c_dispute_resolved_domain(ctx),
                sequence=72,
                section="disputes",
            )
        )
        disputes = self._o2c_filtered_counts(
            "helpdesk.ticket",
            [self._o2c_dispute_created_domain(ctx, previous) for previous in (False, True)],
        )
        # both periods are one range of invoice dates (index-only scan)
        both = self._o2c_dispute_invoice_domain(ctx, ctx["prev_from"], ctx["date_to"])
        invoices = self._o2c_filtered_counts(
            "account.move",
            [self._o2c_dispute_invoice_scope(ctx, previous) for previous in (False, True)],
            scope=both,
        )
        rates = [
            self._o2c_rate(count, total) for count, total in zip(disputes, invoices, strict=True)
        ]
        figures.append(
            self._o2c_figure(
                "dispute_per_100_invoices",
                self.env._("Disputes per 100 invoices"),
                rates[0],
                previous=rates[1],
                unit="percent",
                roles=ROLES,
                res_model="helpdesk.ticket",
                domain=self._o2c_dispute_created_domain(ctx),
                sequence=73,
                section="disputes",
                help_text=self.env._(
                    "Disputes opened in the period per 100 customer invoices "
                    "dated in the period."
                ),
            )
        )
        return figures

    @api.model
    def _o2c_dispute_breakdown_figures(self, ctx):
        """Disputes opened in the period by type and by root cause (one query each)."""
        figures = []
        base = self._o2c_dispute_created_domain(ctx)
        for field, labels, key, sequence in (
            ("o2c_dispute_type", dict(DISPUTE_TYPES), "dispute_type", 74),
            ("o2c_root_cause", dict(ROOT_CAUSES), "dispute_root_cause", 75),
        ):
            for value, count in self._o2c_dispute_breakdown(base, field):
                title = (
                    self.env._("Disputes: %s", labels[value])
                    if key == "dispute_type"
                    else self.env._("Dispute root cause: %s", labels[value])
                )
                figures.append(
                    self._o2c_figure(
                        f"{key}_{value}",
                        title,
                        count,
                        roles=ROLES,
                        res_model="helpdesk.ticket",
                        domain=[*base, (field, "=", value)],
                        sequence=sequence,
                        section="disputes",
                    )
                )
        return figures

    @api.model
    def _o2c_dispute_breakdown(self, domain, field):
        """Return ``[(value, count)]`` of the disputes of ``domain`` grouped by ``field``."""
        return [
            (value, count)
            for value, count in self.env["helpdesk.ticket"]._read_group(
                [*domain, (field, "!=", False)], [field], ["__count"], order=f"{field} asc"
            )
        ]

    # ----------------------------------------------------------- CHARTS
    @api.model
    def _o2c_dashboard_charts(self, ctx):
        charts = super()._o2c_dashboard_charts(ctx)
        if not self.env["helpdesk.ticket"].has_access("read"):
            return charts
        base = self._o2c_dispute_created_domain(ctx)
        for field, labels, name in (
            ("o2c_dispute_type", dict(DISPUTE_TYPES), "dispute_by_type"),
            ("o2c_root_cause", dict(ROOT_CAUSES), "dispute_by_root_cause"),
        ):
            rows = self._o2c_dispute_breakdown(base, field)
            charts[name] = {
                "labels": [labels[value] for value, _count in rows],
                "datasets": [
                    {"label": self.env._("Disputes"), "data": [count for _value, count in rows]}
                ],
            }
        return charts
