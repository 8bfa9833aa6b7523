# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cFakeCommon


@tagged("post_install", "-at_install")
class TestRaisePerformance(O2cFakeCommon):
    """Raising exceptions costs a number of queries that does not grow with the count."""

    def _docs(self, count):
        return self.env["o2c.test.document"].create(
            [{"name": f"D{i}", "amount": 2000, "partner_id": self.partner.id} for i in range(count)]
        )

    def _raise(self, docs, code="o2c_test_big"):
        return docs._o2c_raise_exceptions(code, {"name": "bulk", "amount": 1})

    def test_raise_queries_flat(self):
        self._o2c_query_count(self._raise, self._docs(5))  # warm-up
        q10 = self._o2c_query_count(self._raise, self._docs(10))
        q100 = self._o2c_query_count(self._raise, self._docs(100))
        q1000 = self._o2c_query_count(self._raise, self._docs(1000))
        self.assertEqual(q10, q100, "flat within one ORM batch")
        # Beyond 100 rows only Odoo's own batched INSERT/UPDATE statements repeat
        # (INSERT_BATCH_SIZE = 100): at most 5 statements per 100 exceptions,
        # never a query per exception.
        self.assertLessEqual(q1000 - q100, 9 * 5, f"100: {q100}, 1000: {q1000}")

    def test_raise_again_is_cheap_and_writes_nothing(self):
        docs = self._docs(200)
        docs._o2c_raise_exceptions("o2c_test_big", {"name": "bulk", "amount": 1})
        self.env.flush_all()
        again = self._o2c_query_count(self._raise, docs)
        self.assertLess(again, 15, "idempotent re-raise of unchanged exceptions")

    def test_touchless_documents_skip_exception_lookups(self):
        docs = self._docs(3)
        self.env.flush_all()
        self.assertFalse(any(docs.mapped("o2c_has_live_exception")))
        before = self.env.cr.sql_log_count
        docs._o2c_resolve_exceptions()
        docs._o2c_check_key_changes()
        self.assertEqual(self.env.cr.sql_log_count, before, "no query without exceptions")
        docs[0]._o2c_raise_exceptions("o2c_test_big", {"name": "bulk", "amount": 1})
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        docs._o2c_check_key_changes()
        self.assertGreater(self.env.cr.sql_log_count, before, "one with an exception is looked up")

    def test_live_flag_follows_the_exceptions(self):
        doc = self._docs(1)
        exc = doc._o2c_raise_exceptions("o2c_test_big", {"name": "bulk", "amount": 1})
        self.assertTrue(doc.o2c_has_live_exception)
        self.assertTrue(doc._o2c_check_key_changes() is not None)
        doc._o2c_resolve_exceptions()
        self.assertEqual(exc.state, "resolved")
        self.assertFalse(doc.o2c_has_live_exception)
        self.assertFalse(doc.o2c_blocked)
        exc._reopen("test")
        self.assertTrue(doc.o2c_has_live_exception)
        found = self.env["o2c.exception"].search(doc._o2c_exception_domain(("open",)))
        self.assertEqual(found, exc, "a reopened exception is found again")

    def test_enforce_queries_flat(self):
        def enforce(count):
            return self._o2c_query_count(self._docs(count).action_confirm)

        enforce(5)  # warm-up
        q10, q100, q300 = enforce(10), enforce(100), enforce(300)
        self.assertEqual(q10, q100)
        self.assertLessEqual(q300 - q100, 2 * 6, f"100: {q100}, 300: {q300}")
