# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The policy-gap advisor: which policy to change, read from the exception history.

Every figure is one SQL query over the exceptions decided in the period (window
functions, ``percentile_cont``, ranked grouping sets): the number of queries does
not grow with the number of exceptions, types or policies.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount

#: states of the exceptions counted as decided in the period
DECIDED_STATES = ("approved", "rejected", "resolved", "cancelled")
#: outcomes that count as a decision on the control: approved, rejected, or
#: corrected (resolved: the document was changed or the customer paid)
DECISION_STATES = ("approved", "rejected", "resolved")
#: how many customers, products... the statistics name per control
TOP_N = 3
#: the dimensions of the statistics' top 3: key -> column of the ``decided`` rows
TOP_DIMENSIONS = {
    "root_causes": "root_cause_id",
    "customers": "partner_id",
    "products": "product_id",
    "salespeople": "user_id",
}
#: model of the records each top 3 names
TOP_MODELS = {
    "root_causes": "o2c.root.cause",
    "customers": "res.partner",
    "products": "product.product",
    "salespeople": "res.users",
}
PROPOSAL_KINDS = [
    ("relax_limit", "Relax a limit"),
    ("often_rejected", "Often rejected"),
    ("outlier_customer", "Outlier customer"),
    ("outlier_salesperson", "Outlier salesperson"),
]
#: per outlier kind: the SQL giving the subject of an order and of an exception
#: per outlier kind: the order's subject, the exception's subject, the subject's
#: model, and its name read in the same query (a separate read of the names would
#: cost one more query whenever outliers appear: the count would depend on the data)
OUTLIER_SUBJECTS = {
    "outlier_customer": (
        "p.commercial_partner_id",
        "partner_id",
        "res.partner",
        "SELECT COALESCE(n.complete_name, n.name) FROM res_partner n WHERE n.id = r.subject",
    ),
    "outlier_salesperson": (
        "so.user_id",
        "user_id",
        "res.users",
        "SELECT n.name FROM res_users u JOIN res_partner n ON n.id = u.partner_id"
        " WHERE u.id = r.subject",
    ),
}


def parse_policy_ref(ref):
    """``(model, id, field)`` of an ``o2c_policy_ref`` ("model,id" or "model,id,field").

    ``(False, 0, False)`` for an empty or malformed reference.
    """
    parts = (ref or "").split(",")
    if len(parts) < 2 or not parts[1].isdigit():
        return False, 0, False
    return parts[0], int(parts[1]), (parts[2] if len(parts) > 2 and parts[2] else False)


