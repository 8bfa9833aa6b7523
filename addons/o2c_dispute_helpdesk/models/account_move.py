# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_amount, plaintext2html

from .o2c_dispute_constants import OPEN_STATES


class AccountMove(models.Model):
    _inherit = "account.move"

    #: what the open disputes leave out of overdue checks (computed from them), and
    #: the dispute a credit note or write-off resolves: set by the resolution only
    _o2c_governed_fields = ("o2c_dispute_amount", "o2c_is_disputed", "o2c_origin_dispute_id")

    # ------------------------------------------------------------ FIELDS
    o2c_dispute_ids = fields.One2many("helpdesk.ticket", "o2c_invoice_id", string="Disputes")
    o2c_dispute_count = fields.Integer(string="Dispute Count", compute="_compute_o2c_dispute_count")
    o2c_dispute_amount = fields.Monetary(
        string="Disputed Amount",
        compute="_compute_o2c_dispute_amount",
        store=True,
        copy=False,
        help="Total of the open disputes on this invoice (invoice currency). It stays "
        "until the disputes are resolved, whatever payments are matched meanwhile.",
    )
    o2c_is_disputed = fields.Boolean(
        string="Disputed",
        compute="_compute_o2c_dispute_amount",
        store=True,
        index=True,
        copy=False,
        help="An open dispute concerns this invoice: follow-up reminders and overdue "
        "checks leave its disputed amount out.",
    )
    o2c_origin_dispute_id = fields.Many2one(
        "helpdesk.ticket",
        string="From Dispute",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The dispute this credit note or write-off resolves.",
    )

    # ----------------------------------------------------------- COMPUTE
    def _compute_o2c_dispute_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("o2c_is_dispute", "=", True), ("o2c_invoice_id", "in", self.ids)],
                ["o2c_invoice_id"],
                ["__count"],
            )
        )
        for move in self:
            move.o2c_dispute_count = counts.get(move, 0)

    @api.depends(
        "o2c_dispute_ids.o2c_is_dispute",
        "o2c_dispute_ids.o2c_dispute_state",
        "o2c_dispute_ids.o2c_disputed_amount",
    )
    def _compute_o2c_dispute_amount(self):
        # Depends on the disputes only: payment matching never touches it
        # (unlike payment_state "blocked", see odoo/odoo#222906).
        for move in self:
            disputes = move._o2c_open_disputes()
            move.o2c_dispute_amount = sum(disputes.mapped("o2c_disputed_amount"))
            move.o2c_is_disputed = bool(disputes)

    def _o2c_open_disputes(self):
        """The open disputes of this invoice (its tickets that are disputes, not yet
        closed): what dunning, reminders and overdue checks leave out."""
        self.ensure_one()
        return self.o2c_dispute_ids.filtered(
            lambda t: t.o2c_is_dispute and t.o2c_dispute_state in OPEN_STATES
        )

    # ------------------------------------------------------------ ACTION
    def action_o2c_open_dispute(self):
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted":
            raise UserError(self.env._("Only a posted customer invoice can be disputed."))
        return self.env["helpdesk.ticket"]._o2c_dispute_form_action(self._o2c_dispute_defaults())

    def action_o2c_view_disputes(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._o2c_disputes_action([("o2c_invoice_id", "=", self.id)])

    # ---------------------------------------------------------- BUSINESS
    def _o2c_dispute_defaults(self):
        """Values a dispute opened from this invoice starts with."""
        self.ensure_one()
        orders = self.invoice_line_ids.sale_line_ids.order_id
        pickings = orders.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "o2c_invoice_id": self.id,
            "o2c_sale_order_id": orders.id if len(orders) == 1 else False,
            "o2c_picking_id": pickings.id if len(orders) == 1 and len(pickings) == 1 else False,
            "o2c_disputed_amount": self.amount_residual,
        }

    def _o2c_portal_dispute_lines(self):
        """The invoice lines a customer may dispute from the portal."""
        self.ensure_one()
        return self.invoice_line_ids.filtered(lambda aml: aml.display_type == "product")

    def _o2c_check_portal_dispute_lines(self, quantities):
        """``{invoice line: quantity}`` from the portal: the lines disputed, checked,
        and the amount they come to."""
        lines, amount = {}, 0.0
        for aml, qty in quantities.items():
            if not math.isfinite(qty) or qty < 0:
                raise ValidationError(
                    self.env._("%s: the quantity must be a positive number.", aml.name)
                )
            if qty > aml.quantity:
                raise ValidationError(
                    self.env._(
                        "%(line)s: at most %(qty)s were invoiced (field Quantity).",
                        line=aml.name,
                        qty=aml.quantity,
                    )
                )
            if qty:
                lines[aml] = qty
                amount += aml.price_total * qty / aml.quantity
        return lines, amount

    def _o2c_create_portal_dispute(
        self, partner, dispute_type, amount, description, quantities=None, files=()
    ):
        """``partner`` disputes this invoice from the portal (sudo: checked by the
        caller): an ``amount``, or ``quantities`` of its lines ``{invoice line: qty}``,
        with ``files`` ``[(name, data)]``. Everything is checked before the ticket
        (and its number) exists."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"].sudo()
        types = dict(Ticket._fields["o2c_dispute_type"]._description_selection(self.env))
        if dispute_type not in types:
            raise ValidationError(self.env._("Choose a valid Dispute Type."))
        if not (description or "").strip():
            raise ValidationError(self.env._("Describe the problem (field Description)."))
        lines, lines_amount = self._o2c_check_portal_dispute_lines(quantities or {})
        self._o2c_check_portal_disputed_amount(lines_amount if lines else amount)
        orders = self.invoice_line_ids.sale_line_ids.order_id
        channel = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
        )
        ticket = Ticket.create(
            {
                "name": self.env._(
                    "Dispute on %(invoice)s: %(type)s", invoice=self.name, type=types[dispute_type]
                ),
                "description": plaintext2html(description.strip()),
                "partner_id": partner.id,
                "partner_name": partner.name,
                "partner_email": partner.email,
                "user_id": False,
                "channel_id": channel.id if channel else False,
                "o2c_is_dispute": True,
                "o2c_dispute_type": dispute_type,
                "o2c_invoice_id": self.id,
                "o2c_sale_order_id": orders.id if len(orders) == 1 else False,
                "o2c_disputed_amount": amount,
                "o2c_line_ids": [
                    Command.create({"move_line_id": aml.id, "quantity": qty})
                    for aml, qty in lines.items()
                ],
            }
        )
        ticket.message_subscribe(partner_ids=partner.ids)
        if files:
            self.env["ir.attachment"].sudo().create(
                [
                    {"name": name, "raw": data, "res_model": ticket._name, "res_id": ticket.id}
                    for name, data in files
                ]
            )
        return ticket

    def _o2c_check_portal_disputed_amount(self, amount):
        """Refuse a customer's amount before any ticket exists (nor its number)."""
        currency = self.currency_id
        # plain comparisons first: rounding an absurd number overflows
        if not math.isfinite(amount) or amount < currency.rounding:
            raise ValidationError(self.env._("The Disputed Amount must be a positive number."))
        due = self.amount_residual - self.o2c_dispute_amount
        if amount > due + currency.rounding / 2:
            raise ValidationError(
                self.env._(
                    "The Disputed Amount is above what is still due on invoice %(invoice)s "
                    "and not yet disputed (%(due)s).",
                    invoice=self.name,
                    due=format_amount(self.env, max(due, 0.0), currency),
                )
            )

    @api.model
    def _o2c_disputed_domain(self):
        return expression.OR([super()._o2c_disputed_domain(), [("o2c_is_disputed", "=", True)]])

    @api.model
    def _o2c_disputed_amounts(self, move_ids):
        """Open disputed amount of each invoice, in company currency.

        Capped by what is still due: a paid invoice has nothing left to leave out
        of overdue checks. One query for the whole list.
        """
        result = super()._o2c_disputed_amounts(move_ids)
        moves = self.sudo().search_fetch(
            [("id", "in", list(move_ids)), ("o2c_is_disputed", "=", True)],
            ["o2c_dispute_amount", "amount_residual", "amount_residual_signed", "company_id"],
        )
        for move in moves:
            open_amount = min(move.o2c_dispute_amount, move.amount_residual)
            if open_amount <= 0:
                continue
            amount = move.company_id.currency_id.round(
                open_amount * abs(move.amount_residual_signed) / move.amount_residual
            )
            result[move.id] = result.get(move.id, 0.0) + amount
        return result

    @api.model
    def _o2c_create_dispute_credit_note(self, ticket, quantities=None, link_sale=False):
        """Post the credit note of a dispute; it is matched with the invoice on posting.

        :param quantities: ``{dispute line id: quantity}`` to credit instead of the
            disputed quantities (returned goods)
        :param link_sale: link the credit lines to the sales lines (goods came back,
            so the order's invoiced quantities go down with its delivered ones)
        """
        invoice = ticket.o2c_invoice_id
        if quantities is None and ticket.o2c_credit_mode == "full":
            refund = invoice._reverse_moves(
                [
                    {
                        "invoice_date": fields.Date.context_today(self),
                        "ref": self.env._("Dispute %s", ticket.number),
                    }
                ]
            )
        else:
            refund = self.create(
                self._o2c_prepare_dispute_credit_note_vals(ticket, quantities, link_sale)
            )
        refund._o2c_owned_write({"o2c_origin_dispute_id": ticket.id})
        refund.with_context(o2c_raise_on_hold=True).action_post()
        return refund

    @api.model
    def _o2c_prepare_dispute_credit_note_vals(self, ticket, quantities=None, link_sale=False):
        """Credit note of the disputed lines at their disputed unit price."""
        invoice = ticket.o2c_invoice_id
        lines = []
        for line in ticket.o2c_line_ids:
            quantity = line.quantity if quantities is None else quantities.get(line.id, 0.0)
            invoice_line = line.move_line_id
            if not invoice_line or quantity <= 0:
                continue
            vals = {
                "product_id": invoice_line.product_id.id,
                "name": invoice_line.name,
                "quantity": quantity,
                "product_uom_id": invoice_line.product_uom_id.id,
                "price_unit": line.price_unit,
                "discount": invoice_line.discount,
                "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
                "account_id": invoice_line.account_id.id,
                "analytic_distribution": invoice_line.analytic_distribution,
            }
            if link_sale:
                vals["sale_line_ids"] = [Command.set(invoice_line.sale_line_ids.ids)]
            lines.append(Command.create(vals))
        return {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "company_id": invoice.company_id.id,
            "journal_id": invoice.journal_id.id,
            "currency_id": invoice.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "reversed_entry_id": invoice.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "invoice_user_id": invoice.invoice_user_id.id,
            "invoice_origin": invoice.name,
            "ref": self.env._("Dispute %s", ticket.number),
            "invoice_line_ids": lines,
        }

    @api.model
    def _o2c_create_dispute_write_off(self, ticket):
        """Write the disputed amount off the invoice's receivable and match them."""
        invoice = ticket.o2c_invoice_id
        company = ticket.company_id
        receivables = invoice.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
        )
        journal = company.o2c_dispute_writeoff_journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "general")],
            limit=1,
        )
        if not journal or not receivables:
            raise UserError(
                self.env._(
                    "Dispute %s: no miscellaneous journal or nothing left due to write off.",
                    ticket.display_name,
                )
            )
        amount = ticket.o2c_disputed_amount
        balance = ticket._o2c_to_company(amount)
        label = self.env._(
            "Dispute %(ticket)s: write-off on %(invoice)s",
            ticket=ticket.number,
            invoice=invoice.name,
        )
        common = {
            "partner_id": invoice.commercial_partner_id.id,
            "name": label,
            "currency_id": invoice.currency_id.id,
        }
        account = receivables[0].account_id
        move = self.create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": company.id,
                "date": fields.Date.context_today(self),
                "ref": label,
                "line_ids": [
                    Command.create(
                        {
                            **common,
                            "account_id": account.id,
                            "amount_currency": -amount,
                            "balance": -balance,
                        }
                    ),
                    Command.create(
                        {
                            **common,
                            "account_id": company.o2c_dispute_writeoff_account_id.id,
                            "amount_currency": amount,
                            "balance": balance,
                        }
                    ),
                ],
            }
        )
        move._o2c_owned_write({"o2c_origin_dispute_id": ticket.id})
        move.with_context(o2c_raise_on_hold=True).action_post()
        (receivables | move.line_ids.filtered(lambda aml: aml.account_id == account)).reconcile()
        return move
