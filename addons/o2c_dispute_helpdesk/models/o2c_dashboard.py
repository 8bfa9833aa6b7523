# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.addons.o2c_exception_base.dashboard import Figure

from .o2c_dispute_constants import DISPUTE_TYPES, OPEN_STATES, ROOT_CAUSES

ROLES = ("finance", "service", "sales")


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_dashboard_sections(self):
        sections = super()._o2c_dashboard_sections()
        sections["disputes"] = {"title": self.env._("Disputes"), "sequence": 80}
        return sections

    @api.model
    def _o2c_role_groups(self):
        groups = super()._o2c_role_groups()
        # helpdesk agents are the service role (before sales: agents often sell too)
        return [*groups[:-1], ("service", "helpdesk_mgmt.group_helpdesk_user"), groups[-1]]

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
    def _o2c_dispute_invoice_domain(self, ctx):
        """Posted customer invoices in the dashboard scope (denominator of the dispute rate)."""
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
        return domain

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_dashboard_figures(self, ctx):
        figures = super()._o2c_dashboard_figures(ctx)
        if not self.env["helpdesk.ticket"].has_access("read"):
            return figures
        if self.env["account.move"].has_access("read"):
            figures.append(self._o2c_dispute_rate_figure(ctx))
        return figures

    @api.model
    def _o2c_figure_declarations(self, ctx):
        """Open disputes (count and value) and the average resolution time."""
        common = {
            "model": "helpdesk.ticket",
            "scope": self._o2c_dispute_scope(ctx),
            "roles": ROLES,
            "section": "disputes",
        }
        open_now = {"domain": [("o2c_dispute_state", "in", OPEN_STATES)], "previous": False}
        return [
            *super()._o2c_figure_declarations(ctx),
            Figure(
                "dispute_open_count",
                self.env._("Disputes open"),
                sequence=70,
                **open_now,
                **common,
                headline=("service",),
            ),
            Figure(
                "dispute_open_value",
                self.env._("Disputed value open"),
                measure="sum",
                field="o2c_disputed_amount_company",
                unit="currency",
                sequence=71,
                **open_now,
                **common,
            ),
            Figure(
                "dispute_resolution_time",
                self.env._("Average dispute resolution time"),
                domain=lambda period: [
                    ("o2c_dispute_state", "=", "resolved"),
                    *period.between("o2c_resolved_date"),
                ],
                measure="avg",
                field="o2c_resolution_hours",
                unit="hours",
                sequence=72,
                **common,
                headline=("service",),
            ),
        ]

    @api.model
    def _o2c_dispute_rate_figure(self, ctx):
        """Disputes opened per 100 invoices dated in the period (two models: two
        counts declared, then their ratio)."""

        def created(period):
            return period.between("create_date")

        def dated(period):
            return period.dated("invoice_date")

        disputes, invoices = self._o2c_evaluate(
            ctx,
            [
                Figure(
                    "disputes", "", "helpdesk.ticket", created, scope=self._o2c_dispute_scope(ctx)
                ),
                Figure(
                    "invoices",
                    "",
                    "account.move",
                    dated,
                    scope=self._o2c_dispute_invoice_domain(ctx),
                    # both periods are one range of invoice dates (index-only scan)
                    span=dated,
                ),
            ],
        )
        rate = self._o2c_rate
        return self._o2c_figure(
            "dispute_per_100_invoices",
            self.env._("Disputes per 100 invoices"),
            rate(disputes["value"], invoices["value"]),
            previous=rate(disputes["previous"], invoices["previous"]),
            unit="per_100",
            roles=ROLES,
            res_model="helpdesk.ticket",
            domain=disputes["action"]["domain"],
            sequence=73,
            section="disputes",
            help_text=self.env._(
                "Disputes opened in the period per 100 customer invoices dated in the period."
            ),
            headline=("all", "service"),
        )

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
        """Disputes opened in the period by type and by root cause: tables whose
        rows open their disputes (one query each)."""
        charts = super()._o2c_dashboard_charts(ctx)
        if not self.env["helpdesk.ticket"].has_access("read"):
            return charts
        base = [*self._o2c_dispute_scope(ctx), *ctx["period"].between("create_date")]
        for field, labels, name, title in (
            (
                "o2c_dispute_type",
                dict(DISPUTE_TYPES),
                "dispute_by_type",
                self.env._("Disputes by type"),
            ),
            (
                "o2c_root_cause",
                dict(ROOT_CAUSES),
                "dispute_by_root_cause",
                self.env._("Disputes by root cause"),
            ),
        ):
            rows = []
            for value, count in self._o2c_dispute_breakdown(base, field):
                action = self._o2c_window_action(
                    f"{title}: {labels[value]}", "helpdesk.ticket", [*base, (field, "=", value)]
                )
                cell = {"value": count, "unit": "count", "action": action}
                rows.append({"label": labels[value], "cells": [cell]})
            charts[name] = {
                "title": title,
                "type": "table",
                "sequence": 60,
                "roles": ["all", *ROLES],
                "columns": [
                    {"key": "disputes", "label": self.env._("Disputes opened"), "unit": "count"}
                ],
                "rows": rows,
            }
        return charts

    # ----------------------------------------------------------- REVIEW
    @api.model
    def _o2c_review_figure_keys(self):
        # the dispute volume is one of the figures leadership reviews monthly
        return [*super()._o2c_review_figure_keys(), "dispute_per_100_invoices"]
