# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockBackorderConfirmation(models.TransientModel):
    _inherit = "stock.backorder.confirmation"

    o2c_needs_reason = fields.Boolean(compute="_compute_o2c_needs_reason")
    o2c_short_reason_id = fields.Many2one(
        "o2c.reason.code",
        string="Short Pick Reason",
        domain=[("usage", "=", "short_pick")],
        help="Required to close a customer delivery without a backorder.",
    )
    o2c_short_note = fields.Text(string="Short Pick Note")

    @api.depends("pick_ids")
    def _compute_o2c_needs_reason(self):
        for wizard in self:
            wizard.o2c_needs_reason = bool(wizard._o2c_short_deliveries(wizard.pick_ids))

    def _o2c_short_deliveries(self, pickings):
        """Deliveries of ``pickings`` that close short under a policy asking a reason."""
        deliveries = pickings.filtered(lambda p: p.picking_type_code == "outgoing")
        if not deliveries:
            return deliveries
        return deliveries.browse(list(deliveries._o2c_short_rows(deliveries._o2c_validated_qtys())))

    def process(self):
        no_backorder = self.backorder_confirmation_line_ids.filtered(
            lambda line: not line.to_backorder
        ).picking_id
        return super(StockBackorderConfirmation, self._o2c_with_reason(no_backorder)).process()

    def process_cancel_backorder(self):
        return super(
            StockBackorderConfirmation, self._o2c_with_reason(self.pick_ids)
        ).process_cancel_backorder()

    def _o2c_with_reason(self, pickings):
        """Pass the short pick reason on to the validation (required for deliveries)."""
        short = self._o2c_short_deliveries(pickings)
        if not short:
            return self
        if not self.o2c_short_reason_id:
            raise UserError(
                self.env._(
                    "Closing %s without a backorder ships less than ordered: choose a Short "
                    "Pick Reason.",
                    ", ".join(short.mapped("name")),
                )
            )
        self.o2c_short_reason_id._o2c_validate(
            "short_pick",
            self.o2c_short_note,
            self.env._("Short Pick Reason"),
            self.env._("Short Pick Note"),
        )
        return self.with_context(
            o2c_short_reason_id=self.o2c_short_reason_id.id,
            o2c_short_note=self.o2c_short_note,
        )
