# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo.addons.o2c_credit_control.tests.common import CREDIT_TEST_SETTINGS
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import AttackCommon

#: statements that write or lock rows: two transactions doing one of them on the
#: same row wait for each other
WRITE = re.compile(r'^\s*(?:UPDATE|DELETE\s+FROM|INSERT\s+INTO)\s+"?(\w+)"?', re.IGNORECASE)
LOCK = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b", re.IGNORECASE)
FROM = re.compile(r'\bFROM\s+"?(\w+)"?', re.IGNORECASE)


@tagged("post_install", "-at_install")
class TestHotRows(O2cQueryCountMixin, AttackCommon):
    """Confirming orders and deciding their exceptions write no row they all share.

    Many orders of one customer confirmed at once, and approvals on one exception
    queue, must not wait for each other: no statement of a confirmation or a
    decision writes or locks the customer, the company, an exception type or a
    policy (each such write would serialize every concurrent confirmation).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._only_pricing_policy("Hot rows pricing")
        cls.company.write(CREDIT_TEST_SETTINGS)
        # the credit check runs on every confirmation of this customer and passes
        cls.customer.write(
            {
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": 1e9,
                "o2c_credit_policy": "approve",
                "o2c_overdue_tolerance_days": 30,
                "o2c_overdue_tolerance_amount": 0.0,
            }
        )
        cls.shared = cls._shared_tables()

    @classmethod
    def _shared_tables(cls):
        """Tables of the rows every confirmation of the customer would share."""
        tables = {"res_partner", "res_company", "o2c_exception_type"}
        for name, model in cls.env.items():
            if name.startswith("o2c.") and "policy" in name and not model._abstract:
                tables.add(model._table)
        return tables

    def _shared_statements(self, func, *args):
        """Run ``func`` (flush included); return its statements on a shared table."""
        _result, queries = self._o2c_queries(func, *args)
        found = []
        for query in map(str, queries):
            write = WRITE.match(query)
            if write and write.group(1) in self.shared:
                found.append(query[:200])
            elif LOCK.search(query) and set(FROM.findall(query)) & self.shared:
                found.append(query[:200])
        return found

    def _confirm(self, order):
        return self.rpc(self.salesman, "sale.order", "action_confirm", order.ids)

    def test_policy_tables_found(self):
        """The guard watches the policies of every installed control."""
        self.assertIn("o2c_pricing_policy", self.shared)
        self.assertIn("o2c_fulfillment_policy", self.shared)

    def test_guard_sees_a_write_and_a_lock(self):
        """The guard itself: a write on the customer and a lock of a type are seen."""

        def write_customer():
            self.customer.sudo().write({"comment": "changed"})

        def lock_type():
            self.env.cr.execute(
                "SELECT id FROM o2c_exception_type WHERE id = %s FOR NO KEY UPDATE",
                [self.pricing_type.id],
            )

        self.assertEqual(len(self._shared_statements(write_customer)), 1)
        self.assertEqual(len(self._shared_statements(lock_type)), 1)

    def test_confirmations_of_one_customer_share_no_row(self):
        self._confirm(self.quotation())  # warm-up: first confirmation of the test
        for qty in (1.0, 3.0):
            order = self.quotation(qty=qty)
            self.assertEqual(self._shared_statements(self._confirm, order), [])
            self.assertEqual(order.state, "sale")

    def test_held_confirmation_and_approval_share_no_row(self):
        self._confirm(self.quotation())
        order = self.quotation(discount=40.0)
        self.assertEqual(self._shared_statements(self._confirm, order), [])
        self.assertTrue(order.o2c_blocked, "the pricing control holds the discount")
        exc = self.env["o2c.exception"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(len(exc), 1)

        def approve():
            return self.rpc(self.approver, "o2c.exception", "action_approve", exc.ids, "ok")

        self.assertEqual(self._shared_statements(approve), [])
        self.assertEqual(exc.state, "approved")
        self.assertEqual(order.state, "sale", "the confirmation goes on after the approval")

    def _delivered_order(self):
        order = self.quotation()
        self._confirm(order)
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1.0
        picking.button_validate()
        return order

    def test_auto_invoicing_of_one_customer_shares_no_row(self):
        """Odoo writes a customer's sign-up type whenever a mail about its document
        links to the portal (b2c sign-up), e.g. the salesperson's "invoice assigned to
        you": each invoice of the customer would update its row, and concurrent
        auto-invoice jobs of one customer would wait for each other (measured by bench
        scenario 8). The type is written once, not again."""
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        self.company.write({"o2c_invoice_release_policy": "on_delivery", "o2c_auto_invoice": True})
        self.salesman.notification_type = "email"
        self.customer.email = "hot.rows@example.com"
        first = self._delivered_order()
        invoice = self.env["sale.order"]._cron_o2c_auto_invoice
        invoice()  # the customer's first portal link writes its type
        self.assertEqual(self.customer.sudo().signup_type, "signup")
        self.assertEqual(len(first.invoice_ids), 1)
        second = self._delivered_order()
        # the next job runs in a transaction of its own, with a later timestamp (in one
        # transaction, a write of the same value would change nothing, not even write_date)
        self.addCleanup(setattr, self.env.cr, "_now", self.env.cr._now)
        self.env.cr._now = self.env.cr.now() + timedelta(seconds=1)
        self.assertEqual(self._shared_statements(invoice), [])
        self.assertEqual(len(second.invoice_ids), 1)
