# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from dataclasses import replace

from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception_type import (
    MAX_AMOUNT,
    MAX_DAYS,
    check_bounds,
)
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .credit_rights import (
    CREDIT_MANAGER,
    changed_fields,
    check_terms_right,
    may_change_terms,
    non_default_fields,
)
from .credit_status import CreditFigures, judge, terms_key
from .res_company import POLICIES

PARTNER_LIMIT_TYPES = [
    ("default", "Credit group / company default"),
    ("limit", "Own terms"),
    ("unlimited", "Unlimited"),
]
#: stored credit settings of a commercial partner (company-dependent); the
#: customer's credit limit is Odoo's own (``credit_limit``, Sales & Purchase tab)
STORED_SETTING_FIELDS = (
    "o2c_credit_limit_type",
    "credit_limit",
    "o2c_credit_policy",
    "o2c_overdue_tolerance_days",
    "o2c_overdue_tolerance_amount",
)
#: every field that changes them: Odoo's "Partner Limit" switch writes the limit,
#: ``o2c_credit_limit`` is its name for integrations written before
SETTING_FIELDS = (*STORED_SETTING_FIELDS, "use_partner_credit_limit", "o2c_credit_limit")
#: bounds of a customer's own credit terms (an absurd value would overflow later)
PARTNER_BOUNDS = {
    "credit_limit": (0.0, MAX_AMOUNT),
    "o2c_credit_limit": (0.0, MAX_AMOUNT),
    "o2c_overdue_tolerance_days": (0, MAX_DAYS),
    "o2c_overdue_tolerance_amount": (0.0, MAX_AMOUNT),
}
STORED_BOUNDS = {
    fname: bounds for fname, bounds in PARTNER_BOUNDS.items() if fname != "o2c_credit_limit"
}
FINANCE_GROUPS = (
    "o2c_exception_base.group_o2c_approver,account.group_account_manager," + CREDIT_MANAGER
)
#: the prefetch group of the customer's credit terms: read together, and not
#: checked against FINANCE_GROUPS whenever another company-dependent field of a
#: partner is read (e.g. its customer location, when an order is confirmed)
CREDIT_PREFETCH = "o2c_credit_terms"


