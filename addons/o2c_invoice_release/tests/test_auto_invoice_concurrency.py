# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Two real cron workers need real commits.
# pylint: disable=invalid-commit
from contextlib import contextmanager
from unittest.mock import patch

import psycopg2.errors
from psycopg2.extensions import TransactionRollbackError

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


class SimulatedCrash(Exception):
    """The worker dies between two statements of a batch."""


@tagged("post_install", "-at_install")
class TestAutoInvoiceConcurrency(TransactionCase):
    """Real cursors and committed data, as two cron workers see them."""

    ORDERS = 5

    def setUp(self):
        super().setUp()
        self.dbname = self.env.cr.dbname
        self.ids = self._create_released_orders(self.ORDERS)
        self.addCleanup(self._cleanup)

    @contextmanager
    def _env(self, **context):
        with sql_db.db_connect(self.dbname).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, context)

    @contextmanager
    def _cron_progress(self):
        """The id of a committed progress record of the release cron, deleted afterwards.

        With it in the context, the cron commits each batch as a real cron job.
        """
        with self._env() as env:
            cron = env.ref("o2c_invoice_release.ir_cron_o2c_auto_invoice")
            progress = env["ir.cron.progress"].create({"cron_id": cron.id})
            env.cr.commit()
            progress_id = progress.id
        try:
            yield progress_id
        finally:
            with self._env() as env:
                env.cr.execute("DELETE FROM ir_cron_progress WHERE id = %s", [progress_id])
                env.cr.commit()

    def _create_released_orders(self, count):
        """Committed: ``count`` customers, each with a delivered and released order."""
        with self._env() as env:
            product = env["product.product"].create(
                {
                    "name": "O2C concurrency pallet",
                    "type": "consu",
                    "is_storable": False,
                    "invoice_policy": "delivery",
                    "list_price": 10.0,
                    "taxes_id": [Command.clear()],
                }
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"O2C concurrency {i}", "o2c_invoice_release_policy": "on_delivery"}
                    for i in range(count)
                ]
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 10, "price_unit": 10}
                            )
                        ],
                    }
                    for partner in partners
                ]
            )
            orders.action_confirm()
            pickings = orders.picking_ids
            for move in pickings.move_ids:
                move.quantity = move.product_uom_qty
            pickings.move_ids.picked = True
            pickings.button_validate()
            assert all(pickings.mapped("o2c_release_pending")), "released and queued"
            ids = {
                "orders": orders.ids,
                "pickings": pickings.ids,
                "partners": partners.ids,
                "product": product.id,
                "template": product.product_tmpl_id.id,
            }
            env.cr.commit()
        return ids

    def _cleanup(self):
        ids = self.ids
        with self._env() as env:
            cr = env.cr
            orders, pickings = tuple(ids["orders"]), tuple(ids["pickings"])
            cr.execute(
                """SELECT DISTINCT aml.move_id FROM account_move_line aml
                            JOIN sale_order_line_invoice_rel r ON r.invoice_line_id = aml.id
                            JOIN sale_order_line sol ON sol.id = r.order_line_id
                           WHERE sol.order_id IN %s""",
                [orders],
            )
            moves = tuple(r[0] for r in cr.fetchall()) or (0,)
            for model, res_ids in (
                ("sale.order", orders),
                ("stock.picking", pickings),
                ("account.move", moves),
            ):
                cr.execute(
                    "DELETE FROM mail_message WHERE model = %s AND res_id IN %s", [model, res_ids]
                )
                cr.execute(
                    "DELETE FROM mail_followers WHERE res_model = %s AND res_id IN %s",
                    [model, res_ids],
                )
            cr.execute("DELETE FROM account_move WHERE id IN %s", [moves])
            cr.execute("DELETE FROM stock_valuation_layer WHERE product_id = %s", [ids["product"]])
            cr.execute("DELETE FROM stock_quant WHERE product_id = %s", [ids["product"]])
            cr.execute("DELETE FROM stock_move_line WHERE picking_id IN %s", [pickings])
            cr.execute("DELETE FROM stock_move WHERE picking_id IN %s", [pickings])
            cr.execute("DELETE FROM stock_picking WHERE id IN %s", [pickings])
            cr.execute("DELETE FROM sale_order WHERE id IN %s", [orders])
            cr.execute(
                "DELETE FROM procurement_group WHERE sale_id IS NULL " "AND partner_id IN %s",
                [tuple(ids["partners"])],
            )
            cr.execute("DELETE FROM product_product WHERE id = %s", [ids["product"]])
            cr.execute("DELETE FROM product_template WHERE id = %s", [ids["template"]])
            cr.execute("DELETE FROM res_partner WHERE id IN %s", [tuple(ids["partners"])])
            cr.execute(
                "DELETE FROM ir_cron_trigger WHERE cron_id = %s",
                [env.ref("o2c_invoice_release.ir_cron_o2c_auto_invoice").id],
            )
            cr.commit()

    def _invoice_lines_per_order(self):
        """``{order id: [invoice line quantities]}`` as committed."""
        with self._env() as env:
            orders = env["sale.order"].browse(self.ids["orders"])
            return {o.id: o.order_line.invoice_lines.mapped("quantity") for o in orders}

    def _assert_each_order_invoiced_once(self):
        lines = self._invoice_lines_per_order()
        self.assertEqual(lines, {order_id: [10.0] for order_id in self.ids["orders"]})
        with self._env() as env:
            pickings = env["stock.picking"].browse(self.ids["pickings"])
            self.assertFalse(pickings.filtered("o2c_release_pending"))

    def test_two_workers_never_invoice_the_same_order(self):
        cr_a = sql_db.db_connect(self.dbname).cursor()
        cr_b = sql_db.db_connect(self.dbname).cursor()
        try:
            # a lock wait between the two workers of this single thread would hang
            cr_b.execute("SET lock_timeout = '10s'")
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            batch_a = env_a["sale.order"]._o2c_auto_invoice_batch(2)
            # worker A still holds its orders: worker B must skip them
            batch_b = env_b["sale.order"]._o2c_auto_invoice_batch(100)
            mine_a = set(batch_a.ids) & set(self.ids["orders"])
            mine_b = set(batch_b.ids) & set(self.ids["orders"])
            cr_a.commit()
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self.assertEqual(len(mine_a), 2)
        self.assertFalse(mine_a & mine_b, "no order taken by both workers")
        self.assertEqual(mine_a | mine_b, set(self.ids["orders"]), "every order taken")
        self._assert_each_order_invoiced_once()

    def test_serialization_failure_retakes_the_batch(self):
        """Another worker commits a row of the next batch after this one's snapshot.

        PostgreSQL then refuses to lock that row (a real serialization failure);
        the cron rolls the batch back, takes it again and invoices every order once.
        """
        SaleOrder = self.env.registry["sale.order"]
        original = SaleOrder._o2c_auto_invoice_batch
        calls, failures = [], []

        def racing(model, limit):
            calls.append(limit)
            if len(calls) == 2:
                # this transaction's snapshot is taken here ...
                model.env.cr.execute("SELECT 1")
                # ... then the other worker touches an order still queued, and commits
                with self._env() as other:
                    other.cr.execute(
                        "UPDATE sale_order SET write_date = now() WHERE id = %s",
                        [self.ids["orders"][-1]],
                    )
                    other.cr.commit()
                try:
                    return original(model, limit)
                except TransactionRollbackError as error:
                    failures.append(error.pgcode)
                    raise
            return original(model, limit)

        with self._cron_progress() as progress_id:
            with (
                self._env(ir_cron_progress_id=progress_id) as env,
                patch.object(SaleOrder, "_o2c_auto_invoice_batch", racing),
            ):
                done = env["sale.order"]._cron_o2c_auto_invoice(batch_size=3)
                env.cr.commit()
            self.assertEqual(failures, ["40001"], "PostgreSQL refused the second batch once")
            self.assertEqual(done, self.ORDERS)
            self.assertEqual(len(calls), 4, "batch 1, batch 2 refused, batch 2 again, end")
            self._assert_each_order_invoiced_once()

    def test_serialization_failure_outside_a_cron_is_raised(self):
        """Called from code (no cron progress), nothing is committed: nothing to retry."""
        SaleOrder = self.env.registry["sale.order"]
        calls = []

        def refused(model, limit):
            calls.append(limit)
            raise psycopg2.errors.SerializationFailure("concurrent update")

        with (
            self._env() as env,
            patch.object(SaleOrder, "_o2c_auto_invoice_batch", refused),
            self.assertRaises(TransactionRollbackError),
        ):
            env["sale.order"]._cron_o2c_auto_invoice(batch_size=3)
        self.assertEqual(len(calls), 1)

    def test_crash_mid_batch_then_restart_invoices_each_quantity_once(self):
        SaleOrder = self.env.registry["sale.order"]
        original = SaleOrder._o2c_auto_invoice_batch
        batches = []

        def crashing(model, limit):
            orders = original(model, limit)
            batches.append(orders.ids)
            if len(batches) == 2:
                raise SimulatedCrash()
            return orders

        with self._cron_progress() as progress_id:
            with (
                self._env(ir_cron_progress_id=progress_id) as env,
                patch.object(SaleOrder, "_o2c_auto_invoice_batch", crashing),
            ):
                with self.assertRaises(SimulatedCrash):
                    env["sale.order"]._cron_o2c_auto_invoice(batch_size=2)
                env.cr.rollback()
            invoiced = [oid for oid, qty in self._invoice_lines_per_order().items() if qty]
            self.assertEqual(
                sorted(invoiced),
                sorted(batches[0]),
                "the first batch was committed, the crashed one rolled back",
            )
            with self._env(ir_cron_progress_id=progress_id) as env:
                self.assertEqual(
                    env["sale.order"]._cron_o2c_auto_invoice(batch_size=2), self.ORDERS - 2
                )
                env.cr.commit()
            self._assert_each_order_invoiced_once()
