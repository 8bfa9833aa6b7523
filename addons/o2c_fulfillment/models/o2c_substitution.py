# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .stock_picking import CONSENT_CHANNELS

KINDS = [
    ("product", "Substitute product"),
    ("lot", "Lot change"),
]


class O2cSubstitution(models.Model):
    """A substitution delivered to a customer: kept for invoicing and disputes.

    Written when a delivery with a substitution is validated; never edited or
    deleted afterwards (audit trail).
    """

    _name = "o2c.substitution"
    _inherit = ["o2c.governed.mixin"]
    _description = "O2C Delivered Substitution"
    _order = "date desc, id desc"
    _rec_name = "picking_id"
    #: the whole record is evidence of what was delivered, approved and consented
    #: to: written once by the validation of the delivery, never changed after
    _o2c_governed_fields = (
        "kind",
        "date",
        "picking_id",
        "move_id",
        "sale_line_id",
        "substitute_line_id",
        "order_id",
        "partner_id",
        "product_id",
        "substitute_product_id",
        "quantity",
        "product_uom_id",
        "lot_ids",
        "substitute_lot_ids",
        "approved_substitute",
        "exception_id",
        "consent_date",
        "consent_contact",
        "consent_channel",
        "company_id",
    )

    # ------------------------------------------------------------ FIELDS
    kind = fields.Selection(KINDS, required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, index=True)
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    move_id = fields.Many2one("stock.move", readonly=True, ondelete="set null")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Ordered Line",
        readonly=True,
        index=True,
        ondelete="set null",
    )
    substitute_line_id = fields.Many2one(
        "sale.order.line",
        readonly=True,
        ondelete="set null",
        help="Order line created for the delivered substitute (invoiced from it).",
    )
    order_id = fields.Many2one("sale.order", readonly=True, index=True, ondelete="set null")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    product_id = fields.Many2one("product.product", string="Ordered Product", readonly=True)
    substitute_product_id = fields.Many2one(
        "product.product", string="Delivered Product", readonly=True
    )
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    product_uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    lot_ids = fields.Many2many(
        "stock.lot",
        "o2c_substitution_lot_rel",
        "substitution_id",
        "lot_id",
        string="Planned Lots",
        readonly=True,
    )
    substitute_lot_ids = fields.Many2many(
        "stock.lot",
        "o2c_substitution_new_lot_rel",
        "substitution_id",
        "lot_id",
        string="Delivered Lots",
        readonly=True,
    )
    approved_substitute = fields.Boolean(
        readonly=True,
        help="The delivered product is on the ordered product's list of " "approved substitutes.",
    )
    exception_id = fields.Many2one("o2c.exception", readonly=True, ondelete="set null")
    approved_by_id = fields.Many2one(related="exception_id.decided_by_id", string="Approved By")
    consent_date = fields.Datetime(string="Customer Consent", readonly=True)
    consent_contact = fields.Char(readonly=True)
    consent_channel = fields.Selection(
        CONSENT_CHANNELS, string="Consent Given Through", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)

    # -------------------------------------------------------------- CRUD
    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Delivered substitutions are part of the audit trail and cannot be " "deleted."
            )
        )
