# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class O2cException(models.Model):
    _inherit = "o2c.exception"

    #: the document link, like the engine's: set when raised, by the engine only
    _o2c_governed_fields = ("ticket_id",)

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Dispute",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The dispute ticket this exception comes from or belongs to.",
    )

    # ---------------------------------------------------------- BUSINESS
    def _o2c_default_root_causes(self):
        # a dispute's exceptions are decided with the dispute's own root cause
        result = super()._o2c_default_root_causes()
        # read as the engine: the approver of a dispute may not read helpdesk tickets
        for exc in self.sudo().filtered("ticket_id"):
            if exc.ticket_id.o2c_root_cause_id:
                result[exc.id] = exc.ticket_id.o2c_root_cause_id.with_env(self.env)
        return result
