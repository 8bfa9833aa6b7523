# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
from odoo.addons.o2c_dispute_helpdesk.tests.common import DisputeDataMixin
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

ACCOUNTANT_GROUPS = ",".join(
    [
        "base.group_user",
        "account.group_account_invoice",
        "account_credit_control.group_account_credit_control_user",
    ]
)


class DisputeCreditControlCommon(DisputeDataMixin, TransactionCase):
    """The dispute fixture, a one-level credit control policy and an accountant.

    The accountant runs credit control (OCA group *Credit Control / User*); the
    helpdesk agent of the dispute fixture opens and resolves the disputes.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_dispute_data()
        cls.accountant = new_test_user(
            cls.env, "o2c_dunning_accountant", ACCOUNTANT_GROUPS, company_ids=cls.company.ids
        )
        receivable = cls.customer.with_company(cls.company).property_account_receivable_id
        cls.policy = cls.env["credit.control.policy"].create(
            {
                "name": "O2C dunning",
                "company_id": cls.company.id,
                "account_ids": [Command.set(receivable.ids)],
                "level_ids": [
                    Command.create(
                        {
                            "name": "First reminder",
                            "level": 1,
                            "computation_mode": "net_days",
                            "delay_days": 10,
                            "channel": "letter",
                            "email_template_id": cls.env.ref(
                                "account_credit_control.email_template_credit_control_base"
                            ).id,
                            "custom_text": "Please pay",
                            "custom_mail_text": "<p>Please pay</p>",
                        }
                    )
                ],
            }
        )
        cls.company.credit_policy_id = cls.policy
        cls.company.credit_control_tolerance = 0.1
        cls.invoice = cls._overdue_invoice([(cls.product_a, 10, 100.0)])  # 1,150 due
        cls.other = cls._overdue_invoice([(cls.product_b, 5, 40.0)])  # 230 due
        cls.invoice_line = cls.invoice.invoice_line_ids

    # ---------------------------------------------------------- helpers
    @classmethod
    def _overdue_invoice(cls, lines):
        """Posted invoice of the customer due on 2026-01-15 (``lines`` as ``_invoice``)."""
        invoice = cls._invoice(lines, post=False)
        invoice.invoice_date_due = "2026-01-15"
        invoice.action_post()
        return invoice

    @classmethod
    def _run(cls):
        """A credit control run of today, computed by the accountant."""
        run = (
            cls.env["credit.control.run"]
            .with_user(cls.accountant)
            .create(
                {
                    "date": fields.Date.context_today(cls.accountant),
                    "policy_ids": [Command.set(cls.policy.ids)],
                }
            )
        )
        run.generate_credit_lines()
        return run

    @staticmethod
    def _lines(run, invoice):
        return run.line_ids.filtered(lambda line: line.invoice_id == invoice)

    def _resolve(self, ticket, **vals):
        ticket.write({"o2c_root_cause": "customer", **vals})
        return ticket.with_user(self.agent).action_o2c_apply_resolution()
