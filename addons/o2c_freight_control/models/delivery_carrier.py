# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    o2c_expedited = fields.Boolean(
        string="Expedited",
        help="A premium shipping method (express, overnight, dedicated truck): orders "
        "shipped with it, and deliveries switched to it, need a freight approval when "
        "their freight policy says so.",
    )
