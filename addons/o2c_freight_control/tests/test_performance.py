# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cFreightCommon

#: queries the freight check adds per order shipped with a carrier: Odoo's rating
#: (``rate_shipment``) looks the main company up three times per order
PER_ORDER = 3
#: and the engine's hold per held order (its batched writes and logs)
PER_HELD_ORDER = PER_ORDER + 1


@tagged("post_install", "-at_install")
class TestFreightPerformance(O2cFreightCommon):
    """The freight check costs a bounded number of queries per order, none per line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"max_freight_cost": 50.0, "max_freight_share": 15.0})

    def _orders(self, count, carrier, lines=1):
        return self.env["sale.order"].union(
            *(self._order(carrier, lines=lines) for __ in range(count))
        )

    def _check(self, orders):
        return self._o2c_query_count(orders._o2c_check_freight)

    def _confirm(self, orders):
        return self._o2c_query_count(orders.with_user(self.salesman).action_confirm)

    def test_check_flat_with_lines(self):
        self._check(self._order(self.express, lines=2))  # warm-up
        small = self._order(self.express, lines=2)
        big = self._order(self.express, lines=40)
        queries_small = self._o2c_queries(small._o2c_check_freight)[1]
        queries_big = self._o2c_queries(big._o2c_check_freight)[1]
        self.assertTrue(self._exception(big))
        self.assertFlatQueries(queries_small, queries_big, "freight check, 2 vs 40 lines")

    def test_check_bounded_per_order(self):
        self._check(self._orders(1, self.standard))  # warm-up
        orders_1, orders_5 = self._orders(1, self.standard), self._orders(5, self.standard)
        one, five = self._check(orders_1), self._check(orders_5)
        self.assertEqual(len(self._exception(orders_5[0])), 1, "over the max cost: checked")
        self.assertLessEqual(five - one, 4 * PER_ORDER, f"1 order: {one}, 5 orders: {five}")

    def test_held_confirmation_bounded_per_order(self):
        """The whole enforcement point (all checks, the hold, the chatter)."""
        self._confirm(self._orders(1, self.express))  # warm-up
        orders_1, orders_5 = self._orders(1, self.express), self._orders(5, self.express)
        one, five = self._confirm(orders_1), self._confirm(orders_5)
        self.assertEqual(set((orders_1 | orders_5).mapped("state")), {"draft"}, "all held")
        self.assertLessEqual(five - one, 4 * PER_HELD_ORDER, f"1 order: {one}, 5 orders: {five}")

    def test_touchless_order_looks_no_policy_up(self):
        order = self._order()
        queries = self._o2c_queries(order._o2c_check_freight)[1]
        tables = ('"o2c_freight_policy"', '"delivery_carrier"', '"delivery_price_rule"')
        freight = [q for q in map(str, queries) if any(table in q for table in tables)]
        self.assertFalse(freight, "an order without carrier is not rated nor matched")
