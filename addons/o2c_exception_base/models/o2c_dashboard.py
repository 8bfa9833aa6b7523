# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

ROLES = [
    ("all", "All"),
    ("sales", "Sales"),
    ("warehouse", "Warehouse"),
    ("finance", "Finance"),
    ("service", "Service"),
]
UNITS = ("count", "currency", "hours", "percent", "days")


class O2cDashboard(models.AbstractModel):
    """Server side of the O2C control tower (client action ``o2c_dashboard``).

    One call returns every figure. Figures come from a chain of
    :meth:`_o2c_dashboard_figures` overrides: each addon appends its own, built
    with :meth:`_o2c_figure` so that the number and its drill-down share one
    domain.
    """

    _name = "o2c.dashboard"
    _description = "O2C Dashboard"

    # ------------------------------------------------------------ PUBLIC
    @api.model
    def get_dashboard_data(self, filters=None):
        """Return ``{"context": ..., "figures": [...], "charts": {...}}``."""
        self.env["o2c.exception"].check_access("read")
        ctx = self._o2c_dashboard_context(filters or {})
        figures = self._o2c_dashboard_figures(ctx)
        role = ctx["role"]
        if role != "all":
            figures = [f for f in figures if role in f["roles"]]
        figures.sort(key=lambda f: (f["sequence"], f["key"]))
        return {
            "context": {
                "company_ids": ctx["company_ids"],
                "warehouse_ids": ctx["warehouse_ids"],
                "team_ids": ctx["team_ids"],
                "date_from": fields.Date.to_string(ctx["date_from"]),
                "date_to": fields.Date.to_string(ctx["date_to"]),
                "prev_from": fields.Date.to_string(ctx["prev_from"]),
                "prev_to": fields.Date.to_string(ctx["prev_to"]),
                "role": role,
                "currency_symbol": ctx["currency"].symbol,
                "currency_position": ctx["currency"].position,
            },
            "options": self._o2c_dashboard_options(),
            "figures": figures,
            "charts": self._o2c_dashboard_charts(ctx),
        }

    # ---------------------------------------------------------- CONTEXT
    @api.model
    def _o2c_dashboard_context(self, filters):
        """Normalise the filters; never widen them beyond the user's companies."""
        allowed = self.env.companies.ids
        company_ids = [c for c in filters.get("company_ids") or allowed if c in allowed] or allowed
        date_to = fields.Date.to_date(filters.get("date_to")) or fields.Date.context_today(self)
        date_from = fields.Date.to_date(filters.get("date_from")) or date_to - timedelta(days=29)
        length = (date_to - date_from).days + 1
        prev_to = date_from - timedelta(days=1)
        prev_from = prev_to - timedelta(days=length - 1)
        role = filters.get("role") or "all"
        if role not in dict(ROLES):
            role = "all"
        companies = self.env["res.company"].browse(company_ids)
        return {
            "company_ids": company_ids,
            "warehouse_ids": [int(w) for w in filters.get("warehouse_ids") or []],
            "team_ids": [int(t) for t in filters.get("team_ids") or []],
            "date_from": date_from,
            "date_to": date_to,
            "prev_from": prev_from,
            "prev_to": prev_to,
            # datetimes bounding the periods (end exclusive)
            "dt_from": datetime.combine(date_from, time.min),
            "dt_to": datetime.combine(date_to + timedelta(days=1), time.min),
            "prev_dt_from": datetime.combine(prev_from, time.min),
            "prev_dt_to": datetime.combine(date_from, time.min),
            "role": role,
            "currency": companies[:1].currency_id or self.env.company.currency_id,
        }

    @api.model
    def _o2c_dashboard_options(self):
        return {
            "roles": ROLES,
            "companies": [(c.id, c.name) for c in self.env.companies],
            "warehouses": [
                (w.id, w.name)
                for w in self.env["stock.warehouse"].search(
                    [("company_id", "in", self.env.companies.ids)]
                )
            ],
            "teams": [
                (t.id, t.name)
                for t in self.env["crm.team"].search(
                    ["|", ("company_id", "=", False), ("company_id", "in", self.env.companies.ids)]
                )
            ],
        }

    # ----------------------------------------------------------- SCOPES
    @api.model
    def _o2c_exception_scope(self, ctx):
        """Domain of ``o2c.exception`` in the dashboard's company/warehouse/team scope."""
        domain = [("company_id", "in", ctx["company_ids"])]
        if ctx["team_ids"]:
            domain.append(("sale_order_id.team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            domain += [
                "|",
                ("sale_order_id.warehouse_id", "in", ctx["warehouse_ids"]),
                ("picking_id.picking_type_id.warehouse_id", "in", ctx["warehouse_ids"]),
            ]
        return domain

    @api.model
    def _o2c_order_scope(self, ctx, prefix=""):
        """Domain of ``sale.order`` (or a model reaching it through ``prefix``)."""
        domain = [(f"{prefix}company_id", "in", ctx["company_ids"])]
        if ctx["team_ids"]:
            domain.append((f"{prefix}team_id", "in", ctx["team_ids"]))
        if ctx["warehouse_ids"]:
            domain.append((f"{prefix}warehouse_id", "in", ctx["warehouse_ids"]))
        return domain

    # ---------------------------------------------------------- FIGURES
    @api.model
    def _o2c_figure(
        self,
        key,
        title,
        value,
        *,
        previous=None,
        unit="count",
        roles=("all",),
        res_model=None,
        domain=None,
        sequence=50,
        section="exceptions",
        help_text=None,
        context=None,
    ):
        """Build one figure; ``res_model``/``domain`` are its drill-down (same domain)."""
        assert unit in UNITS, unit
        action = None
        if res_model:
            action = {
                "type": "ir.actions.act_window",
                "name": title,
                "res_model": res_model,
                "domain": domain or [],
                "views": [(False, "list"), (False, "form")],
                "context": dict(context or {}, create=False),
                "target": "current",
            }
        return {
            "key": key,
            "title": title,
            "value": value,
            "previous": previous,
            "unit": unit,
            "roles": sorted(set(roles) | {"all"}),
            "sequence": sequence,
            "section": section,
            "help": help_text or "",
            "action": action,
        }

    @api.model
    def _o2c_dashboard_figures(self, ctx):
        """Hook: return the list of figures. Addons call super() and append."""
        return []

    @api.model
    def _o2c_dashboard_charts(self, ctx):
        """Hook: chart series ``{name: {"labels": [...], "datasets": [...]}}``."""
        return {}

    # ---------------------------------------------------------- HELPERS
    @api.model
    def _o2c_percentiles(self, model, domain, value_sql, percentiles=(0.5, 0.9)):
        """Percentiles of ``value_sql`` over ``model`` records matching ``domain``.

        One SQL query; the records come from ``_search`` so access rules and
        record rules apply. ``value_sql`` is an :class:`SQL` expression over the
        model's table columns (e.g. hours between two datetimes).
        """
        Model = self.env[model]
        query = Model._search(domain)
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE %s.id IN %s",
                SQL(", ").join(
                    SQL("percentile_cont(%s) WITHIN GROUP (ORDER BY %s)", p, value_sql)
                    for p in percentiles
                ),
                SQL.identifier(Model._table),
                SQL.identifier(Model._table),
                query.subselect(),
            )
        )
        return [round(v, 2) if v is not None else None for v in self.env.cr.fetchone()]
