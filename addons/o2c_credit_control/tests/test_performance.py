# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.credit_status import CreditRequest
from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditPerformance(O2cQueryCountMixin, CreditCommon):
    """The credit check costs the same number of queries whatever the history."""

    def _columns(self, table):
        self.env.cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
                table,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _clone_invoice(self, invoice, count):
        """Copy a posted invoice ``count`` times in SQL (2,000 through the ORM take minutes).

        The copies are real open receivables: same lines, their own move, a distinct name.
        """
        self.env.flush_all()
        cols = self._columns("account_move")
        self.env.cr.execute(
            SQL(
                """INSERT INTO account_move (%s)
               SELECT %s FROM account_move, generate_series(1, %s) AS g WHERE id = %s
            RETURNING id""",
                SQL(", ").join(SQL.identifier(c) for c in cols),
                SQL(", ").join(
                    SQL("name || '-' || g") if c == "name" else SQL.identifier(c) for c in cols
                ),
                count,
                invoice.id,
            )
        )
        new_ids = [row[0] for row in self.env.cr.fetchall()]
        cols = self._columns("account_move_line")
        self.env.cr.execute(
            SQL(
                """INSERT INTO account_move_line (%s)
               SELECT %s FROM account_move_line AS l, unnest(%s) AS new(move)
                WHERE l.move_id = %s""",
                SQL(", ").join(SQL.identifier(c) for c in cols),
                SQL(", ").join(
                    SQL("new.move") if c == "move_id" else SQL.identifier("l", c) for c in cols
                ),
                new_ids,
                invoice.id,
            )
        )
        self.env.invalidate_all()

    def _customer_with_invoices(self, name, count):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        self._terms(partner=partner, limit=100)
        invoice = self._invoice(10, partner=partner, due_days_ago=45)
        if count > 1:
            self._clone_invoice(invoice, count - 1)
        return partner

    def test_check_queries_flat_with_2000_open_invoices(self):
        small = self._customer_with_invoices("Ten invoices", 10)
        big = self._customer_with_invoices("Two thousand invoices", 2000)
        warm = self._order(50, partner=small)
        self._o2c_query_count(lambda: warm._o2c_run_checks("confirm"))
        order_small = self._order(50, partner=small)
        order_big = self._order(50, partner=big)
        q_small = self._o2c_query_count(lambda: order_small._o2c_run_checks("confirm"))
        q_big = self._o2c_query_count(lambda: order_big._o2c_run_checks("confirm"))
        self.assertEqual(q_small, q_big, f"10 invoices: {q_small}, 2000: {q_big}")
        self.assertEqual(self._hold(order_big).o2c_credit_exposure, 20050)
        self.assertEqual(self._hold(order_big).o2c_credit_overdue, 20000)

    def test_partner_figures_queries_flat_with_2000_open_invoices(self):
        small = self._customer_with_invoices("Ten invoices", 10)
        big = self._customer_with_invoices("Two thousand invoices", 2000)
        self._o2c_query_count(lambda: small.o2c_credit_exposure)
        q_small = self._o2c_query_count(lambda: small.o2c_credit_exposure)
        q_big = self._o2c_query_count(lambda: big.o2c_credit_exposure)
        self.assertEqual(q_small, q_big, f"10 invoices: {q_small}, 2000: {q_big}")
        self.assertEqual(big.o2c_overdue_amount, 20000)

    def test_evaluate_queries_flat_with_partner_count(self):
        tag = self.env["res.partner.category"].create({"name": "Grouped"})
        self.env["o2c.credit.group"].create(
            {"name": "Grouped", "category_ids": [Command.link(tag.id)], "credit_limit": 10}
        )
        partners = self.env["res.partner"].create(
            [
                {"name": f"C{i}", "is_company": True, "category_id": [Command.link(tag.id)]}
                for i in range(50)
            ]
        )

        def evaluate(count):
            requests = [CreditRequest(p.id, p, self.company, 10.0) for p in partners[:count]]
            return self._o2c_query_count(
                lambda: self.env["res.partner"]._o2c_credit_evaluate(requests)
            )

        evaluate(2)
        self.assertEqual(evaluate(5), evaluate(50))
