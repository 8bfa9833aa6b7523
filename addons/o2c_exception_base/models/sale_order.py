# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models, tools

from ..governance import is_importing
from .o2c_sale_channel import (
    BACK_OFFICE,
    EDI,
    EMAIL,
    PORTAL,
    current_intake_channel,
    intake_channel,
)

#: users whose orders come in through EDI / API (integrations)
INTEGRATION_GROUP = "o2c_exception_base.group_o2c_integration"
#: payment states of an invoice the customer has paid (in_payment: the bank
#: statement is not matched yet, the money is on its way)
PAID_STATES = ("in_payment", "paid", "reversed")
#: states of an order that is still a quotation (not confirmed, not cancelled)
QUOTATION_STATES = ("draft", "sent")


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "o2c.exception.mixin"]

    _o2c_link_field = "sale_order_id"
    _o2c_responsible_field = "user_id"
    _o2c_team_field = "team_id"
    _o2c_guarded_action = "confirm"
    _o2c_guarded_states = ("sale",)
    _o2c_resume_methods = {"confirm": "action_confirm"}
    _o2c_key_fields = (
        "partner_id",
        "pricelist_id",
        "amount_total",
        "order_line.product_id",
        "order_line.product_uom_qty",
        "order_line.price_unit",
        "order_line.discount",
    )
    _o2c_asked_steps = {"confirm": "confirm_asked"}
    #: evidence of how the order came in: the server records it (create, portal
    #: acceptance), nobody writes it (it selects the class, so the policies); the
    #: dates of its steps and the time it was held (its timeline records them)
    _o2c_governed_fields = (
        "o2c_channel_id",
        "o2c_asked_date",
        "o2c_confirmed_date",
        "o2c_delivered_date",
        "o2c_invoiced_date",
        "o2c_paid_date",
        "o2c_held_hours",
    )
    #: what Odoo and o2c compute from the order's lines, deliveries and invoices
    _o2c_computed_fields = (
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "currency_rate",
        "invoice_status",
        "delivery_status",
        "effective_date",
        "o2c_has_exception",
        "o2c_has_posted_invoice",
    )
    #: ``{step: field}``: the first date of these steps is kept on the order
    _o2c_step_date_fields = {
        "confirm_asked": "o2c_asked_date",
        "confirmed": "o2c_confirmed_date",
        "delivered": "o2c_delivered_date",
        "invoiced": "o2c_invoiced_date",
        "paid": "o2c_paid_date",
    }

    # ------------------------------------------------------------ FIELDS
    o2c_channel_id = fields.Many2one(
        "o2c.sale.channel",
        string="Channel",
        default=lambda self: self._o2c_default_channel_id(),
        readonly=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        ondelete="restrict",
        help="How the order came in, recorded by the server: back office (phone), "
        "email (mail alias), portal (accepted online by the customer), EDI / API "
        "(integration user or import). Order classes and pricing policies match on it.",
    )
    o2c_order_class_id = fields.Many2one(
        "o2c.order.class",
        string="Order Class",
        compute="_compute_o2c_order_class_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="Standard order scenario (first matching class). Recomputed while the "
        "order is a quotation; a manual change is tracked.",
    )

    o2c_linked_exception_ids = fields.One2many(
        "o2c.exception",
        "sale_order_id",
        string="All O2C Exceptions",
        help="Exceptions of the order and of its transfers, invoices and tickets.",
    )
    o2c_order_class_locked_id = fields.Many2one(
        "o2c.order.class",
        string="Order Class at Confirmation",
        readonly=True,
        copy=False,
        help="The class the order was confirmed with; later scope changes keep it.",
    )
    # Stored flags of the dashboard's order figures (touchless and exception rates):
    # a column read per order instead of joining invoice lines or exceptions.
    o2c_has_posted_invoice = fields.Boolean(
        string="Posted Invoice",
        compute="_compute_o2c_has_posted_invoice",
        store=True,
        copy=False,
        help="A customer invoice of this order is posted.",
    )
    o2c_has_exception = fields.Boolean(
        string="Has O2C Exceptions",
        compute="_compute_o2c_has_exception",
        store=True,
        copy=False,
        help="An O2C exception is linked to the order, its transfers or its invoices.",
    )

    # The order's timeline (o2c.order.step) and, for the dashboard's cycle times,
    # the first date of its milestones: one row per order to read, no join.
    o2c_step_ids = fields.One2many(
        "o2c.order.step", "order_id", string="Timeline", readonly=True, copy=False
    )
    o2c_asked_date = fields.Datetime(
        string="Confirmation Asked", readonly=True, copy=False, help="First confirmation asked."
    )
    o2c_confirmed_date = fields.Datetime(
        string="Confirmed On", readonly=True, copy=False, index="btree_not_null"
    )
    o2c_delivered_date = fields.Datetime(
        string="Fully Delivered On", readonly=True, copy=False, index="btree_not_null"
    )
    o2c_invoiced_date = fields.Datetime(
        string="Fully Invoiced On", readonly=True, copy=False, index="btree_not_null"
    )
    o2c_paid_date = fields.Datetime(
        string="Paid On", readonly=True, copy=False, index="btree_not_null"
    )
    o2c_held_hours = fields.Float(
        string="Hours Held",
        readonly=True,
        copy=False,
        help="Time O2C exceptions held the order, its transfers and invoices (released holds).",
    )

    o2c_portal_status = fields.Char(
        string="Status for the Customer",
        compute="_compute_o2c_portal_status",
        help="Why a held order waits, in the customer's words (portal).",
    )

    def init(self):
        res = super().init()
        # The dashboard counts confirmed orders of a period by these flags and by
        # class: an index-only scan instead of reading every order of the period.
        tools.create_index(
            self.env.cr,
            "sale_order_o2c_confirmed_date_idx",
            self._table,
            [
                "date_order",
                "company_id",
                "o2c_has_posted_invoice",
                "o2c_has_exception",
                "o2c_order_class_id",
            ],
            where="state = 'sale'",
        )
        return res

    # ----------------------------------------------------------- COMPUTE
    @api.model
    def _o2c_default_channel_id(self):
        """The channel of an order created now, from its entry path (a server-side
        mark) or its creator; never from the caller's values or context."""
        code = current_intake_channel()
        if not code:
            integration = is_importing() or self.env.user.has_group(INTEGRATION_GROUP)
            code = EDI if integration else BACK_OFFICE
        return self.env["o2c.sale.channel"]._o2c_channel_id(code)

    @api.depends(
        "o2c_channel_id",
        "partner_id",
        "team_id",
        "source_id",
        "medium_id",
        "warehouse_id",
        "company_id",
        "order_line.product_id",
        "order_line.route_id",
    )
    def _compute_o2c_order_class_id(self):
        quotations = self.filtered(lambda o: o.state in QUOTATION_STATES)
        classes = self.env["o2c.order.class"]._o2c_classify(quotations)
        for order in quotations:
            order.o2c_order_class_id = classes.get(order.id, False)
        for order in self - quotations:
            # confirmed orders keep the class they were confirmed with
            order.o2c_order_class_id = order.o2c_order_class_locked_id

    @api.depends(
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.move_type",
    )
    def _compute_o2c_has_posted_invoice(self):
        for order in self:
            order.o2c_has_posted_invoice = any(
                move.state == "posted" and move.move_type == "out_invoice"
                for move in order.order_line.invoice_lines.move_id
            )

    @api.depends("o2c_linked_exception_ids", "o2c_linked_exception_ids.active")
    def _compute_o2c_has_exception(self):
        linked = set()
        if self._origin.ids:
            groups = (
                self.env["o2c.exception"]
                .sudo()
                .with_context(active_test=True)
                ._read_group([("sale_order_id", "in", self._origin.ids)], ["sale_order_id"])
            )
            linked = {order.id for (order,) in groups}
        for order in self:
            order.o2c_has_exception = order._origin.id in linked

    @api.depends("o2c_blocked", "signed_on")
    def _compute_o2c_portal_status(self):
        held = self.filtered("o2c_blocked")
        holding = held._o2c_holding_exceptions()
        exceptions = (
            self.env["o2c.exception"]
            .sudo()
            .browse({exc_id for ids in holding.values() for exc_id in ids})
        )
        types = {exc.id: exc.type_id for exc in exceptions}
        for order in self:
            labels = [
                types[exc_id].portal_label or self.env._("Under review")
                for exc_id in sorted(holding.get(order.id, ()))
            ]
            status = ", ".join(dict.fromkeys(labels))
            if status and order.signed_on:
                status = self.env._("Signed – %s", status[0].lower() + status[1:])
            order.o2c_portal_status = status or False

    def _o2c_after_resume(self, action):
        # a quotation the customer signed while it was held: they get the
        # confirmation the portal would have sent at signing
        res = super()._o2c_after_resume(action)
        if action == "confirm" and self.signed_on and self.state == "sale":
            self.sudo()._send_order_confirmation_mail()
        return res

    def _o2c_after_rejection(self):
        # the customer signed and waits: they hear that the order needs a change
        # (the reason is internal; their salesperson follows up)
        res = super()._o2c_after_rejection()
        template = self.env.ref(
            "o2c_exception_base.mail_template_o2c_order_needs_change", raise_if_not_found=False
        )
        for order in self.filtered(lambda o: o.signed_on and o.state in QUOTATION_STATES):
            if template:
                order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return res

    # ------------------------------------------------------------ ACTION
    def action_confirm(self):
        """Confirmation goes through the O2C enforcement point first."""
        return self._o2c_hold_or_proceed(
            lambda orders: super(SaleOrder, orders._o2c_lock_order_class()).action_confirm(),
            "confirm",
        )

    def _o2c_single_class(self):
        """Whether every order of ``self`` has the same (non-empty) class."""
        return len(self.o2c_order_class_id) == 1 and all(o.o2c_order_class_id for o in self)

    def _o2c_lock_order_class(self):
        """Remember the class while still a quotation: confirmed orders keep it.

        Orders of one class (the usual case) lock it in the confirmation's own
        write (:meth:`_prepare_confirmation_values`); others get one write per
        class here, none for orders that already hold theirs.
        """
        if self._o2c_single_class():
            return self
        by_class = defaultdict(list)
        for order in self:
            if order.o2c_order_class_locked_id != order.o2c_order_class_id:
                by_class[order.o2c_order_class_id.id].append(order.id)
        for class_id, order_ids in by_class.items():
            self.browse(order_ids).o2c_order_class_locked_id = class_id
        return self

    def _prepare_confirmation_values(self):
        values = super()._prepare_confirmation_values()
        if self._o2c_single_class():
            values["o2c_order_class_locked_id"] = self.o2c_order_class_id.id
        return values

    # -------------------------------------------------------------- CRUD
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to a quotations alias: a quotation for the sender, channel email.

        mail.thread's default names the record after the subject and sets no
        customer; an order's name is its sequence, the subject is its source
        document. The mail gateway then posts the email (attachments included)
        in the order's chatter.
        """
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not partner and msg_dict.get("email_from"):
            partner = self.env["res.partner"].find_or_create(msg_dict["email_from"])
        vals = {"partner_id": partner.id, "origin": msg_dict.get("subject")}
        vals.update(custom_values or {})
        if not self.env.su:
            # the gateway creates as superuser: a user calling this over RPC
            # creates a back-office order, not evidence of an email
            return self.create(vals)
        with intake_channel(EMAIL):
            return self.create(vals)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        Step = self.env["o2c.order.step"]
        Step._o2c_record(
            [
                row
                for order in orders
                for row in order._o2c_step_rows("quotation", order.create_date)
            ]
        )
        return orders

    def write(self, vals):
        if vals.get("signed_on") and current_intake_channel() == PORTAL:
            self._o2c_record_portal_channel()
        # every path into "sale" (button, resume, RPC write, import) is a confirmation
        confirming = (
            self.filtered(lambda o: o.state != "sale") if vals.get("state") == "sale" else ()
        )
        res = super().write(vals)
        if confirming:
            confirming._o2c_record_step("confirmed")
        if "o2c_order_class_id" in vals:
            # a manual change on a confirmed order sticks
            self.filtered(lambda o: o.state not in QUOTATION_STATES).with_context(
                tracking_disable=True
            ).o2c_order_class_locked_id = vals["o2c_order_class_id"]
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_record_portal_channel(self):
        """The customer accepts the quotation on the portal (the accept route
        opened the mark): it came in through the portal, before its checks run."""
        portal = self.env["o2c.sale.channel"]._o2c_channel_id(PORTAL)
        quotations = self.filtered(lambda o: o.state in QUOTATION_STATES)
        if portal and quotations:
            quotations.sudo()._o2c_owned_write({"o2c_channel_id": portal})

    def _o2c_line_key_fields(self):
        """Fields of the order lines that are key fields of the order."""
        prefix = "order_line."
        return {
            path[len(prefix) :].split(".")[0]
            for path in self._o2c_all_key_fields()
            if path.startswith(prefix)
        }

    def _o2c_exception_document_vals(self):
        result = super()._o2c_exception_document_vals()
        for rec in self:
            result[rec.id]["order_class_id"] = rec.o2c_order_class_id.id
        return result

    # ------------------------------------------------------------- STEPS
    def _o2c_step_orders(self):
        return {order.id: (order, {}) for order in self}

    @api.model
    def _o2c_stamp_steps(self, rows):
        """Keep on the orders the first date of their steps of
        :attr:`_o2c_step_date_fields` among ``rows`` (step values)."""
        stamps = defaultdict(dict)
        for row in rows:
            fname = self._o2c_step_date_fields.get(row["step"])
            if fname:
                stamps[row["order_id"]].setdefault(fname, row["date"])
        for order in self.browse(list(stamps)):
            todo = {fname: date for fname, date in stamps[order.id].items() if not order[fname]}
            if todo:
                order._o2c_owned_write(todo)

    def _o2c_record_delivery_steps(self, pickings):
        """These orders' ``pickings`` (customer deliveries) are done: their first
        delivery, and the last one when nothing is left to deliver."""
        Step = self.env["o2c.order.step"]
        reached = Step._o2c_reached(self, ("first_delivery",))
        rows = []
        for picking in pickings.sorted("date_done"):
            order = picking.sale_id
            vals = {"picking_id": picking.id}
            if (order.id, "first_delivery") not in reached:
                reached.add((order.id, "first_delivery"))
                rows += order._o2c_step_rows(
                    "first_delivery", picking.date_done, {order.id: [vals]}
                )
            if order.delivery_status == "full" and not order.o2c_delivered_date:
                reached.add((order.id, "delivered"))
                rows += order._o2c_step_rows("delivered", picking.date_done, {order.id: [vals]})
        # two pickings of one order done together: one "delivered" row (the last)
        last = {row["order_id"]: row for row in rows if row["step"] == "delivered"}
        Step._o2c_record([r for r in rows if r["step"] != "delivered"] + list(last.values()))

    def _o2c_record_billing_steps(self, invoices):
        """These orders' customer ``invoices`` were posted or paid: their first
        invoice, fully invoiced (nothing left to invoice, no draft invoice), paid
        (fully invoiced and every invoice paid)."""
        Step = self.env["o2c.order.step"]
        reached = Step._o2c_reached(self, ("first_invoice",))
        now = fields.Datetime.now()
        rows = []
        for invoice in invoices.filtered(lambda m: m.state == "posted"):
            for order in invoice.invoice_line_ids.sale_line_ids.order_id & self:
                if (order.id, "first_invoice") not in reached:
                    reached.add((order.id, "first_invoice"))
                    rows += order._o2c_step_rows(
                        "first_invoice", now, {order.id: [{"move_id": invoice.id}]}
                    )
        for order in self.filtered(lambda o: not o.o2c_paid_date):
            bills = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
            posted = bills.filtered(lambda m: m.state == "posted")
            invoiced = bool(order.o2c_invoiced_date) or (
                order.invoice_status == "invoiced"
                and bool(posted)
                and not bills.filtered(lambda m: m.state == "draft")
            )
            if invoiced and not order.o2c_invoiced_date:
                rows += order._o2c_step_rows("invoiced", now)
            if invoiced and order._o2c_is_paid(posted):
                rows += order._o2c_step_rows("paid", now)
        Step._o2c_record(rows)

    @staticmethod
    def _o2c_is_paid(invoices):
        """Whether the customer paid these posted invoices (a reversed one is
        settled by its credit note; at least one was paid)."""
        states = set(invoices.mapped("payment_state"))
        return bool(states) and states <= set(PAID_STATES) and states != {"reversed"}
