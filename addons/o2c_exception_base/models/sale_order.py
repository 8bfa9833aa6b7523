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
    #: evidence of how the order came in: the server records it (create, portal
    #: acceptance), nobody writes it (it selects the class, so the policies)
    _o2c_governed_fields = ("o2c_channel_id",)

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
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
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
        for order in self.filtered(lambda o: o.signed_on and o.state in ("draft", "sent")):
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

    def write(self, vals):
        if vals.get("signed_on") and current_intake_channel() == PORTAL:
            self._o2c_record_portal_channel()
        res = super().write(vals)
        if "o2c_order_class_id" in vals:
            # a manual change on a confirmed order sticks
            self.filtered(lambda o: o.state not in ("draft", "sent")).with_context(
                tracking_disable=True
            ).o2c_order_class_locked_id = vals["o2c_order_class_id"]
        return res

    # ---------------------------------------------------------- BUSINESS
    def _o2c_record_portal_channel(self):
        """The customer accepts the quotation on the portal (the accept route
        opened the mark): it came in through the portal, before its checks run."""
        portal = self.env["o2c.sale.channel"]._o2c_channel_id(PORTAL)
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
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
