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

    def _o2c_pricing_reference(self):
        """Return ``{line id: (unit price, discount %)}`` the pricelist gives each line.

        The same result as Odoo's ``_get_display_price`` / ``_compute_discount``,
        but the pricelist rules are fetched once per pricelist and date instead of
        once per line, the price is computed once per distinct product, quantity,
        unit and currency (lines repeating a product at one quantity share it) and
        whether a rule shows its discount is asked once per rule.
        """
        Item = self.env["product.pricelist.item"]
        precision = self.env["decimal.precision"].precision_get("Product Price")
        groups = defaultdict(list)
        for line in self:
            key = (line.company_id, line.order_id.pricelist_id, line._get_order_date())
            groups[key].append(line.id)
        result, show_discount = {}, {}
        for (company, pricelist, date), line_ids in groups.items():
            # prefetch over every group: one read per field for all the lines
            lines = self.browse(line_ids).with_prefetch(self._prefetch_ids).with_company(company)
            rules = pricelist._get_applicable_rules(lines.product_id, date) if pricelist else Item
            prices = {}  # (product, price context, quantity, unit, currency, fiscal position)
            for line in lines:
                product, extras = line.product_id, ()
                if line.product_no_variant_attribute_value_ids:  # their extra prices
                    price_context = line._get_product_price_context()
                    if price_context:
                        product = product.with_context(**price_context)
                        extras = tuple(sorted(price_context.items()))
                uom = line.product_uom or product.uom_id
                qty = line.product_uom_qty or 1.0
                fiscal_position = line.order_id.fiscal_position_id
                key = (product.id, extras, qty, uom.id, line.currency_id.id, fiscal_position.id)
                if key not in prices:
                    display, discount = self._o2c_pricing_rule_price(
                        rules, show_discount, product, qty, uom, date, line.currency_id
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

    @api.model
    def _o2c_pricing_rule_price(self, rules, show_discount, product, qty, uom, date, currency):
        """Return ``(unit price, discount %)`` of the first of ``rules`` that applies.

        ``show_discount`` caches per rule whether it shows its discount.
        """
        product_uom = product.uom_id
        qty_product_uom = (
            uom._compute_quantity(qty, product_uom, raise_if_failure=False)
            if uom != product_uom
            else qty
        )
        rule = next(
            (r for r in rules if r._is_applicable_for(product, qty_product_uom)),
            self.env["product.pricelist.item"],
        )
        args = {"product": product, "quantity": qty, "uom": uom, "date": date, "currency": currency}
        price = rule._compute_price(**args)
        display, discount = price, 0.0
        if rule not in show_discount:
            show_discount[rule] = rule._show_discount()
        if show_discount[rule]:
            base = rule._compute_price_before_discount(**args)
            display = max(base, price)
            if base > 0 and base > price:
                discount = (base - price) / base * 100.0
        return display, discount

    def _o2c_pricing_unit_costs(self):
        """Return ``{line id: cost of one line unit in the order currency}``.

        The cost is the product's cost (``standard_price``) of the order's company;
        lines whose product has no cost are left out. One conversion rate per
        currency pair and date.
        """
        result, rates, costs = {}, {}, {}
        for line in self:
            company = line.company_id or self.env.company
            if company not in costs:  # one read of the costs per company
                products = self.product_id.with_company(company).sudo()
                costs[company] = {  # template fields: not related fields computed per variant
                    p.id: (
                        p.standard_price,
                        p.product_tmpl_id.uom_id,
                        p.product_tmpl_id.cost_currency_id,
                    )
                    for p in products
                }
            cost, product_uom, cost_currency = costs[company][line.product_id.id]
            if not cost:
                continue
            if line.product_uom and line.product_uom != product_uom:
                cost = product_uom._compute_price(cost, line.product_uom)
            key = (cost_currency, line.currency_id, company, line.order_id.date_order)
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
        references = self._o2c_pricing_reference()
        costs = self._o2c_pricing_unit_costs()
        result = {}
        for line in self:
            ref_price, ref_discount = references[line.id]
            net = line.price_unit * (1.0 - (line.discount or 0.0) / 100.0)
            ref_net = ref_price * (1.0 - ref_discount / 100.0)
            margin = None
            if line.id in costs and line.product_uom_qty:
                cost = costs[line.id] * line.product_uom_qty
                subtotal = line.price_subtotal
                margin = (subtotal - cost) / subtotal * 100.0 if subtotal > 0 else -100.0
            result[line.id] = {
                "reference": ref_price,
                "discount": max(0.0, (line.discount or 0.0) - ref_discount),
                "override": max(0.0, (ref_price - line.price_unit) / ref_price * 100.0)
                if ref_price > 0
                else 0.0,
                "reduction": max(0.0, (ref_net - net) / ref_net * 100.0) if ref_net > 0 else 0.0,
                "value": max(0.0, ref_net - net) * line.product_uom_qty,
                "margin": margin,
            }
        return result
