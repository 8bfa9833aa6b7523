# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.o2c_exception_base.hooks import backfill_order_steps
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import O2cSaleCommon


class O2cStepsCommon(O2cSaleCommon):
    """A salesperson, a stock user, an accountant; a goods product and a service."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a warehouse user who sells too, seeing only their own orders: they
        # validate the deliveries of the others' orders all the same
        cls.stock_user = new_test_user(
            cls.env, "o2c_step_stock", "stock.group_stock_user,sales_team.group_sale_salesman"
        )
        cls.accountant = new_test_user(
            cls.env,
            "o2c_step_accountant",
            "account.group_account_invoice,sales_team.group_sale_salesman_all_leads",
        )
        cls.goods = cls.env["product.product"].create(
            {"name": "O2C Step Goods", "type": "consu", "invoice_policy": "delivery"}
        )
        cls.service = cls.env["product.product"].create(
            {"name": "O2C Step Service", "type": "service", "invoice_policy": "order"}
        )
        cls.Step = cls.env["o2c.order.step"]

    def _steps(self, order):
        return order.o2c_step_ids.sorted(lambda s: (s.date, s.id)).mapped("step")

    def _sold(self, product=None, qty=2, user=None):
        return self._order([(product or self.goods, qty, 10.0)], user=user)

    def _deliver(self, order, qty=None):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking = picking.with_user(self.stock_user)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
        picking.move_ids.picked = True
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            wizard = self.env[res["res_model"]].with_user(self.stock_user)
            Form(wizard.with_context(**res["context"])).save().process()
        self.assertEqual(picking.state, "done")
        return picking

    def _invoice_and_pay(self, order, pay=True):
        invoice = order.with_user(self.accountant)._create_invoices()
        invoice.action_post()
        if pay:
            self.env["account.payment.register"].with_user(self.accountant).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
        return invoice


@tagged("post_install", "-at_install")
class TestOrderSteps(O2cStepsCommon):
    """Every path of an order records its steps, once, as it happens."""

    def test_form_and_button_record_quotation_asked_confirmed(self):
        with Form(self.env["sale.order"].with_user(self.salesman)) as form:
            form.partner_id = self.partner
            with form.order_line.new() as line:
                line.product_id = self.service
        order = form.record
        self.assertEqual(self._steps(order), ["quotation"])
        order.action_confirm()
        self.assertEqual(self._steps(order), ["quotation", "confirm_asked", "confirmed"])
        confirmed = order.o2c_step_ids.filtered(lambda s: s.step == "confirmed")
        self.assertEqual(confirmed.user_id, self.salesman)
        self.assertEqual(order.o2c_confirmed_date, confirmed.date)
        self.assertEqual(confirmed.company_id, order.company_id)

    def test_rpc_create_and_confirm_as_salesman(self):
        Order = self.env(user=self.salesman)["sale.order"]
        order = Order.create(
            {
                "partner_id": self.partner.id,
                "order_line": [Command.create({"product_id": self.service.id})],
            }
        )
        order.action_confirm()
        self.assertEqual(self._steps(order), ["quotation", "confirm_asked", "confirmed"])

    def test_direct_write_of_state_records_confirmed(self):
        order = self._sold(self.service)
        order.with_user(self.salesman).write({"state": "sale"})
        self.assertIn("confirmed", self._steps(order))
        self.assertNotIn("confirm_asked", self._steps(order), "nothing was asked")

    def test_held_then_approved_then_resumed(self):
        order = self._sold(self.service)
        exc = order._o2c_raise_exceptions("o2c_test_big", {"name": "Big", "amount": 10})
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._steps(order), ["quotation", "confirm_asked", "held"])
        held = order.o2c_step_ids.filtered(lambda s: s.step == "held")
        self.assertEqual((held.exception_id, held.type_id), (exc, self.exc_type))
        self.assertEqual(order.o2c_asked_date, held.date)
        order.with_user(self.salesman).action_confirm()  # asking again adds nothing
        self.assertEqual(len(order.o2c_step_ids), 3)
        exc.with_user(self.approver).action_approve("fine")
        self.assertEqual(order.state, "sale", "resumed on behalf of the salesman")
        steps = self._steps(order)
        self.assertEqual(steps, ["quotation", "confirm_asked", "held", "released", "confirmed"])
        released = order.o2c_step_ids.filtered(lambda s: s.step == "released")
        self.assertEqual((released.exception_id, released.user_id), (exc, self.approver))
        self.assertEqual(released.date, exc.decision_date)
        # held from the ask (just after the exception was raised) to the decision
        self.assertAlmostEqual(released.held_hours, exc.turnaround_hours, delta=0.01)
        self.assertAlmostEqual(order.o2c_held_hours, released.held_hours, places=6)
        confirmed = order.o2c_step_ids.filtered(lambda s: s.step == "confirmed")
        self.assertEqual(confirmed.user_id, self.salesman)

    def test_rejection_keeps_the_hold_until_the_approval(self):
        order = self._sold(self.service)
        exc = order._o2c_raise_exceptions("o2c_test_big", {"name": "Big", "amount": 10})
        order.with_user(self.salesman).action_confirm()
        cause = self.env["o2c.root.cause"].search([], limit=1)
        exc.with_user(self.approver).action_reject("no", root_cause_id=cause.id)
        self.assertNotIn("released", self._steps(order), "a rejected exception still holds")
        exc._reopen("changed")
        order.with_user(self.salesman).action_confirm()
        exc.with_user(self.approver).action_approve("ok")
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._steps(order).count("held"), 1)
        self.assertEqual(self._steps(order).count("released"), 1)

    def test_hold_after_a_release_is_a_new_hold(self):
        order = self._sold(self.service)
        exc = order._o2c_raise_exceptions("o2c_test_big", {"name": "Big", "amount": 10})
        order.with_user(self.salesman).action_confirm()
        exc.with_user(self.approver).action_approve("ok")
        order._action_cancel()
        order.action_draft()
        exc._reopen("back to draft")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._steps(order).count("held"), 2)

    def test_delivery_in_two_parts(self):
        order = self._sold(qty=4)
        order.action_confirm()
        first = self._deliver(order, qty=1)
        self.assertEqual(self._steps(order)[-1], "first_delivery")
        self.assertFalse(order.o2c_delivered_date)
        last = self._deliver(order)
        steps = order.o2c_step_ids
        delivered = steps.filtered(lambda s: s.step == "delivered")
        self.assertEqual(steps.filtered(lambda s: s.step == "first_delivery").picking_id, first)
        self.assertEqual(delivered.picking_id, last)
        self.assertEqual(delivered.user_id, self.stock_user)
        self.assertEqual(order.o2c_delivered_date, last.date_done)

    def test_invoice_posted_and_paid(self):
        order = self._sold(self.service)
        order.action_confirm()
        invoice = self._invoice_and_pay(order, pay=False)
        self.assertEqual(self._steps(order)[-2:], ["first_invoice", "invoiced"])
        self.assertEqual(
            order.o2c_step_ids.filtered(lambda s: s.step == "first_invoice").move_id, invoice
        )
        self.assertTrue(order.o2c_invoiced_date)
        self.assertFalse(order.o2c_paid_date)
        self.env["account.payment.register"].with_user(self.accountant).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        paid = order.o2c_step_ids.filtered(lambda s: s.step == "paid")
        self.assertEqual(paid.user_id, self.accountant)
        self.assertEqual(order.o2c_paid_date, paid.date)

    def test_partial_invoice_is_not_fully_invoiced_nor_paid(self):
        order = self._sold(qty=4)
        order.action_confirm()
        self._deliver(order, qty=1)
        self._invoice_and_pay(order)
        steps = self._steps(order)
        self.assertIn("first_invoice", steps)
        self.assertNotIn("invoiced", steps)
        self.assertNotIn("paid", steps, "the rest is not invoiced yet")
        self._deliver(order)
        self._invoice_and_pay(order)
        self.assertEqual(self._steps(order)[-2:], ["invoiced", "paid"])
        self.assertEqual(self._steps(order).count("first_invoice"), 1)

    def test_batch_confirmation_one_insert(self):
        orders = self.env["sale.order"].union(*(self._sold(self.service) for __ in range(10)))
        __, queries = self._o2c_queries(orders.action_confirm)
        inserts = [q for q in map(str, queries) if 'INSERT INTO "o2c_order_step"' in q]
        self.assertEqual(len(inserts), 1, "asked and confirmed rows of 10 orders: one INSERT")
        alone = [
            q
            for q in map(str, queries)
            if q.startswith('UPDATE "sale_order"')
            and "o2c_confirmed_date" in q
            and '"state"' not in q
        ]
        self.assertFalse(alone, "the confirmation date goes with the confirmation's own UPDATE")
        self.assertEqual(len(orders.o2c_step_ids), 30)


@tagged("post_install", "-at_install")
class TestOrderStepsAreEvidence(O2cStepsCommon):
    """Nobody forges a step or its date: no create, write, unlink, import by RPC."""

    def test_salesman_cannot_create_write_or_unlink(self):
        order = self._sold(self.service)
        order.action_confirm()
        step = order.o2c_step_ids.filtered(lambda s: s.step == "confirmed")
        date = step.date
        Step = self.env(user=self.salesman)["o2c.order.step"]
        self.assertEqual(Step.search([("order_id", "=", order.id)]), order.o2c_step_ids)
        with self.assertRaises(AccessError):
            Step.create(
                {
                    "order_id": order.id,
                    "company_id": order.company_id.id,
                    "step": "paid",
                    "date": fields.Datetime.now(),
                }
            )
        with self.assertRaises(AccessError):
            step.with_user(self.salesman).write({"date": date - timedelta(days=3)})
        with self.assertRaises(AccessError):
            step.with_user(self.salesman).unlink()
        result = Step.load(
            ["order_id/.id", "company_id/.id", "step", "date"],
            [[str(order.id), str(order.company_id.id), "paid", "2026-01-01 00:00:00"]],
        )
        self.assertFalse(result["ids"])
        self.assertEqual(step.date, date)
        self.assertEqual(len(order.o2c_step_ids), 3)

    def test_manager_and_sudo_cannot_either(self):
        order = self._sold(self.service)
        step = order.o2c_step_ids
        with self.assertRaises(AccessError):
            step.with_user(self.manager).write({"date": fields.Datetime.now()})
        with self.assertRaises(AccessError):
            step.sudo().write({"date": fields.Datetime.now()})
        with self.assertRaises(AccessError):
            step.sudo().unlink()
        with self.assertRaises(AccessError):
            self.Step.sudo().create(
                {
                    "order_id": order.id,
                    "company_id": order.company_id.id,
                    "step": "paid",
                    "date": fields.Datetime.now(),
                }
            )
        self.assertEqual(order.o2c_step_ids, step)

    def test_order_step_dates_are_governed(self):
        order = self._sold(self.service)
        order.action_confirm()
        confirmed = order.o2c_confirmed_date
        with self.assertRaises(UserError):
            order.with_user(self.salesman).write(
                {"o2c_confirmed_date": confirmed - timedelta(days=2)}
            )
        with self.assertRaises(UserError):
            order.with_user(self.salesman).write({"o2c_held_hours": 0.5})
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write(
                {"o2c_step_ids": [Command.create({"step": "paid", "date": confirmed})]}
            )
        self.assertEqual(order.o2c_confirmed_date, confirmed)
        self.assertEqual(order.o2c_held_hours, 0.0)

    def test_other_company_steps_are_not_readable(self):
        order = self._sold(self.service)
        user_b = new_test_user(
            self.env,
            "o2c_step_user_b",
            "base.group_user,o2c_exception_base.group_o2c_user",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
        )
        self.assertFalse(
            self.env(user=user_b)["o2c.order.step"].search([("order_id", "=", order.id)])
        )

    def test_employee_without_o2c_role_reads_no_step(self):
        with self.assertRaises(AccessError):
            self.env(user=self.employee)["o2c.order.step"].search([])


@tagged("post_install", "-at_install")
class TestOrderStepsBackfill(O2cStepsCommon):
    """Orders from before the timeline get their steps by SQL, once."""

    def _history(self):
        delivered = self._sold(qty=3)
        delivered.action_confirm()
        self._deliver(delivered)
        paid = self._sold(self.service)
        paid.action_confirm()
        self._invoice_and_pay(paid)
        held = self._sold(self.service)
        exc = held._o2c_raise_exceptions("o2c_test_big", {"name": "Big", "amount": 10})
        held.with_user(self.salesman).action_confirm()
        exc.with_user(self.approver).action_approve("ok")
        quotation = self._sold(self.service)
        return delivered | paid | held | quotation

    def _snapshot(self, orders):
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT order_id, step, count(*) FROM o2c_order_step
                WHERE order_id IN %s GROUP BY order_id, step ORDER BY order_id, step""",
            [tuple(orders.ids)],
        )
        return self.env.cr.fetchall()

    def test_backfill_restores_the_steps_once(self):
        orders = self._history()
        delivered, paid, held, quotation = orders
        live = self._snapshot(orders)
        self.env.cr.execute("DELETE FROM o2c_order_step WHERE order_id IN %s", [tuple(orders.ids)])
        self.env.cr.execute(
            """UPDATE sale_order SET o2c_confirmed_date = NULL, o2c_delivered_date = NULL,
                      o2c_invoiced_date = NULL, o2c_paid_date = NULL, o2c_asked_date = NULL,
                      o2c_held_hours = 0 WHERE id IN %s""",
            [tuple(orders.ids)],
        )
        self.env.invalidate_all()
        self.assertFalse(self._snapshot(orders))
        backfill_order_steps(self.env)
        first = self._snapshot(orders)
        # a confirmation that went straight through leaves no trace but itself
        expected = [row for row in live if row[1] != "confirm_asked" or row[0] == held.id]
        self.assertEqual(first, expected, "the steps recorded live")
        backfill_order_steps(self.env)
        self.assertEqual(self._snapshot(orders), first, "twice: no duplicate")
        self.assertEqual(delivered.o2c_delivered_date, delivered.picking_ids.date_done)
        self.assertEqual(paid.o2c_confirmed_date, paid.date_order)
        self.assertTrue(paid.o2c_paid_date)
        self.assertTrue(held.o2c_asked_date)
        exc = held.o2c_exception_ids
        self.assertAlmostEqual(held.o2c_held_hours, exc.turnaround_hours, places=4)
        self.assertEqual(self._steps(quotation), ["quotation"])
