# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import http
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import AttackCommon

#: a 1x1 PNG: the signature drawn on the portal
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPortalBuyer(HttpCase, AttackCommon):
    """The customer's side, as a buyer of a customer company (a contact, orders in
    the company's name), every o2c addon installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._only_pricing_policy("Portal buyer pricing")
        cls.buyer = new_test_user(cls.env, "o2c_company_buyer", "base.group_portal")
        cls.buyer.partner_id.parent_id = cls.customer
        cls.other_buyer = new_test_user(cls.env, "o2c_other_buyer", "base.group_portal")
        cls.other_buyer.partner_id.parent_id = cls.env["res.partner"].create(
            {"name": "Other Buyer Company", "is_company": True}
        )

    def _held_quotation(self):
        order = self.quotation(discount=40.0)
        order.require_signature = True
        order.action_quotation_sent()
        return order

    def _customer_mails(self, order):
        order.invalidate_recordset(["message_ids"])
        return order.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
            and m.subtype_id == self.env.ref("mail.mt_comment")
        )

    def test_signed_held_quotation_says_why_and_is_confirmed_after_approval(self):
        order = self._held_quotation()
        self.authenticate("o2c_other_buyer", "o2c_other_buyer")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertNotIn(order.name, page.text, "another company's buyer does not see it")
        self.authenticate("o2c_company_buyer", "o2c_company_buyer")
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept", {"name": "Jo Buyer", "signature": SIGNATURE}
        )
        self.assertIn("message=sign_ok", result["redirect_url"])
        self.assertEqual(order.state, "sent", "held for the pricing approval")
        self.assertTrue(order.o2c_blocked)
        self.assertEqual(order.o2c_resume_user_id, self.salesman, "goes on for the salesperson")
        page = self.url_open(result["redirect_url"]).text
        self.assertIn("Signed – pricing under review", page)
        self.assertNotIn("Your order has been signed.", page)
        self.assertIn("Signed – pricing under review", self.url_open("/my/quotes").text)
        mails = self._customer_mails(order)
        order.o2c_exception_ids.filtered(lambda e: e.state == "open").with_user(
            self.approver
        ).action_approve("Volume deal")
        self.assertEqual(order.state, "sale", "confirmed by itself once approved")
        self.assertTrue(self._customer_mails(order) - mails, "the customer gets the confirmation")
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertNotIn("under review", page)

    def test_backorder_shows_what_shipped_and_when_the_rest_comes(self):
        order = self.quotation(qty=10.0)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 6.0, "picked": True})
        wizard = picking.button_validate()
        Form(self.env[wizard["res_model"]].with_context(**wizard["context"])).save().process()
        backorder = order.picking_ids - picking
        backorder.scheduled_date = "2031-05-14 10:00:00"
        self.authenticate("o2c_company_buyer", "o2c_company_buyer")
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertRegex(page, r"Shipped: <span>6\.00</span>")
        self.assertRegex(
            page, r"Backordered: <span>4\.00</span>\s*, expected <span>05/14/2031</span>"
        )

    def _delivered(self, qty=5.0):
        order = self.quotation(qty=qty)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": qty, "picked": True})
        picking.button_validate()
        return order, picking

    def _report(self, picking, **data):
        move = picking.move_ids
        return self.url_open(
            f"/my/picking/o2c_receipt/{picking.id}",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "received_by": "Dock 2, Sam",
                f"received_{move.id}": "4",
                f"damaged_{move.id}": "1",
                **data,
            },
            files={"photos": ("broken.png", base64.b64decode(SIGNATURE), "image/png")},
        )

    def test_receipt_with_a_damaged_and_a_missing_unit_opens_a_dispute(self):
        self.customer.o2c_invoice_release_policy = "on_pod"
        order, picking = self._delivered()
        Ticket = self.env["helpdesk.ticket"]
        self.authenticate("o2c_other_buyer", "o2c_other_buyer")
        self.assertNotIn(picking.name, self.url_open("/my/deliveries_to_confirm").text)
        self.assertEqual(self.url_open(f"/my/picking/o2c_receipt/{picking.id}").status_code, 404)
        self.assertEqual(self._report(picking).status_code, 404, "another company's delivery")
        self.assertFalse(picking.o2c_proof_ids)
        self.authenticate("o2c_company_buyer", "o2c_company_buyer")
        self.assertIn("o2c_receipt", self.url_open(f"/my/orders/{order.id}").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["o2c_receipt_count"]})
        self.assertEqual(counters["o2c_receipt_count"], 1, "one delivery to confirm on /my")
        self.assertIn(picking.name, self.url_open("/my/deliveries_to_confirm").text)
        move = picking.move_ids
        for bad, message in (
            ({f"damaged_{move.id}": "5"}, "more damaged than received"),
            ({f"received_{move.id}": "6"}, "at most 5.0 were delivered"),
            ({f"received_{move.id}": "inf"}, "must be positive numbers"),
            ({f"damaged_{move.id}": "-1"}, "must be positive numbers"),
            ({f"received_{move.id}": "four"}, "must be numbers"),
        ):
            with self.subTest(bad=bad):
                page = self._report(picking, **bad)
                self.assertEqual(page.status_code, 200)
                self.assertIn(message, page.text)
        no_csrf = self.url_open(
            f"/my/picking/o2c_receipt/{picking.id}",
            data={f"received_{move.id}": "4", "received_by": "x"},
        )
        self.assertEqual(no_csrf.status_code, 400, "a forged post (no CSRF token) is refused")
        self.assertFalse(picking.o2c_proof_ids, "nothing recorded from bad input")
        self.assertFalse(Ticket.search([("o2c_picking_id", "=", picking.id)]))
        response = self._report(picking)
        dispute = Ticket.search([("o2c_picking_id", "=", picking.id)])
        self.assertTrue(
            response.url.endswith(f"/my/ticket/{dispute.id}"), "the customer follows it"
        )
        self.assertEqual(
            (dispute.o2c_dispute_type, dispute.o2c_disputed_amount, dispute.o2c_sale_order_id),
            ("damaged", 200.0, order),
        )
        self.assertEqual(dispute.partner_id, self.buyer.partner_id)
        self.assertIn("1.0 short, 1.0 damaged", dispute.description)
        photo = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(photo.name, "broken.png")
        proof = picking.o2c_proof_ids
        self.assertEqual((proof.state, proof.received_by), ("validated", "Dock 2, Sam"))
        self.assertEqual(proof.confirmed_by_partner_id, self.buyer.partner_id)
        self.assertEqual(proof.attachment_ids.res_model, "o2c.delivery.proof")
        self.assertTrue(picking.o2c_released, "the rest is confirmed as received")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["o2c_receipt_count"]})
        self.assertEqual(counters["o2c_receipt_count"], 0)

    def test_orders_found_by_the_customers_reference(self):
        first, second = self.quotation(), self.quotation()
        first.client_order_ref, second.client_order_ref = "PO-778", "PO-901"
        (first | second).action_confirm()
        self.authenticate("o2c_company_buyer", "o2c_company_buyer")
        page = self.url_open("/my/orders").text
        self.assertIn("PO-778", page)
        self.assertIn("PO-901", page)
        self.assertIn("Your Reference", page)
        found = self.url_open("/my/orders?search=PO-778&search_in=ref").text
        self.assertIn(first.name, found)
        self.assertNotIn(second.name, found)

    def test_receipt_with_problems_in_the_browser(self):
        self.customer.o2c_invoice_release_policy = "on_pod"
        order, picking = self._delivered()
        self.start_tour(
            f"/my/orders/{order.id}",
            "o2c_portal_receipt_with_problems",
            login="o2c_company_buyer",
        )
        dispute = self.env["helpdesk.ticket"].search([("o2c_picking_id", "=", picking.id)])
        self.assertEqual(
            (dispute.o2c_dispute_type, dispute.o2c_disputed_amount), ("damaged", 200.0)
        )
        self.assertEqual(picking.o2c_proof_ids.attachment_ids.name, "broken.png")
        self.assertEqual(picking.o2c_proof_ids.confirmed_by_partner_id, self.buyer.partner_id)

    def _substituted_delivery(self):
        substitute = self._storable_product("Portal substitute")
        self.product.o2c_substitute_product_ids = substitute
        self.env["stock.quant"]._update_available_quantity(substitute, self.stock_location, 5)
        self.customer.o2c_substitution_consent_required = True
        order = self.quotation(qty=10.0)
        order.action_confirm()
        picking = order.picking_ids
        self.substitute_and_ship(picking, 2.0, 8.0)
        return order, picking

    def test_customer_asked_by_email_answers_through_the_link(self):
        order, picking = self._substituted_delivery()
        action = picking.with_user(self.salesman).action_o2c_request_consent()
        composer = Form(
            self.env[action["res_model"]].with_user(self.salesman).with_context(**action["context"])
        ).save()
        composer._action_send_mail()
        sent = picking.message_ids[0]
        self.assertIn(self.customer, sent.partner_ids)
        self.assertIn(f"access_token={order.access_token}", sent.body)
        # from the email, without logging in
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/picking/o2c_consent/{picking.id}?access_token={order.access_token}",
            data={"csrf_token": http.Request.csrf_token(self), "decision": "accept"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(picking.o2c_consent_contact, self.customer.name, "the link's contact")

    def test_buyer_answers_a_proposed_substitution(self):
        order, picking = self._substituted_delivery()
        exc = picking.o2c_exception_ids.filtered(lambda e: e.code == "substitution")
        self.assertEqual(exc.state, "open")

        def answer(decision):
            return self.url_open(
                f"/my/picking/o2c_consent/{picking.id}",
                data={"csrf_token": http.Request.csrf_token(self), "decision": decision},
            )

        self.authenticate("o2c_other_buyer", "o2c_other_buyer")
        self.assertEqual(answer("accept").status_code, 404, "another company's delivery")
        self.assertFalse(picking.o2c_consent_date)
        self.authenticate("o2c_company_buyer", "o2c_company_buyer")
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("We propose:", page)
        self.assertIn(exc.name, page)
        answer("decline")
        self.assertFalse(picking.o2c_consent_date, "declined: no consent")
        self.assertIn("declined the substitution", picking.message_ids[0].body)
        self.assertTrue(picking.activity_ids.filtered(lambda a: "declined" in a.summary))
        answer("accept")
        self.assertEqual(picking.o2c_consent_contact, self.buyer.partner_id.name)
        self.assertEqual(picking.o2c_consent_user_id, self.buyer)
        self.assertNotIn("We propose:", self.url_open(f"/my/orders/{order.id}").text)
        self.assertEqual(answer("accept").status_code, 404, "nothing left to answer")
        exc.with_user(self.approver).action_approve("customer agreed")
        self.assertEqual(exc.state, "approved")

    def test_buyer_accepts_the_substitute_in_the_browser(self):
        order, picking = self._substituted_delivery()
        self.start_tour(
            f"/my/orders/{order.id}", "o2c_portal_consent_accept", login="o2c_company_buyer"
        )
        self.assertEqual(picking.o2c_consent_channel, "portal")
        self.assertEqual(picking.o2c_consent_contact, self.buyer.partner_id.name)
        self.assertIn("on the portal from 127.0.0.1", picking.o2c_consent_note)
        exc = picking.o2c_exception_ids.filtered(lambda e: e.code == "substitution")
        exc.with_user(self.approver).action_approve("customer agreed")
        self.assertEqual(picking.state, "done", "the held validation went on")

    def test_signed_held_quotation_declined_tells_the_customer(self):
        order = self._held_quotation()
        order.with_user(self.buyer).sudo()._validate_order()  # as the portal does at signing
        order.signed_on = "2026-12-01 10:00:00"
        self.assertTrue(order.o2c_blocked)
        mails = self._customer_mails(order)
        order.o2c_exception_ids.filtered(lambda e: e.state == "open").with_user(
            self.approver
        ).action_reject(
            "40 % is not sustainable",
            root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id,
        )
        told = self._customer_mails(order) - mails
        self.assertEqual(len(told), 1)
        self.assertIn("We could not confirm it as it stands", told.body)
        self.assertNotIn("sustainable", told.body, "the internal reason stays internal")
