# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class O2cDisputeLine(models.Model):
    """One disputed invoice line: how many units, and how much of their price."""

    _name = "o2c.dispute.line"
    _inherit = ["o2c.governed.mixin"]
    _description = "O2C Disputed Line"
    _order = "ticket_id, sequence, id"
    #: computed from the quantity, the price and the invoice line only: the
    #: approval limit and the credit are measured on it
    _o2c_governed_fields = ("amount",)

    # ------------------------------------------------------------ FIELDS
    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Dispute", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="ticket_id.o2c_currency_id")
    invoice_id = fields.Many2one(related="ticket_id.o2c_invoice_id")
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice Line",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('move_id', '=', invoice_id), ('display_type', '=', 'product')]",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        compute="_compute_from_move_line",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(
        string="Disputed Quantity", digits="Product Unit of Measure", required=True, default=1.0
    )
    price_unit = fields.Float(
        string="Disputed Unit Price",
        digits="Product Price",
        compute="_compute_from_move_line",
        store=True,
        readonly=False,
        precompute=True,
        help="Part of the unit price the customer disputes: the invoiced price for "
        "missing or damaged goods, the difference for a pricing dispute.",
    )
    amount = fields.Monetary(
        string="Disputed Amount",
        compute="_compute_amount",
        store=True,
        help="Taxes included, with the invoice line's discount and taxes.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("move_line_id")
    def _compute_from_move_line(self):
        for line in self:
            if line.move_line_id:
                line.product_id = line.move_line_id.product_id
                line.price_unit = line.move_line_id.price_unit
            elif not line.product_id:
                line.product_id = False
                line.price_unit = 0.0

    @api.depends("quantity", "price_unit", "move_line_id", "currency_id")
    def _compute_amount(self):
        for line in self:
            line.amount = line._o2c_amount(line.quantity, line.price_unit)

    def _o2c_amount(self, quantity, price_unit):
        """Taxes-included amount of ``quantity`` units at ``price_unit`` on this line."""
        self.ensure_one()
        return self._o2c_compute_amount(
            self.move_line_id,
            quantity,
            price_unit,
            self.currency_id or self.env.company.currency_id,
        )

    @api.model
    def _o2c_compute_amount(self, invoice_line, quantity, price_unit, currency):
        """Taxes-included amount, with the invoice line's discount and taxes if any."""
        if not invoice_line:
            return currency.round(quantity * price_unit)
        price = price_unit * (1 - (invoice_line.discount or 0.0) / 100.0)
        taxes = invoice_line.tax_ids.compute_all(
            price,
            currency=currency,
            quantity=quantity,
            product=invoice_line.product_id,
            partner=invoice_line.partner_id,
        )
        return taxes["total_included"]

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("quantity", "price_unit", "move_line_id", "ticket_id")
    def _check_line(self):
        for line in self:
            label = line.product_id.display_name or line.ticket_id.display_name
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._("Disputed line %s: the Disputed Quantity must be positive.", label)
                )
            if line.price_unit < 0:
                raise ValidationError(
                    self.env._(
                        "Disputed line %s: the Disputed Unit Price cannot be negative.", label
                    )
                )
            invoice_line = line.move_line_id
            if not invoice_line:
                continue
            if invoice_line.move_id != line.ticket_id.o2c_invoice_id:
                raise ValidationError(
                    self.env._(
                        "Disputed line %(line)s: the Invoice Line must come from invoice %(inv)s.",
                        line=label,
                        inv=line.ticket_id.o2c_invoice_id.display_name,
                    )
                )
            if line.quantity > invoice_line.quantity:
                raise ValidationError(
                    self.env._(
                        "Disputed line %(line)s: the Disputed Quantity (%(qty)s) is above the "
                        "invoiced quantity (%(invoiced)s).",
                        line=label,
                        qty=line.quantity,
                        invoiced=invoice_line.quantity,
                    )
                )
            if line.currency_id.compare_amounts(line.price_unit, invoice_line.price_unit) > 0:
                raise ValidationError(
                    self.env._(
                        "Disputed line %(line)s: the Disputed Unit Price (%(price)s) is above the "
                        "invoiced unit price (%(invoiced)s).",
                        line=label,
                        price=line.price_unit,
                        invoiced=invoice_line.price_unit,
                    )
                )
        # the ticket's total moves with its lines
        self.ticket_id._check_o2c_disputed_amount()

    # -------------------------------------------------------------- CRUD
    # The lines are the customer's claim: they change until the resolution is
    # applied, on any path; a change while an approval waits reopens it, and its
    # author may not approve it (segregation of duties).
    @api.model_create_multi
    def create(self, vals_list):
        self.env["helpdesk.ticket"].browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )._o2c_check_lines_editable()
        lines = super().create(vals_list)
        lines.ticket_id._o2c_sync_after_lines()
        lines.ticket_id._o2c_check_key_changes()
        return lines

    def write(self, vals):
        tickets = self.ticket_id
        if vals.get("ticket_id"):
            tickets |= tickets.browse(vals["ticket_id"])
        tickets._o2c_check_lines_editable()
        res = super().write(vals)
        (tickets | self.ticket_id)._o2c_sync_after_lines()
        (tickets | self.ticket_id)._o2c_check_key_changes()
        return res

    def unlink(self):
        tickets = self.ticket_id
        tickets._o2c_check_lines_editable()
        res = super().unlink()
        tickets.exists()._o2c_sync_after_lines()
        tickets.exists()._o2c_check_key_changes()
        return res
