# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.addons.o2c_exception_base.governance import enforced_ids
from odoo.exceptions import UserError
from odoo.tools import float_round

#: line fields an approved pricing exception is bound to
PRICING_FIELDS = ("product_id", "product_uom", "product_uom_qty", "price_unit", "discount")
#: line fields whose change on a confirmed order is a price edit
PRICE_FIELDS = ("product_id", "product_uom", "price_unit", "discount")
#: pricelist rule fields the reference price reads (fetched with the rules)
RULE_FIELDS = (
    "applied_on",
    "min_quantity",
    "categ_id",
    "product_tmpl_id",
    "product_id",
    "compute_price",
    "fixed_price",
    "percent_price",
    "base",
    "base_pricelist_id",
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # -------------------------------------------------------------- CRUD
    # Who changes the prices of a quotation may not approve them (segregation of
    # duties): a line written on its own counts as much as through the order.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._o2c_pricing_filter().order_id._o2c_pricing_note_editor()
        lines._o2c_pricing_check_confirmed()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if any(fname in vals for fname in PRICING_FIELDS):
            self.order_id._o2c_pricing_note_editor()
        if any(fname in vals for fname in PRICE_FIELDS):
            self._o2c_pricing_check_confirmed()
        return res

    def unlink(self):
        orders = self._o2c_pricing_filter().order_id
        res = super().unlink()
        orders.exists()._o2c_pricing_note_editor()
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_pricing_check_confirmed(self):
        """Refuse a price outside the pricing policy on a confirmed order.

        The approval of a quotation's pricing was used when it was confirmed; a
        line priced or added afterwards by a user is judged on its own, and a
        price the policy would send for approval is refused: it is approved on a
        quotation. Lines the delivery adds while it is validated (a substitute,
        an extra product shipped) are the warehouse's business, not a price
        edit; lines written by the system (sudo) neither.
        """
        if self.env.su or enforced_ids("stock.picking", "validate"):
            return
        lines = self.filtered(lambda line: line.order_id.state == "sale")._o2c_pricing_filter()
        if not lines:
            return
        policies = self.env["o2c.pricing.policy"]._get_line_policies(lines)
        lines = lines.filtered(lambda line: line.id in policies)
        if not lines:
            return
        measures = lines._o2c_pricing_measures()
        findings = self.env["o2c.pricing.policy"]._evaluate(
            lines.order_id, lines, policies, measures
        )
        broken = [row for found in findings.values() for row in found["lines"]]
        if broken:
            line, _measure, reasons = broken[0]
            raise UserError(
                self.env._(
                    "The price of %(product)s on the confirmed order %(order)s is outside "
                    "the pricing policy (%(reasons)s): fields Unit Price and Discount. "
                    "Prices outside the policy are approved on a quotation.",
                    product=line.product_id.display_name,
                    order=line.order_id.name,
                    reasons=", ".join(reasons),
                )
            )

    def _o2c_pricing_filter(self):
        """Lines whose price the pricing policies judge (priced product lines)."""
        # the template's type: the related ``product_type`` of the lines (and
        # ``type`` of the variants) would be computed for this test alone
        return self.filtered(
            lambda line: line.product_id
            and not line.display_type
            and not line.is_downpayment
            and not line.combo_item_id
            and line.product_id.product_tmpl_id.type != "combo"
            and not line._o2c_is_charge_line()
        )

    def _o2c_pricing_reference(self, by_order=None):
        """Return ``{line id: (unit price, discount %)}`` the pricelist gives each line.

        The same result as Odoo's ``_get_display_price`` / ``_compute_discount``,
        recomputed from the pricelist (never read from the line), but in batch:
        the rules are fetched once per pricelist and date, the price is computed
        once per distinct product, quantity, unit and currency (see
        :meth:`_o2c_pricing_rule_price`). ``by_order``: these lines'
        :meth:`_o2c_pricing_by_order`, when the caller has it.
        """
        precision = self.env["decimal.precision"].precision_get("Product Price")
        groups = defaultdict(list)
        for order, lines in (by_order or self._o2c_pricing_by_order()).items():
            # the order's date as the lines see it (website_sale: today for a cart)
            key = (order.company_id, order.pricelist_id, lines[0]._get_order_date())
            groups[key].append((order, lines))
        result = {}
        for (company, pricelist, date), orders in groups.items():
            lines = self.browse([line.id for __, lines in orders for line in lines])
            # prefetch over every group: one read per field for all the lines; the
            # caller's context must not move the reference (Odoo's price adds its
            # ``no_variant_attributes_price_extra``): a line's own extras are set from
            # its attribute values (``_o2c_pricing_price_key``)
            lines = (
                lines.with_prefetch(self._prefetch_ids)
                .with_company(company)
                .with_context(no_variant_attributes_price_extra=0)
            )
            rules = _Rules(lines.product_id, pricelist, date)
            prices = {}  # (product, price context, quantity, unit, currency, fiscal position)
            for order, order_lines in orders:
                currency, fiscal_position = order.currency_id, order.fiscal_position_id
                order_ids = [line.id for line in order_lines]
                for line in lines.browse(order_ids).with_prefetch(lines._prefetch_ids):
                    key, product = line._o2c_pricing_price_key(currency, fiscal_position)
                    if key not in prices:
                        uom, qty = key[3], key[2]
                        display, discount = self._o2c_pricing_rule_price(
                            rules, product, qty, uom, date, currency
                        )
                        if fiscal_position:  # without one, Odoo keeps the price as it is
                            display = product._get_tax_included_unit_price_from_price(
                                display,
                                product_taxes=product.taxes_id.filtered(
                                    lambda tax, company=company: tax.company_id == company
                                ),
                                fiscal_position=fiscal_position,
                            )
                        prices[key] = (float_round(display, precision_digits=precision), discount)
                    result[line.id] = prices[key]
        return result

    def _o2c_pricing_price_key(self, currency, fiscal_position):
        """``(key, product)``: what the pricelist price of this line depends on.

        ``key`` is ``(product id, price context, quantity, unit, currency id,
        fiscal position id)``; ``product`` carries the price context of the
        line's no-variant attribute values (their extra prices), if any.
        """
        product, extras = self.product_id, ()
        if self.product_no_variant_attribute_value_ids:  # their extra prices
            price_context = self._get_product_price_context()
            if price_context:
                product = product.with_context(**price_context)
                extras = tuple(sorted(price_context.items()))
        uom = self.product_uom or product.uom_id
        qty = self.product_uom_qty or 1.0
        return (product.id, extras, qty, uom, currency.id, fiscal_position.id), product

    @api.model
    def _o2c_pricing_rule_price(self, rules, product, qty, uom, date, currency):
        """Return ``(unit price, discount %)`` of the first of ``rules`` that applies.

        ``rules`` (:class:`_Rules`) computes the common rules (none, fixed price,
        percentage of the sales price or cost) as Odoo's
        ``product.pricelist.item._compute_price`` does, without its per-product
        overhead; the others (formula, based on another pricelist) by Odoo's own
        methods.
        """
        product_uom = rules.product_unit(product)
        qty_product_uom = (
            uom._compute_quantity(qty, product_uom, raise_if_failure=False)
            if uom != product_uom
            else qty
        )
        rule = rules.first(product, qty_product_uom)
        args = {"product": product, "quantity": qty, "uom": uom, "date": date, "currency": currency}
        fast = rules.is_simple(rule)
        price = rules.price(rule, **args) if fast else rule._compute_price(**args)
        display, discount = price, 0.0
        if rules.show_discount(rule):
            base = (
                rules.base_price(rule, **args)
                if fast
                else rule._compute_price_before_discount(**args)
            )
            display = max(base, price)
            if base > 0 and base > price:
                discount = (base - price) / base * 100.0
        return display, discount

    def _o2c_pricing_by_order(self):
        """``{order: [line]}``: the lines of each order, in order."""
        by_order = defaultdict(list)
        for line in self:
            by_order[line.order_id].append(line)
        return by_order

    def _o2c_pricing_unit_costs(self, by_order=None):
        """Return ``{line id: cost of one line unit in the order currency}``.

        The cost is the product's cost (``standard_price``) of the order's company;
        lines whose product has no cost are left out. One conversion rate per
        currency pair and date. ``by_order``: as in :meth:`_o2c_pricing_reference`.
        """
        result, rates, costs = {}, {}, {}
        for order, lines in (by_order or self._o2c_pricing_by_order()).items():
            company = order.company_id or self.env.company
            if company not in costs:  # one read of the costs per company
                products = self.product_id.with_company(company).sudo()
                currencies = _template_currencies(
                    products.product_tmpl_id, company, with_sales=False
                )
                costs[company] = {  # template fields: not related fields computed per variant
                    p.id: (
                        p.standard_price,
                        p.product_tmpl_id.uom_id,
                        currencies[p.product_tmpl_id.id][1],
                    )
                    for p in products
                }
            company_costs, currency, date = costs[company], order.currency_id, order.date_order
            for line in lines:
                cost, product_uom, cost_currency = company_costs[line.product_id.id]
                if not cost:
                    continue
                line_uom = line.product_uom
                if line_uom and line_uom != product_uom:
                    cost = product_uom._compute_price(cost, line_uom)
                key = (cost_currency, currency, company, date)
                if key not in rates:
                    rates[key] = self.env["res.currency"]._get_conversion_rate(*key)
                result[line.id] = cost * rates[key]
        return result

    def _o2c_pricing_measures(self):
        """Return ``{line id: dict}`` with how each line departs from its pricelist.

        Keys: ``reference`` (pricelist unit price), ``discount`` (% beyond the
        pricelist's own discount), ``override`` (% of the unit price below the
        pricelist price), ``reduction`` (% of the net price below the pricelist
        net price), ``value`` (value given away against the pricelist, order
        currency), ``margin`` (% of the untaxed amount, ``None`` without cost).
        """
        by_order = self._o2c_pricing_by_order()
        references = self._o2c_pricing_reference(by_order)
        costs = self._o2c_pricing_unit_costs(by_order)
        result = {}
        for line in self:
            ref_price, ref_discount = references[line.id]
            price_unit, discount, qty = line.price_unit, line.discount or 0.0, line.product_uom_qty
            net = price_unit * (1.0 - discount / 100.0)
            ref_net = ref_price * (1.0 - ref_discount / 100.0)
            margin = None
            if line.id in costs and qty:
                cost = costs[line.id] * qty
                subtotal = line.price_subtotal
                margin = (subtotal - cost) / subtotal * 100.0 if subtotal > 0 else -100.0
            result[line.id] = {
                "reference": ref_price,
                "discount": max(0.0, discount - ref_discount),
                "override": max(0.0, (ref_price - price_unit) / ref_price * 100.0)
                if ref_price > 0
                else 0.0,
                "reduction": max(0.0, (ref_net - net) / ref_net * 100.0) if ref_net > 0 else 0.0,
                "value": max(0.0, ref_net - net) * qty,
                "margin": margin,
            }
        return result


#: Odoo's pricing methods the reference price computes itself (see :class:`_Rules`),
#: by model: when an installed addon overrides one, Odoo's own methods are called
ODOO_PRICING = {
    "product.pricelist": ("_get_applicable_rules",),
    "product.pricelist.item": (
        "_is_applicable_for",
        "_compute_price",
        "_compute_base_price",
        "_compute_price_before_discount",
    ),
    "product.product": ("_price_compute", "_get_attributes_extra_price"),
    "product.template": ("_price_compute",),
}


def _pricing_is_odoo_only(env):
    """Whether Odoo's pricing methods are those of its ``product`` module (no addon
    changes how a price is computed), so that :class:`_Rules` gives Odoo's price."""
    return all(
        getattr(type(env[model]), name).__module__.startswith("odoo.addons.product.")
        for model, names in ODOO_PRICING.items()
        for name in names
    )


def _template_currencies(templates, company, with_sales=True):
    """``{template id: (sales price currency, cost currency)}`` in ``company``
    (without ``with_sales``: ``(None, cost currency)``).

    What ``product.template``'s ``_compute_currency_id`` and
    ``_compute_cost_currency_id`` give: the template's company's currency, else
    the main company's (sales price) or ``company``'s (cost). Read from the
    templates' companies here: computing both fields computes them for every
    template the lines prefetch, with a ``sudo()`` environment per template.
    When an addon computes them its own way, its fields are read.
    """
    Template = type(templates.env["product.template"])
    if not all(
        getattr(Template, name).__module__.startswith("odoo.addons.product.")
        for name in ("_compute_currency_id", "_compute_cost_currency_id")
    ):
        return {
            t.id: (t.currency_id if with_sales else None, t.with_company(company).cost_currency_id)
            for t in templates
        }
    # read as superuser (no access check on the companies), returned in the
    # caller's environment as the fields would be
    by_company = defaultdict(list)  # the templates' company (mostly none): template ids
    for template in templates.sudo():
        by_company[template.company_id].append(template.id)
    Currency = templates.env["res.currency"]
    result = {}
    for own_company, template_ids in by_company.items():
        own = own_company.currency_id.id
        sales = None
        if with_sales:  # the main company is looked up (a query) for templates without one
            sales = Currency.browse(
                own or templates.env["res.company"]._get_main_company().currency_id.id
            )
        cost = Currency.browse(own or company.sudo().currency_id.id)
        result.update(dict.fromkeys(template_ids, (sales, cost)))
    return result


class _Rules:
    """The applicable rules of one pricelist at one date, and their prices.

    One query fetches the rules (Odoo's own domain, see
    ``product.pricelist._get_applicable_rules_domain``); a rule is matched as
    ``product.pricelist.item._is_applicable_for`` does and its price computed as
    ``_compute_price`` / ``_compute_base_price`` / ``product.product._price_compute``
    do for the rules they handle without another pricelist (:meth:`is_simple`).
    What a rule or a product reads is read once (``terms``, ``matchers``,
    ``catalog``): no field access per line.
    """

    #: ``terms`` of no rule: the sales price
    NO_RULE = (False, 0.0, 0.0, "list_price")

    def __init__(self, products, pricelist, date):
        Item = products.env["product.pricelist.item"]
        self.empty = Item
        self.rules = Item
        # an addon overriding a pricing method: its rules, matching and prices
        self.odoo_only = _pricing_is_odoo_only(products.env)
        if pricelist and not self.odoo_only:
            self.rules = pricelist._get_applicable_rules(products, date)
        elif pricelist:
            # archived rules too, as ``_get_applicable_rules`` (an archived
            # pricelist's rules are archived with it)
            domain = pricelist._get_applicable_rules_domain(products=products, date=date)
            self.rules = (
                Item.with_context(active_test=False)
                .search_fetch(domain, RULE_FIELDS)
                .with_env(Item.env)
            )
        self.terms = {
            rule: (
                rule.compute_price,
                rule.fixed_price,
                rule.percent_price,
                rule.base or "list_price",
            )
            for rule in self.rules
        }
        self.matchers = [
            (
                rule,
                rule.min_quantity,
                rule.applied_on,
                rule.categ_id,
                rule.product_tmpl_id.id,
                rule.product_id.id,
            )
            for rule in self.rules
        ]
        self.shown = {}
        self.catalog = {}  # product id: (template, unit, sales price, extra price)
        self.templates = products.product_tmpl_id
        self.currencies = {}  # company: {template id: (sales, cost currency)}

    def first(self, product, qty):
        """The first rule that applies to ``product`` at ``qty`` (product unit)."""
        if not self.odoo_only:
            return next((r for r in self.rules if r._is_applicable_for(product, qty)), self.empty)
        for rule, min_qty, applied_on, categ, tmpl_id, product_id in self.matchers:
            if min_qty and qty < min_qty:
                continue
            if applied_on == "2_product_category":
                if product.categ_id != categ and not product.categ_id.parent_path.startswith(
                    categ.parent_path
                ):
                    continue
            elif applied_on == "1_product" and product.product_tmpl_id.id != tmpl_id:
                continue
            elif applied_on == "0_product_variant" and product.id != product_id:
                continue
            return rule
        return self.empty

    def show_discount(self, rule):
        if rule not in self.shown:
            self.shown[rule] = rule._show_discount()
        return self.shown[rule]

    def is_simple(self, rule):
        """Whether :meth:`price` computes this rule (else Odoo's ``_compute_price``)."""
        if not self.odoo_only:
            return False
        compute, __, __, base = self.terms[rule] if rule else self.NO_RULE
        return (
            not rule
            or compute == "fixed"
            or (compute == "percentage" and base in ("list_price", "standard_price"))
        )

    def product_unit(self, product):
        """The product's unit (the template's: the variant's is a related field)."""
        return self._product(product)[1]

    def price(self, rule, product, quantity, uom, date, currency):
        """``_compute_price`` of a simple rule (or none)."""
        compute, fixed_price, percent_price, __ = self.terms[rule] if rule else self.NO_RULE
        if compute == "fixed":
            product_uom = self.product_unit(product)
            if product_uom != uom:
                return product_uom._compute_price(fixed_price, uom)
            return fixed_price
        base_price = self.base_price(rule, product, quantity, uom, date, currency)
        if compute == "percentage":
            return (base_price - (base_price * (percent_price / 100))) or 0.0
        return base_price

    def base_price(self, rule, product, quantity, uom, date, currency):
        """``_compute_base_price`` of a rule based on the sales price or the cost."""
        company = product.env.company
        template, product_uom, list_price, extra = self._product(product)
        sales_currency, cost_currency = self._currencies(template, company)
        if (self.terms[rule] if rule else self.NO_RULE)[3] == "standard_price":
            src_currency = cost_currency
            price = product.with_company(company).sudo().standard_price or 0.0
        else:
            src_currency = sales_currency
            # as ``_price_compute`` adds them: the sales price, then the extras
            price = list_price + (
                extra + product.env.context.get("no_variant_attributes_price_extra", 0)
            )
        if uom and product_uom != uom:
            price = product_uom._compute_price(price, uom)
        if src_currency != currency:
            price = src_currency._convert(price, currency, company, date, round=False)
        return price

    def _currencies(self, template, company):
        """``(sales price currency, cost currency)`` of ``template`` in ``company``
        (those of the products' templates are read at once)."""
        if company not in self.currencies:
            self.currencies[company] = _template_currencies(self.templates, company)
        if template.id not in self.currencies[company]:
            self.currencies[company].update(_template_currencies(template, company))
        return self.currencies[company][template.id]

    def _product(self, product):
        """``(template, unit, sales price, the variant's attribute extra prices)``.

        ``price_extra`` (the sum of the extra prices of the variant's attribute
        values) is computed for the variants with attribute values only: the
        others' is 0. Whether a variant has any is in a column of its own row
        (``combination_indices``, stored from them), without reading the
        relation or computing the field for every product the lines prefetch.
        """
        if product.id not in self.catalog:
            template = product.product_tmpl_id
            extra = (
                product.with_prefetch([product.id]).price_extra
                if product.combination_indices
                else 0.0
            )
            self.catalog[product.id] = (
                template,
                template.uom_id,
                template.list_price or 0.0,
                extra,
            )
        return self.catalog[product.id]
