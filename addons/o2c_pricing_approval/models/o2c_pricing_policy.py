# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.addons.o2c_exception_base.models.o2c_exception_type import MAX_AMOUNT, check_bounds
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

#: percentage fields of a policy and their labels (checked 0 <= value <= 100)
PERCENT_FIELDS = ("max_discount", "max_price_override", "min_margin")
#: bounds of the policy's amounts (checked before the ORM rounds them: inf, NaN)
AMOUNT_BOUNDS = {"max_order_discount": (0.0, MAX_AMOUNT)}
#: policy scope field -> order field it restricts (empty scope: any)
ORDER_SCOPE = {
    "pricelist_ids": "pricelist_id",
    "team_ids": "team_id",
    "source_ids": "source_id",
    "channel_ids": "o2c_channel_id",
    "order_class_ids": "o2c_order_class_id",
}
SCOPE_FIELDS = (*ORDER_SCOPE, "partner_category_ids", "product_category_ids")
#: limits of a policy kept in the policy index (see ``_o2c_limits``)
LIMIT_FIELDS = (
    "max_discount",
    "max_price_override",
    "check_margin",
    "min_margin",
    "max_order_discount",
)
#: fields kept in the policy index (a change clears it)
INDEX_FIELDS = {*SCOPE_FIELDS, *LIMIT_FIELDS, "active", "sequence", "company_id", "tier_ids"}