class O2cAdvisor(models.AbstractModel):
    """Statistics per control and the policy changes the history suggests.

    Feature addons declare the limits their exceptions record (``o2c_measure``
    against ``o2c_threshold``, ``o2c_policy_ref`` = "model,id,field") through
    :meth:`_o2c_advisor_limits`; the core knows none by name.
    """

    _name = "o2c.advisor"
    _description = "O2C Policy-Gap Advisor"

    # ------------------------------------------------------------- HOOKS
    @api.model
    def _o2c_advisor_limits(self):
        """The policy limits the advisor may propose to relax. Hook.

        :return: ``{(model, field): {"direction": "above" | "below", "label": str,
            "unit": "%" | "currency"}}``; *above*: an exception is raised when
            the measured value is above the limit (a maximum discount), *below*:
            when it is below (a margin floor).
        """
        return {}

    # ------------------------------------------------------------ PUBLIC
    @api.model
    def o2c_type_stats(self, company_ids, date_from, date_to):
        """Statistics per exception type and policy of the exceptions decided in the period.

        :return: list of dicts: ``type_id``, ``type_code``, ``type_name``,
            ``policy_ref``, ``policy_label``, ``volume`` (decided), ``approved``,
            ``rejected``, ``resolved``, ``decisions`` (the three), ``approval_rate``
            and ``rejection_rate`` (% of the decisions), ``median_turnaround_hours``,
            ``value_at_risk`` (in ``currency_id``, the first company's), and the top 3
            ``root_causes``, ``customers``, ``products``, ``salespeople`` (lists of
            ``{"id", "name", "count"}``).
        """
        ctx = self._o2c_advisor_context(company_ids, date_from, date_to)
        return self._o2c_stats(ctx)

    @api.model
    def o2c_proposals(self, company_ids, date_from, date_to):
        """The policy changes and checks the history of the period suggests.

        :return: list of dicts: ``kind`` (see :data:`PROPOSAL_KINDS`), ``type_code``,
            ``type_name``, ``policy_ref``, ``policy_label``, ``text``; for
            *relax_limit* also ``res_model``, ``res_id``, ``field``,
            ``current_value``, ``proposed_value``, ``decisions``, ``avoided``,
            ``rejected_total``, ``rejected_caught``, ``value_unreviewed``.
        """
        ctx = self._o2c_advisor_context(company_ids, date_from, date_to)
        stats = self._o2c_stats(ctx, tops=False)
        return [
            *self._o2c_relax_proposals(ctx, stats),
            *self._o2c_rejected_proposals(ctx, stats),
            *self._o2c_outlier_proposals(ctx, "outlier_customer"),
            *self._o2c_outlier_proposals(ctx, "outlier_salesperson"),
        ]

    @api.model
    def _o2c_accept_proposal(self, proposal):
        """Request the change a *relax_limit* proposal makes; return the action
        opening the request (it takes effect once someone else approves it).

        A limit kept on a record that is not a governed policy (e.g. a
        customer's own credit limit) opens that record instead: it is changed
        there, by whoever may, and tracked.
        """
        if proposal.get("kind") != "relax_limit":
            raise UserError(self.env._("Only a proposal to change a limit changes a policy."))
        record = self.env[proposal["res_model"]].browse(proposal["res_id"]).exists()
        if not record:
            raise UserError(self.env._("The policy of this proposal no longer exists."))
        governed = self.env.registry.descendants(["o2c.policy.governed.mixin"], "_inherit")
        if record._name not in governed:
            return self._o2c_window(record._name, record.id)
        request = self.env["o2c.policy.change"]._o2c_request_change(
            record,
            {proposal["field"]: proposal["proposed_value"]},
            self.env._("Policy-gap advisor: %s", proposal["text"]),
        )
        return self._o2c_window(request._name, request.id)

    @api.model
    def _o2c_window(self, model, res_id):
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ----------------------------------------------------------- CONTEXT
    @api.model
    def _o2c_advisor_context(self, company_ids, date_from, date_to):
        """Check who asks and return what every query of the advisor needs.

        Approvers and managers only; the companies are cut to the user's.
        The settings and currency are those of the first company (the current
        one when it is among them).
        """
        if not self.env.su and not self.env.user.has_group("o2c_exception_base.group_o2c_approver"):
            raise AccessError(
                self.env._("The policy-gap advisor is for O2C approvers and managers.")
            )
        companies = self.env["res.company"].browse(company_ids or self.env.companies.ids)
        if not self.env.su:
            companies &= self.env.user.company_ids
        if not companies:
            raise UserError(self.env._("Choose at least one of your companies."))
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if not date_from or not date_to or date_from > date_to:
            raise UserError(self.env._("The period must start before it ends."))
        # the queries read the tables: pending writes first
        self.env["o2c.exception"].flush_model()
        self.env["sale.order"].flush_model(["state", "company_id", "date_order", "user_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        main = self.env.company if self.env.company in companies else companies[:1]
        day_start = self.env["o2c.dashboard"]._o2c_day_start
        return {
            "companies": companies,
            "company": main,
            "currency": main.currency_id,
            "start": day_start(date_from),
            "end": day_start(date_to + timedelta(days=1)),
            "date_to": date_to,
        }

    @api.model
    def _o2c_rates_sql(self, ctx):
        """``(currency ids, factors)`` converting each currency into the advisor's
        at the end of the period (two queries, whatever the number of currencies)."""
        currencies = self.env["res.currency"].with_context(active_test=False).sudo().search([])
        rates = currencies._get_rates(ctx["company"], ctx["date_to"])
        target = rates.get(ctx["currency"].id) or 1.0
        ids = [cid for cid, rate in rates.items() if rate]
        return ids, [target / rates[cid] for cid in ids]

    @api.model
    def _o2c_decided_sql(self, ctx):
        """The CTE ``decided``: the exceptions decided in the period, their value
        converted into the advisor's currency, their order's salesperson."""
        if "fx" not in ctx:
            ctx["fx"] = self._o2c_rates_sql(ctx)
        currency_ids, factors = ctx["fx"]
        return SQL(
            """decided AS (
                SELECT e.id, e.type_id, COALESCE(e.o2c_policy_ref, '') AS ref, e.state,
                       e.turnaround_hours, e.decision_date, e.o2c_measure,
                       e.o2c_policy_label, e.root_cause_id, e.partner_id, e.product_id,
                       eso.user_id, e.amount * COALESCE(fx.factor, 1.0) AS value
                  FROM o2c_exception e
             LEFT JOIN sale_order eso ON eso.id = e.sale_order_id
             LEFT JOIN unnest(%s::int[], %s::float8[]) AS fx(currency_id, factor)
                    ON fx.currency_id = e.currency_id
                 WHERE e.company_id = ANY(%s)
                   AND e.decision_date >= %s AND e.decision_date < %s
                   AND e.state IN %s
            )""",
            currency_ids,
            factors,
            ctx["companies"].ids,
            ctx["start"],
            ctx["end"],
            DECIDED_STATES,
        )

    @api.model
    def _o2c_limits_sql(self):
        """The CTE ``limits``: the declared limits and their sign (1 above, -1 below),
        with which measures and limits compare as "above"."""
        limits = self._o2c_advisor_limits()
        keys = sorted(limits)
        return SQL(
            "limits AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::float8[]) "
            "AS l(model, field, sign))",
            [model for model, __ in keys] or [""],
            [fname for __, fname in keys] or [""],
            [-1.0 if limits[key]["direction"] == "below" else 1.0 for key in keys] or [0.0],
        )

    @api.model
    def _o2c_measured_sql(self, ctx):
        """The CTEs up to ``measured``: the decisions on a declared limit, their
        measure signed so that "within the limit" reads ``m <= limit``."""
        return SQL(
            """%s, %s, measured AS (
                SELECT d.type_id, d.ref, d.state, d.value, l.sign * d.o2c_measure AS m
                  FROM decided d
                  JOIN limits l ON l.model = split_part(d.ref, ',', 1)
                               AND l.field = split_part(d.ref, ',', 3)
                 WHERE d.state IN %s AND d.o2c_measure IS NOT NULL
            )""",
            self._o2c_decided_sql(ctx),
            self._o2c_limits_sql(),
            DECISION_STATES,
        )

    # ------------------------------------------------------------- STATS
    @api.model
    def _o2c_stats(self, ctx, tops=True):
        """Rows of :meth:`o2c_type_stats` (``tops``: with the top 3 lists)."""
        self.env.cr.execute(
            SQL(
                """WITH %s
                SELECT type_id, ref, count(*) AS volume,
                       count(*) FILTER (WHERE state = 'approved') AS approved,
                       count(*) FILTER (WHERE state = 'rejected') AS rejected,
                       count(*) FILTER (WHERE state = 'resolved') AS resolved,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY turnaround_hours)
                           FILTER (WHERE state IN ('approved', 'rejected')) AS turnaround,
                       COALESCE(sum(value), 0.0) AS value_at_risk,
                       (array_agg(o2c_policy_label ORDER BY decision_date DESC, id DESC)
                           FILTER (WHERE o2c_policy_label IS NOT NULL))[1] AS label
                  FROM decided
              GROUP BY type_id, ref
              ORDER BY count(*) DESC, type_id, ref""",
                self._o2c_decided_sql(ctx),
            )
        )
        rows = self.env.cr.dictfetchall()
        types = self.env["o2c.exception.type"].sudo().browse({row["type_id"] for row in rows})
        types.fetch(["code", "name"])
        top = self._o2c_tops(ctx) if tops and rows else {}
        return [self._o2c_stats_row(ctx, row, types.browse(row["type_id"]), top) for row in rows]

    @api.model
    def _o2c_stats_row(self, ctx, row, etype, top):
        """One dict of :meth:`o2c_type_stats` from its SQL row."""
        decisions = row["approved"] + row["rejected"] + row["resolved"]
        stats = {
            "type_id": etype.id,
            "type_code": etype.code,
            "type_name": etype.name,
            "policy_ref": row["ref"] or False,
            "policy_label": row["label"] or False,
            "volume": row["volume"],
            "approved": row["approved"],
            "rejected": row["rejected"],
            "resolved": row["resolved"],
            "decisions": decisions,
            "approval_rate": 100.0 * row["approved"] / decisions if decisions else 0.0,
            "rejection_rate": 100.0 * row["rejected"] / decisions if decisions else 0.0,
            "median_turnaround_hours": row["turnaround"] or 0.0,
            "value_at_risk": ctx["currency"].round(row["value_at_risk"]),
            "currency_id": ctx["currency"].id,
        }
        for dim in TOP_DIMENSIONS:
            stats[dim] = top.get((row["type_id"], row["ref"], dim), [])
        return stats

    @api.model
    def _o2c_tops(self, ctx):
        """``{(type id, ref, dimension): [{"id", "name", "count"}]}``: the top 3 of
        each dimension per control, in one query (grouping sets, ranked)."""
        sets = SQL(", ").join(
            SQL("(type_id, ref, %s)", SQL.identifier(col)) for col in TOP_DIMENSIONS.values()
        )
        dims = SQL(" ").join(
            SQL("WHEN GROUPING(%s) = 0 THEN %s", SQL.identifier(col), dim)
            for dim, col in TOP_DIMENSIONS.items()
        )
        keys = SQL(", ").join(SQL.identifier(col) for col in TOP_DIMENSIONS.values())
        self.env.cr.execute(
            SQL(
                """WITH %s, counted AS (
                    SELECT type_id, ref, CASE %s END AS dim, COALESCE(%s) AS key,
                           count(*) AS n
                      FROM decided
                  GROUP BY GROUPING SETS (%s)
                ), ranked AS (
                    SELECT *, row_number() OVER (
                               PARTITION BY type_id, ref, dim ORDER BY n DESC, key) AS rank
                      FROM counted WHERE key IS NOT NULL
                )
                SELECT type_id, ref, dim, key, n FROM ranked
                 WHERE rank <= %s ORDER BY type_id, ref, dim, rank""",
                self._o2c_decided_sql(ctx),
                dims,
                keys,
                sets,
                TOP_N,
            )
        )
        rows = self.env.cr.fetchall()
        names = {}
        for dim, model in TOP_MODELS.items():
            ids = {key for __, __, d, key, __ in rows if d == dim}
            records = self.env[model].sudo().with_context(active_test=False).browse(ids)
            names[dim] = dict(zip(records.ids, records.mapped("display_name"), strict=True))
        result = {}
        for type_id, ref, dim, key, count in rows:
            result.setdefault((type_id, ref, dim), []).append(
                {"id": key, "name": names[dim].get(key, ""), "count": count}
            )
        return result

    # --------------------------------------------------------- PROPOSALS
    @api.model
    def _o2c_settings(self, ctx):
        company = ctx["company"].sudo()
        return {
            "min_rate": company.o2c_advisor_min_approval_rate,
            "min_decisions": company.o2c_advisor_min_decisions,
            "min_caught": company.o2c_advisor_min_caught_rate,
            "rejection_rate": company.o2c_advisor_rejection_rate,
            "rejection_decisions": company.o2c_advisor_rejection_decisions,
            "outlier_factor": company.o2c_advisor_outlier_factor,
            "outlier_min_orders": company.o2c_advisor_outlier_min_orders,
        }

    @api.model
    def _o2c_relax_rows(self, ctx, settings):
        """Per control approved almost always: the most relaxed measured value that
        still raises the required share of the refused (rejected or corrected)
        exceptions, and what it would change. One query (cumulative windows).

        Rule: among the measured values of the period (signed, see
        :meth:`_o2c_measured_sql`), the highest ``L`` such that the refused
        exceptions with a measure above ``L`` are at least
        ``ceil(refused * min_caught / 100)``.
        """
        self.env.cr.execute(
            SQL(
                """WITH %s, totals AS (
                    SELECT type_id, ref, count(*) AS decisions,
                           count(*) FILTER (WHERE state = 'approved') AS approved
                      FROM measured
                  GROUP BY type_id, ref
                    HAVING count(*) >= %s
                       AND count(*) FILTER (WHERE state = 'approved') * 100.0
                           >= %s * count(*)
                ), steps AS (
                    SELECT m.type_id, m.ref, m.m,
                           count(*) FILTER (WHERE m.state = 'approved') AS approved_at,
                           count(*) FILTER (WHERE m.state != 'approved') AS refused_at,
                           COALESCE(sum(m.value), 0.0) AS value_at
                      FROM measured m JOIN totals t USING (type_id, ref)
                  GROUP BY m.type_id, m.ref, m.m
                ), cumulated AS (
                    SELECT s.type_id, s.ref, s.m, t.decisions, t.approved,
                           t.decisions - t.approved AS refused,
                           (sum(s.approved_at) OVER w)::int AS avoided,
                           (t.decisions - t.approved - sum(s.refused_at) OVER w)::int AS caught,
                           (sum(s.value_at) OVER w)::float8 AS value_unreviewed
                      FROM steps s JOIN totals t USING (type_id, ref)
                    WINDOW w AS (PARTITION BY s.type_id, s.ref ORDER BY s.m)
                )
                SELECT DISTINCT ON (type_id, ref) type_id, ref, m, decisions, approved,
                       refused, avoided, caught, value_unreviewed
                  FROM cumulated
                 WHERE caught >= ceil(refused * %s / 100.0 - 1e-9)
              ORDER BY type_id, ref, m DESC""",
                self._o2c_measured_sql(ctx),
                settings["min_decisions"],
                settings["min_rate"],
                settings["min_caught"],
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _o2c_relax_proposals(self, ctx, stats):
        """*relax_limit* proposals: controls approved almost always."""
        settings = self._o2c_settings(ctx)
        limits = self._o2c_advisor_limits()
        rows = self._o2c_relax_rows(ctx, settings) if limits else []
        current = self._o2c_current_limits([row["ref"] for row in rows])
        by_key = {(s["type_id"], s["policy_ref"] or ""): s for s in stats}
        proposals = []
        for row in rows:
            model, res_id, fname = parse_policy_ref(row["ref"])
            limit = limits[(model, fname)]
            sign = -1.0 if limit["direction"] == "below" else 1.0
            value, name = current.get(row["ref"], (None, ""))
            # the history's answer is no relaxation (or the policy is gone)
            if value is None or row["m"] <= sign * value + 1e-9:
                continue
            stat = by_key[(row["type_id"], row["ref"])]
            proposal = {
                **self._o2c_proposal_head("relax_limit", stat),
                "res_model": model,
                "res_id": res_id,
                "field": fname,
                "current_value": value,
                "proposed_value": sign * row["m"],
                "decisions": row["decisions"],
                "approved": row["approved"],
                "avoided": row["avoided"],
                "rejected_total": row["refused"],
                "rejected_caught": row["caught"],
                "value_unreviewed": ctx["currency"].round(row["value_unreviewed"]),
                "currency_id": ctx["currency"].id,
            }
            proposal["text"] = self._o2c_relax_text(ctx, limit, name, proposal)
            proposals.append(proposal)
        return proposals

    @api.model
    def _o2c_current_limits(self, refs):
        """``{ref: (current value of the policy field, policy name)}`` (one read
        per policy model; policies deleted since are left out)."""
        by_model = {}
        for ref in refs:
            model, res_id, fname = parse_policy_ref(ref)
            if model in self.env and fname in self.env[model]._fields:
                by_model.setdefault(model, []).append((ref, res_id, fname))
        result = {}
        for model, items in by_model.items():
            records = self.env[model].sudo().with_context(active_test=False)
            records = records.browse({res_id for __, res_id, __ in items}).exists()
            # every limit field of the model in one read: field by field, each read
            # would also fetch the model's company-dependent fields again
            records.fetch(list({fname for __, __, fname in items}))
            for ref, res_id, fname in items:
                if res_id in records.ids:
                    record = records.browse(res_id)
                    result[ref] = (float(record[fname] or 0.0), record.display_name)
        return result

    @api.model
    def _o2c_proposal_head(self, kind, stat):
        return {
            "kind": kind,
            "type_code": stat["type_code"],
            "type_name": stat["type_name"],
            "policy_ref": stat["policy_ref"],
            "policy_label": stat["policy_label"] or stat["type_name"],
        }

    @api.model
    def _o2c_format_limit(self, ctx, limit, value):
        if limit.get("unit") == "currency":
            return format_amount(self.env, value, ctx["currency"])
        return f"{value:g} %"

    @api.model
    def _o2c_relax_text(self, ctx, limit, name, proposal):
        fmt = lambda value: self._o2c_format_limit(ctx, limit, value)  # noqa: E731
        args = {
            "limit": limit["label"],
            "policy": name,
            "current": fmt(proposal["current_value"]),
            "proposed": fmt(proposal["proposed_value"]),
            "avoided": proposal["avoided"],
            "approved": proposal["approved"],
            "caught": proposal["rejected_caught"],
            "refused": proposal["rejected_total"],
            "value": format_amount(self.env, proposal["value_unreviewed"], ctx["currency"]),
        }
        if limit["direction"] == "below":
            return self.env._(
                "Lower the %(limit)s of %(policy)s from %(current)s to %(proposed)s: "
                "%(avoided)s of the %(approved)s approved exceptions of the period would "
                "not have been raised, %(caught)s of the %(refused)s rejected or corrected "
                "ones still would; value no longer reviewed %(value)s.",
                **args,
            )
        return self.env._(
            "Raise the %(limit)s of %(policy)s from %(current)s to %(proposed)s: "
            "%(avoided)s of the %(approved)s approved exceptions of the period would "
            "not have been raised, %(caught)s of the %(refused)s rejected or corrected "
            "ones still would; value no longer reviewed %(value)s.",
            **args,
        )

    @api.model
    def _o2c_rejected_proposals(self, ctx, stats):
        """*often_rejected*: controls whose exceptions are rejected often."""
        settings = self._o2c_settings(ctx)
        proposals = []
        for stat in stats:
            if (
                stat["decisions"] < settings["rejection_decisions"]
                or stat["rejection_rate"] < settings["rejection_rate"]
            ):
                continue
            head = self._o2c_proposal_head("often_rejected", stat)
            text = self.env._(
                "%(policy)s (%(type)s): %(rejected)s of %(decisions)s decisions of the period "
                "were rejections (%(rate)s %%): its exceptions are mostly refused. A "
                "training or master-data problem? Review with the teams that raise them.",
                policy=head["policy_label"],
                type=stat["type_name"],
                rejected=stat["rejected"],
                decisions=stat["decisions"],
                rate=round(stat["rejection_rate"]),
            )
            proposals.append({**head, "decisions": stat["decisions"], "text": text})
        return proposals

    @api.model
    def _o2c_outlier_rows(self, ctx, kind, settings):
        """Subjects (customers or salespeople) with at least the minimum number of
        confirmed orders whose exceptions per order exceed the factor times the
        median of those peers. One query."""
        order_subject, exc_subject, __, subject_name = OUTLIER_SUBJECTS[kind]
        self.env.cr.execute(
            SQL(
                """WITH %s, orders AS (
                    SELECT %s AS subject, count(*) AS n
                      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale' AND so.company_id = ANY(%s)
                       AND so.date_order >= %s AND so.date_order < %s
                  GROUP BY 1
                ), excs AS (
                    SELECT %s AS subject, count(*) AS n
                      FROM decided
                  GROUP BY 1
                ), rates AS (
                    SELECT o.subject, o.n AS orders, COALESCE(x.n, 0) AS exceptions,
                           COALESCE(x.n, 0)::float8 / o.n AS rate
                      FROM orders o LEFT JOIN excs x ON x.subject = o.subject
                     WHERE o.subject IS NOT NULL AND o.n >= %s
                ), med AS (
                    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY rate) AS median,
                           count(*) AS peers
                      FROM rates
                )
                SELECT r.subject, (%s) AS name, r.orders, r.exceptions, r.rate,
                       med.median, med.peers
                  FROM rates r CROSS JOIN med
                 WHERE med.median > 0 AND r.rate > %s * med.median
              ORDER BY r.rate DESC, r.subject""",
                self._o2c_decided_sql(ctx),
                SQL(order_subject),
                ctx["companies"].ids,
                ctx["start"],
                ctx["end"],
                SQL.identifier(exc_subject),
                settings["outlier_min_orders"],
                SQL(subject_name),
                settings["outlier_factor"],
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _o2c_outlier_proposals(self, ctx, kind):
        """*outlier_customer* / *outlier_salesperson* flags."""
        settings = self._o2c_settings(ctx)
        rows = self._o2c_outlier_rows(ctx, kind, settings)
        model = OUTLIER_SUBJECTS[kind][2]
        proposals = []
        for row in rows:
            args = {
                "name": row["name"] or "",
                "exceptions": row["exceptions"],
                "orders": row["orders"],
                "rate": f"{row['rate']:.2f}",
                "factor": f"{row['rate'] / row['median']:.1f}",
                "median": f"{row['median']:.2f}",
                "peers": row["peers"],
                "min_orders": settings["outlier_min_orders"],
            }
            if kind == "outlier_customer":
                text = self.env._(
                    "Customer %(name)s: %(exceptions)s exceptions for %(orders)s confirmed "
                    "orders (%(rate)s per order), %(factor)s times the median of the "
                    "%(peers)s customers with at least %(min_orders)s orders (%(median)s). "
                    "Check its master data, terms and pricelist.",
                    **args,
                )
            else:
                text = self.env._(
                    "Salesperson %(name)s: %(exceptions)s exceptions for %(orders)s confirmed "
                    "orders (%(rate)s per order), %(factor)s times the median of the "
                    "%(peers)s salespeople with at least %(min_orders)s orders (%(median)s). "
                    "A training need?",
                    **args,
                )
            proposals.append(
                {
                    "kind": kind,
                    "type_code": False,
                    "type_name": False,
                    "policy_ref": False,
                    "policy_label": args["name"],
                    "res_model": model,
                    "res_id": row["subject"],
                    "orders": row["orders"],
                    "exceptions": row["exceptions"],
                    "rate": row["rate"],
                    "median": row["median"],
                    "text": text,
                }
            )
        return proposals

    # ------------------------------------------------------------ WHAT-IF
    @api.model
    def _o2c_whatif(self, company_ids, date_from, date_to, type_id, policy_ref, limits):
        """What each of ``limits`` (values of the policy field) would have changed
        on the decisions of the period of one control. One query.

        :return: ``{"decisions", "approved", "refused", "results": [{"limit",
            "avoided", "caught", "value_unreviewed"}]}`` (one result per limit)
        """
        ctx = self._o2c_advisor_context(company_ids, date_from, date_to)
        model, __, fname = parse_policy_ref(policy_ref)
        limit = self._o2c_advisor_limits().get((model, fname))
        if not limit:
            raise UserError(self.env._("No limit of this policy can be simulated."))
        sign = -1.0 if limit["direction"] == "below" else 1.0
        columns = SQL(", ").join(
            SQL(
                """count(*) FILTER (WHERE state = 'approved' AND m <= %s),
                   count(*) FILTER (WHERE state != 'approved' AND m > %s),
                   COALESCE(sum(value) FILTER (WHERE m <= %s), 0.0)""",
                sign * value,
                sign * value,
                sign * value,
            )
            for value in limits
        )
        self.env.cr.execute(
            SQL(
                """WITH %s
                SELECT count(*), count(*) FILTER (WHERE state = 'approved'), %s
                  FROM measured WHERE type_id = %s AND ref = %s""",
                self._o2c_measured_sql(ctx),
                columns,
                type_id,
                policy_ref,
            )
        )
        row = self.env.cr.fetchone()
        results = [
            {
                "limit": value,
                "avoided": row[2 + 3 * i],
                "caught": row[3 + 3 * i],
                "value_unreviewed": ctx["currency"].round(row[4 + 3 * i]),
            }
            for i, value in enumerate(limits)
        ]
        return {
            "decisions": row[0],
            "approved": row[1],
            "refused": row[0] - row[1],
            "results": results,
        }
