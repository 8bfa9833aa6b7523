# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.addons.o2c_exception_base.governance import governed_write_allowed, owning_action
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..governance import (
    backorder_resolution,
    completing_transfers,
    is_cancelling_orders,
    is_completing_transfers,
)
from ..tools import fmt_amount, fmt_qty, html_table, live_domain, mail_composer_action
from .o2c_exception import SHORT_PICK, SPLIT_SHIPMENT, SUBSTITUTION

#: how the customer's consent reached us: the portal, or staff recording it
CONSENT_CHANNELS = [
    ("portal", "Customer portal"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("in_person", "In person"),
]
#: the consent fields: cleared together when the substitution they agreed to changes
CONSENT_FIELDS = (
    "o2c_consent_date",
    "o2c_consent_contact",
    "o2c_consent_user_id",
    "o2c_consent_note",
    "o2c_consent_channel",
)
#: the short pick's reason, chosen before the validation: evidence once it is done
SHORT_PICK_FIELDS = ("o2c_short_reason_id", "o2c_short_note")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    _o2c_resume_methods = {
        "validate": "button_validate",
        "validate_backorder": "_o2c_validate_with_backorder",
        "validate_close": "_o2c_validate_closing",
        "split": "action_split_transfer",
    }

    #: the customer's consent (consent wizard) and the reason a customer backorder
    #: was cancelled (action_cancel with a validated reason) are evidence
    _o2c_governed_fields = (
        "o2c_consent_date",
        "o2c_consent_contact",
        "o2c_consent_user_id",
        "o2c_consent_note",
        "o2c_consent_channel",
        "o2c_cancel_reason_id",
        "o2c_cancel_note",
    )

    # ------------------------------------------------------------ FIELDS
    o2c_short_reason_id = fields.Many2one(
        "o2c.reason.code",
        string="Short Pick Reason",
        domain=[("usage", "=", "short_pick")],
        copy=False,
        tracking=True,
        help="Required to validate a delivery with less than ordered and no backorder.",
    )
    o2c_short_note = fields.Text(string="Short Pick Note", copy=False)
    o2c_cancel_reason_id = fields.Many2one(
        "o2c.reason.code",
        string="Cancellation Reason",
        copy=False,
        readonly=True,
        tracking=True,
    )
    o2c_cancel_note = fields.Text(string="Cancellation Note", copy=False, readonly=True)
    o2c_is_customer_backorder = fields.Boolean(
        string="Open Customer Backorder", compute="_compute_o2c_is_customer_backorder"
    )
    o2c_consent_required = fields.Boolean(
        related="partner_id.commercial_partner_id.o2c_substitution_consent_required",
        string="Consent Required",
    )
    o2c_consent_date = fields.Datetime(
        string="Consent Date", copy=False, readonly=True, tracking=True
    )
    o2c_consent_contact = fields.Char(string="Consent Given By", copy=False, readonly=True)
    o2c_consent_user_id = fields.Many2one(
        "res.users", string="Consent Recorded By", copy=False, readonly=True
    )
    o2c_consent_note = fields.Text(string="Consent Note", copy=False, readonly=True)
    o2c_consent_channel = fields.Selection(
        CONSENT_CHANNELS,
        string="Consent Given Through",
        copy=False,
        readonly=True,
        tracking=True,
    )
    o2c_substitution_ids = fields.One2many(
        "o2c.substitution", "picking_id", string="Delivered Substitutions"
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("backorder_id", "picking_type_code", "sale_id", "state")
    def _compute_o2c_is_customer_backorder(self):
        for picking in self:
            picking.o2c_is_customer_backorder = bool(
                picking.backorder_id
                and picking.sale_id
                and picking.picking_type_code == "outgoing"
                and picking.state not in ("done", "cancel")
            )

    # -------------------------------------------------------------- CRUD
    def write(self, vals):
        if set(SHORT_PICK_FIELDS).intersection(vals) and not governed_write_allowed(self._name):
            done = self.filtered(lambda p: p.state == "done")
            if any(
                done._o2c_value_differs(p, f, vals[f])
                for p in done
                for f in SHORT_PICK_FIELDS
                if f in vals
            ):
                raise UserError(
                    self.env._(
                        "The short pick reason of a done transfer (%s) is part of the audit "
                        "trail: it cannot be changed.",
                        ", ".join(done.mapped("name")),
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------ ACTION
    def action_o2c_record_consent(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Consent"),
            "res_model": "o2c.consent.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }

    def action_o2c_request_consent(self):
        """Ask the customer by email to accept or decline the substitution on the
        portal (the order's link carries its access token)."""
        self.ensure_one()
        if not self._o2c_portal_consent_pending():
            raise UserError(self.env._("There is no substitution waiting for the customer."))
        template = self.env.ref("o2c_fulfillment.mail_template_o2c_substitution_consent")
        return mail_composer_action(self, template, self.env._("Ask the customer"))

    # ------------------------------------------------------------ PORTAL
    def _o2c_portal_consent_pending(self):
        """The open substitution exception the customer is asked to consent to."""
        self.ensure_one()
        if not self.o2c_consent_required or self.o2c_consent_date:
            return self.env["o2c.exception"]
        return (
            self.env["o2c.exception"]
            .sudo()
            .search(self._o2c_exception_domain(("open",), [SUBSTITUTION]), limit=1)
        )

    def _o2c_portal_consent(self, contact, accept, origin=None):
        """The customer's ``contact`` answers the proposed substitution on the portal
        (from the address ``origin``): accepted, the consent is recorded (approvers
        may then decide); declined, the exception's responsible is asked to change
        the delivery."""
        self.ensure_one()
        exc = self._o2c_portal_consent_pending()
        if not exc:
            raise UserError(self.env._("There is no substitution waiting for your answer."))
        where = self.env._("on the portal from %s", origin or self.env._("an unknown address"))
        if accept:
            self._o2c_owned_write(
                {
                    "o2c_consent_date": fields.Datetime.now(),
                    "o2c_consent_contact": contact.name,
                    "o2c_consent_user_id": self.env.uid,
                    "o2c_consent_note": self.env._(
                        "Accepted %(where)s: %(what)s", where=where, what=exc.name
                    ),
                    "o2c_consent_channel": "portal",
                }
            )
            body = self.env._("%(contact)s accepted the substitution %(where)s: %(what)s")
        else:
            body = self.env._("%(contact)s declined the substitution %(where)s: %(what)s")
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Substitution declined by the customer"),
                note=exc.name,
                user_id=(exc.responsible_id or self.user_id or self.env.ref("base.user_root")).id,
            )
        message = body % {"contact": contact.name, "where": where, "what": exc.name}
        self._message_log(body=message)
        exc._message_log(body=message)
        return exc

    def action_o2c_cancel_backorder(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Backorder"),
            "res_model": "o2c.backorder.cancel.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_ids": self.ids},
        }

    def action_cancel(self):
        """Cancelling a customer backorder needs a reason; it settles the backorder.

        The reason comes from the Cancel Backorder wizard (context keys
        ``o2c_cancel_reason_id`` / ``o2c_cancel_note``: user input, validated
        here like the wizard's fields). Only the cancellation of the sales order
        itself cancels its backorders without one.
        """
        ctx = self.env.context
        backorders = self.filtered("o2c_is_customer_backorder")
        reason_id = ctx.get("o2c_cancel_reason_id")
        reason = self.env["o2c.reason.code"].browse(
            reason_id if isinstance(reason_id, int) and not isinstance(reason_id, bool) else []
        )
        note = ctx.get("o2c_cancel_note")
        note = note if isinstance(note, str) else False
        order_cancel = is_cancelling_orders()
        if reason_id and not reason:
            raise UserError(
                self.env._(
                    "%s is not a valid cancellation reason (field Cancellation Reason).",
                    reason_id,
                )
            )
        if backorders and not reason and not order_cancel:
            raise UserError(
                self.env._(
                    "Cancelling backorder %s needs a reason: use Cancel Backorder "
                    "(field Cancellation Reason).",
                    ", ".join(backorders.mapped("name")),
                )
            )
        if reason:
            reason._o2c_validate(
                "backorder_cancel",
                note,
                self.env._("Cancellation Reason"),
                self.env._("Cancellation Note"),
            )
        orders = self.filtered(lambda p: p.picking_type_code == "outgoing").sale_id
        res = super().action_cancel()
        if backorders and reason:
            backorders._o2c_owned_write(
                {"o2c_cancel_reason_id": reason.id, "o2c_cancel_note": note}
            )
        if orders and not order_cancel:
            text = self.env._(
                "Backorder %(names)s cancelled: %(reason)s",
                names=", ".join(backorders.mapped("name")) or "-",
                reason=" - ".join(filter(None, [reason.name, note])),
            )
            with backorder_resolution(text):
                orders._o2c_run_checks("backorder")
        return res

    def action_split_transfer(self):
        """Splitting a delivery by hand is a split shipment: the policy checks it first."""
        return self._o2c_hold_or_proceed(
            lambda pickings: super(StockPicking, pickings).action_split_transfer(), "split"
        )

    def _o2c_resume_labels(self):
        labels = super()._o2c_resume_labels()
        validated = labels["validate"]
        return {
            **labels,
            "validate_backorder": validated,
            "validate_close": validated,
            "split": (self.env._("Split"), self.env._("Split now")),
        }

    def _o2c_remember_resume(self, action):
        # a validation held after the backorder wizard's answer goes on with that answer
        if action != "validate" or not self.env.context.get("skip_backorder"):
            return super()._o2c_remember_resume(action)
        closing = self._o2c_without_backorder()
        if closing:
            super(StockPicking, closing)._o2c_remember_resume("validate_close")
        if self - closing:
            super(StockPicking, self - closing)._o2c_remember_resume("validate_backorder")

    def _o2c_validate_with_backorder(self):
        """Resume a validation whose backorder wizard answered "create a backorder"."""
        return self.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=[]
        ).button_validate()

    def _o2c_validate_closing(self):
        """Resume a validation whose backorder wizard answered "no backorder"."""
        return self.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=self.ids
        ).button_validate()

    # ------------------------------------------------------------ CHECKS
    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action not in ("validate", "split"):
            return res
        deliveries = self._o2c_customer_deliveries()
        if not deliveries:
            return res
        qtys = deliveries._o2c_validated_qtys()
        if action == "split":
            deliveries._o2c_check_splits(qtys, deliveries)
            return res
        deliveries._o2c_check_substitutions(qtys)
        deliveries._o2c_without_backorder()._o2c_check_short_picks(qtys)
        deliveries._o2c_check_splits(qtys, deliveries._o2c_left_with_backorder())
        return res

    def _o2c_customer_deliveries(self):
        return self.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )

    def _o2c_validated_qtys(self):
        """Return ``{move id: quantity shipped if validated now}`` (move unit)."""
        result = {}
        for picking in self:
            moves = picking.move_ids.filtered(lambda m: m.state != "cancel" and not m.scrapped)
            any_picked = any(moves.mapped("picked"))
            for move in moves:
                result[move.id] = move._o2c_validated_qty(any_picked)
        return result

    def _o2c_without_backorder(self):
        """The transfers of ``self`` the current validation closes without a backorder."""
        if self.env.context.get("cancel_backorder"):
            return self
        no_backorder = set(self.env.context.get("picking_ids_not_to_backorder") or [])
        return self.filtered(
            lambda p: p.picking_type_id.create_backorder == "never"
            or (p.id in no_backorder and p.picking_type_id.create_backorder != "always")
        )

    def _o2c_left_with_backorder(self):
        """The transfers of ``self`` this validation leaves a backorder for if partial.

        Inside stock's ``_action_done`` only ``cancel_backorder`` prevents it; before
        it, Odoo asks with its backorder wizard unless the picking type or the
        wizard's answer (``skip_backorder``) decided already.
        """
        ctx = self.env.context
        if is_completing_transfers():
            return self.browse() if ctx.get("cancel_backorder") else self
        return (self - self._o2c_without_backorder()).filtered(
            lambda p: ctx.get("skip_backorder") or p.picking_type_id.create_backorder == "always"
        )

    def _o2c_refresh_exception(self, exc, vals, key_hash):
        # a consent is to one substitution: another product, lot or quantity (the
        # key of the delivery) needs the customer's word again
        if exc.code == SUBSTITUTION and self.o2c_consent_date and exc.key_hash != key_hash:
            self._o2c_withdraw_consent()
        return super()._o2c_refresh_exception(exc, vals, key_hash)

    def _o2c_withdraw_consent(self):
        self.ensure_one()
        self._o2c_owned_write(dict.fromkeys(CONSENT_FIELDS, False))
        self._message_log(
            body=self.env._(
                "The substitution changed after the customer's consent: the consent no "
                "longer counts, ask the customer again."
            )
        )

    # ---------------------------------------------------- SPLIT SHIPMENTS
    def _o2c_split_rows(self, qtys):
        """Return ``{picking id: [(move, qty left)]}``: what the split policy of each
        delivery's order forbids leaving behind (sudo: the warehouse validates
        deliveries of orders it may not read)."""
        result = defaultdict(list)
        for picking in self:
            policy = picking.sudo().sale_id.o2c_split_policy
            if policy not in ("complete", "complete_line"):
                continue
            for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
                qty = qtys.get(move.id, 0.0)
                left = move.product_uom_qty - qty
                rounding = move.product_uom.rounding
                if float_compare(left, 0.0, precision_rounding=rounding) <= 0:
                    continue
                if policy == "complete_line" and float_is_zero(qty, precision_rounding=rounding):
                    continue  # a line not shipped at all waits whole: allowed per line
                result[picking.id].append((move, left))
        return result

    def _o2c_check_splits(self, qtys, splitting):
        """Raise a blocking ``split_shipment`` exception on the deliveries of
        ``splitting`` that would ship part of what their policy ships complete.

        Deliveries whose backorder is not decided yet (Odoo's wizard will ask) keep
        their exception as it is; the others are resolved.
        """
        rows = self._o2c_split_rows(qtys)
        split = splitting.filtered(lambda p: p.id in rows)
        undecided = self.filtered(lambda p: p.id in rows) - split - self._o2c_without_backorder()
        return (self - undecided)._o2c_set_exceptions(
            SPLIT_SHIPMENT,
            {p.id: p._o2c_split_values(rows[p.id]) for p in split},
            self.env._("The delivery ships as its policy asks."),
        )

    def _o2c_split_values(self, rows):
        self.ensure_one()
        order = self.sudo().sale_id
        currency = order.currency_id
        amount = sum(move._o2c_sale_value(left) for move, left in rows)
        complete = order.o2c_split_policy == "complete"
        return {
            "name": self.env._(
                "%(customer)s ships %(how)s: %(qty)s units would wait on a backorder of "
                "%(picking)s",
                customer=order.partner_id.commercial_partner_id.name,
                how=self.env._("complete") if complete else self.env._("complete per line"),
                qty=fmt_qty(self.env, sum(left for __, left in rows)),
                picking=self.name,
            ),
            "details": html_table(
                [
                    self.env._("Product"),
                    self.env._("Ordered"),
                    self.env._("Left on a backorder"),
                    self.env._("Unit"),
                    self.env._("Value"),
                ],
                [
                    (
                        move.product_id.display_name,
                        fmt_qty(self.env, move.product_uom_qty),
                        fmt_qty(self.env, left),
                        move.product_uom.name,
                        fmt_amount(self.env, move._o2c_sale_value(left), currency),
                    )
                    for move, left in rows
                ],
            ),
            "amount": currency.round(amount),
        }

    # ------------------------------------------------------ SUBSTITUTIONS
    def _o2c_get_substitutions(self, qtys):
        """Return ``{picking id: [row]}``: substitute products and lot changes shipped.

        A row is a dict with ``kind``, ``move``, ``line`` (ordered line),
        ``product`` (ordered), ``substitute``, ``approved``, ``lots``,
        ``new_lots`` and ``qty`` (move unit).
        """
        result = defaultdict(list)
        match = self.env["o2c.fulfillment.policy"]._o2c_get_matcher()
        for picking in self.filtered("sale_id"):
            # the warehouse validates deliveries of orders it may not read (as in Odoo)
            lines = picking.sudo().sale_id.order_line
            for move in picking.move_ids:
                qty = qtys.get(move.id, 0.0)
                if float_is_zero(qty, precision_rounding=move.product_uom.rounding):
                    continue
                if not move._o2c_delivery_policy(match).substitution_control:
                    continue
                for row in (move._o2c_product_substitution(lines), move._o2c_lot_change()):
                    if row:
                        row["qty"] = qty
                        result[picking.id].append(row)
        return result

    def _o2c_check_substitutions(self, qtys):
        """Raise a blocking ``substitution`` exception where one is shipped."""
        subs = self._o2c_get_substitutions(qtys)
        with_subs = self.browse(list(subs))
        if with_subs:
            with_subs._o2c_raise_exceptions(
                SUBSTITUTION, {p.id: p._o2c_substitution_values(subs[p.id]) for p in with_subs}
            )
        rest = self - with_subs
        if rest:
            rest._o2c_resolve_exceptions(
                [SUBSTITUTION], self.env._("No substitution left on the delivery.")
            )
        return subs

    def _o2c_substitution_values(self, rows):
        self.ensure_one()
        table, amount = [], 0.0
        for row in rows:
            move = row["move"]
            amount += move._o2c_sale_value(row["qty"])
            if row["kind"] == "lot":
                what = self.env._(
                    "Lot %(new)s instead of %(old)s",
                    new=", ".join(row["new_lots"].mapped("name")),
                    old=", ".join(row["lots"].mapped("name")),
                )
            elif not row["product"]:
                what = self.env._("Not ordered")
            elif row["approved"]:
                what = self.env._("Approved substitute")
            else:
                what = self.env._("Not an approved substitute")
            table.append(
                (
                    row["product"].display_name or "-",
                    row["substitute"].display_name,
                    fmt_qty(self.env, row["qty"]),
                    move.product_uom.name,
                    what,
                )
            )
        first = rows[0]
        if first["kind"] == "lot":
            name = self.env._("Lot change on %s", first["product"].display_name)
        else:
            name = self.env._(
                "%(sub)s delivered for %(ordered)s",
                sub=first["substitute"].display_name,
                ordered=first["product"].display_name or self.env._("nothing"),
            )
        if len(rows) > 1:
            name = self.env._("%(name)s and %(count)s more", name=name, count=len(rows) - 1)
        details = html_table(
            [
                self.env._("Ordered"),
                self.env._("Delivered"),
                self.env._("Quantity"),
                self.env._("Unit"),
                self.env._("Substitution"),
            ],
            table,
        )
        if self.o2c_consent_required:
            details += html_table(
                [self.env._("Customer consent")],
                [
                    [
                        self.env._(
                            "Recorded on %(date)s (%(contact)s)",
                            date=self.o2c_consent_date,
                            contact=self.o2c_consent_contact,
                        )
                        if self.o2c_consent_date
                        else self.env._("Required, not recorded yet")
                    ]
                ],
            )
        currency = self.sale_id.currency_id or self.company_id.currency_id
        return {"name": name, "details": details, "amount": currency.round(amount)}

    # -------------------------------------------------------- SHORT PICKS
    def _o2c_short_rows(self, qtys):
        """Return ``{picking id: [(move, shipped, missing)]}`` below the demand.

        Only moves whose fulfillment policy asks a reason to close short count.
        """
        result = {}
        match = self.env["o2c.fulfillment.policy"]._o2c_get_matcher()
        for picking in self:
            for move in picking.move_ids:
                if move.state == "cancel" or move.scrapped or move.o2c_substitute_for_move_id:
                    continue
                if not move._o2c_delivery_policy(match).short_pick_reason:
                    continue
                shipped = qtys.get(move.id, 0.0)
                missing = move.product_uom_qty - shipped
                if float_compare(missing, 0.0, precision_rounding=move.product_uom.rounding) > 0:
                    result.setdefault(picking.id, []).append((move, shipped, missing))
        return result

    def _o2c_short_reason_from_context(self):
        """The short pick reason and note typed in the backorder wizard (user input).

        Passed in the context through Odoo's validation; validated like the
        transfer's own fields wherever it is used, never trusted as such.
        """
        reason_id = self.env.context.get("o2c_short_reason_id")
        note = self.env.context.get("o2c_short_note")
        if reason_id and (not isinstance(reason_id, int) or isinstance(reason_id, bool)):
            raise UserError(
                self.env._(
                    "%s is not a valid short pick reason (field Short Pick Reason).", reason_id
                )
            )
        return (
            self.env["o2c.reason.code"].browse(reason_id or []),
            note if isinstance(note, str) else False,
        )

    def _o2c_check_short_picks(self, qtys):
        """Shipping less than ordered without backorder needs a reason; raise ``short_pick``.

        The reason comes from the backorder wizard (context) or the transfer.
        """
        rows = self._o2c_short_rows(qtys)
        short = self.browse(list(rows))
        if not short:
            return short
        ctx_reason, ctx_note = self._o2c_short_reason_from_context()
        without = short.filtered(lambda p: not (ctx_reason or p.o2c_short_reason_id))
        if without:
            raise UserError(
                self.env._(
                    "%s would ship less than ordered without a backorder: choose a Short Pick "
                    "Reason.",
                    ", ".join(without.mapped("name")),
                )
            )
        values, reasons = {}, {}
        for picking in short:
            reason = ctx_reason or picking.o2c_short_reason_id
            note = ctx_note if ctx_reason else picking.o2c_short_note
            reason._o2c_validate(
                "short_pick", note, self.env._("Short Pick Reason"), self.env._("Short Pick Note")
            )
            values[picking.id] = picking._o2c_short_pick_values(rows[picking.id], reason, note)
            reasons[picking.id] = reason
        excs = short._o2c_raise_exceptions(SHORT_PICK, values)
        # Set apart: the engine compares raised values with the stored ones, and a
        # many2one id never equals its record.
        for reason, group in excs.sudo().grouped(lambda e: reasons[e.res_id]).items():
            group.filtered(lambda e, r=reason: e.o2c_reason_code_id != r)._o2c_owned_write(
                {"o2c_reason_code_id": reason.id}
            )
        return short

    def _o2c_short_pick_values(self, rows, reason, note):
        self.ensure_one()
        currency = self.sale_id.currency_id or self.company_id.currency_id
        table, amount, missing_qty = [], 0.0, 0.0
        for move, shipped, missing in rows:
            value = move._o2c_sale_value(missing)
            amount += value
            missing_qty += move.product_uom._compute_quantity(missing, move.product_id.uom_id)
            table.append(
                (
                    move.product_id.display_name,
                    fmt_qty(self.env, move.product_uom_qty),
                    fmt_qty(self.env, shipped),
                    fmt_qty(self.env, missing),
                    move.product_uom.name,
                    fmt_amount(self.env, value, currency),
                )
            )
        details = html_table(
            [
                self.env._("Product"),
                self.env._("Ordered"),
                self.env._("Shipped"),
                self.env._("Missing"),
                self.env._("Unit"),
                self.env._("Value"),
            ],
            table,
        )
        details += html_table(
            [self.env._("Reason")], [[" - ".join(filter(None, [reason.name, note]))]]
        )
        return {
            "name": self.env._(
                "Short pick without backorder: %(qty)s units not shipped (%(reason)s)",
                qty=fmt_qty(self.env, missing_qty),
                reason=reason.name,
            ),
            "details": details,
            "amount": currency.round(amount),
            "o2c_missing_qty": missing_qty,
        }

    # ---------------------------------------------------------- VALIDATION
    def _action_done(self):
        with completing_transfers():
            return self._o2c_action_done()

    def _o2c_action_done(self):
        deliveries = self.filtered(lambda p: p.picking_type_code == "outgoing")
        qtys = deliveries._o2c_validated_qtys()
        short = self.browse()
        if self.env.context.get("cancel_backorder"):
            short = deliveries._o2c_check_short_picks(qtys)
        # Backstop for callers that skip button_validate: an unapproved substitution
        # or split raises its blocking exception here and the engine refuses below.
        subs = deliveries._o2c_get_substitutions(qtys)
        if subs:
            deliveries.browse(list(subs))._o2c_check_substitutions(qtys)
        splits = deliveries._o2c_check_splits(qtys, deliveries._o2c_left_with_backorder())
        held = splits.filtered(lambda e: e.state in ("open", "rejected"))
        if held:
            raise UserError(held.mapped("picking_id")._o2c_held_message())
        if subs:
            deliveries._o2c_create_substitute_lines(subs, qtys)
        res = super()._action_done()
        deliveries._o2c_after_done(short, subs)
        return res

    def _o2c_create_substitute_lines(self, subs, qtys):
        """Order lines for the substitutes shipped (sale_stock would add bare ones).

        The substitute line carries the quantity it ships and the ordered line
        is lowered by the quantity it replaces, so that ordered, delivered and
        invoiced quantities of the order reconcile (credit exposure, fill rate,
        invoicing read them). Created as superuser: warehouse users validate
        deliveries without sales rights. The line names what it replaces and
        takes the policy's price.
        """
        match = self.env["o2c.fulfillment.policy"]._o2c_get_matcher()
        vals_list, replaced = [], defaultdict(float)
        for picking in self:
            for row in subs.get(picking.id, []):
                move, origin = row["move"], row["line"]
                if row["kind"] != "product" or not origin or move.sale_line_id:
                    continue
                vals = picking._o2c_substitute_line_vals(row, match)
                vals_list.append(vals)
                if move.product_uom.category_id == origin.product_uom.category_id:
                    # no common unit (e.g. a box for a kilogram): the ordered line
                    # keeps its quantity, the substitute adds its own
                    replaced[origin] += move.product_uom._compute_quantity(
                        row["qty"], origin.product_uom
                    )
        if not vals_list:
            return
        lines = self.env["sale.order.line"].sudo().with_context(skip_procurement=True)
        lines.create(vals_list)
        self._o2c_lower_replaced_lines(replaced, qtys)

    def _o2c_substitute_line_vals(self, row, match):
        self.ensure_one()
        move, origin = row["move"], row["line"]
        vals = {
            "order_id": self.sale_id.id,
            "product_id": move.product_id.id,
            "product_uom": move.product_uom.id,
            "product_uom_qty": row["qty"],
            "name": self.env._(
                "%(product)s (substitute for %(ordered)s)",
                product=move.product_id.display_name,
                ordered=origin.product_id.display_name,
            ),
            "o2c_substitute_for_line_id": origin.id,
            "move_ids": [Command.link(move.id)],
        }
        policy = match(
            origin.company_id, origin.product_id.categ_id, origin.order_id.o2c_order_class_id
        )
        if policy.substitute_pricing == "ordered" and (
            move.product_uom.category_id == origin.product_uom.category_id
        ):
            vals["price_unit"] = origin.product_uom._compute_price(
                origin.price_unit, move.product_uom
            )
            vals["discount"] = origin.discount
        return vals

    def _o2c_lower_replaced_lines(self, replaced, qtys):
        """Lower each ordered line by what its substitutes replace (never below shipped).

        At most what the line still misses after this validation is replaced: a
        substitute shipped on top of the full ordered quantity is an extra.
        """
        for line, qty in replaced.items():
            shipping = sum(
                move.product_uom._compute_quantity(qtys.get(move.id, 0.0), line.product_uom)
                for move in line.move_ids
                if move.state not in ("done", "cancel") and move.picking_id in self
            )
            missing = line.product_uom_qty - line.qty_delivered - shipping
            lowered = min(qty, max(missing, 0.0))
            if float_is_zero(lowered, precision_rounding=line.product_uom.rounding):
                continue
            line.sudo().with_context(skip_procurement=True).write(
                {"product_uom_qty": line.product_uom_qty - lowered}
            )

    def _o2c_after_done(self, short, subs):
        """Record what the validation decided, then follow the backorders up."""
        done = self.filtered(lambda p: p.state == "done")
        reason, note = self._o2c_short_reason_from_context()
        todo = (short & done).filtered(lambda p: not p.o2c_short_reason_id)
        if reason and todo:
            # validated by _o2c_check_short_picks before the transfers were done
            todo._o2c_owned_write({"o2c_short_reason_id": reason.id, "o2c_short_note": note})
        if subs:
            done._o2c_record_substitutions(subs)
        done._o2c_record_first_deliveries()
        done._o2c_follow_backorders()

    def _o2c_record_substitutions(self, subs):
        excs = self.env["o2c.exception"].sudo().search(live_domain(self, SUBSTITUTION))
        exc_of = {exc.res_id: exc.id for exc in excs}
        vals_list = []
        for picking in self:
            for row in subs.get(picking.id, []):
                move, line = row["move"], row["line"]
                vals_list.append(
                    {
                        "kind": row["kind"],
                        "date": picking.date_done,
                        "picking_id": picking.id,
                        "move_id": move.id,
                        "sale_line_id": line.id,
                        "substitute_line_id": move.sale_line_id.id
                        if move.sale_line_id != line
                        else False,
                        "order_id": picking.sale_id.id,
                        "partner_id": picking.partner_id.commercial_partner_id.id,
                        "product_id": row["product"].id,
                        "substitute_product_id": row["substitute"].id,
                        "quantity": row["qty"],
                        "product_uom_id": move.product_uom.id,
                        "lot_ids": [Command.set(row["lots"].ids)],
                        "substitute_lot_ids": [Command.set(row["new_lots"].ids)],
                        "approved_substitute": row["approved"],
                        "exception_id": exc_of.get(picking.id, False),
                        "consent_date": picking.o2c_consent_date,
                        "consent_contact": picking.o2c_consent_contact,
                        "consent_channel": picking.o2c_consent_channel,
                        "company_id": picking.company_id.id,
                    }
                )
        with owning_action("o2c.substitution"):
            return self.env["o2c.substitution"].sudo().create(vals_list)

    def _o2c_record_first_deliveries(self):
        """Stamp ordered lines shipped for the first time (fill rate)."""
        delivered, dates = defaultdict(float), {}
        for move in self.move_ids:
            if move.state != "done" or move.location_dest_id.usage != "customer":
                continue
            line = move._o2c_sale_line()
            if (
                not line
                or line.o2c_substitute_for_line_id  # fill rate counts the ordered lines
                or line.o2c_first_delivery_date
                or float_is_zero(line.product_uom_qty, precision_rounding=line.product_uom.rounding)
            ):
                continue
            delivered[line] += move.product_uom._compute_quantity(
                move.quantity, line.product_uom, raise_if_failure=False
            )
            dates[line] = max(dates.get(line, move.picking_id.date_done), move.picking_id.date_done)
        groups = defaultdict(list)
        for line, qty in delivered.items():
            complete = (
                float_compare(
                    qty, line.product_uom_qty, precision_rounding=line.product_uom.rounding
                )
                >= 0
            )
            groups[(dates[line], complete)].append(line.id)
        for (date, complete), line_ids in groups.items():
            self.env["sale.order.line"].sudo().browse(line_ids).write(
                {
                    "o2c_first_delivery_date": date,
                    "o2c_first_delivery_complete": complete,
                }
            )

    def _o2c_follow_backorders(self):
        """Refresh the orders' backorder exceptions; plan the new backorders."""
        deliveries = self.filtered("sale_id")
        if not deliveries:
            return
        backorders = self.search(
            [
                ("backorder_id", "in", deliveries.ids),
                ("state", "not in", ("done", "cancel")),
            ]
        )
        deliveries.sale_id._o2c_run_checks("backorder")
        if backorders:
            self.env["o2c.fulfillment.planner"]._plan(backorders.move_ids)
