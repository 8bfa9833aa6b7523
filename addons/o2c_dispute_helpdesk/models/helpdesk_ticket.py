# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.o2c_exception_base.governance import governed_write_allowed, owning_action
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount
from odoo.tools.misc import clean_context

from ..governance import closing_reason, current_closing_reason
from .o2c_dispute_constants import (
    ANCHORS,
    CLAIM_LOCKS,
    CLOSING_STAGES,
    CREDIT_MODES,
    DISPUTE_RESOLUTION,
    DISPUTE_STATES,
    DISPUTE_TYPES,
    INVOICE_DISPUTE,
    LINE_STATES,
    MONEY_RESOLUTIONS,
    OPEN_STATES,
    RESOLUTIONS,
    RESOLVERS,
    ROOT_CAUSE_CODES,
    ROOT_CAUSES,
    SYNC_FIELDS,
)


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "o2c.exception.mixin"]

    _o2c_link_field = "ticket_id"
    _o2c_responsible_field = "user_id"
    _o2c_team_field = "o2c_sale_order_id.team_id"
    _o2c_guarded_action = "close"
    #: the resolution amount is computed from the claim, so its inputs are watched too:
    #: who changes them while an approval waits may not approve, a decision reopens
    _o2c_key_fields = ("o2c_resolution", "o2c_credit_mode", "o2c_resolution_amount")
    #: the dispute's decision and its evidence, and the amounts computed from its
    #: lines (what an approval is bound to): only the dispute actions write them
    _o2c_governed_fields = (
        "o2c_dispute_state",
        "o2c_resolved_date",
        "o2c_resolution_hours",
        "o2c_resolution_amount",
        "o2c_resolution_amount_company",
        "o2c_disputed_amount_company",
        "o2c_currency_id",
        "o2c_root_cause_id",
    )

    # ------------------------------------------------------------ FIELDS
    o2c_is_dispute = fields.Boolean(string="Dispute", index=True, tracking=True, copy=False)
    o2c_dispute_type = fields.Selection(DISPUTE_TYPES, string="Dispute Type", tracking=True)
    o2c_dispute_state = fields.Selection(
        DISPUTE_STATES,
        string="Dispute Status",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    o2c_sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null", tracking=True, copy=False
    )
    o2c_picking_id = fields.Many2one(
        "stock.picking", string="Delivery", index="btree_not_null", tracking=True, copy=False
    )
    o2c_invoice_id = fields.Many2one(
        "account.move", string="Invoice", index="btree_not_null", tracking=True, copy=False
    )
    o2c_line_ids = fields.One2many(
        "o2c.dispute.line", "ticket_id", string="Disputed Lines", copy=False
    )
    o2c_currency_id = fields.Many2one(
        "res.currency",
        string="Dispute Currency",
        compute="_compute_o2c_currency_id",
        store=True,
    )
    o2c_disputed_amount = fields.Monetary(
        string="Disputed Amount",
        currency_field="o2c_currency_id",
        tracking=True,
        compute="_compute_o2c_disputed_amount",
        store=True,
        readonly=False,
        copy=False,
        help="Amount the customer disputes, taxes included, in the invoice currency. "
        "Computed from the disputed lines when there are any.",
    )
    o2c_company_currency_id = fields.Many2one(related="company_id.currency_id")
    o2c_disputed_amount_company = fields.Monetary(
        string="Disputed Amount (Company Currency)",
        currency_field="o2c_company_currency_id",
        compute="_compute_o2c_company_amounts",
        store=True,
    )
    o2c_root_cause = fields.Selection(ROOT_CAUSES, string="Root Cause", tracking=True)
    o2c_root_cause_id = fields.Many2one(
        "o2c.root.cause",
        string="Root Cause (Review)",
        compute="_compute_o2c_root_cause_id",
        store=True,
        index="btree_not_null",
        help="The dispute's root cause in the list every exception decision uses: "
        "its exceptions are decided with it and the review counts them together.",
    )
    o2c_resolution = fields.Selection(RESOLUTIONS, string="Resolution", tracking=True)
    o2c_credit_mode = fields.Selection(
        CREDIT_MODES,
        string="Credit",
        default="lines",
        help="Disputed lines: partial refund of the disputed lines and quantities. "
        "Whole invoice: full reversal of an unpaid invoice.",
    )
    o2c_rejection_reason = fields.Text(string="Rejection Reason", tracking=True)
    o2c_resolution_amount = fields.Monetary(
        string="Amount Given Back",
        currency_field="o2c_currency_id",
        compute="_compute_o2c_resolution_amount",
        store=True,
        help="Credit or write-off the chosen resolution gives back, taxes included.",
    )
    o2c_resolution_amount_company = fields.Monetary(
        string="Amount Given Back (Company Currency)",
        currency_field="o2c_company_currency_id",
        compute="_compute_o2c_company_amounts",
        store=True,
    )
    o2c_resolved_date = fields.Datetime(string="Dispute Resolved On", readonly=True, copy=False)
    o2c_resolution_hours = fields.Float(
        string="Resolution Time (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Hours from the opening of the dispute to its resolution.",
    )
    o2c_credit_note_ids = fields.One2many(
        "account.move", "o2c_origin_dispute_id", string="Credit Notes and Write-offs"
    )
    o2c_return_picking_ids = fields.One2many(
        "stock.picking", "o2c_origin_dispute_id", string="Returns"
    )
    o2c_replacement_order_ids = fields.One2many(
        "sale.order", "o2c_origin_dispute_id", string="Replacement Orders"
    )
    o2c_portal_status = fields.Char(
        string="Status for the Customer",
        compute="_compute_o2c_portal_status",
        help="The dispute's one status, in the customer's words (portal).",
    )
    o2c_credit_note_count = fields.Integer(compute="_compute_o2c_document_counts")
    o2c_return_count = fields.Integer(compute="_compute_o2c_document_counts")
    o2c_replacement_count = fields.Integer(compute="_compute_o2c_document_counts")

    # ----------------------------------------------------------- COMPUTE
    @api.depends("o2c_invoice_id", "o2c_sale_order_id", "company_id")
    def _compute_o2c_currency_id(self):
        for ticket in self:
            ticket.o2c_currency_id = (
                ticket.o2c_invoice_id.currency_id
                or ticket.o2c_sale_order_id.currency_id
                or ticket.company_id.currency_id
            )

    @api.depends("o2c_root_cause")
    def _compute_o2c_root_cause_id(self):
        codes = {
            ticket.id: ROOT_CAUSE_CODES.get(ticket.o2c_root_cause, ticket.o2c_root_cause)
            for ticket in self
        }
        # an archived cause still maps: it was the dispute's cause when chosen
        causes = (
            self.env["o2c.root.cause"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", [code for code in codes.values() if code])])
        )
        by_code = {cause.code: cause for cause in causes}
        for ticket in self:
            ticket.o2c_root_cause_id = by_code.get(codes[ticket.id], False)

    @api.depends("o2c_line_ids.amount")
    def _compute_o2c_disputed_amount(self):
        # Without lines the amount is typed in (readonly=False): keep it.
        for ticket in self.filtered("o2c_line_ids"):
            ticket.o2c_disputed_amount = sum(ticket.o2c_line_ids.mapped("amount"))

    @api.depends(
        "o2c_resolution",
        "o2c_credit_mode",
        "o2c_line_ids.amount",
        "o2c_disputed_amount",
        "o2c_invoice_id.amount_total",
    )
    def _compute_o2c_resolution_amount(self):
        for ticket in self:
            resolution = ticket.o2c_resolution
            if resolution == "credit_note" and ticket.o2c_credit_mode == "full":
                amount = ticket.o2c_invoice_id.amount_total
            elif resolution in ("credit_note", "return_refund"):
                amount = sum(ticket.o2c_line_ids.mapped("amount"))
            elif resolution == "write_off":
                amount = ticket.o2c_disputed_amount
            else:
                amount = 0.0
            ticket.o2c_resolution_amount = amount

    @api.depends(
        "o2c_disputed_amount",
        "o2c_resolution_amount",
        "o2c_currency_id",
        "o2c_invoice_id.amount_total_signed",
    )
    def _compute_o2c_company_amounts(self):
        for ticket in self:
            ticket.o2c_disputed_amount_company = ticket._o2c_to_company(ticket.o2c_disputed_amount)
            ticket.o2c_resolution_amount_company = ticket._o2c_to_company(
                ticket.o2c_resolution_amount
            )

    @api.depends("o2c_dispute_state", "o2c_resolution")
    def _compute_o2c_portal_status(self):
        wording = {
            "open": self.env._("Being reviewed"),
            "to_approve": self.env._("Being reviewed"),
            "waiting_return": self.env._("Waiting for the goods to come back"),
            "cancelled": self.env._("Withdrawn"),
        }
        for ticket in self:
            state = ticket.o2c_dispute_state
            if state == "resolved":
                status = (
                    self.env._("Declined")
                    if ticket.o2c_resolution == "rejected"
                    else self.env._(
                        "Resolved: %s", ticket._o2c_label("o2c_resolution", ticket.o2c_resolution)
                    )
                )
            else:
                status = wording.get(state, False)
            ticket.o2c_portal_status = status if ticket.o2c_is_dispute else False

    @api.depends("o2c_credit_note_ids", "o2c_return_picking_ids", "o2c_replacement_order_ids")
    def _compute_o2c_document_counts(self):
        # counted for agents without accounting, stock or sales rights too (the
        # ticket form shows them); the documents themselves keep their own rights
        for ticket in self:
            documents = ticket.sudo()
            ticket.o2c_credit_note_count = len(documents.o2c_credit_note_ids)
            ticket.o2c_return_count = len(documents.o2c_return_picking_ids)
            ticket.o2c_replacement_count = len(documents.o2c_replacement_order_ids)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(
        "o2c_is_dispute",
        "o2c_dispute_type",
        "partner_id",
        "company_id",
        "o2c_sale_order_id",
        "o2c_picking_id",
        "o2c_invoice_id",
    )
    def _check_o2c_links(self):
        for ticket in self.filtered("o2c_is_dispute"):
            ticket._o2c_check_links()

    @api.constrains("o2c_disputed_amount", "o2c_invoice_id", "o2c_line_ids")
    def _check_o2c_disputed_amount(self):
        for ticket in self.filtered(
            lambda t: t.o2c_is_dispute and t.o2c_dispute_state in OPEN_STATES
        ):
            currency = ticket.o2c_currency_id
            amount = ticket.o2c_disputed_amount
            if not math.isfinite(amount):
                raise ValidationError(
                    self.env._("The Disputed Amount must be a number, not %s.", amount)
                )
            if currency.compare_amounts(amount, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "Dispute %s: the Disputed Amount cannot be negative.", ticket.display_name
                    )
                )
            invoice = ticket.o2c_invoice_id.sudo()
            if not invoice:
                continue
            if currency.compare_amounts(amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "Dispute %s: the Disputed Amount must be positive.", ticket.display_name
                    )
                )
            if currency.compare_amounts(invoice.o2c_dispute_amount, invoice.amount_residual) > 0:
                raise ValidationError(
                    self.env._(
                        "Dispute %(ticket)s: the Disputed Amount (%(disputed)s open on invoice "
                        "%(invoice)s) is above the amount still due on it (%(residual)s).",
                        ticket=ticket.display_name,
                        invoice=invoice.name,
                        disputed=format_amount(self.env, invoice.o2c_dispute_amount, currency),
                        residual=format_amount(self.env, invoice.amount_residual, currency),
                    )
                )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # the caller's values first: a new dispute starts open, whatever they say
        self._o2c_check_governed_create(vals_list)
        is_dispute = None
        if any("o2c_is_dispute" not in vals for vals in vals_list):
            is_dispute = self.default_get(["o2c_is_dispute"]).get("o2c_is_dispute")
        for vals in vals_list:
            if vals.get("o2c_is_dispute", is_dispute):
                self._o2c_prepare_dispute_vals(vals)
        tickets_env = self
        if any(self._o2c_vals_add_lines(vals) for vals in vals_list):
            # with lines the amount is theirs: neither a value nor a default may win
            for vals in vals_list:
                if self._o2c_vals_add_lines(vals):
                    vals.pop("o2c_disputed_amount", None)
            # a key is removed, so the context is replaced
            tickets_env = self.with_context(  # pylint: disable=context-overridden
                {
                    key: value
                    for key, value in self.env.context.items()
                    if key != "default_o2c_disputed_amount"
                }
            )
        with owning_action(self._name):
            tickets = super(HelpdeskTicket, tickets_env).create(vals_list)
        disputes = tickets.filtered("o2c_is_dispute")
        if disputes:
            self._o2c_sync_dispute_exceptions(disputes._o2c_dispute_anchors())
        return tickets

    def write(self, vals):
        # the caller's values first, before this method adds its own
        self._o2c_check_governed_write(vals)
        self._o2c_check_dispute_locks(vals)
        if "stage_id" in vals:
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                self.filtered("o2c_is_dispute")._o2c_check_can_close(vals)
        if self._o2c_vals_add_lines(vals) and "o2c_disputed_amount" in vals:
            vals = {key: value for key, value in vals.items() if key != "o2c_disputed_amount"}
        # a ticket that becomes a dispute opens it (the others keep their state)
        fresh = self.browse()
        if vals.get("o2c_is_dispute") and "o2c_dispute_state" not in vals:
            fresh = self.filtered(lambda t: not t.o2c_dispute_state)
        sync = SYNC_FIELDS.intersection(vals)
        anchors = self._o2c_dispute_anchors() if sync else set()
        res = True
        if fresh:
            with owning_action(self._name):
                res = super(HelpdeskTicket, fresh).write(dict(vals, o2c_dispute_state="open"))
        if self - fresh:
            res = super(HelpdeskTicket, self - fresh).write(vals)
        if sync:
            self._o2c_sync_dispute_exceptions(anchors | self._o2c_dispute_anchors())
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_open_dispute(self):
        if self.filtered(lambda t: t.o2c_is_dispute and t.o2c_dispute_state in OPEN_STATES):
            raise UserError(
                self.env._("An open dispute cannot be deleted: resolve or cancel it first.")
            )

    # ------------------------------------------------------------ ACTION
    def action_o2c_apply_resolution(self):
        """Apply the chosen resolution.

        Money given back above the company threshold first waits for an
        approver (``dispute_resolution`` exception on the ticket, SoD applies);
        once approved, the same button applies it.
        """
        self._o2c_check_resolution_ready()
        # the default_* keys of the form must not reach the documents created
        tickets = self.with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        result = tickets._o2c_hold_or_proceed(
            lambda allowed: allowed._o2c_execute_resolution(), "close"
        )
        held = tickets.filtered("o2c_blocked")
        if held:
            held._o2c_owned_write({"o2c_dispute_state": "to_approve"})
            held.o2c_exception_ids.filtered(
                lambda e: e.state == "open" and e.code == DISPUTE_RESOLUTION
            ).action_notify_approvers()
        return result

    def action_o2c_cancel_dispute(self):
        """The dispute no longer applies (withdrawn, opened by mistake)."""
        for ticket in self:
            if not ticket.o2c_is_dispute or ticket.o2c_dispute_state not in OPEN_STATES:
                raise UserError(
                    self.env._("Ticket %s is not an open dispute.", ticket.display_name)
                )
        for ticket in self:
            ticket._o2c_set_dispute_state(
                {
                    "o2c_dispute_state": "cancelled",
                    "stage_id": ticket._o2c_closing_stage("cancelled").id or ticket.stage_id.id,
                },
                self.env._("Dispute %s cancelled.", ticket.number),
            )
        return True

    def action_o2c_view_documents(self):
        """Smart buttons: open the linked documents named by ``o2c_documents`` in context."""
        self.ensure_one()
        # Whitelisted: the context names a key of this dict, never a field.
        targets = {
            "invoice": ("account.move", self.o2c_invoice_id, self.env._("Invoice")),
            "sale_order": ("sale.order", self.o2c_sale_order_id, self.env._("Sales Order")),
            "picking": ("stock.picking", self.o2c_picking_id, self.env._("Delivery")),
            "credit_notes": (
                "account.move",
                self.o2c_credit_note_ids,
                self.env._("Credit Notes and Write-offs"),
            ),
            "returns": ("stock.picking", self.o2c_return_picking_ids, self.env._("Returns")),
            "replacements": (
                "sale.order",
                self.o2c_replacement_order_ids,
                self.env._("Replacement Orders"),
            ),
        }
        target = targets.get(self.env.context.get("o2c_documents", "invoice"))
        if not target:
            raise UserError(self.env._("Unknown kind of linked documents."))
        model, records, name = target
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
            "context": {"create": False},
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action

    @api.model
    def _o2c_dispute_form_action(self, defaults):
        """Form of a new dispute prefilled with ``defaults`` (from a document)."""
        context = {f"default_{key}": value for key, value in defaults.items()}
        context["default_o2c_is_dispute"] = True
        team = self.env["res.company"].browse(defaults.get("company_id")).o2c_dispute_team_id
        if team:
            context["default_team_id"] = team.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open Dispute"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    @api.model
    def _o2c_disputes_action(self, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2c_dispute_helpdesk.helpdesk_ticket_action_dispute"
        )
        action["domain"] = [("o2c_is_dispute", "=", True), *domain]
        action["context"] = {"create": False}
        return action

    # ---------------------------------------------------------- BUSINESS
    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action != "close":
            return res
        disputes = self.filtered("o2c_is_dispute")
        needed = disputes.filtered(lambda t: t._o2c_needs_approval())
        needed._o2c_raise_exceptions(
            DISPUTE_RESOLUTION, {t.id: t._o2c_approval_exception_vals() for t in needed}
        )
        (disputes - needed)._o2c_resolve_exceptions(
            [DISPUTE_RESOLUTION],
            self.env._("The resolution no longer needs an approval."),
        )
        return res

    def _o2c_exception_document_vals(self):
        result = super()._o2c_exception_document_vals()
        for ticket in self:
            result[ticket.id].update(
                {
                    "move_id": ticket.o2c_invoice_id.id,
                    "sale_order_id": ticket.o2c_sale_order_id.id,
                    "picking_id": ticket.o2c_picking_id.id,
                }
            )
        return result

    def _o2c_needs_approval(self):
        """Money given back above the company's threshold needs an approver."""
        self.ensure_one()
        company = self.company_id
        return (
            self.o2c_resolution in MONEY_RESOLUTIONS
            and company.currency_id.compare_amounts(
                self.o2c_resolution_amount_company, company.o2c_dispute_approval_amount
            )
            > 0
        )

    def _o2c_approval_exception_vals(self):
        self.ensure_one()
        label = self._o2c_label("o2c_resolution", self.o2c_resolution)
        amount = format_amount(self.env, self.o2c_resolution_amount, self.o2c_currency_id)
        limit = format_amount(
            self.env, self.company_id.o2c_dispute_approval_amount, self.company_id.currency_id
        )
        return {
            "name": self.env._(
                "%(resolution)s of %(amount)s on dispute %(ticket)s",
                resolution=label,
                amount=amount,
                ticket=self.number,
            ),
            "amount": self.o2c_resolution_amount_company,
            "details": Markup("<p>%s</p>")
            % self.env._(
                "%(resolution)s of %(amount)s is above the approval limit of %(limit)s.",
                resolution=label,
                amount=amount,
                limit=limit,
            ),
        }

    def _o2c_to_company(self, amount):
        """Convert an amount of the dispute currency to the company currency.

        Uses the invoice's own rate, so the figures match its accounting.
        """
        self.ensure_one()
        company_currency = self.company_id.currency_id or self.env.company.currency_id
        invoice = self.o2c_invoice_id
        if not amount:
            return 0.0
        if invoice and invoice.amount_total:
            return company_currency.round(
                amount * abs(invoice.amount_total_signed) / invoice.amount_total
            )
        currency = self.o2c_currency_id or company_currency
        return currency._convert(
            amount,
            company_currency,
            self.company_id or self.env.company,
            fields.Date.context_today(self),
        )

    def _o2c_dispute_anchors(self):
        """Return ``{(model, id)}``: the documents carrying the disputes' exceptions."""
        anchors = set()
        for ticket in self.filtered("o2c_is_dispute"):
            doc = ticket.o2c_invoice_id or ticket.o2c_picking_id or ticket.o2c_sale_order_id
            if doc:
                anchors.add((doc._name, doc.id))
        return anchors

    @api.model
    def _o2c_sync_dispute_exceptions(self, anchors):
        """Raise, refresh or resolve the ``invoice_dispute`` exception of documents.

        One exception per document, whatever the number of its open disputes:
        its amount is their total, ``ticket_id`` the oldest one.
        """
        by_model = defaultdict(set)
        for model, res_id in anchors:
            by_model[model].add(res_id)
        reason = current_closing_reason() or self.env._("No open dispute left on the document.")
        for model, ids in by_model.items():
            field, extra = ANCHORS[model]
            tickets = self.sudo().search(
                [
                    ("o2c_is_dispute", "=", True),
                    ("o2c_dispute_state", "in", OPEN_STATES),
                    (field, "in", list(ids)),
                    *extra,
                ],
                order="id",
            )
            grouped = tickets.grouped(field)
            docs = self.env[model].sudo().browse(list(ids)).exists()
            disputed = docs.filtered(lambda d, g=grouped: d in g)
            values = {doc.id: grouped[doc]._o2c_dispute_exception_vals() for doc in disputed}
            disputed._o2c_raise_exceptions(INVOICE_DISPUTE, values)
            (docs - disputed)._o2c_resolve_exceptions([INVOICE_DISPUTE], reason)

    def _o2c_sync_after_lines(self):
        """Disputed lines changed: the disputed amounts on the documents follow."""
        anchors = self._o2c_dispute_anchors()
        if anchors:
            self._o2c_sync_dispute_exceptions(anchors)

    def _o2c_dispute_exception_vals(self):
        """Values of the ``invoice_dispute`` exception for these open disputes of one document."""
        first = self[:1]
        currency = first.o2c_currency_id
        amount = sum(self.mapped("o2c_disputed_amount"))
        return {
            "name": self.env._(
                "Disputed by the customer: %(amount)s (%(tickets)s)",
                amount=format_amount(self.env, amount, currency),
                tickets=", ".join(self.mapped("number")),
            ),
            "amount": amount,
            "currency_id": currency.id,
            "ticket_id": first.id,
            "picking_id": first.o2c_picking_id.id,
            "details": Markup("<ul>%s</ul>")
            % Markup().join(
                Markup("<li>%s — %s: %s</li>")
                % (t.number, t._o2c_label("o2c_dispute_type", t.o2c_dispute_type), t.name)
                for t in self
            ),
        }

    @api.model
    def _o2c_vals_add_lines(self, vals):
        """Whether ``vals`` create or link disputed lines."""
        return any(
            isinstance(command, list | tuple) and command[0] in (0, 4, 6)
            for command in vals.get("o2c_line_ids") or ()
        )

    def _o2c_prepare_dispute_vals(self, vals):
        """Fill a new dispute's customer, company and team from its documents."""
        doc = False
        for field, model in (
            ("o2c_invoice_id", "account.move"),
            ("o2c_picking_id", "stock.picking"),
            ("o2c_sale_order_id", "sale.order"),
        ):
            if vals.get(field):
                doc = self.env[model].sudo().browse(vals[field])
                break
        vals["o2c_dispute_state"] = "open"
        if not doc:
            return vals
        vals.setdefault(
            "partner_id",
            (doc._o2c_dispute_customer() if doc._name == "stock.picking" else doc.partner_id).id,
        )
        vals.setdefault("company_id", doc.company_id.id)
        if (
            doc._name == "account.move"
            and "o2c_disputed_amount" not in vals
            and not vals.get("o2c_line_ids")
        ):
            # by default the customer disputes what is still due
            vals["o2c_disputed_amount"] = doc.amount_residual
        company = self.env["res.company"].browse(vals["company_id"])
        if company.o2c_dispute_team_id and not vals.get("team_id"):
            vals["team_id"] = company.o2c_dispute_team_id.id
        team = self.env["helpdesk.ticket.team"].browse(vals.get("team_id"))
        if not vals.get("user_id") and team.user_id in team.user_ids:
            # a dispute nobody opened by hand (a rejected proof...) reaches the team's
            # leader, who dispatches it, rather than nobody
            vals["user_id"] = team.user_id.id
        return vals

    def _o2c_label(self, field, value):
        """Translated label of a selection value of this model."""
        return dict(self._fields[field]._description_selection(self.env)).get(value, value)

    # -------------------------------------------------------- VALIDATION
    def _o2c_invalid(self, problem):
        """Raise a ValidationError about this dispute (``problem`` names the field)."""
        raise ValidationError(
            self.env._("Dispute %(ticket)s: %(problem)s", ticket=self.display_name, problem=problem)
        )

    def _o2c_check_links(self):
        """Documents of a dispute belong to its customer and company, and to each other."""
        self.ensure_one()
        invoice = self.o2c_invoice_id.sudo()
        order = self.o2c_sale_order_id.sudo()
        picking = self.o2c_picking_id.sudo()
        if not self.o2c_dispute_type:
            self._o2c_invalid(self.env._("the Dispute Type is required."))
        if not self.partner_id:
            self._o2c_invalid(self.env._("the customer (field Contact) is required."))
        if not (invoice or order or picking):
            self._o2c_invalid(self.env._("link it to an Invoice, a Sales Order or a Delivery."))
        customer = self.partner_id.commercial_partner_id
        for doc, partner in (
            (invoice, invoice.partner_id),
            (order, order.partner_id),
            (picking, picking and picking._o2c_dispute_customer()),
        ):
            if doc and partner.commercial_partner_id != customer:
                self._o2c_invalid(
                    self.env._(
                        "%(doc)s belongs to %(other)s, not to the customer %(customer)s.",
                        doc=doc.display_name,
                        other=partner.commercial_partner_id.name,
                        customer=customer.name,
                    )
                )
            if doc and doc.company_id != self.company_id:
                self._o2c_invalid(
                    self.env._(
                        "%(doc)s belongs to company %(other)s, not to %(company)s.",
                        doc=doc.display_name,
                        other=doc.company_id.name,
                        company=self.company_id.name,
                    )
                )
        self._o2c_check_document_kinds(invoice, order, picking)

    def _o2c_check_document_kinds(self, invoice, order, picking):
        """The Invoice is a posted customer invoice, the Delivery an outgoing one, of the order."""
        if invoice and (invoice.move_type != "out_invoice" or invoice.state != "posted"):
            self._o2c_invalid(
                self.env._(
                    "the Invoice %s must be a posted customer invoice.", invoice.display_name
                )
            )
        if picking and picking.picking_type_code != "outgoing":
            self._o2c_invalid(
                self.env._(
                    "the Delivery %s must be a delivery to the customer.", picking.display_name
                )
            )
        if order and picking and picking.sale_id != order:
            self._o2c_invalid(
                self.env._(
                    "the Delivery %(doc)s does not belong to the Sales Order %(order)s.",
                    doc=picking.name,
                    order=order.name,
                )
            )
        if order and invoice and invoice not in order.invoice_ids:
            self._o2c_invalid(
                self.env._(
                    "the Invoice %(doc)s does not belong to the Sales Order %(order)s.",
                    doc=invoice.name,
                    order=order.name,
                )
            )

    def _o2c_check_can_close(self, vals):
        """A dispute closes only once resolved or cancelled, with its root cause."""
        for ticket in self:
            if not vals.get("o2c_root_cause", ticket.o2c_root_cause):
                ticket._o2c_invalid(self.env._("set the Root Cause before closing it."))
            state = vals.get("o2c_dispute_state", ticket.o2c_dispute_state)
            if state not in ("resolved", "cancelled"):
                raise UserError(
                    self.env._(
                        "Dispute %(ticket)s is %(state)s: apply its resolution (Apply Resolution) "
                        "or cancel it before closing the ticket.",
                        ticket=ticket.display_name,
                        state=ticket._o2c_label("o2c_dispute_state", state),
                    )
                )

    def _o2c_check_dispute_locks(self, vals):
        """Refuse a change of what a dispute's state no longer lets change.

        The documents change while the dispute is open; the claimed lines and
        amount and the resolution until the resolution is applied (a change while
        an approval waits reopens it: :meth:`_o2c_all_key_fields`); the root cause
        until the dispute is closed. A dispute is cancelled, not archived while
        open nor unticked. For every caller, whatever the form shows.
        """
        if governed_write_allowed(self._name):
            return
        disputes = self.filtered(lambda t: t.o2c_is_dispute and t.o2c_dispute_state)
        if not disputes:
            return
        for fnames, states in CLAIM_LOCKS:
            changed = [
                fname
                for fname in fnames
                if fname in vals
                and (
                    bool(vals[fname])
                    if fname == "o2c_line_ids"
                    else any(disputes._o2c_value_differs(t, fname, vals[fname]) for t in disputes)
                )
            ]
            locked = disputes.filtered(lambda t, s=states: t.o2c_dispute_state not in s)
            if changed and locked:
                ticket = locked[0]
                raise UserError(
                    self.env._(
                        "Dispute %(ticket)s is %(state)s: %(fields)s can no longer change.",
                        ticket=ticket.display_name,
                        state=ticket._o2c_label("o2c_dispute_state", ticket.o2c_dispute_state),
                        fields=", ".join(
                            self._fields[f]._description_string(self.env) for f in changed
                        ),
                    )
                )
        if "active" in vals and not vals["active"]:
            if disputes.filtered(lambda t: t.o2c_dispute_state in OPEN_STATES):
                raise UserError(
                    self.env._("An open dispute cannot be archived: resolve or cancel it first.")
                )
        if "o2c_is_dispute" in vals and not vals["o2c_is_dispute"]:
            raise UserError(
                self.env._(
                    "Ticket %s is a dispute: cancel the dispute (Cancel Dispute) instead.",
                    disputes[0].display_name,
                )
            )

    def _o2c_check_lines_editable(self):
        """Refuse a change of the disputed lines once the dispute's resolution is applied."""
        if governed_write_allowed(self._name):
            return
        locked = self.sudo().filtered(
            lambda t: t.o2c_is_dispute and t.o2c_dispute_state not in LINE_STATES
        )
        if locked:
            raise UserError(
                self.env._(
                    "Dispute %(ticket)s is %(state)s: its Disputed Lines can no longer change.",
                    ticket=locked[0].display_name,
                    state=locked[0]._o2c_label("o2c_dispute_state", locked[0].o2c_dispute_state),
                )
            )

    def _o2c_set_dispute_state(self, vals, reason):
        """Write the dispute's new state as its action (resolution, cancellation).

        ``reason`` is the text the documents' ``invoice_dispute`` exceptions are
        resolved with when no other dispute is open on them.
        """
        with closing_reason(reason):
            return self._o2c_owned_write(vals)

    def _o2c_check_resolution_ready(self):
        """Validate every input of the chosen resolutions before anything happens."""
        for ticket in self:
            if not ticket.o2c_is_dispute:
                raise UserError(self.env._("Ticket %s is not a dispute.", ticket.display_name))
            if ticket.o2c_dispute_state not in ("open", "to_approve"):
                raise UserError(
                    self.env._(
                        "Dispute %(ticket)s is %(state)s: its resolution cannot be applied again.",
                        ticket=ticket.display_name,
                        state=ticket._o2c_label("o2c_dispute_state", ticket.o2c_dispute_state),
                    )
                )
            ticket._o2c_check_resolution_inputs()
            ticket._o2c_check_resolution_documents()

    def _o2c_check_resolution_inputs(self):
        """Resolution, Root Cause, Rejection Reason, Invoice and Disputed Lines are there."""
        resolution = self.o2c_resolution
        if not resolution:
            self._o2c_invalid(self.env._("choose a Resolution first."))
        if not self.o2c_root_cause:
            self._o2c_invalid(self.env._("the Root Cause is required to close it."))
        if resolution == "rejected" and not (self.o2c_rejection_reason or "").strip():
            self._o2c_invalid(self.env._("a Rejection Reason is required to reject it."))
        if resolution in MONEY_RESOLUTIONS and not self.o2c_invoice_id:
            self._o2c_invalid(self.env._("this resolution needs the disputed Invoice."))
        by_lines = resolution in ("return_refund", "replacement") or (
            resolution == "credit_note" and self.o2c_credit_mode == "lines"
        )
        if by_lines and not self.o2c_line_ids:
            self._o2c_invalid(self.env._("add the Disputed Lines this resolution applies to."))
        if (
            by_lines
            and resolution != "replacement"
            and not all(self.o2c_line_ids.mapped("move_line_id"))
        ):
            self._o2c_invalid(
                self.env._("every Disputed Line needs its invoice line for a credit.")
            )

    def _o2c_check_resolution_documents(self):
        """The documents allow the resolution: unpaid invoice, done delivery, account."""
        resolution = self.o2c_resolution
        invoice = self.o2c_invoice_id
        currency = invoice.currency_id
        if (
            resolution == "credit_note"
            and self.o2c_credit_mode == "full"
            and (currency.compare_amounts(invoice.amount_residual, invoice.amount_total))
        ):
            self._o2c_invalid(
                self.env._(
                    "only an unpaid invoice can be reversed in full; credit the disputed lines."
                )
            )
        picking = self.o2c_picking_id
        if resolution == "return_refund" and not (
            picking.state == "done" and picking.picking_type_code == "outgoing"
        ):
            self._o2c_invalid(self.env._("a return needs the done Delivery the goods left with."))
        if resolution == "write_off" and not self.company_id.o2c_dispute_writeoff_account_id:
            self._o2c_invalid(
                self.env._(
                    "set the Dispute Write-off Account of company %s (Settings > Helpdesk).",
                    self.company_id.name,
                )
            )
        if (
            resolution in ("credit_note", "write_off")
            and currency.compare_amounts(self.o2c_resolution_amount, invoice.amount_residual) > 0
        ):
            self._o2c_invalid(
                self.env._(
                    "the Amount Given Back (%(amount)s) is above the amount still due on invoice "
                    "%(invoice)s (%(residual)s).",
                    amount=format_amount(self.env, self.o2c_resolution_amount, currency),
                    invoice=invoice.name,
                    residual=format_amount(self.env, invoice.amount_residual, currency),
                )
            )

    def _o2c_closing_stage(self, kind):
        """Closed stage of this ticket's team for a ``kind`` of closing."""
        self.ensure_one()
        stages = self.team_id._get_applicable_stages().filtered("closed")
        preferred = self.env.ref(CLOSING_STAGES[kind], raise_if_not_found=False)
        return preferred if preferred in stages else stages[:1]

    # -------------------------------------------------------- RESOLUTION
    def _o2c_execute_resolution(self):
        """Run each ticket's resolution (called only for tickets not held)."""
        for ticket in self:
            getattr(ticket, RESOLVERS[ticket.o2c_resolution])()
        return True

    def _o2c_resolve_by_credit_note(self):
        refund = self.env["account.move"]._o2c_create_dispute_credit_note(self)
        self._o2c_mark_resolved(self.env._("credit note %s", refund.name))

    def _o2c_resolve_by_return(self):
        picking = self.env["stock.picking"]._o2c_create_dispute_return(self)
        self._o2c_owned_write({"o2c_dispute_state": "waiting_return"})
        self._message_log(
            body=Markup("%s %s")
            % (
                self.env._("Return created, the credit note follows its reception:"),
                picking._get_html_link(),
            )
        )

    def _o2c_resolve_by_replacement(self):
        order = self.env["sale.order"]._o2c_create_dispute_replacement(self)
        self._o2c_mark_resolved(self.env._("replacement order %s", order.name))

    def _o2c_resolve_by_rejection(self):
        self._o2c_mark_resolved(
            self.env._("rejected: %s", self.o2c_rejection_reason.strip()), kind="rejected"
        )

    def _o2c_resolve_by_write_off(self):
        move = self.env["account.move"]._o2c_create_dispute_write_off(self)
        self._o2c_mark_resolved(self.env._("write-off %s", move.name))

    def _o2c_mark_resolved(self, summary, kind="resolved"):
        """Close the dispute: state, resolution time, closed stage, documents' exceptions."""
        now = fields.Datetime.now()
        for ticket in self:
            opened = ticket.create_date or now
            vals = {
                "o2c_dispute_state": "resolved",
                "o2c_resolved_date": now,
                "o2c_resolution_hours": round((now - opened).total_seconds() / 3600.0, 2),
            }
            stage = ticket._o2c_closing_stage(kind)
            if stage:
                vals["stage_id"] = stage.id
            reason = self.env._(
                "Dispute %(ticket)s resolved: %(summary)s", ticket=ticket.number, summary=summary
            )
            ticket._o2c_set_dispute_state(vals, reason)
            ticket._message_log(body=reason)

    def _o2c_returned_quantities(self, returns):
        """Return ``{dispute line id: quantity to credit}`` from the done return moves."""
        self.ensure_one()
        returned = defaultdict(float)
        for move in returns.move_ids.filtered(lambda m: m.state == "done"):
            returned[move.product_id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        result = {}
        for line in self.o2c_line_ids:
            product_uom = line.product_id.uom_id
            uom = line.move_line_id.product_uom_id or product_uom
            quantity = min(
                line.quantity, product_uom._compute_quantity(returned[line.product_id], uom)
            )
            result[line.id] = quantity
            returned[line.product_id] -= uom._compute_quantity(quantity, product_uom)
        return result
