# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.addons.o2c_exception_base.dashboard import Figure

from .credit_status import CREDIT_CODE

DECIDED_STATES = ("approved", "resolved", "cancelled")


class O2cDashboard(models.AbstractModel):
    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_dashboard_sections(self):
        sections = super()._o2c_dashboard_sections()
        sections["credit"] = {"title": self.env._("Credit"), "sequence": 50}
        return sections

    # ----------------------------------------------------------- DOMAINS
    @api.model
    def _o2c_credit_release_scope(self, ctx):
        """Credit releases of the exceptions in the dashboard's scope: the release's
        own company, its exception's team and warehouse only when filtered by them
        (a date range of releases is then read without a join)."""
        scope = [("company_id", "in", ctx["company_ids"])]
        if ctx["team_ids"] or ctx["warehouse_ids"]:
            scope.append(("exception_id", "any", self._o2c_exception_scope(ctx)))
        return scope

    @api.model
    def _o2c_credit_release_domain(self, ctx, period):
        """Credit releases (by approvers and by the system) in ``period``."""
        return [*self._o2c_credit_release_scope(ctx), *period.between("date")]

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_figure_declarations(self, ctx):
        """Holds count and value, average time on hold, releases."""
        # each scope is what its query reads: the narrower, the fewer rows
        credit = [*self._o2c_exception_scope(ctx), ("code", "=", CREDIT_CODE)]
        holds = [*credit, ("blocking", "=", True)]
        common = {"section": "credit", "roles": ("sales", "finance")}

        def hold(period):
            return self._o2c_holding_at(period.at)

        def decided(period):
            return period.between("decision_date")

        def released(period):
            return period.between("date")

        return [
            *super()._o2c_figure_declarations(ctx),
            Figure(
                "credit_holds",
                self.env._("Credit holds"),
                "o2c.exception",
                hold,
                scope=holds,
                sequence=10,
                help=self.env._("Documents held by credit control at the end of the period."),
                **common,
                headline=("finance",),
            ),
            Figure(
                "credit_hold_value",
                self.env._("Value on credit hold"),
                "o2c.exception",
                hold,
                scope=holds,
                measure="held",
                unit="currency",
                sequence=20,
                help=self.env._(
                    "Excess over the credit limit (or overdue amount) of the documents on hold."
                ),
                **common,
                headline=("finance",),
            ),
            Figure(
                "credit_hold_hours",
                self.env._("Average time on credit hold"),
                "o2c.exception",
                decided,
                scope=[*credit, ("state", "in", list(DECIDED_STATES))],
                measure="avg",
                field="turnaround_hours",
                unit="hours",
                sequence=30,
                help=self.env._(
                    "Hours from the hold to its release, resolution or "
                    "cancellation, for holds decided in the period."
                ),
                **common,
            ),
            Figure(
                "credit_releases",
                self.env._("Credit releases"),
                "o2c.credit.release",
                released,
                scope=self._o2c_credit_release_scope(ctx),
                # both periods are one range of release dates (index range scan)
                span=released,
                sequence=40,
                better=None,
                context={"group_by": ["user_id"]},
                help=self.env._(
                    "Releases by approvers and by the system (payment, credit note, new terms)."
                ),
                **common,
            ),
        ]

    # ----------------------------------------------------------- CHARTS
    @api.model
    def _o2c_dashboard_charts(self, ctx):
        charts = super()._o2c_dashboard_charts(ctx)
        charts["credit_releases_by_approver"] = self._o2c_credit_release_chart(ctx)
        return charts

    @api.model
    def _o2c_credit_release_chart(self, ctx):
        """Releases of the period per approver (the system included), one query."""
        domain = self._o2c_credit_release_domain(ctx, ctx["period"])
        groups = self.env["o2c.credit.release"]._read_group(
            domain,
            ["user_id"],
            ["__count", "hold_hours:avg"],
            order="__count desc",
        )
        rows = []
        for user, count, hours in groups:
            action = self._o2c_window_action(
                self.env._("Credit releases: %s", user.name),
                "o2c.credit.release",
                [*domain, ("user_id", "=", user.id)],
            )
            rows.append(
                {
                    "label": user.name,
                    "cells": [
                        {"value": count, "unit": "count", "action": action},
                        {"value": round(hours or 0.0, 2), "unit": "hours", "action": action},
                    ],
                }
            )
        return {
            "title": self.env._("Credit releases by approver"),
            "type": "table",
            "sequence": 50,
            "roles": ["all", "finance"],
            "columns": [
                {"key": "releases", "label": self.env._("Releases"), "unit": "count"},
                {"key": "hours", "label": self.env._("Average time on hold"), "unit": "hours"},
            ],
            "rows": rows,
        }
