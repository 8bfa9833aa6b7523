# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import O2cFulfillmentCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestFulfillmentPerformance(O2cQueryCountMixin, O2cFulfillmentCommon):
    """Validating deliveries in batch costs a flat number of queries per picking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 100000)

    def _pickings(self, count, qty=5):
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.salesperson.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "price_unit": 50,
                            }
                        )
                    ],
                }
                for __ in range(count)
            ]
        )
        orders.action_confirm()
        # fresh ids, as the client sends them (no prefetch through the orders)
        pickings = self.env["stock.picking"].browse(orders.picking_ids.ids)
        self.assertEqual(set(pickings.mapped("state")), {"assigned"})
        return pickings.with_user(self.stock_user)

    def _validate(self, pickings, shipped=None):
        for move in pickings.move_ids:
            move.quantity = shipped if shipped is not None else move.product_uom_qty
        pickings.move_ids.picked = True
        return self._o2c_query_count(
            lambda: pickings.with_context(skip_backorder=True).button_validate()
        )

    def test_checks_are_flat(self):
        """The o2c checks of a validation cost the same for 10 or 100 pickings."""
        warm = self._pickings(5)
        self._o2c_query_count(lambda: warm._o2c_run_checks("validate"))
        small, large = self._pickings(10), self._pickings(100)
        q10 = self._o2c_query_count(lambda: small._o2c_run_checks("validate"))
        q100 = self._o2c_query_count(lambda: large._o2c_run_checks("validate"))
        self.assertEqual(q10, q100)

    def test_batch_validation_flat_per_picking(self):
        self._validate(self._pickings(5))  # warm-up
        small, large = self._pickings(10), self._pickings(100)
        q10, q100 = self._validate(small), self._validate(large)
        self.assertEqual(set(large.mapped("state")), {"done"})
        self.assertLessEqual(q100 / 100, q10 / 10, f"10: {q10}, 100: {q100}")
        _logger.info("o2c_fulfillment: validating 10 pickings: %s queries, 100: %s", q10, q100)

    def test_batch_backorders_flat_per_picking(self):
        self._validate(self._pickings(5), shipped=2)  # warm-up
        small, large = self._pickings(10), self._pickings(100)
        q10, q100 = self._validate(small, 2), self._validate(large, 2)
        excs = self._exceptions(large.sale_id, "backorder")
        self.assertEqual(len(excs), 100)
        self.assertLessEqual(q100 / 100, q10 / 10, f"10: {q10}, 100: {q100}")
        _logger.info("o2c_fulfillment: 10 backorders: %s queries, 100: %s", q10, q100)

    def test_planning_is_flat(self):
        """Planning 10 or 100 backorders costs the same queries (the notices are
        not: one email rendered and sent per customer, measured below)."""
        self.env.ref("o2c_fulfillment.o2c_fulfillment_policy_default").communication = "activity"
        small, large = self._pickings(10), self._pickings(100)
        self._validate(small, 2)
        self._validate(large, 2)
        Planner = self.env["o2c.fulfillment.planner"]

        def backorder_moves(pickings):
            return self.env["stock.picking"].search([("backorder_id", "in", pickings.ids)]).move_ids

        moves10, moves100 = backorder_moves(small), backorder_moves(large)
        self._o2c_query_count(lambda: Planner._plan(moves10))  # warm-up
        q10 = self._o2c_query_count(lambda: Planner._plan(moves10))
        q100 = self._o2c_query_count(lambda: Planner._plan(moves100))
        # only Odoo's batched writes may split: never a query per backorder
        self.assertLessEqual(q100 - q10, 4, f"10: {q10}, 100: {q100}")

    def test_backorder_notices_cost_per_order_is_flat(self):
        """Emailing the notice: each customer's email costs the same queries."""
        small, large = self._pickings(10), self._pickings(100)
        q10, q100 = self._validate(small, 2), self._validate(large, 2)
        self.assertEqual(len(self._exceptions(large.sale_id, "backorder")), 100)
        self.assertLessEqual(q100 / 100, q10 / 10, f"10: {q10}, 100: {q100}")
        _logger.info("o2c_fulfillment: 10 emailed backorders: %s queries, 100: %s", q10, q100)
