# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception_type import MAX_AMOUNT, check_bounds
from odoo.tools import format_amount

#: the thresholds of a policy: ``{field: (minimum, maximum)}`` (0 = no limit)
POLICY_BOUNDS = {
    "max_freight_cost": (0.0, MAX_AMOUNT),
    "max_freight_share": (0.0, 100.0),
    "max_uncharged_freight": (0.0, MAX_AMOUNT),
}


class O2cFreightPolicy(models.Model):
    """Which freight needs an approval: expedited carriers, costly or uncharged freight.

    The most specific active policy of an order wins: one of its order class
    before one without class, one of its customer segment before one without
    segment, one of its company before a shared one, then by sequence.
    """

    _name = "o2c.freight.policy"
    _description = "O2C Freight Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        tracking=True,
        help="Among policies as specific as each other, the lowest sequence wins.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="Empty: applies to every company. A policy of the order's company wins "
        "over a shared one.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    # Scope: empty means "any".
    order_class_ids = fields.Many2many(
        "o2c.order.class",
        "o2c_freight_policy_order_class_rel",
        "policy_id",
        "class_id",
        string="Order Classes",
        help="Only orders of these classes. Empty: any order. A policy of the order's "
        "class wins over one without class.",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        "o2c_freight_policy_partner_category_rel",
        "policy_id",
        "category_id",
        string="Customer Segments",
        help="Customer tags (or their sub-tags) of the customer or its company. Empty: "
        "any customer. A policy of the customer's segment wins over one without.",
    )
    # Thresholds
    approve_expedited = fields.Boolean(
        string="Expedited Carriers Need Approval",
        default=True,
        tracking=True,
        help="An order shipped with a carrier flagged Expedited, or a delivery switched "
        "to one, needs an approval.",
    )
    max_freight_cost = fields.Monetary(
        tracking=True,
        help="Freight cost (the carrier's rate of the order, or the shipping cost of a "
        "delivery) above which an approval is needed, in the company's currency. "
        "0 = no limit.",
    )
    max_freight_share = fields.Float(
        string="Max Freight Share (%)",
        tracking=True,
        help="Freight cost as a percentage of the order's untaxed amount (freight lines "
        "excluded) above which an approval is needed. 0 = no limit.",
    )
    max_uncharged_freight = fields.Monetary(
        string="Max Freight Not Charged",
        tracking=True,
        help="The carrier's cost minus what the delivery line charges the customer, "
        "above which an approval is needed (free shipping, a reduced delivery line), "
        "in the company's currency. 0 = no limit.",
    )
    note = fields.Text()

    # ----------------------------------------------------------- COMPUTE
    @api.depends("company_id")
    def _compute_currency_id(self):
        for rec in self:
            rec.currency_id = (rec.company_id or self.env.company).currency_id

    # -------------------------------------------------------- CONSTRAINT
    @api.model
    def _o2c_bounds(self):
        """Hook: the bounded fields ``{field: (minimum, maximum)}``; an extension
        adding a threshold adds its bounds, checked at save like these."""
        return dict(POLICY_BOUNDS)

    @api.constrains(lambda self: tuple(self._o2c_bounds()))
    def _check_thresholds(self):
        bounds = self._o2c_bounds()
        for rec in self:
            check_bounds(rec, bounds, self.env._("freight policy %s", rec.name))

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            where = self.env._("freight policy %s", vals.get("name"))
            check_bounds(self, self._o2c_bounds(), where, vals)
        return super().create(vals_list)

    def write(self, vals):
        where = lambda: self.env._("freight policy %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, self._o2c_bounds(), where, vals)
        return super().write(vals)

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_get_matcher(self):
        """Return ``match(order) -> policy`` (sudo; empty when none applies).

        One search over the active policies for the whole batch; the matches are
        cached per (company, order class, customer tags).
        """
        policies = self.sudo().search([])
        policies.partner_category_ids.mapped("parent_path")
        cache = {}

        def match(order):
            partner = order.partner_id
            tags = partner.category_id | partner.commercial_partner_id.category_id
            company, order_class = order.company_id, order.o2c_order_class_id
            key = (company.id, order_class.id, frozenset(tags.ids))
            if key not in cache:
                tag_paths = [tag.parent_path or "" for tag in tags]
                candidates = policies.filtered(
                    lambda p: p._o2c_covers(company, order_class, tag_paths)
                )
                cache[key] = min(
                    candidates,
                    key=lambda p: (
                        not p.order_class_ids,
                        not p.partner_category_ids,
                        not p.company_id,
                        p.sequence,
                        p.id,
                    ),
                    default=self.browse(),
                )
            return cache[key]

        return match

    def _o2c_covers(self, company, order_class, tag_paths):
        """Whether this policy's scope covers an order of ``company``, ``order_class``
        and customer tags of ``tag_paths`` (their ``parent_path``)."""
        self.ensure_one()
        if self.company_id and self.company_id != company:
            return False
        if self.order_class_ids and order_class not in self.order_class_ids:
            return False
        if self.partner_category_ids:
            roots = [root.parent_path for root in self.partner_category_ids if root.parent_path]
            return any(path.startswith(root) for path in tag_paths for root in roots)
        return True

    def _o2c_limit(self, amount, order):
        """``amount`` of this policy (company currency) in the currency of ``order``."""
        company = order.company_id
        return company.currency_id._convert(
            amount, order.currency_id, company, order.date_order or fields.Date.today()
        )

    def _o2c_order_breaches(self, order, measure):
        """Return the rules of this policy the freight of a quotation breaks.

        Each breach is ``(rule, value, threshold, excess)``; ``excess`` is the
        freight cost beyond what the policy allows without approval (all of it
        for an expedited carrier), in the order's currency.

        :param measure: see ``sale.order._o2c_freight_measures``
        """
        self.ensure_one()
        currency = order.currency_id
        cost, carrier = measure["cost"], measure["carrier"]
        breaches = []
        if self.approve_expedited and carrier.o2c_expedited:
            rule = self.env._("Expedited carrier")
            breaches.append((rule, carrier.name, self.env._("approval"), cost))
        if self.max_freight_cost:
            limit = self._o2c_limit(self.max_freight_cost, order)
            if currency.compare_amounts(cost, limit) > 0:
                breaches.append((self.env._("Freight cost"), cost, limit, cost - limit))
        if self.max_freight_share and currency.compare_amounts(cost, 0.0) > 0:
            breaches.extend(self._o2c_share_breach(measure))
        if self.max_uncharged_freight:
            limit = self._o2c_limit(self.max_uncharged_freight, order)
            uncharged = measure["uncharged"]
            if currency.compare_amounts(uncharged, limit) > 0:
                rule = self.env._("Freight not charged to the customer")
                breaches.append((rule, uncharged, limit, uncharged - limit))
        return breaches

    def _o2c_share_breach(self, measure):
        """The freight share breach of a quotation with a freight cost, if any (a list).

        An order without goods value (only freight, services at 0) has no share
        to compare: any cost breaks the maximum.
        """
        share, goods, cost = measure["share"], measure["goods"], measure["cost"]
        if share is not None and round(share - self.max_freight_share, 2) <= 0:
            return []
        shown = self.env._("no goods value") if share is None else f"{share:.2f} %"
        excess = cost - max(goods, 0.0) * self.max_freight_share / 100.0
        rule = self.env._("Freight share of the order")
        return [(rule, shown, f"{self.max_freight_share:.2f} %", excess)]

    def _o2c_delivery_breaches(self, order, measure):
        """Return the rules of this policy a delivery of ``order`` breaks, like
        :meth:`_o2c_order_breaches`.

        :param measure: see ``stock.picking._o2c_freight_measure``
        """
        self.ensure_one()
        breaches = []
        carrier, planned = measure["carrier"], measure["planned"]
        if self.approve_expedited and carrier.o2c_expedited and carrier != planned:
            switch = self.env._(
                "%(carrier)s instead of %(planned)s",
                carrier=carrier.name,
                planned=planned.name or self.env._("no carrier"),
            )
            extra = max(measure["cost"] - measure["planned_cost"], 0.0)
            rule = self.env._("Switched to an expedited carrier")
            breaches.append((rule, switch, self.env._("approval"), extra))
        if self.max_freight_cost:
            limit = self._o2c_limit(self.max_freight_cost, order)
            price = measure["carrier_price"]
            if order.currency_id.compare_amounts(price, limit) > 0:
                breaches.append((self.env._("Shipping cost"), price, limit, price - limit))
        return breaches

    def _o2c_exception_vals(self, carrier, breaches, facts, currency):
        """Name, details and value at risk of a freight exception judged by this
        policy: ``breaches`` ``[(rule, value, limit, excess)]``, ``facts``
        ``[(label, value)]`` (the figures it was judged on)."""
        self.ensure_one()
        return {
            "name": self.env._(
                "Freight outside policy (%(carrier)s): %(rules)s",
                carrier=carrier.name,
                rules=", ".join(breach[0] for breach in breaches),
            ),
            "details": self._o2c_details(breaches, facts, currency),
            "amount": currency.round(max(breach[3] for breach in breaches)),
        }

    def _o2c_details(self, breaches, facts, currency):
        """HTML of an exception: a table of what broke which threshold of this
        policy, then the figures it was judged on (``[(label, value)]``)."""
        self.ensure_one()

        def shown(value):  # amounts formatted, text as is
            if isinstance(value, float):
                return format_amount(self.env, value, currency)
            return value

        rows = Markup("").join(
            Markup(
                '<tr><td>%s</td><td class="text-end">%s</td><td class="text-end">%s</td>'
                '<td class="text-end">%s</td></tr>'
            )
            % (rule, shown(value), shown(limit), shown(float(excess)))
            for rule, value, limit, excess in breaches
        )
        table = Markup(
            '<table class="table table-sm"><thead><tr><th>%s</th><th class="text-end">%s</th>'
            '<th class="text-end">%s</th><th class="text-end">%s</th></tr></thead>'
            "<tbody>%s</tbody></table>"
        ) % (
            self.env._("Rule"),
            self.env._("Value"),
            self.env._("Threshold"),
            self.env._("Beyond Policy"),
            rows,
        )
        lines = Markup("<br/>").join(
            Markup("%s: %s") % (label, shown(value))
            for label, value in [(self.env._("Freight policy"), self.name), *facts]
        )
        # an unchanged check writes nothing: the engine compares as the field stores it
        return table + Markup("<p>%s</p>") % lines
