# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception import HOLDING_STATES, LIVE_STATES, STATES
from odoo.addons.o2c_exception_base.models.sale_order import QUOTATION_STATES
from odoo.exceptions import UserError
from odoo.tools import format_amount

from .o2c_pricing_policy import _over
from .sale_order_line import PRICING_FIELDS

CODE = "discount_approval"
#: products named in the "not checked for margin" note
MAX_NAMES = 10
#: order states in which the pricing is still checked


class SaleOrder(models.Model):
    _inherit = "sale.order"

    #: who changed the pricing of the quotation: written by the line and order hooks only
    _o2c_governed_fields = ("o2c_pricing_editor_ids",)

    # ------------------------------------------------------------ FIELDS
    o2c_pricing_editor_ids = fields.Many2many(
        "res.users",
        "o2c_sale_order_pricing_editor_rel",
        "order_id",
        "user_id",
        string="Pricing Changed By",
        readonly=True,
        copy=False,
        help="Users other than its creator who changed the customer, the pricelist or "
        "the lines' products, quantities, prices or discounts of this quotation: "
        "they may not approve its exceptions (segregation of duties).",
    )
    o2c_pricing_key = fields.Char(
        string="Pricing Snapshot",
        compute="_compute_o2c_pricing_key",
        help="Fingerprint of the customer, the pricelist and the lines' products, "
        "units, quantities, prices and discounts: a pricing approval is bound to it.",
    )
    o2c_pricing_exception_id = fields.Many2one(
        "o2c.exception",
        string="Pricing Approval",
        compute="_compute_o2c_pricing_exception",
        compute_sudo=True,
    )
    o2c_pricing_can_approve = fields.Boolean(
        string="I Can Approve the Pricing",
        compute="_compute_o2c_pricing_exception",
        compute_sudo=True,
    )
    o2c_pricing_state = fields.Selection(
        STATES,
        string="Pricing Approval Status",
        compute="_compute_o2c_pricing_exception",
        compute_sudo=True,
    )
    o2c_pricing_details = fields.Html(
        string="Pricing Issues", compute="_compute_o2c_pricing_exception", compute_sudo=True
    )
    o2c_pricing_approver_group_id = fields.Many2one(
        "res.groups",
        string="Pricing Approver",
        compute="_compute_o2c_pricing_exception",
        compute_sudo=True,
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("partner_id", "pricelist_id", *(f"order_line.{fname}" for fname in PRICING_FIELDS))
    def _compute_o2c_pricing_key(self):
        for order in self:
            lines = order.order_line._o2c_pricing_filter()
            values = [
                order.partner_id.commercial_partner_id.id,
                order.pricelist_id.id,
                sorted(
                    (
                        line.product_id.id,
                        line.product_uom.id,
                        line.product_uom_qty,
                        line.price_unit,
                        line.discount,
                    )
                    for line in lines
                ),
            ]
            order.o2c_pricing_key = hashlib.sha1(json.dumps(values).encode()).hexdigest()

    @api.depends_context("uid")
    @api.depends(
        "o2c_exception_ids.state",
        "o2c_exception_ids.details",
        "o2c_exception_ids.approver_group_id",
    )
    def _compute_o2c_pricing_exception(self):
        excs = self.env["o2c.exception"].search(
            self._o2c_exception_domain(LIVE_STATES, [CODE]),
            order="id",
        )
        by_order = {exc.res_id: exc for exc in excs}
        for order in self:
            exc = by_order.get(order.id, excs.browse())
            order.o2c_pricing_exception_id = exc
            order.o2c_pricing_can_approve = bool(exc) and exc.can_approve
            order.o2c_pricing_state = exc.state
            order.o2c_pricing_details = exc.details
            order.o2c_pricing_approver_group_id = exc.approver_group_id

    # -------------------------------------------------------------- CRUD
    def write(self, vals):
        res = super().write(vals)
        if {"partner_id", "pricelist_id"}.intersection(vals):
            self._o2c_pricing_note_editor()
        return res

    # ------------------------------------------------------------ ACTION
    def action_quotation_send(self):
        """Hold the quotation before the mail composer opens, if the policy says so."""
        return self._o2c_hold_or_proceed(
            lambda orders: super(SaleOrder, orders).action_quotation_send(), "send"
        )

    def action_quotation_sent(self):
        return self._o2c_hold_or_proceed(
            lambda orders: super(SaleOrder, orders).action_quotation_sent(), "send"
        )

    def action_o2c_pricing_request_approval(self):
        """Check the pricing now and ask the approvers of the required tier."""
        self._o2c_check_pricing()
        excs = (
            self.env["o2c.exception"].sudo().search(self._o2c_exception_domain(("open",), [CODE]))
        )
        if not excs:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._("The pricing is within policy: no approval needed."),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        excs.action_notify_approvers()
        excs._log_on_documents(
            lambda e: Markup("%s: %s")
            % (e.name, self.env._("approval requested by %s", self.env.user.name))
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Approval requested"),
                "message": "\n".join(excs.mapped("name")),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_o2c_pricing_decide(self):
        """Open the decision wizard on the pricing exception of this order."""
        self.ensure_one()
        exc = self.o2c_pricing_exception_id
        if not exc:
            raise UserError(self.env._("This order has no pricing approval to decide."))
        return exc.with_env(self.env).action_open_decision_wizard()

    # ---------------------------------------------------------- BUSINESS
    def _o2c_key_fields_by_code(self):
        # the pricing key is computed: what it depends on is watched with it
        return {**super()._o2c_key_fields_by_code(), CODE: ("o2c_pricing_key",)}

    def _o2c_conflict_users(self):
        # whoever gave the discount may not approve it, even before it was checked
        users = super()._o2c_conflict_users() | self.o2c_pricing_editor_ids
        return users.filtered(lambda u: u.id != SUPERUSER_ID)

    def _o2c_pricing_note_editor(self):
        """The current user changed the pricing of these quotations: remember who (SoD).

        The creator is a conflict user anyway; nothing is written for them, so the
        usual path (a salesperson editing their own quotation) costs no write.
        """
        user = self.env.user
        if user.id == SUPERUSER_ID:
            return
        todo = self.filtered(
            lambda o: o.state in QUOTATION_STATES
            and o.create_uid != user
            and user not in o.o2c_pricing_editor_ids
        )
        if todo:
            todo.sudo()._o2c_owned_write({"o2c_pricing_editor_ids": [Command.link(user.id)]})

    def _o2c_state_actions(self):
        # marking a quotation sent is the "send" action, checked like the button
        return {**super()._o2c_state_actions(), "sent": "send"}

    def _o2c_held_for(self, action):
        if action == "send":
            # only the pricing of quotations checked before sending holds the send
            return self._o2c_pricing_send_held()
        return super()._o2c_held_for(action)

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "confirm":
            self._o2c_check_pricing()
        elif action == "send":
            self._o2c_pricing_send_orders()._o2c_check_pricing()
        return res

    def _o2c_check_pricing(self):
        """Raise, refresh or resolve the pricing exception of each quotation.

        One pass over all the lines of all the orders: policies, pricelist
        prices and costs are looked up in batch.
        """
        orders = self.filtered(lambda o: o.state in QUOTATION_STATES)
        if not orders:
            return
        lines = orders.order_line._o2c_pricing_filter()
        policies = self.env["o2c.pricing.policy"]._get_line_policies(lines)
        lines = lines.filtered(lambda line: line.id in policies)
        measures = lines._o2c_pricing_measures()
        findings = self.env["o2c.pricing.policy"]._evaluate(orders, lines, policies, measures)
        held = orders.filtered(lambda o: findings[o.id]["lines"] or findings[o.id]["order"])
        if held:
            values, reroute = held._o2c_pricing_exception_values(findings)
            for order in held.filtered(lambda o: values.get(o.id)):
                values[order.id].update(
                    order._o2c_pricing_breach(findings[order.id], policies, measures)
                )
            self._o2c_pricing_reroute(reroute)
            held._o2c_raise_exceptions(CODE, values)
        (orders - held)._o2c_resolve_exceptions(
            [CODE], self.env._("The pricing is back within the pricing policy.")
        )

    def _o2c_pricing_exception_values(self, findings):
        """Return ``({order id: exception values}, {group: exceptions to reroute})``.

        The route of an exception approved for the current pricing is kept.
        """
        types = self.env["o2c.exception.type"]._get_by_code([CODE], self.company_id)
        live = (
            self.env["o2c.exception"].sudo().search(self._o2c_exception_domain(LIVE_STATES, [CODE]))
        )
        # exceptions raised by admin-defined rules of the same type are not ours
        existing = {e.res_id: e for e in live if not e.rule_id}
        approved = [e for e in existing.values() if e.state == "approved"]
        hashes = self._o2c_key_hashes(CODE) if approved else {}
        unchanged = {e.res_id for e in approved if e.key_hash == hashes.get(e.res_id)}
        result, reroute = {}, {}
        for order in self:
            if order.id in unchanged:
                result[order.id] = {}  # stays approved: keep the route it was decided on
                continue
            found = findings[order.id]
            etype = types.get((CODE, order.company_id.id))
            if found["tier"]:
                group = found["tier"].approver_group_id
            elif etype:
                group = etype.approver_group_id
            else:  # the engine raises a clear error for the missing type
                result[order.id] = {}
                continue
            count = len(found["lines"])
            result[order.id] = {
                "name": self.env._(
                    "Pricing outside policy: %(count)s line(s), approval by %(group)s",
                    count=count,
                    group=group.full_name,
                )
                if count
                else self.env._(
                    "Pricing outside policy: order discount value, approval by %s",
                    group.full_name,
                ),
                "details": order._o2c_pricing_details(found),
                "amount": order.currency_id.round(found["value"]),
            }
            exc = existing.get(order.id)
            if not exc:
                result[order.id]["approver_group_id"] = group.id
            elif exc.approver_group_id != group:
                reroute[group] = reroute.get(group, exc.browse()) | exc
        return result, reroute

    def _o2c_pricing_breach(self, found, policies, measures):
        """What the policy-gap advisor reads on this order's pricing exception: the
        worst breach (measure, limit, policy field, product).

        The line furthest beyond one of its policy's percentage limits (in points:
        discount, price override, margin floor); the value given away on the
        order, in company currency, only when no line breaks a limit.
        """
        self.ensure_one()
        worst = None  # (excess, field, measure, limit, policy, product)
        for line, measure, __ in found["lines"]:
            for breach in _line_breaches(policies[line.id], measure):
                if worst is None or breach[0] > worst[0]:
                    worst = (*breach, policies[line.id], line.product_id)
        if worst is None:
            worst = self._o2c_pricing_order_breach(policies, measures)
        if worst is None:
            return {}
        __, fname, value, limit, policy, product = worst
        return {
            "o2c_measure": value,
            "o2c_threshold": limit,
            "o2c_policy_ref": f"{policy._name},{policy.id},{fname}",
            "o2c_policy_label": self.env._(
                "%(policy)s: %(limit)s",
                policy=policy.name,
                limit=policy._fields[fname].get_description(self.env)["string"],
            ),
            "product_id": product.id,
        }

    def _o2c_pricing_order_breach(self, policies, measures):
        """The policy whose limit of value given away on the order is exceeded the
        most, as a breach (see :meth:`_o2c_pricing_breach`), or ``None``."""
        company = self.company_id
        values = {}
        for line in self.order_line:
            if line.id in policies and policies[line.id].max_order_discount:
                values[policies[line.id]] = (
                    values.get(policies[line.id], 0.0) + (measures[line.id]["value"])
                )
        worst = None
        for policy, value in values.items():
            value = self.currency_id._convert(value, company.currency_id, company, self.date_order)
            excess = value - policy.max_order_discount
            if excess > 0 and (worst is None or excess > worst[0]):
                worst = (excess, "max_order_discount", value, policy.max_order_discount, policy)
        return worst and (*worst, self.env["product.product"])

    def _o2c_pricing_reroute(self, reroute):
        """The required tier changed (e.g. a bigger discount): hand over to its group.

        Approvers of the former tier who were asked lose their activity; those of
        the new tier are asked instead.
        """
        activity_type = self.env.ref("o2c_exception_base.mail_activity_type_o2c_approval")
        for group, excs in reroute.items():
            # not activity_unlink(): it only removes "automated" activities
            asked = excs.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            excs._o2c_owned_write({"approver_group_id": group.id})
            excs._message_log_batch(
                bodies=dict.fromkeys(
                    excs.ids,
                    Markup("%s")
                    % self.env._("Approval tier changed: now approved by %s", group.full_name),
                )
            )
            if asked:
                asked_excs = excs.browse(set(asked.mapped("res_id")))
                asked.unlink()
                asked_excs.action_notify_approvers()

    def _o2c_pricing_details(self, found):
        """HTML listing the offending lines, the order-level issues and skipped lines."""
        self.ensure_one()
        currency = self.currency_id
        rows = Markup("").join(
            Markup(
                '<tr><td>%s</td><td class="text-end">%s</td><td class="text-end">%s</td>'
                '<td class="text-end">%s</td><td class="text-end">%.2f</td>'
                '<td class="text-end">%s</td><td>%s</td></tr>'
            )
            % (
                line.product_id.display_name,
                line.product_uom_qty,
                format_amount(self.env, line.price_unit, currency),
                format_amount(self.env, measure["reference"], currency),
                line.discount,
                "" if measure["margin"] is None else f"{measure['margin']:.2f}",
                "; ".join(reasons),
            )
            for line, measure, reasons in found["lines"]
        )
        parts = []
        if rows:
            parts.append(
                Markup(
                    '<table class="table table-sm"><thead><tr><th>%s</th><th>%s</th><th>%s</th>'
                    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody>"
                    "</table>"
                )
                % (
                    self.env._("Product"),
                    self.env._("Quantity"),
                    self.env._("Unit Price"),
                    self.env._("Pricelist Price"),
                    self.env._("Discount (%)"),
                    self.env._("Margin (%)"),
                    self.env._("Outside policy"),
                    rows,
                )
            )
        for reason in found["order"]:
            parts.append(Markup("<p>%s</p>") % reason)
        parts.append(
            Markup("<p>%s</p>")
            % self.env._(
                "Total value given away against the pricelist: %s",
                format_amount(self.env, found["value"], currency),
            )
        )
        if found["no_cost"]:
            names = sorted({line.product_id.display_name for line in found["no_cost"]})
            listed = ", ".join(names[:MAX_NAMES])
            if len(names) > MAX_NAMES:
                # its own call: a translation call inside another one's
                # arguments is not extracted into the template
                listed = self.env._(
                    "%(names)s and %(count)s more", names=listed, count=len(names) - MAX_NAMES
                )
            parts.append(
                Markup("<p><em>%s</em></p>")
                % self.env._("Not checked for margin (no product cost): %s", listed)
            )
        # an unchanged check writes nothing: the engine compares as the field stores it
        return Markup("").join(parts)

    def _o2c_pricing_send_orders(self):
        """Quotations governed by a policy that checks them before sending."""
        quotes = self.filtered(lambda o: o.state in QUOTATION_STATES)
        lines = quotes.order_line._o2c_pricing_filter()
        policies = self.env["o2c.pricing.policy"]._get_line_policies(lines)
        return lines.filtered(
            lambda line: policies[line.id].check_on_send if line.id in policies else False
        ).order_id

    def _o2c_pricing_send_held(self):
        """Quotations checked before sending whose pricing exception holds them."""
        orders = self._o2c_pricing_send_orders()
        if not orders:
            return orders
        excs = (
            self.env["o2c.exception"]
            .sudo()
            .search(
                [
                    *orders._o2c_exception_domain(HOLDING_STATES, [CODE]),
                    ("blocking", "=", True),
                ]
            )
        )
        return orders.browse(set(excs.mapped("res_id")))


def _line_breaches(policy, measure):
    """``[(excess in points, field, measure, limit)]``: the percentage limits of
    ``policy`` the line of ``measure`` breaks (as ``_line_reasons`` judges them)."""
    breaches = []
    for fname, key in (("max_discount", "discount"), ("max_price_override", "override")):
        if _over(measure[key], policy[fname]):
            breaches.append((measure[key] - policy[fname], fname, measure[key], policy[fname]))
    margin = measure["margin"]
    if policy.check_margin and margin is not None and _over(policy.min_margin, margin):
        breaches.append((policy.min_margin - margin, "min_margin", margin, policy.min_margin))
    return breaches
