# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

#: how an order may be split into several deliveries
SPLIT_POLICIES = [
    ("available", "Ship available, backorder the rest"),
    ("complete", "Ship complete (one delivery)"),
    ("complete_line", "Ship complete per line"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    o2c_split_policy = fields.Selection(
        SPLIT_POLICIES,
        string="Split Shipments",
        required=True,
        default="available",
        help="Default of the company's orders; a customer or an order class may set "
        "its own. Ship complete: one delivery per order, a backorder or a split needs "
        "approval and the order is invoiced when complete. Ship complete per line: a "
        "line ships in full or waits.",
    )