#: the open receivables (R), confirmed orders not invoiced (O) and draft invoices (I)
#: of commercial partners, grouped: see ``res.partner._o2c_credit_figures``. The
#: receivable accounts as an array (looked up once), not a join: the join's nested
#: loop read account_account again for every line.
CREDIT_FIGURES_QUERY = """SELECT 'R', p.commercial_partner_id, aml.company_id, NULL::int,
           CASE WHEN aml.date_maturity < %(today)s
                 AND aml.move_id IN %(disputed)s THEN aml.move_id END,
           CASE WHEN aml.date_maturity < %(today)s THEN aml.date_maturity END,
           SUM(aml.amount_residual),
           SUM(aml.amount_residual) FILTER (
               WHERE aml.date_maturity < %(today)s AND aml.amount_residual > 0)
      FROM account_move_line aml
      JOIN res_partner p ON p.id = aml.partner_id
     WHERE aml.parent_state = 'posted'
       AND aml.reconciled IS NOT TRUE
       AND aml.account_id = ANY(ARRAY(
           SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
       AND aml.company_id IN %(companies)s
       AND p.commercial_partner_id IN %(partners)s
  GROUP BY 2, 3, 5, 6
 UNION ALL
    SELECT 'O', p.commercial_partner_id, so.company_id, so.currency_id,
           NULL::int, NULL::date,
           SUM(sol.price_total * GREATEST(sol.product_uom_qty - sol.qty_invoiced, 0)
               / sol.product_uom_qty), NULL
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
       AND sol.display_type IS NULL
       AND sol.product_uom_qty > 0
       AND so.company_id IN %(companies)s
       AND p.commercial_partner_id IN %(partners)s
  GROUP BY p.commercial_partner_id, so.company_id, so.currency_id
 UNION ALL
    SELECT 'I', p.commercial_partner_id, m.company_id, NULL::int, NULL::int,
           NULL::date, SUM(m.amount_total_signed), NULL
      FROM account_move m
      JOIN res_partner p ON p.id = m.partner_id
     WHERE m.state = 'draft'
       AND m.move_type IN ('out_invoice', 'out_refund')
       AND m.company_id IN %(companies)s
       AND p.commercial_partner_id IN %(partners)s
  GROUP BY p.commercial_partner_id, m.company_id"""


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------ FIELDS
    o2c_credit_limit_type = fields.Selection(
        PARTNER_LIMIT_TYPES,
        string="Credit Terms",
        company_dependent=True,
        prefetch=CREDIT_PREFETCH,
        groups=FINANCE_GROUPS,
        tracking=True,
        copy=False,
        help="Credit group / company default: the terms of the customer's credit "
        "group (by tag) or of the company. Own terms: the limit and overdue "
        "tolerance below. Unlimited: no credit limit (overdue still checked).",
    )
    # Odoo's own limit is the customer's limit: one value, tracked under this name
    # (finance may see it without being accountants, whom Odoo's field is for)
    o2c_credit_limit = fields.Float(
        string="Own Credit Limit",
        compute="_compute_o2c_credit_limit",
        inverse="_inverse_o2c_credit_limit",
        digits="Account",
        groups=FINANCE_GROUPS,
        tracking=True,
        help="Odoo's credit limit of the customer (in company currency), shown here "
        "for finance: one value. With Credit Terms *Own terms*, 0 = no credit; "
        "otherwise a limit of its own replaces the group's or company's limit "
        "(the tolerance stays theirs).",
    )
    o2c_credit_policy = fields.Selection(
        POLICIES,
        string="Credit Policy",
        company_dependent=True,
        prefetch=CREDIT_PREFETCH,
        groups=FINANCE_GROUPS,
        tracking=True,
        copy=False,
        help="Empty: the policy of the credit group or company.",
    )
    o2c_overdue_tolerance_days = fields.Integer(
        string="Overdue Tolerance (days)",
        company_dependent=True,
        prefetch=CREDIT_PREFETCH,
        groups=FINANCE_GROUPS,
        tracking=True,
        copy=False,
    )
    o2c_overdue_tolerance_amount = fields.Float(
        string="Overdue Tolerance (amount)",
        company_dependent=True,
        prefetch=CREDIT_PREFETCH,
        digits="Account",
        groups=FINANCE_GROUPS,
        tracking=True,
        copy=False,
    )
    o2c_credit_terms_editable = fields.Boolean(
        string="May Change Credit Terms", compute="_compute_o2c_credit_terms_editable"
    )
    o2c_credit_currency_id = fields.Many2one(
        "res.currency", string="Credit Currency", compute="_compute_o2c_credit"
    )
    o2c_credit_receivable = fields.Monetary(
        string="Open Receivables",
        compute="_compute_o2c_credit",
        currency_field="o2c_credit_currency_id",
        help="Posted, unreconciled receivables (unapplied payments and credit notes " "reduce it).",
    )
    o2c_credit_orders = fields.Monetary(
        string="Orders Not Invoiced",
        compute="_compute_o2c_credit",
        currency_field="o2c_credit_currency_id",
        help="Confirmed orders: ordered value (taxes included) not yet on an invoice.",
    )
    o2c_credit_draft_invoices = fields.Monetary(
        string="Draft Invoices",
        compute="_compute_o2c_credit",
        currency_field="o2c_credit_currency_id",
    )
    o2c_credit_exposure = fields.Monetary(
        string="Credit Exposure",
        compute="_compute_o2c_credit",
        currency_field="o2c_credit_currency_id",
    )
    o2c_credit_unlimited = fields.Boolean(string="Unlimited Credit", compute="_compute_o2c_credit")
    o2c_credit_limit_applied = fields.Monetary(
        string="Applicable Credit Limit",
        compute="_compute_o2c_credit",
        currency_field="o2c_credit_currency_id",
    )
    o2c_credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_o2c_credit",
        currency_field="o2c_credit_currency_id",
    )
    o2c_credit_policy_applied = fields.Selection(
        POLICIES, string="Applicable Policy", compute="_compute_o2c_credit"
    )
    o2c_credit_terms_source = fields.Char(string="Terms From", compute="_compute_o2c_credit")
    o2c_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_o2c_credit",
        currency_field="o2c_credit_currency_id",
        help="Posted receivables past their due date, disputed amounts excluded.",
    )
    o2c_overdue_days = fields.Integer(string="Oldest Overdue (days)", compute="_compute_o2c_credit")
    o2c_credit_on_hold = fields.Boolean(
        string="Over Credit Terms",
        compute="_compute_o2c_credit",
        help="Exposure over the limit or overdue beyond tolerance.",
    )
    o2c_credit_hold_order_ids = fields.Many2many(
        "sale.order", string="Orders on Credit Hold", compute="_compute_o2c_credit"
    )
    o2c_credit_hold_count = fields.Integer(string="Credit Holds", compute="_compute_o2c_credit")

    # ----------------------------------------------------------- COMPUTE
    @api.depends("credit_limit")
    @api.depends_context("company")
    def _compute_o2c_credit_limit(self):
        for partner, privileged in zip(self, self.sudo(), strict=True):
            partner.o2c_credit_limit = privileged.credit_limit

    def _inverse_o2c_credit_limit(self):
        # write() and create() take the value out (see _o2c_split_limit): this only
        # runs for a value set on a record in memory, written the same way
        for partner in self:
            partner.write({"credit_limit": partner.o2c_credit_limit})

    @api.depends_context("uid")
    def _compute_o2c_credit_terms_editable(self):
        self.o2c_credit_terms_editable = self.env.user.has_group(CREDIT_MANAGER)

    @api.depends_context("company")
    def _compute_o2c_credit(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        commercial = self.commercial_partner_id.filtered("id").sudo()
        figures = commercial._o2c_credit_figures(company)
        terms = commercial._o2c_credit_terms(company)
        held = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("o2c_credit_hold", "=", True),
                    ("company_id", "=", company.id),
                    ("partner_id.commercial_partner_id", "in", commercial.ids),
                ]
            )
        )
        held_by_partner = held.grouped(lambda o: o.partner_id.commercial_partner_id.id)
        for partner in self:
            cpid = partner.commercial_partner_id.id
            if not cpid or cpid not in terms:
                partner._o2c_credit_empty(company)
                continue
            status = judge(
                terms[cpid],
                figures.get((cpid, company.id), CreditFigures()),
                0.0,
                company.currency_id,
                today,
            )
            orders = held_by_partner.get(cpid, self.env["sale.order"])
            partner.update(
                {
                    "o2c_credit_currency_id": company.currency_id,
                    "o2c_credit_receivable": status.receivable,
                    "o2c_credit_orders": status.orders,
                    "o2c_credit_draft_invoices": status.drafts,
                    "o2c_credit_exposure": status.exposure,
                    "o2c_credit_unlimited": status.limit is None,
                    "o2c_credit_limit_applied": status.limit or 0.0,
                    "o2c_credit_available": status.available or 0.0,
                    "o2c_credit_policy_applied": status.policy,
                    "o2c_credit_terms_source": terms[cpid].source,
                    "o2c_overdue_amount": status.overdue,
                    "o2c_overdue_days": status.oldest_days,
                    "o2c_credit_on_hold": status.hold,
                    "o2c_credit_hold_order_ids": orders,
                    "o2c_credit_hold_count": len(orders),
                }
            )

    def _o2c_credit_empty(self, company):
        self.update(
            {
                "o2c_credit_currency_id": company.currency_id,
                "o2c_credit_receivable": 0.0,
                "o2c_credit_orders": 0.0,
                "o2c_credit_draft_invoices": 0.0,
                "o2c_credit_exposure": 0.0,
                "o2c_credit_unlimited": False,
                "o2c_credit_limit_applied": 0.0,
                "o2c_credit_available": 0.0,
                "o2c_credit_policy_applied": False,
                "o2c_credit_terms_source": False,
                "o2c_overdue_amount": 0.0,
                "o2c_overdue_days": 0,
                "o2c_credit_on_hold": False,
                "o2c_credit_hold_order_ids": False,
                "o2c_credit_hold_count": 0,
            }
        )

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*STORED_BOUNDS)
    def _check_o2c_credit_terms(self):
        for partner in self.sudo():
            check_bounds(partner, STORED_BOUNDS, self.env._("customer %s", partner.display_name))

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            if PARTNER_BOUNDS.keys() & vals.keys():
                where = self.env._("customer %s", vals.get("name"))
                check_bounds(self, PARTNER_BOUNDS, where, vals)
        check_terms_right(
            self,
            non_default_fields(self, vals_list, SETTING_FIELDS),
            self.env._("the credit terms of a customer"),
        )
        split = [self._o2c_split_limit(vals) for vals in vals_list]
        partners = super().create([vals for vals, __ in split])
        for partner, (__, limit) in zip(partners, split, strict=True):
            if limit:  # the right is checked above
                partner._o2c_write_limit(limit)
        if any(vals.get("category_id") for vals in vals_list) and not may_change_terms(self.env):
            commercial = partners.filtered(lambda p: p.commercial_partner_id == p)
            if commercial.category_id and self.env["o2c.credit.group"].sudo().search_count(
                [("category_ids", "in", commercial.category_id.ids)], limit=1
            ):
                raise AccessError(
                    self.env._(
                        "Only Credit Managers can give a new customer the tag of a credit "
                        "group (field Tags (category_id)): the tag gives it the group's "
                        "credit terms."
                    )
                )
        return partners

    def write(self, vals):
        """Credit terms change only by a Credit Manager, and never release the changer's hold.

        The own terms fields, or the tags when they move the customer to another
        credit group, are credit terms. The open credit holds of the customer
        whose terms change get the changer as a conflict user; the holds the
        changer requested or may not approve are not released by the change
        (:meth:`o2c.exception._o2c_credit_register_terms_change`).
        """
        where = lambda: self.env._("customer %s", ", ".join(self.mapped("display_name")))  # noqa: E731
        check_bounds(self, PARTNER_BOUNDS, where, vals)  # before the ORM rounds them (inf)
        vals, limit = self._o2c_split_limit(vals)
        terms_fields = [fname for fname in SETTING_FIELDS if fname in vals or fname in limit]
        changed = changed_fields(self, {**vals, **limit}, terms_fields)
        if changed:
            check_terms_right(self, changed, self.env._("the credit terms of a customer"))
            # the change is tracked whatever the caller's context says
            self = self.with_context(tracking_disable=False, mail_notrack=False)
        # terms are the commercial entity's: Odoo copying its credit limit down to
        # its contacts (a commercial field) changes nothing to watch
        watch = (bool(terms_fields) or "category_id" in vals) and any(
            partner.commercial_partner_id == partner for partner in self
        )
        tags_checked = "category_id" in vals and not may_change_terms(self.env)
        Exception_ = self.env["o2c.exception"]
        if watch:
            holds, before = Exception_._o2c_credit_terms_snapshot(
                [("partner_id", "in", self.commercial_partner_id.ids)]
            )
            tag_terms = self._o2c_credit_tag_terms() if tags_checked else None
        res = super().write(vals)
        if {"credit_limit", "o2c_credit_limit"} & set(changed):
            self._o2c_write_limit(limit)  # the right is checked above
        if watch:
            if tags_checked and tag_terms != self._o2c_credit_tag_terms():
                raise AccessError(
                    self.env._(
                        "Only Credit Managers can change the tags of %s (field Tags "
                        "(category_id)) in a way that moves it to another credit group: "
                        "that changes its credit terms.",
                        ", ".join(self.commercial_partner_id.mapped("display_name")),
                    )
                )
            holds._o2c_credit_register_terms_change(before)
            # New terms may release held orders right away (the cron would later).
            Exception_._o2c_credit_recheck_partners(self)
        return res

    def _o2c_write_limit(self, limit):
        """Write ``limit`` (see :meth:`_o2c_split_limit`), checked by the caller, as
        the server: Odoo's field groups on ``credit_limit`` are for display."""
        return super(ResPartner, self.sudo()).write({"credit_limit": next(iter(limit.values()))})

    @staticmethod
    def _o2c_split_limit(vals):
        """``(vals without the credit limit, {name: value} or {})``.

        The limit comes under Odoo's name or O2C's (``o2c_credit_limit``, kept as
        the caller's name for the checks and their messages); it is written apart
        as Odoo's ``credit_limit``, by the server once the right to change credit
        terms is checked: a Credit Manager need not be an accountant to see
        Odoo's field.
        """
        names = [name for name in ("credit_limit", "o2c_credit_limit") if name in vals]
        if not names:
            return vals, {}
        vals = dict(vals)
        limit = {name: vals.pop(name) for name in names}
        return vals, limit

    # ------------------------------------------------------------ ACTION
    def _o2c_portal_account_status(self):
        """What the customer's account page shows (sudo, this commercial partner, the
        current company): balance, overdue, ageing buckets, open items, and the
        available credit when the company shows it."""
        self.ensure_one()
        company = self.env.company
        today = fields.Date.context_today(self)
        items = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", self.id),
                ("company_id", "=", company.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0.0),
            ],
            order="date_maturity, id",
        )
        ageing = self._o2c_ageing(items, today)
        show_credit = company.o2c_portal_show_credit and company.o2c_credit_check
        partner = self.with_company(company)
        return {
            "currency": company.currency_id,
            "items": items,
            "balance": sum(items.mapped("amount_residual")),
            "overdue": sum(amount for __, amount in ageing[1:]),
            "ageing": ageing,
            "limit": None
            if not show_credit or partner.o2c_credit_unlimited
            else partner.o2c_credit_limit_applied,
            "available": None
            if not show_credit or partner.o2c_credit_unlimited
            else partner.o2c_credit_available,
            "date": today,
        }

    @api.model
    def _o2c_ageing(self, items, today):
        """``[(label, open amount)]`` of receivable ``items`` by days past due: not
        due first, then 1-30, 31-60, 61-90 and over 90 days."""
        buckets = [
            (self.env._("Not due"), 0),
            (self.env._("1-30 days"), 30),
            (self.env._("31-60 days"), 60),
            (self.env._("61-90 days"), 90),
            (self.env._("Over 90 days"), None),
        ]
        totals = [0.0] * len(buckets)
        for item in items:
            late = (today - (item.date_maturity or item.date)).days
            index = next(
                i for i, (__, up_to) in enumerate(buckets) if up_to is None or late <= up_to
            )
            totals[index] += item.amount_residual
        return [(label, total) for (label, __), total in zip(buckets, totals, strict=True)]

    def action_o2c_view_credit_holds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        action["domain"] = [("id", "in", self.o2c_credit_hold_order_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ---------------------------------------------------------- BUSINESS
    def _o2c_credit_tag_terms(self):
        """Terms of these customers in the companies that have credit groups.

        What their tags can change: ``{(commercial partner id, company id): terms key}``.
        """
        companies = self.env["o2c.credit.group"].sudo().search([]).company_id
        commercial = self.commercial_partner_id.filtered("id")
        return {
            (pid, company.id): terms_key(terms)
            for company in companies
            for pid, terms in commercial._o2c_credit_terms(company).items()
        }

    def _o2c_credit_terms(self, company):
        """Return ``{commercial partner id: CreditTerms}`` in ``company``.

        Own terms of the partner, else its first credit group (by tag), else
        the company defaults; the customer's own Odoo credit limit (one that is
        not the company fallback) replaces the limit of the group or company,
        a partner policy overrides the policy only.
        At most three queries whatever the number of partners; one in a company
        without credit groups (the customers' tags are not read).
        """
        partners = self.sudo().with_company(company)
        grouped = company.id in self.env["o2c.credit.group"]._o2c_group_company_ids()
        partners.fetch([*STORED_SETTING_FIELDS, *(("category_id",) if grouped else ())])
        # Odoo reads a limit equal to the company fallback as "none of its own"
        fallback = partners._fields["credit_limit"].get_company_dependent_fallback(partners)
        groups = self.env["o2c.credit.group"].sudo().browse()
        if grouped and partners.category_id:
            groups = groups.search(
                [
                    ("company_id", "=", company.id),
                    ("category_ids", "in", partners.category_id.ids),
                ]
            )
        default = company._o2c_credit_default_terms()
        result = {}
        for partner in partners:
            group = next((g for g in groups if g.category_ids & partner.category_id), None)
            terms = group._o2c_terms() if group else default
            result[partner.id] = partner._o2c_own_terms(terms, fallback)
        return result

    def _o2c_own_terms(self, terms, fallback):
        """``terms`` (its group's or company's) with what this customer sets itself:
        own terms, unlimited, its own Odoo credit limit, its own policy.

        :param fallback: Odoo's company credit limit (a limit equal to it is none)
        """
        self.ensure_one()
        own = f"res.partner,{self.id},%s"
        if self.o2c_credit_limit_type == "limit":
            terms = replace(
                terms,
                limit=self.credit_limit,
                overdue_days=self.o2c_overdue_tolerance_days,
                overdue_amount=self.o2c_overdue_tolerance_amount,
                source=self.env._("Own terms"),
                limit_ref=own % "credit_limit",
                tolerance_ref=own % "o2c_overdue_tolerance_amount",
            )
        elif self.o2c_credit_limit_type == "unlimited":
            terms = replace(terms, limit=None, source=self.env._("Unlimited"))
        elif self.credit_limit != fallback:
            terms = replace(
                terms,
                limit=self.credit_limit,
                source=self.env._("Customer credit limit, %s tolerance", terms.source),
                limit_ref=own % "credit_limit",
            )
        if self.o2c_credit_policy:
            terms = replace(terms, policy=self.o2c_credit_policy)
        return terms

    def _o2c_credit_flush(self):
        self.env["account.move.line"].flush_model(
            [
                "account_id",
                "amount_residual",
                "company_id",
                "date_maturity",
                "move_id",
                "parent_state",
                "partner_id",
                "reconciled",
            ]
        )
        self.env["account.account"].flush_model(["account_type"])
        self.env["account.move"].flush_model(
            ["amount_total_signed", "company_id", "move_type", "partner_id", "state"]
        )
        self.env["sale.order.line"].flush_model(
            ["display_type", "order_id", "price_total", "product_uom_qty", "qty_invoiced"]
        )
        self.env["sale.order"].flush_model(["company_id", "currency_id", "partner_id", "state"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    def _o2c_credit_figures(self, companies):
        """Return ``{(commercial partner id, company id): CreditFigures}``.

        One query of three grouped parts, whatever the size of the partners' history:

        - ``R`` open receivables: posted, unreconciled receivable lines (company
          currency), grouped by due date when overdue (and by invoice for the
          invoices that may be disputed, hook ``account.move._o2c_disputed_domain``),
          so the rows grow with the due dates, not with the invoices;
        - ``O`` confirmed orders: ordered value taxes included not yet on any invoice,
          ``price_total * (product_uom_qty - qty_invoiced) / product_uom_qty``.
          ``qty_invoiced`` (stored) counts draft *and* posted invoices net of
          credit notes, so the quantities on a draft invoice leave the order
          and are counted once, with the draft invoice;
        - ``I`` draft customer invoices and credit notes (``amount_total_signed``).

        Orders in another currency are converted with the company's rates of today.
        """
        result = defaultdict(CreditFigures)
        partners = self.filtered("id")
        if not partners or not companies:
            return result
        self._o2c_credit_flush()
        today = fields.Date.context_today(self)
        Move = self.env["account.move"].sudo()
        params = {
            "partners": tuple(partners.ids),
            "companies": tuple(companies.ids),
            "today": today,
            "disputed": Move._search(Move._o2c_disputed_domain()).subselect(),
        }
        rows = self.env.execute_query(SQL(CREDIT_FIGURES_QUERY, **params))
        overdue = self._o2c_credit_add_rows(result, rows, companies, today)
        self._o2c_credit_overdue(result, sorted(overdue, key=lambda row: (row[2] or 0, row[3])))
        return result

    def _o2c_credit_add_rows(self, result, rows, companies, today):
        """Add the grouped rows to ``result``; return the overdue receivable rows."""
        overdue = []
        for kind, pid, cid, currency_id, move_id, due, amount, overdue_amount in rows:
            if kind == "R":
                result[(pid, cid)].receivable += amount or 0.0
                if due and overdue_amount:
                    overdue.append((pid, cid, move_id, due, overdue_amount))
            elif kind == "O":
                company = companies.browse(cid)
                currency = self.env["res.currency"].browse(currency_id)
                result[(pid, cid)].orders += currency._convert(
                    amount or 0.0, company.currency_id, company, today
                )
            else:
                result[(pid, cid)].drafts = amount or 0.0
        return overdue

    def _o2c_credit_overdue(self, result, rows):
        """Fill the overdue items of ``result`` from ``rows``, disputed amounts left out.

        :param rows: ``(commercial partner id, company id, invoice id, due date,
            amount)`` of overdue receivable lines, by invoice and due date; the
            invoice is known (not ``None``) for the ones that may be disputed.

        A disputed amount (hook ``account.move._o2c_disputed_amounts``) is
        taken off its invoice's oldest overdue lines first.
        """
        disputed = {}
        move_ids = list({row[2] for row in rows if row[2]})
        if move_ids:
            disputed = self.env["account.move"]._o2c_disputed_amounts(move_ids) or {}
        left = dict(disputed)
        for pid, cid, move_id, due, amount in rows:
            taken = min(amount, max(left.get(move_id, 0.0), 0.0))
            if taken:
                left[move_id] -= taken
                result[(pid, cid)].disputed += taken
            result[(pid, cid)].overdue_items.append((due, amount - taken))

    @api.model
    def _o2c_credit_request_terms(self, requests):
        """``{company id: {partner id: CreditTerms}}`` of the requests' customers."""
        by_company = defaultdict(set)
        for request in requests:
            by_company[request.company].add(request.partner.id)
        Partner = self.sudo()
        return {
            company.id: Partner.browse(pids)._o2c_credit_terms(company)
            for company, pids in by_company.items()
        }

    @api.model
    def _o2c_credit_evaluate(self, requests, terms_override=None):
        """Judge credit requests in batch.

        :param requests: list of :class:`CreditRequest`
        :return: ``{key: status}`` (see :func:`credit_status.judge`). Requests
            of one partner and company are judged in order, each on top of the
            earlier ones that are not held (they will go through).
        :param terms_override: ``{key: CreditTerms}`` judge these requests on
            these terms (e.g. the terms before a change) instead of the current ones
        """
        if not requests:
            return {}
        today = fields.Date.context_today(self)
        partners = self.browse({r.partner.id for r in requests})
        companies = self.env["res.company"].browse({r.company.id for r in requests})
        figures = partners._o2c_credit_figures(companies)
        terms = self._o2c_credit_request_terms(requests)
        running = defaultdict(float)
        results = {}
        for request in requests:
            key, company, amount = request.key, request.company, request.amount
            pair = (request.partner.id, company.id)
            partner_terms = request.terms_in(terms)
            if terms_override and key in terms_override:
                partner_terms = terms_override[key]
            status = judge(
                partner_terms,
                figures.get(pair, CreditFigures()),
                running[pair] + amount,
                company.currency_id,
                today,
            )
            status.this_amount = company.currency_id.round(amount)
            status.earlier_amount = company.currency_id.round(running[pair])
            if not status.blocking:
                running[pair] += amount
            results[key] = status
        return results
