# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import o2c_test_env
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

AGENT_GROUPS = ",".join(
    [
        "base.group_user",
        "helpdesk_mgmt.group_helpdesk_user",
        "o2c_exception_base.group_o2c_user",
        "account.group_account_invoice",
        "sales_team.group_sale_salesman_all_leads",
        "stock.group_stock_user",
    ]
)


class DisputeDataMixin:
    """A customer with invoices at 15 % tax, a helpdesk agent and two approvers.

    No demo data: everything is built here. Shared by transaction and HTTP tests.
    """

    @classmethod
    def _setup_dispute_data(cls):
        cls.env = o2c_test_env(cls.env)
        cls.company = cls.env.company
        cls.company.o2c_dispute_approval_amount = 500.0
        cls.company_b = cls.env["res.company"].create({"name": "O2C Dispute Company B"})
        both = [cls.company.id, cls.company_b.id]
        cls.agent = new_test_user(cls.env, "o2c_dispute_agent", AGENT_GROUPS, company_ids=both)
        approver_groups = "base.group_user,o2c_exception_base.group_o2c_approver"
        cls.approver = new_test_user(
            cls.env, "o2c_dispute_approver", approver_groups, company_ids=both
        )
        cls.approver_2 = new_test_user(
            cls.env, "o2c_dispute_approver2", approver_groups + "," + AGENT_GROUPS, company_ids=both
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Dispute Customer", "email": "customer@example.com"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Dispute Contact", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "O2C 15%",
                "amount": 15.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.product_a = cls.env["product.product"].create(
            {
                "name": "Disputed Widget",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.product_b = cls.env["product.product"].create(
            {
                "name": "Disputed Gadget",
                "type": "consu",
                "is_storable": True,
                "list_price": 40.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        for product in cls.product_a | cls.product_b:
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, 1000.0
            )
        cls.Ticket = cls.env["helpdesk.ticket"]

    # ---------------------------------------------------------- helpers
    @classmethod
    def _invoice(cls, lines=None, partner=None, company=None, post=True):
        """Posted customer invoice; ``lines`` = [(product, quantity, price)]."""
        lines = lines or [(cls.product_a, 10, 100.0)]
        company = company or cls.company
        invoice = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or cls.customer).id,
                    "company_id": company.id,
                    "invoice_date": "2026-01-15",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": qty,
                                "price_unit": price,
                                "tax_ids": [
                                    Command.set(cls.tax.ids if company == cls.company else [])
                                ],
                            }
                        )
                        for product, qty, price in lines
                    ],
                }
            )
        )
        if post:
            invoice.action_post()
        return invoice

    @classmethod
    def _invoiced_two_products(cls):
        """10 of product A at 100 and 5 of B at 40, delivered and invoiced: the
        class's ``order``, ``picking``, ``invoice`` and its lines ``line_a``, ``line_b``."""
        cls.order, cls.picking, cls.invoice = cls._delivered_order(
            [(cls.product_a, 10, 100.0), (cls.product_b, 5, 40.0)]
        )
        lines = cls.invoice.invoice_line_ids
        cls.line_a = lines.filtered(lambda aml: aml.product_id == cls.product_a)
        cls.line_b = lines.filtered(lambda aml: aml.product_id == cls.product_b)

    @classmethod
    def _delivered_order(cls, lines=None, partner=None):
        """Confirmed order, delivery validated, invoice posted: ``(order, picking, invoice)``."""
        lines = lines or [(cls.product_a, 10, 100.0)]
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": [Command.set(cls.tax.ids)],
                        }
                    )
                    for product, qty, price in lines
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, picking, invoice

    def _dispute(self, user=None, lines=None, **vals):
        """Dispute opened by ``user`` (the agent by default).

        ``lines`` = [(invoice line, quantity, unit price or None)].
        """
        values = {
            "name": "Customer disputes the invoice",
            "description": "<p>Disputed</p>",
            "o2c_is_dispute": True,
            "o2c_dispute_type": "damaged",
            **vals,
        }
        if lines:
            values["o2c_line_ids"] = [
                Command.create(
                    {
                        "move_line_id": aml.id,
                        "quantity": qty,
                        **({"price_unit": price} if price is not None else {}),
                    }
                )
                for aml, qty, price in lines
            ]
        return self.Ticket.with_user(user or self.agent).create(values)

    def _disputed_invoices(self, count, amount):
        """``count`` posted invoices of 100 (taxed), each disputed for ``amount``
        by one ticket: the bulk data of the query-count tests."""
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-01-15",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "quantity": 1,
                                "price_unit": 100.0,
                                "tax_ids": [Command.set(self.tax.ids)],
                            }
                        )
                    ],
                }
                for _i in range(count)
            ]
        )
        invoices.action_post()
        self._bulk_disputes(invoices, amount)
        return invoices

    def _bulk_disputes(self, invoices, amount):
        """One pricing dispute of ``amount`` per invoice, created in one batch."""
        return self.Ticket.create(
            [
                {
                    "name": "Bulk dispute",
                    "description": "<p>x</p>",
                    "o2c_is_dispute": True,
                    "o2c_dispute_type": "pricing",
                    "o2c_invoice_id": invoice.id,
                    "o2c_disputed_amount": amount,
                }
                for invoice in invoices
            ]
        )

    def _pay(self, invoice, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount}).action_create_payments()

    def _exceptions(self, record, code):
        return self.env["o2c.exception"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id), ("code", "=", code)]
        )


class DisputeCommon(DisputeDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_dispute_data()
