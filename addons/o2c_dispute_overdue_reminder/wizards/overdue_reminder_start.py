# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class OverdueReminderStart(models.TransientModel):
    _inherit = "overdue.reminder.start"

    def _prepare_base_domain(self):
        # Both searches of the wizard (which customers to remind, then their
        # invoices) start from this domain: an invoice under an open dispute is
        # neither a reason to remind a customer nor part of the reminder.
        return [*super()._prepare_base_domain(), ("o2c_is_disputed", "=", False)]
