# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..governance import enforced


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "o2c.exception.mixin"]

    _o2c_link_field = "picking_id"
    _o2c_responsible_field = "user_id"
    _o2c_team_field = "sale_id.team_id"
    _o2c_guarded_action = "validate"
    _o2c_guarded_states = ("done",)
    _o2c_resume_methods = {"validate": "button_validate"}
    #: computed from its moves: a transfer written "done" would look delivered
    _o2c_computed_fields = ("state",)
    _o2c_key_fields = (
        "partner_id",
        "move_ids.product_id",
        "move_ids.quantity",
        "move_line_ids.lot_id",
    )

    def button_validate(self):
        """Validation goes through the O2C enforcement point first."""
        return self._o2c_hold_or_proceed(
            lambda pickings: super(StockPicking, pickings).button_validate(), "validate"
        )

    def _action_done(self):
        # Backstop for paths that skip button_validate (imports, RPC, automation):
        # the same checks, then the moves' own "done" write knows they ran.
        self._o2c_enforce_transition("done", "validate")
        with enforced(self, "validate"):
            res = super()._action_done()
        self._o2c_record_deliveries()
        return res

    # ------------------------------------------------------------- STEPS
    def _o2c_step_orders(self):
        return {picking.id: (picking.sale_id, {"picking_id": picking.id}) for picking in self}

    def _o2c_record_deliveries(self):
        """The customer deliveries among these done transfers are steps of their orders."""
        done = self.filtered(
            lambda p: p.state == "done" and p.sale_id and p.picking_type_code == "outgoing"
        )
        if done:
            done.sale_id.sudo()._o2c_record_delivery_steps(done)

    def _o2c_exception_document_vals(self):
        result = super()._o2c_exception_document_vals()
        for rec in self:
            if rec.sale_id:
                result[rec.id]["sale_order_id"] = rec.sale_id.id
                result[rec.id]["currency_id"] = rec.sale_id.currency_id.id
                result[rec.id]["order_class_id"] = rec.sale_id.o2c_order_class_id.id
        return result

    def _o2c_is_buyer_of(self, user):
        """Whether ``user`` (portal) buys for the company this delivery's order is for."""
        self.ensure_one()
        customer = self.sale_id.partner_id.commercial_partner_id
        return bool(customer) and not user._is_public() and user.commercial_partner_id == customer

    # ---------------------------------------------------------- HOOKS
    def _o2c_pod_rejected(self, reason):
        """Hook: a proof of delivery of these pickings was rejected.

        Called by o2c_invoice_release; o2c_dispute_helpdesk opens a
        ``not_delivered`` dispute from it. No-op here.
        """
        return True

    def _o2c_receipt_problems(self, problems, contact, attachments):
        """Hook: the customer's ``contact`` confirmed the receipt of this delivery
        but reported ``problems``: ``[(stock.move, short qty, damaged qty)]``, with
        ``attachments`` (photos). Called by o2c_invoice_release; o2c_dispute_helpdesk
        opens a dispute from it. Returns the portal URL of what was opened for the
        customer to follow, or ``False`` (nothing here)."""
        self.ensure_one()
        return False
