# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .o2c_dispute_constants import OPEN_STATES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    #: the dispute whose returned goods this transfer receives: its validation
    #: posts the dispute's credit note, so only the return action sets it
    _o2c_governed_fields = ("o2c_origin_dispute_id",)

    # ------------------------------------------------------------ FIELDS
    o2c_dispute_ids = fields.One2many("helpdesk.ticket", "o2c_picking_id", string="Disputes")
    o2c_dispute_count = fields.Integer(string="Dispute Count", compute="_compute_o2c_dispute_count")
    o2c_origin_dispute_id = fields.Many2one(
        "helpdesk.ticket",
        string="Returned for Dispute",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The dispute whose returned goods this transfer receives.",
    )

    # ----------------------------------------------------------- COMPUTE
    def _compute_o2c_dispute_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("o2c_is_dispute", "=", True), ("o2c_picking_id", "in", self.ids)],
                ["o2c_picking_id"],
                ["__count"],
            )
        )
        for picking in self:
            picking.o2c_dispute_count = counts.get(picking, 0)

    # -------------------------------------------------------------- CRUD
    def _action_done(self):
        res = super()._action_done()
        self.filtered(
            lambda p: p.state == "done" and p.o2c_origin_dispute_id
        )._o2c_credit_dispute_returns()
        return res

    # ------------------------------------------------------------ ACTION
    def action_o2c_open_dispute(self):
        self.ensure_one()
        if self.picking_type_code != "outgoing":
            raise UserError(self.env._("Only a delivery to a customer can be disputed."))
        return self.env["helpdesk.ticket"]._o2c_dispute_form_action(self._o2c_dispute_defaults())

    def action_o2c_view_disputes(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._o2c_disputes_action([("o2c_picking_id", "=", self.id)])

    # ---------------------------------------------------------- BUSINESS
    def _o2c_dispute_customer(self):
        """The customer of a delivery: its order's, else its own partner."""
        self.ensure_one()
        return self.sale_id.partner_id or self.partner_id

    def _o2c_dispute_invoice(self):
        """Latest posted customer invoice of this delivery's goods."""
        self.ensure_one()
        invoices = self.move_ids.sale_line_id.invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        return invoices.sorted("id")[-1:]

    def _o2c_dispute_defaults(self):
        """Values a dispute opened from this delivery starts with."""
        self.ensure_one()
        invoice = self._o2c_dispute_invoice()
        return {
            "partner_id": self._o2c_dispute_customer().id,
            "company_id": self.company_id.id,
            "o2c_picking_id": self.id,
            "o2c_sale_order_id": self.sale_id.id,
            "o2c_invoice_id": invoice.id,
            "o2c_disputed_amount": invoice.amount_residual,
        }

    def _o2c_pod_rejected(self, reason):
        """A rejected proof of delivery opens a ``not_delivered`` dispute.

        Idempotent: a delivery that already has an open one gets a note instead.
        """
        res = super()._o2c_pod_rejected(reason)
        Ticket = self.env["helpdesk.ticket"].sudo()
        pickings = self.filtered(lambda p: p.picking_type_code == "outgoing" and p.partner_id)
        existing = Ticket.search(
            [
                ("o2c_is_dispute", "=", True),
                ("o2c_dispute_type", "=", "not_delivered"),
                ("o2c_dispute_state", "in", OPEN_STATES),
                ("o2c_picking_id", "in", pickings.ids),
            ]
        )
        existing._message_log_batch(
            bodies={
                ticket.id: Markup("%s: %s")
                % (self.env._("Proof of delivery rejected again"), reason)
                for ticket in existing
            }
        )
        vals_list = [
            picking._o2c_prepare_pod_dispute_vals(reason)
            for picking in pickings - existing.o2c_picking_id
        ]
        if vals_list:
            Ticket.create(vals_list)
        return res

    def _o2c_receipt_problems(self, problems, contact, attachments):
        """Goods reported missing or damaged on receipt open a dispute of the
        customer, on this delivery and its order, valued at the order's prices."""
        super()._o2c_receipt_problems(problems, contact, attachments)
        kind = "damaged" if any(damaged for __, __, damaged in problems) else "quantity_short"
        currency = self.sale_id.currency_id or self.company_id.currency_id
        amount = currency.round(self._o2c_receipt_problems_value(problems))
        lines = [
            self.env._(
                "%(product)s: %(short)s short, %(damaged)s damaged",
                product=move.product_id.display_name,
                short=short,
                damaged=damaged,
            )
            for move, short, damaged in problems
        ]
        defaults = self._o2c_dispute_defaults()
        invoice = self.env["account.move"].browse(defaults["o2c_invoice_id"])
        if (
            invoice
            and currency.compare_amounts(
                amount, invoice.amount_residual - invoice.o2c_dispute_amount
            )
            > 0
        ):
            invoice = invoice.browse()  # more than is still due on it: the delivery's
        vals = dict(
            defaults,
            name=self.env._("Receipt of %s: goods missing or damaged", self.name),
            description=Markup("<ul>%s</ul>")
            % Markup("").join(Markup("<li>%s</li>") % line for line in lines),
            partner_id=contact.id,
            o2c_is_dispute=True,
            o2c_dispute_type=kind,
            o2c_invoice_id=invoice.id,
            o2c_disputed_amount=amount,
        )
        ticket = self.env["helpdesk.ticket"].sudo().create(vals)
        ticket.message_subscribe(partner_ids=contact.ids)
        if attachments:
            attachments.copy({"res_model": ticket._name, "res_id": ticket.id})
        return f"/my/ticket/{ticket.id}"

    def _o2c_receipt_problems_value(self, problems):
        """What the missing and damaged goods are worth at the order's prices (taxes
        included: what the customer pays)."""
        value = 0.0
        for move, short, damaged in problems:
            sale_line = move.sale_line_id
            per_unit = move.product_uom._compute_quantity(1.0, sale_line.product_uom)
            value += (short + damaged) * per_unit * sale_line.price_reduce_taxinc
        return value

    def _o2c_credit_dispute_returns(self):
        """Returned goods received: credit what came back, then resolve the dispute."""
        for ticket, returns in self.grouped("o2c_origin_dispute_id").items():
            ticket = ticket.sudo()
            if ticket.o2c_dispute_state != "waiting_return":
                continue
            quantities = ticket._o2c_returned_quantities(returns)
            if not any(quantities.values()):
                ticket._o2c_mark_resolved(self.env._("nothing returned, nothing credited"))
                continue
            refund = (
                self.env["account.move"]
                .sudo()
                ._o2c_create_dispute_credit_note(ticket, quantities=quantities, link_sale=True)
            )
            ticket._o2c_mark_resolved(
                self.env._(
                    "goods returned (%(returns)s), credit note %(refund)s",
                    returns=", ".join(returns.mapped("name")),
                    refund=refund.name,
                )
            )

    def _o2c_prepare_pod_dispute_vals(self, reason):
        """Dispute of this delivery's goods, on its invoice when there is one."""
        self.ensure_one()
        invoice = self._o2c_dispute_invoice()
        Line = self.env["o2c.dispute.line"]
        lines, amount = [], 0.0
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            quantity = move.quantity if self.state == "done" else move.product_uom_qty
            invoice_line = invoice.invoice_line_ids.filtered(
                lambda aml, m=move: m.sale_line_id and m.sale_line_id in aml.sale_line_ids
            )[:1]
            if invoice_line:
                quantity = min(
                    move.product_uom._compute_quantity(quantity, invoice_line.product_uom_id),
                    invoice_line.quantity,
                )
                line_vals = {
                    "move_line_id": invoice_line.id,
                    "quantity": quantity,
                    "product_id": invoice_line.product_id.id,
                    "price_unit": invoice_line.price_unit,
                }
                amount += Line._o2c_compute_amount(
                    invoice_line, quantity, invoice_line.price_unit, invoice.currency_id
                )
            elif not invoice:
                line_vals = {
                    "product_id": move.product_id.id,
                    "quantity": move.product_uom._compute_quantity(
                        quantity, move.product_id.uom_id
                    ),
                    "price_unit": move.sale_line_id.price_unit,
                }
            else:
                continue
            if line_vals["quantity"] > 0:
                lines.append(line_vals)
        vals = {
            "name": self.env._("Delivery %s not received (proof of delivery rejected)", self.name),
            "description": Markup("<p>%s</p><p>%s</p>")
            % (self.env._("The proof of delivery of %s was rejected:", self.name), reason),
            "partner_id": self._o2c_dispute_customer().id,
            "company_id": self.company_id.id,
            "user_id": False,
            "o2c_is_dispute": True,
            "o2c_dispute_type": "not_delivered",
            "o2c_picking_id": self.id,
            "o2c_sale_order_id": self.sale_id.id,
        }
        residual = invoice.amount_residual
        if invoice and invoice.currency_id.compare_amounts(residual, 0.0) > 0:
            vals["o2c_invoice_id"] = invoice.id
            if invoice.currency_id.compare_amounts(amount, residual) > 0 or not lines:
                # more than still due: dispute what is due, without lines
                lines, vals["o2c_disputed_amount"] = [], residual
        elif invoice:
            lines = []  # fully paid: nothing left due on the invoice to dispute
        vals["o2c_line_ids"] = [Command.create(line_vals) for line_vals in lines]
        return vals

    @api.model
    def _o2c_create_dispute_return(self, ticket):
        """Return of the disputed quantities from the dispute's delivery.

        The return moves update the order's delivered quantities (``to_refund``);
        the credit note follows when the return is validated.
        """
        picking = ticket.o2c_picking_id
        wanted = defaultdict(float)
        for line in ticket.o2c_line_ids:
            uom = line.move_line_id.product_uom_id or line.product_id.uom_id
            wanted[line.product_id] += uom._compute_quantity(line.quantity, line.product_id.uom_id)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_model="stock.picking",
                active_id=picking.id,
                active_ids=picking.ids,
            )
            .create({"picking_id": picking.id})
        )
        for return_line in wizard.product_return_moves:
            product = return_line.product_id
            shipped = return_line.move_id.product_uom._compute_quantity(
                return_line.move_id.quantity, product.uom_id
            )
            quantity = max(min(wanted[product], shipped), 0.0)
            return_line.write({"quantity": quantity, "to_refund": True})
            wanted[product] -= quantity
        short = [
            product.display_name
            for product, quantity in wanted.items()
            if float_compare(quantity, 0.0, precision_rounding=product.uom_id.rounding) > 0
        ]
        if short:
            raise UserError(
                self.env._(
                    "Dispute %(ticket)s: delivery %(picking)s did not ship enough of %(products)s "
                    "to return the disputed quantities.",
                    ticket=ticket.display_name,
                    picking=picking.name,
                    products=", ".join(short),
                )
            )
        action = wizard.action_create_returns()
        returned = self.browse(action["res_id"])
        returned._o2c_owned_write({"o2c_origin_dispute_id": ticket.id})
        return returned
