# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    #: the dispute this free replacement resolves: set by the resolution only
    _o2c_governed_fields = ("o2c_origin_dispute_id",)

    # ------------------------------------------------------------ FIELDS
    o2c_dispute_ids = fields.One2many("helpdesk.ticket", "o2c_sale_order_id", string="Disputes")
    o2c_dispute_count = fields.Integer(string="Dispute Count", compute="_compute_o2c_dispute_count")
    o2c_origin_dispute_id = fields.Many2one(
        "helpdesk.ticket",
        string="Replaces for Dispute",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The dispute this replacement order resolves.",
    )

    # ----------------------------------------------------------- COMPUTE
    def _compute_o2c_dispute_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("o2c_is_dispute", "=", True), ("o2c_sale_order_id", "in", self.ids)],
                ["o2c_sale_order_id"],
                ["__count"],
            )
        )
        for order in self:
            order.o2c_dispute_count = counts.get(order, 0)

    # ------------------------------------------------------------ ACTION
    def action_o2c_open_dispute(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._o2c_dispute_form_action(self._o2c_dispute_defaults())

    def action_o2c_view_disputes(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._o2c_disputes_action(
            [("o2c_sale_order_id", "=", self.id)]
        )

    # ---------------------------------------------------------- BUSINESS
    def _o2c_dispute_defaults(self):
        """Values a dispute opened from this order starts with."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        pickings = self.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )
        invoice = invoices if len(invoices) == 1 else invoices.browse()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "o2c_sale_order_id": self.id,
            "o2c_invoice_id": invoice.id,
            "o2c_picking_id": pickings.id if len(pickings) == 1 else False,
            "o2c_disputed_amount": invoice.amount_residual,
        }

    @api.model
    def _o2c_create_dispute_replacement(self, ticket):
        """Free-of-charge order replacing the disputed goods, confirmed at once.

        Confirmation goes through the O2C enforcement point like any order: if a
        control holds it, it waits in the queue as a quotation.
        """
        source = (
            ticket.o2c_sale_order_id
            or ticket.o2c_picking_id.sale_id
            or ticket.o2c_invoice_id.invoice_line_ids.sale_line_ids.order_id[:1]
        )
        vals = {
            "partner_id": (source.partner_id or ticket.partner_id).id,
            "company_id": ticket.company_id.id,
            "origin": ticket.number,
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.quantity,
                        "product_uom": (
                            line.move_line_id.product_uom_id or line.product_id.uom_id
                        ).id,
                        "price_unit": 0.0,
                    }
                )
                for line in ticket.o2c_line_ids
            ],
        }
        if source:
            vals.update(
                {
                    "partner_invoice_id": source.partner_invoice_id.id,
                    "partner_shipping_id": source.partner_shipping_id.id,
                    "pricelist_id": source.pricelist_id.id,
                    "warehouse_id": source.warehouse_id.id,
                    "user_id": source.user_id.id,
                    "team_id": source.team_id.id,
                    "client_order_ref": source.client_order_ref,
                }
            )
        order = self.create(vals)
        order._o2c_owned_write({"o2c_origin_dispute_id": ticket.id})
        order.action_confirm()
        return order
