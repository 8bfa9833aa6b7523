# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .o2c_exception_type import check_code


class O2cRootCause(models.Model):
    """Why an exception happened: a small list the review groups decisions by.

    Seeded with the categories of the process review (policy design, master
    data, training, supplier, warehouse, customer request, carrier); the
    administrator adds or archives causes, never deletes one in use.
    """

    _name = "o2c.root.cause"
    _description = "O2C Root Cause"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True, help="Technical key, unique.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a root cause must be unique."),
    ]

    @api.constrains("code")
    def _check_code(self):
        check_code(self, lambda rec: self.env._("root cause %s", rec.name))
