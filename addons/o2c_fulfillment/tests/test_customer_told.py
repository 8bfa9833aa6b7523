# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestCustomerTold(O2cFulfillmentCommon):
    """The customer hears of backorders and their dates; a late one alerts sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 4)
        cls.subject = cls.env.ref("o2c_fulfillment.mail_template_o2c_backorder_notice")

    def _notices(self, order):
        comment = self.env.ref("mail.mt_comment")
        return order.message_ids.filtered(
            lambda m: m.subtype_id == comment
            and "backordered" in (m.subject or "")
            and self.customer in m.partner_ids
        )

    def test_notice_sent_by_default_and_again_when_the_date_moves(self):
        order = self._backordered_order()
        self.assertEqual(len(self._notices(order)), 1, "the default policy emails")
        order.with_user(self.salesperson).o2c_promised_date += timedelta(days=7)
        self.assertEqual(len(self._notices(order)), 2, "told again of the new date")
        order.with_user(self.salesperson).o2c_promised_date = order.o2c_promised_date
        self.assertEqual(len(self._notices(order)), 2, "an unchanged date sends nothing")

    def test_promised_after_commitment_is_late_and_alerts_the_salesperson(self):
        order = self._order([(self.product, 10, 50.0)])
        order.commitment_date = order.date_order + timedelta(days=1)
        self._deliver(order.picking_ids, {self.product: 4})
        exc = self._exceptions(order, "backorder")
        self.assertGreater(order.o2c_promised_date, order.commitment_date, "vendor lead 5 days")
        self.assertTrue(exc.o2c_late)
        alert = order.activity_ids.filtered(lambda a: a.summary == "Backorder later than committed")
        self.assertEqual(alert.user_id, self.salesperson)
        order.commitment_date = order.o2c_promised_date + timedelta(days=1)
        self.assertFalse(exc.o2c_late, "the commitment moved past the promise")

    def test_nobody_marks_a_backorder_on_time_by_hand(self):
        order = self._order([(self.product, 10, 50.0)])
        order.commitment_date = order.date_order
        self._deliver(order.picking_ids, {self.product: 4})
        exc = self._exceptions(order, "backorder").with_user(self.manager)
        with self.assertRaises(UserError):
            exc.with_context(o2c_owned=True).write({"o2c_late": False})
        self.assertTrue(exc.o2c_late)


@tagged("post_install", "-at_install")
class TestConsentEvidence(O2cFulfillmentCommon):
    """Consent: through which channel, and only to the substitution as it was."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.substitute, 10)
        cls.customer.o2c_substitution_consent_required = True

    def _substituted_delivery(self, qty=5):
        order = self._order([(self.product, qty, 50.0)])
        picking = order.picking_ids
        form = self._substitute_form(picking)
        form.quantity = qty
        form.save().action_confirm()
        self._deliver(picking, {self.substitute: qty})
        return picking

    def _record_consent(self, picking, channel="phone"):
        action = picking.with_user(self.salesperson).action_o2c_record_consent()
        form = Form(
            self.env["o2c.consent.wizard"]
            .with_user(self.salesperson)
            .with_context(**action["context"])
        )
        form.contact = "Jane, purchasing"
        form.channel = channel
        return form.save()

    def test_staff_consent_is_marked_with_its_channel(self):
        picking = self._substituted_delivery()
        self._record_consent(picking).action_confirm()
        self.assertEqual(picking.o2c_consent_channel, "phone")
        self.assertEqual(picking.o2c_consent_user_id, self.salesperson)

    def test_staff_cannot_claim_a_portal_consent(self):
        picking = self._substituted_delivery()
        wizard = self._record_consent(picking)
        with self.assertRaises(ValueError):
            wizard.channel = "portal"
        with self.assertRaises(UserError):
            picking.with_user(self.salesperson).write({"o2c_consent_channel": "portal"})
        self.assertFalse(picking.o2c_consent_channel)

    def test_portal_answer_records_who_when_and_from_where(self):
        picking = self._substituted_delivery()
        contact = self.env["res.partner"].create(
            {"name": "Buyer Bob", "parent_id": self.customer.id, "email": "bob@example.com"}
        )
        picking.sudo()._o2c_portal_consent(contact, True, origin="203.0.113.9")
        self.assertEqual(picking.o2c_consent_channel, "portal")
        self.assertEqual(picking.o2c_consent_contact, "Buyer Bob")
        self.assertIn("203.0.113.9", picking.o2c_consent_note)
        self.assertTrue(picking.o2c_consent_date)

    def test_consent_is_withdrawn_when_the_substitution_changes(self):
        picking = self._substituted_delivery()
        self._record_consent(picking).action_confirm()
        self.assertTrue(picking.o2c_consent_date)
        self._deliver(picking, {self.substitute: 3})  # not what the customer agreed to
        self.assertFalse(picking.o2c_consent_date)
        self.assertFalse(picking.o2c_consent_channel)
        with self.assertRaises(UserError):
            self._exceptions(picking, "substitution").with_user(self.approver).action_approve("ok")