class O2cPricingPolicy(models.Model):
    """Which discounts, price overrides and margins need an approval, and whose.

    A policy applies to the order lines in its scope (company, customer segment,
    pricelist, sales team, channel, product category); each line is governed by
    the first matching policy by sequence.
    """

    _name = "o2c.pricing.policy"
    _description = "O2C Pricing Policy"
    _inherit = ["o2c.policy.governed.mixin", "mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True
    # changed through a request when the company requires approval for pricing
    _o2c_policy_kind = "pricing"
    _o2c_policy_fields = (
        "active",
        "sequence",
        "company_id",
        *SCOPE_FIELDS,
        "max_discount",
        "max_price_override",
        "check_margin",
        "min_margin",
        "max_order_discount",
        "check_on_send",
        "tier_ids",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        tracking=True,
        help="Lines are governed by the first matching policy (lowest first).",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="Empty: applies to every company.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    # Scope: empty means "any".
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        "o2c_pricing_policy_partner_category_rel",
        "policy_id",
        "category_id",
        tracking=True,
        string="Customer Segments",
        help="Customer tags (or their sub-tags) of the customer or its company.",
    )
    pricelist_ids = fields.Many2many(
        "product.pricelist",
        "o2c_pricing_policy_pricelist_rel",
        "policy_id",
        "pricelist_id",
        tracking=True,
        string="Pricelists",
        check_company=True,
    )
    team_ids = fields.Many2many(
        "crm.team",
        "o2c_pricing_policy_team_rel",
        "policy_id",
        "team_id",
        tracking=True,
        string="Sales Teams",
        check_company=True,
    )
    source_ids = fields.Many2many(
        "utm.source",
        "o2c_pricing_policy_source_rel",
        "policy_id",
        "source_id",
        tracking=True,
        string="Sources",
        help="Marketing source of the order (UTM), as set by the salesperson or a campaign.",
    )
    channel_ids = fields.Many2many(
        "o2c.sale.channel",
        "o2c_pricing_policy_sale_channel_rel",
        "policy_id",
        "channel_id",
        tracking=True,
        string="Channels",
        help="How the order came in (back office, email, portal, EDI / API), recorded "
        "by the server on each order. Empty: any channel.",
    )
    order_class_ids = fields.Many2many(
        "o2c.order.class",
        "o2c_pricing_policy_order_class_rel",
        "policy_id",
        "class_id",
        tracking=True,
        string="Order Classes",
        help="Only orders of these classes (e.g. EDI orders of key accounts). Empty: any.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        "o2c_pricing_policy_product_category_rel",
        "policy_id",
        "category_id",
        tracking=True,
        string="Product Categories",
        help="Lines whose product is in these categories (or their sub-categories).",
    )
    # Thresholds
    max_discount = fields.Float(
        string="Max Discount (%)",
        default=15.0,
        tracking=True,
        help="A line discount above this needs an approval. Discounts given by "
        "the pricelist itself do not count.",
    )
    max_price_override = fields.Float(
        string="Max Price Below Pricelist (%)",
        default=15.0,
        tracking=True,
        help="A unit price set lower than the pricelist price by more than this "
        "needs an approval (manual price override).",
    )
    check_margin = fields.Boolean(
        tracking=True,
        help="Lines whose margin over the product cost is under the floor need an "
        "approval from the top tier. Lines without a cost are not checked.",
    )
    min_margin = fields.Float(string="Margin Floor (%)", tracking=True)
    max_order_discount = fields.Monetary(
        string="Max Order Discount Value",
        tracking=True,
        help="Total value given away against the pricelist on one order above which "
        "an approval is needed (in the order company's currency). 0 = no limit.",
    )
    check_on_send = fields.Boolean(
        string="Check Before Sending",
        tracking=True,
        help="Also check (and hold) the quotation when it is sent to the customer, "
        "not only when it is confirmed.",
    )
    tier_ids = fields.One2many(
        "o2c.pricing.policy.tier",
        "policy_id",
        string="Approval Tiers",
        copy=True,
        help="Who approves: the highest tier whose threshold is below the line's "
        "reduction against the pricelist. A margin under the floor needs the top "
        "tier; other violations at least the first tier. No tier: the approver "
        "group of the exception type.",
    )
    note = fields.Text()

    # ----------------------------------------------------------- COMPUTE
    @api.depends("company_id")
    def _compute_currency_id(self):
        for rec in self:
            rec.currency_id = (rec.company_id or self.env.company).currency_id

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*PERCENT_FIELDS)
    def _check_percentages(self):
        for rec in self:
            for fname in PERCENT_FIELDS:
                if not 0.0 <= rec[fname] <= 100.0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be between 0 and 100 on pricing policy "
                            "%(policy)s (got %(value)s).",
                            field=rec._fields[fname].get_description(self.env)["string"],
                            policy=rec.name,
                            value=rec[fname],
                        )
                    )

    @api.constrains("max_order_discount")
    def _check_max_order_discount(self):
        for rec in self:
            check_bounds(rec, AMOUNT_BOUNDS, self.env._("pricing policy %s", rec.name))

    # ------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(
                self, AMOUNT_BOUNDS, self.env._("pricing policy %s", vals.get("name")), vals
            )
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # _o2c_policy_index
        return records

    def write(self, vals):
        where = lambda: self.env._("pricing policy %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, AMOUNT_BOUNDS, where, vals)
        res = super().write(vals)
        if INDEX_FIELDS.intersection(vals):
            self.env.registry.clear_cache()  # _o2c_policy_index
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _o2c_policy_index
        return res

    # ---------------------------------------------------------- BUSINESS
    @api.model
    @tools.ormcache()
    def _o2c_policy_index(self):
        """The active policies' scopes, in order (cached per worker; cleared on change).

        A tuple of ``(policy id, company id, {scope field: frozenset of ids},
        tier ids sorted by threshold, limits)`` (limits: the values of
        :data:`LIMIT_FIELDS`): matching an order against it and judging lines
        within the limits cost no query, which keeps the confirmation's added
        cost flat.
        """
        policies = self.sudo().search([])
        return tuple(
            (
                policy.id,
                policy.company_id.id,
                {fname: frozenset(policy[fname].ids) for fname in SCOPE_FIELDS},
                tuple(policy._get_sorted_tiers().ids),
                tuple(policy[fname] for fname in LIMIT_FIELDS),
            )
            for policy in policies
        )

    @api.model
    def _matches_order(self, scope, order):
        """Whether the order-level ``scope`` (see :meth:`_o2c_policy_index`) covers ``order``."""
        for fname, order_field in ORDER_SCOPE.items():
            if scope[fname] and order[order_field].id not in scope[fname]:
                return False
        if scope["partner_category_ids"]:
            partner = order.partner_id
            tags = partner.category_id | partner.commercial_partner_id.category_id
            roots = self.env["res.partner.category"].browse(scope["partner_category_ids"])
            if not _in_tree(tags, roots):
                return False
        return True

    @api.model
    def _matches_product(self, scope, product):
        roots = scope["product_category_ids"]
        return not roots or _in_tree(product.categ_id, self.env["product.category"].browse(roots))

    @api.model
    def _get_line_policies(self, lines):
        """Return ``{line id: policy}``: the first matching policy of each line.

        The policies' scopes come from a per-worker cache; the rest is in memory.
        """
        if not lines:
            return {}
        index = self._o2c_policy_index()
        if not index:
            return {}
        by_order = defaultdict(list)
        for line in lines:
            by_order[line.order_id].append(line)
        result = {}
        Policy = self.sudo()
        for order, order_lines in by_order.items():
            candidates = [
                (policy_id, scope)
                for policy_id, company_id, scope, _tiers, _limits in index
                if (not company_id or company_id == order.company_id.id)
                and self._matches_order(scope, order)
            ]
            for line in order_lines:
                for policy_id, scope in candidates:
                    if self._matches_product(scope, line.product_id):
                        result[line.id] = Policy.browse(policy_id)
                        break
        return result

    def _get_sorted_tiers(self):
        """Tiers of this policy, lowest threshold first."""
        self.ensure_one()
        return self.tier_ids.sorted(lambda t: (t.threshold, t.id))

    def _o2c_indexed(self):
        """This policy's entry of :meth:`_o2c_policy_index` (read from the record
        when the index has none: an archived policy)."""
        self.ensure_one()
        entry = next((e for e in self._o2c_policy_index() if e[0] == self.id), None)
        if entry is None:
            entry = (
                self.id,
                self.company_id.id,
                None,
                tuple(self._get_sorted_tiers().ids),
                tuple(self[fname] for fname in LIMIT_FIELDS),
            )
        return entry

    def _o2c_cached_tiers(self):
        """:meth:`_get_sorted_tiers` from the policy index (no query to find them)."""
        return self.env["o2c.pricing.policy.tier"].sudo().browse(self._o2c_indexed()[3])

    def _o2c_limits(self):
        """``(max discount, max price override, check margin, margin floor, max
        order discount)`` from the policy index (no query to read them)."""
        return self._o2c_indexed()[4]

    @api.model
    def _evaluate(self, orders, lines, policies, measures):
        """Return ``{order id: findings}`` from the line measures and their policies.

        Findings: ``lines`` (list of ``(line, measure, reasons)``), ``order``
        (order-level reasons), ``tier`` (required tier or ``None``), ``value``
        (value given away), ``no_cost`` (lines not checked for margin).

        :param policies: ``{line id: policy}`` (see :meth:`_get_line_policies`)
        :param measures: ``{line id: dict}`` (see ``sale.order.line._o2c_pricing_measures``)
        """
        findings = {
            o.id: {"lines": [], "order": [], "tier": None, "value": 0.0, "no_cost": []}
            for o in orders
        }
        tiers = {policy: policy._o2c_cached_tiers() for policy in set(policies.values())}
        # the limits read once per policy: a line within them costs no field access
        limits = {policy: policy._o2c_limits() for policy in tiers}
        order_values = defaultdict(float)
        for line in lines:
            policy, measure = policies[line.id], measures[line.id]
            order = line.order_id
            found = findings[order.id]
            found["value"] += measure["value"]
            order_values[(order, policy)] += measure["value"]
            broken = _broken_limits(limits[policy], measure)
            if broken:
                reasons, tier = policy._line_reasons(measure, tiers[policy], broken)
                found["lines"].append((line, measure, reasons))
                found["tier"] = _higher_tier(found["tier"], tier)
            if limits[policy][2] and measure["margin"] is None:
                found["no_cost"].append(line)
        for (order, policy), value in order_values.items():
            if not limits[policy][4]:  # no limit of value given away on the order
                continue
            reason = policy._order_reason(order, value)
            if reason:
                findings[order.id]["order"].append(reason)
                findings[order.id]["tier"] = _higher_tier(
                    findings[order.id]["tier"], tiers[policy][:1]
                )
        return findings

    def _line_reasons(self, measure, tiers, broken):
        """Return the texts of the limits of this policy one line breaks (``broken``,
        from :func:`_broken_limits`), and the tier they need."""
        self.ensure_one()
        reasons, tier = [], None
        if "discount" in broken:
            reasons.append(
                self.env._(
                    "discount %(value).2f %% > %(limit).2f %%",
                    value=measure["discount"],
                    limit=self.max_discount,
                )
            )
        if "override" in broken:
            reasons.append(
                self.env._(
                    "price %(value).2f %% below the pricelist price > %(limit).2f %%",
                    value=measure["override"],
                    limit=self.max_price_override,
                )
            )
        if reasons:
            reduction = max(measure["reduction"], measure["discount"], measure["override"])
            tier = tiers.filtered(lambda t: _over(reduction, t.threshold))[-1:] or tiers[:1]
        if "margin" in broken:
            reasons.append(
                self.env._(
                    "margin %(value).2f %% < floor %(limit).2f %%",
                    value=measure["margin"],
                    limit=self.min_margin,
                )
            )
            tier = _higher_tier(tier, tiers[-1:])
        return reasons, tier

    def _order_reason(self, order, value):
        """Why the value given away on ``order`` under this policy is too much, if it is."""
        self.ensure_one()
        if not self.max_order_discount:
            return None
        company = order.company_id
        limit = company.currency_id._convert(
            self.max_order_discount, order.currency_id, company, order.date_order
        )
        if order.currency_id.compare_amounts(value, limit) <= 0:
            return None
        return self.env._(
            "%(policy)s: value given away %(value)s is above %(limit)s",
            policy=self.name,
            value=format_amount(self.env, value, order.currency_id),
            limit=format_amount(self.env, limit, order.currency_id),
        )


def _over(value, limit):
    """``value`` above ``limit`` beyond rounding (percentages to 2 decimals).

    ``float_compare(value, limit, precision_digits=2) > 0``, without its cost
    (called for every line of every checked order).
    """
    return round(value - limit, 2) > 0


def _broken_limits(limits, measure):
    """The limits (see ``_o2c_limits``) a line of ``measure`` breaks: a tuple of
    ``"discount"``, ``"override"``, ``"margin"``; the one judgement of a line
    (cheap: no text, no field read; :meth:`O2cPricingPolicy._line_reasons` says how)."""
    max_discount, max_override, check_margin, min_margin, __ = limits
    margin = measure["margin"]
    checks = (
        ("discount", _over(measure["discount"], max_discount)),
        ("override", _over(measure["override"], max_override)),
        ("margin", check_margin and margin is not None and _over(min_margin, margin)),
    )
    return tuple(name for name, broken in checks if broken)


def _higher_tier(tier, other):
    """The tier with the higher threshold (``None`` or empty records allowed)."""
    if not other:
        return tier
    if not tier:
        return other
    return other if other.threshold > tier.threshold else tier


def _in_tree(records, roots):
    """Whether any of ``records`` is one of ``roots`` or a descendant of one.

    Both are records of a model with ``_parent_store`` (``parent_path``).
    """
    paths = [root.parent_path for root in roots if root.parent_path]
    return any(
        rec.parent_path and rec.parent_path.startswith(path) for rec in records for path in paths
    )
