# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_dispute_helpdesk.tests.common import DisputeDataMixin
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class DisputeReminderCommon(DisputeDataMixin, TransactionCase):
    """The dispute fixture, two overdue invoices of its customer and an accountant.

    The accountant (Billing) sends the overdue reminders; the helpdesk agent of the
    dispute fixture opens and resolves the disputes.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_dispute_data()
        cls.accountant = new_test_user(
            cls.env,
            "o2c_reminder_accountant",
            "base.group_user,account.group_account_invoice",
            company_ids=cls.company.ids,
        )
        cls.invoice = cls._overdue_invoice([(cls.product_a, 10, 100.0)])  # 1,150 due
        cls.other = cls._overdue_invoice([(cls.product_b, 5, 40.0)])  # 230 due
        cls.invoice_line = cls.invoice.invoice_line_ids

    # ---------------------------------------------------------- helpers
    @classmethod
    def _overdue_invoice(cls, lines, partner=None):
        """Posted invoice due on 2026-01-15 (``lines`` as ``_invoice``)."""
        invoice = cls._invoice(lines, partner=partner, post=False)
        invoice.invoice_date_due = "2026-01-15"
        invoice.action_post()
        return invoice

    def _start(self, partners=None):
        """Run the reminder wizard as the accountant; return the steps prepared."""
        wizard = (
            self.env["overdue.reminder.start"]
            .with_user(self.accountant)
            .create(
                {
                    "partner_ids": [Command.set((partners or self.customer).ids)],
                    "start_days": 0,
                    "min_interval_days": 5,
                }
            )
        )
        wizard.run()
        return self.env["overdue.reminder.step"].search([("user_id", "=", self.accountant.id)])

    def _resolve(self, ticket, **vals):
        ticket.write({"o2c_root_cause": "customer", **vals})
        return ticket.with_user(self.agent).action_o2c_apply_resolution()
