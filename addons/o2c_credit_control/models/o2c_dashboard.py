# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

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
    def _o2c_credit_hold_domain(self, ctx, at):
        """Credit holds holding their document at instant ``at``."""
        return (
            self._o2c_exception_scope(ctx)
            + self._o2c_held_domain(at)
            + [("code", "=", CREDIT_CODE)]
        )

    @api.model
    def _o2c_credit_decided_domain(self, ctx, dt_from, dt_to):
        """Credit holds released, resolved or cancelled in the period."""
        return [
            *self._o2c_exception_scope(ctx),
            ("code", "=", CREDIT_CODE),
            ("state", "in", list(DECIDED_STATES)),
            ("decision_date", ">=", dt_from),
            ("decision_date", "<", dt_to),
        ]

    @api.model
    def _o2c_credit_release_domain(self, ctx, dt_from, dt_to):
        """Credit releases (by approvers and by the system) in the period."""
        return [
            ("exception_id", "any", self._o2c_exception_scope(ctx)),
            ("date", ">=", dt_from),
            ("date", "<", dt_to),
        ]

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_dashboard_figures(self, ctx):
        figures = super()._o2c_dashboard_figures(ctx)
        return figures + self._o2c_credit_figures(ctx)

    @api.model
    def _o2c_credit_figures(self, ctx):
        """Holds count and value, average time on hold, releases (this and previous period)."""
        hold = self._o2c_credit_hold_domain(ctx, ctx["at"])
        prev_hold = self._o2c_credit_hold_domain(ctx, ctx["prev_at"])
        decided = self._o2c_credit_decided_domain(ctx, ctx["dt_from"], ctx["dt_to"])
        prev_decided = self._o2c_credit_decided_domain(ctx, ctx["prev_dt_from"], ctx["prev_dt_to"])
        releases = self._o2c_credit_release_domain(ctx, ctx["dt_from"], ctx["dt_to"])
        prev_releases = self._o2c_credit_release_domain(ctx, ctx["prev_dt_from"], ctx["prev_dt_to"])
        # one query per pair of figures (this period and the previous one)
        holds, prev_holds = self._o2c_filtered_counts("o2c.exception", [hold, prev_hold])
        value, prev_value = self._o2c_held_values([hold, prev_hold], ctx)
        [avg], [prev_avg] = self._o2c_filtered_aggregates(
            "o2c.exception",
            [decided, prev_decided],
            [SQL("AVG(%s)", SQL.identifier("o2c_exception", "turnaround_hours"))],
        )
        # two counts: each is a cheap nested loop on the exceptions' primary key
        Release = self.env["o2c.credit.release"]
        count, prev_count = Release.search_count(releases), Release.search_count(prev_releases)
        common = {"section": "credit", "roles": ("sales", "finance")}
        return [
            self._o2c_figure(
                "credit_holds",
                self.env._("Credit holds"),
                holds,
                previous=prev_holds,
                res_model="o2c.exception",
                domain=hold,
                sequence=10,
                **common,
                help_text=self.env._(
                    "Documents held by credit control at the end of the " "period."
                ),
            ),
            self._o2c_figure(
                "credit_hold_value",
                self.env._("Value on credit hold"),
                value,
                previous=prev_value,
                unit="currency",
                res_model="o2c.exception",
                domain=hold,
                sequence=20,
                **common,
                help_text=self.env._(
                    "Excess over the credit limit (or overdue amount) of " "the documents on hold."
                ),
            ),
            self._o2c_figure(
                "credit_hold_hours",
                self.env._("Average time on credit hold"),
                round(avg or 0.0, 2),
                previous=round(prev_avg or 0.0, 2),
                unit="hours",
                res_model="o2c.exception",
                domain=decided,
                sequence=30,
                **common,
                help_text=self.env._(
                    "Hours from the hold to its release, resolution or "
                    "cancellation, for holds decided in the period."
                ),
            ),
            self._o2c_figure(
                "credit_releases",
                self.env._("Credit releases"),
                count,
                previous=prev_count,
                res_model="o2c.credit.release",
                domain=releases,
                sequence=40,
                better=None,
                context={"group_by": ["user_id"]},
                **common,
                help_text=self.env._(
                    "Releases by approvers and by the system (payment, " "credit note, new terms)."
                ),
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
        domain = self._o2c_credit_release_domain(ctx, ctx["dt_from"], ctx["dt_to"])
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
