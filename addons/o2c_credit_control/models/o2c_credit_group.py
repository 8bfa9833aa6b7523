# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_company import LIMIT_TYPES, POLICIES


class O2cCreditGroup(models.Model):
    """Credit terms shared by the customers tagged with one of its categories."""

    _name = "o2c.credit.group"
    _description = "O2C Credit Group"
    _order = "sequence, id"

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="When a customer is in several groups, the first one applies."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    category_ids = fields.Many2many(
        "res.partner.category",
        "o2c_credit_group_category_rel",
        "group_id",
        "category_id",
        string="Customer Tags",
        required=True,
        help="Customers (commercial entities) with one of these tags get these terms "
        "unless they have their own.",
    )
    limit_type = fields.Selection(LIMIT_TYPES, default="limit", required=True)
    credit_limit = fields.Monetary(currency_field="currency_id", help="0 = no credit.")
    policy = fields.Selection(POLICIES, default="approve", required=True)
    overdue_days = fields.Integer(string="Overdue Tolerance (days)", default=30)
    overdue_amount = fields.Monetary(
        string="Overdue Tolerance (amount)", currency_field="currency_id"
    )
    active = fields.Boolean(default=True)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("credit_limit", "overdue_days", "overdue_amount")
    def _check_non_negative(self):
        for group in self:
            for fname in ("credit_limit", "overdue_days", "overdue_amount"):
                if group[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot be negative (credit group %(group)s).",
                            field=group._fields[fname].get_description(self.env)["string"],
                            group=group.name,
                        )
                    )
