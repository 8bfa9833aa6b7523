# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DisputeDataMixin


@tagged("post_install", "-at_install")
class TestDisputePortal(DisputeDataMixin, HttpCase):
    """A portal customer opens a dispute from an invoice and follows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_dispute_data()
        cls.portal_user = new_test_user(
            cls.env, "o2c_dispute_portal", "base.group_portal", email="buyer@example.com"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.invoice = cls._invoice([(cls.product_a, 10, 100.0)])  # 1,150 due
        cls.other_invoice = cls._invoice(partner=cls.other_customer)

    def _post_dispute(self, invoice, **data):
        return self.url_open(
            f"/my/invoices/{invoice.id}/dispute",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "dispute_type": "damaged",
                "amount": "115",
                "description": "Two widgets arrived broken",
                **data,
            },
        )

    def _disputes(self):
        return self.env["helpdesk.ticket"].search([("o2c_invoice_id", "=", self.invoice.id)])

    def test_customer_opens_and_follows_dispute(self):
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/invoices/{self.invoice.id}/dispute", page.text)
        form = self.url_open(f"/my/invoices/{self.invoice.id}/dispute")
        self.assertEqual(form.status_code, 200)
        self.assertIn('name="dispute_type"', form.text)
        response = self._post_dispute(self.invoice)
        ticket = self._disputes()
        self.assertEqual(len(ticket), 1)
        self.assertTrue(response.url.endswith(f"/my/ticket/{ticket.id}"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Damaged goods", response.text)
        self.assertIn("115.00", response.text)
        self.assertEqual(ticket.partner_id, self.portal_user.partner_id)
        self.assertEqual(ticket.o2c_dispute_type, "damaged")
        self.assertEqual(ticket.o2c_disputed_amount, 115.0)
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertIn(self.portal_user.partner_id, ticket.message_partner_ids)
        self.assertEqual(self._exceptions(self.invoice, "invoice_dispute").ticket_id, ticket)
        # the dispute shows on the invoice page and in the ticket list
        self.assertIn(ticket.number, self.url_open(f"/my/invoices/{self.invoice.id}").text)
        self.assertIn(ticket.name, self.url_open("/my/tickets").text)

    def test_amount_above_due_shows_error(self):
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        response = self._post_dispute(self.invoice, amount="5000")
        self.assertEqual(response.status_code, 200)
        self.assertIn("above what is still due on invoice", response.text)
        self.assertFalse(self._disputes())

    def test_bad_amounts_refused_before_any_ticket(self):
        """Nothing is created, no ticket number is used, the message names the field."""
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        sequence = self.env["ir.sequence"].search([("code", "=", "helpdesk.ticket.sequence")])
        next_number = sequence.number_next_actual
        for amount, message in (
            ("inf", "must be a positive number"),
            ("-inf", "must be a positive number"),
            ("nan", "must be a positive number"),
            ("-5", "must be a positive number"),
            ("0", "must be a positive number"),
            ("1e308", "above what is still due"),
            ("abc", "must be numbers"),
        ):
            with self.subTest(amount=amount):
                response = self._post_dispute(self.invoice, amount=amount)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertNotIn("HT0", response.text, "no ticket number that never existed")
        forged = self.url_open(
            f"/my/invoices/{self.invoice.id}/dispute",
            data={"dispute_type": "damaged", "amount": "10", "description": "x"},
        )
        self.assertEqual(forged.status_code, 400, "no CSRF token: refused")
        self.assertFalse(self._disputes())
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, next_number)

    def test_missing_type_shows_error(self):
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        response = self._post_dispute(self.invoice, dispute_type="")
        self.assertIn("valid Dispute Type", response.text)
        self.assertFalse(self._disputes())

    def test_dispute_of_lines_with_a_photo_and_one_status(self):
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        line = self.invoice.invoice_line_ids
        form = self.url_open(f"/my/invoices/{self.invoice.id}/dispute").text
        self.assertIn(f'name="qty_{line.id}"', form, "the invoice's lines to pick")
        page = self._post_dispute(self.invoice, **{f"qty_{line.id}": "11"})
        self.assertIn("at most 10.0 were invoiced", page.text)
        self.assertFalse(self._disputes())
        response = self.url_open(
            f"/my/invoices/{self.invoice.id}/dispute",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "dispute_type": "damaged",
                "amount": "",
                "description": "Two widgets arrived broken",
                f"qty_{line.id}": "2",
            },
            files={"attachments": ("broken.png", b"\x89PNG\r\n\x1a\nfake", "image/png")},
        )
        ticket = self._disputes()
        self.assertTrue(response.url.endswith(f"/my/ticket/{ticket.id}"))
        self.assertEqual(ticket.o2c_line_ids.quantity, 2.0)
        self.assertEqual(ticket.o2c_disputed_amount, 230.0, "2 of 10 lines at 1,150")
        photo = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(photo.name, "broken.png")
        # one status in the customer's words, not the helpdesk stage
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn("Being reviewed", page)
        self.assertNotIn(f">{ticket.stage_id.name}<", page)
        self.assertIn("Being reviewed", self.url_open("/my/tickets").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["o2c_dispute_count"]})
        self.assertEqual(counters["o2c_dispute_count"], 1, "one open dispute on /my")
        # the invoice list filters the disputed invoices
        self.assertIn("Disputed", self.url_open("/my/invoices").text)
        disputed = self.url_open("/my/invoices?filterby=o2c_disputed").text
        self.assertIn(self.invoice.name, disputed)
        self.assertNotIn(self.other_invoice.name, disputed)

    def test_other_customer_invoice_refused(self):
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        response = self.url_open(
            f"/my/invoices/{self.other_invoice.id}/dispute", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        response = self._post_dispute(self.other_invoice)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("o2c_invoice_id", "=", self.other_invoice.id)])
        )

    def test_customer_cannot_close_open_dispute(self):
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        self._post_dispute(self.invoice)
        ticket = self._disputes()
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertNotIn('action="/ticket/close"', page.text)
        self.url_open(
            "/ticket/close",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "ticket_id": ticket.id,
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            },
        )
        self.assertFalse(ticket.closed)
        self.assertEqual(ticket.o2c_dispute_state, "open")

    def test_plain_ticket_portal_unchanged(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain portal ticket",
                "description": "<p>Hello</p>",
                "partner_id": self.portal_user.partner_id.id,
            }
        )
        self.authenticate("o2c_dispute_portal", "o2c_dispute_portal")
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.text.count('action="/ticket/close"'), 2)
        self.assertNotIn("Dispute status", page.text)
