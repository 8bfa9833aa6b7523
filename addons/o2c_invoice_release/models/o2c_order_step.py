# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class O2cOrderStep(models.Model):
    """The proof of delivery is a step of order to cash (between the delivery
    and the invoice)."""

    _inherit = "o2c.order.step"

    step = fields.Selection(
        selection_add=[("pod", "Proof of delivery validated"), ("first_invoice",)],
        ondelete={"pod": "cascade"},
    )
