# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import re
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, fields
from odoo.addons.o2c_exception_base.tests.common import (
    o2c_policy_approval_off,
    o2c_test_env,
)
from odoo.tests import Form, new_test_user
from odoo.tests.common import TransactionCase

O2C = "o2c_exception_base.group_o2c_"
#: a 1x1 PNG: the customer's signature on the delivery
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd4"
        "0000000049454e44ae426082"
    )
)


def seed_users(cls):
    """The day's users, each with only the rights of their job."""
    env = cls.env
    cls.salesman = new_test_user(
        env,
        "ev_salesman",
        f"sales_team.group_sale_salesman,helpdesk_mgmt.group_helpdesk_user,{O2C}user",
    )
    # a salesperson without Helpdesk rights: disputes are not theirs to read
    cls.seller = new_test_user(env, "ev_seller", f"sales_team.group_sale_salesman,{O2C}user")
    cls.approver = new_test_user(
        env, "ev_approver", f"sales_team.group_sale_salesman_all_leads,{O2C}approver"
    )
    cls.finance = new_test_user(env, "ev_finance", f"account.group_account_invoice,{O2C}approver")
    cls.warehouse = new_test_user(env, "ev_warehouse", "stock.group_stock_user")
    cls.clerk = new_test_user(
        env, "ev_clerk", "account.group_account_invoice,sales_team.group_sale_salesman_all_leads"
    )
    cls.agent = new_test_user(
        env,
        "ev_agent",
        f"helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice,{O2C}user",
    )
    cls.manager = new_test_user(env, "ev_manager", f"sales_team.group_sale_manager,{O2C}manager")


class EvidenceCommon(TransactionCase):
    """One distributor's day on one order, done by the users who click.

    A customer with 1,000 open and a 1,500 limit orders 10 units of A at 100 with
    20 % off (800): pricing and credit hold it; approved and released (cap 500,
    expiry in a week), it confirms by itself. The warehouse delivers 8 of A and
    2 of the substitute B; the customer consents by phone, an approver approves
    the substitution; the signed proof of delivery is validated by billing; the
    8 + 2 are invoiced; the 2 B arrive damaged: disputed, approved, credited.
    The customer has agreements (one valid on the order date, one since
    expired) and got messages on the order (an internal note too).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env.user)
        seed_users(cls)
        cls._seed_configuration()
        cls._seed_agreements()
        cls.order = cls._seed_held_order()
        cls._seed_decisions(cls.order)
        cls.picking = cls._seed_delivery(cls.order)
        cls._seed_proof(cls.picking)
        cls.invoice = cls._seed_invoice(cls.order)
        cls.ticket = cls._seed_dispute(cls.invoice)
        cls.env.invalidate_all()

    # ---------------------------------------------------------- SEEDING
    @classmethod
    def _seed_configuration(cls):
        env = cls.env
        # the fixture sets policies up directly, as the administrator of a new
        # company would before requiring a second person for policy changes
        o2c_policy_approval_off(cls.env, "pricing", "credit")
        env["o2c.pricing.policy"].search([]).active = False
        env["o2c.pricing.policy"].create(
            {
                "name": "Evidence pricing policy",
                "company_id": False,
                "max_discount": 15.0,
                "tier_ids": [
                    Command.create(
                        {"threshold": 15.0, "approver_group_id": env.ref(O2C + "approver").id}
                    )
                ],
            }
        )
        env["o2c.exception.type"].search([]).min_approvals = 1
        cls.product = cls._product("Evidence product A")
        cls.substitute = cls._product("Evidence substitute B")
        cls.product.o2c_substitute_product_ids = cls.substitute
        stock = env.ref("stock.warehouse0").lot_stock_id
        env["stock.quant"]._update_available_quantity(cls.product, stock, 8)
        env["stock.quant"]._update_available_quantity(cls.substitute, stock, 5)
        cls.company.write(
            {
                "o2c_credit_check": True,
                "o2c_credit_default_policy": "approve",
                "o2c_dispute_approval_amount": 100.0,
                "o2c_auto_invoice": False,
            }
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "Evidence Customer",
                "is_company": True,
                "email": "buyer@evidence.example.com",
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": 1500.0,
                "o2c_invoice_release_policy": "on_pod",
                "o2c_substitution_consent_required": True,
            }
        )
        cls.buyer = env["res.partner"].create(
            {"name": "Evidence Buyer", "parent_id": cls.customer.id, "email": "b@evidence.example"}
        )
        open_invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [Command.create({"name": "Earlier", "price_unit": 1000.0})],
            }
        )
        open_invoice.action_post()

    @classmethod
    def _product(cls, name):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _file(cls, name, content, model=False, res_id=0, user=None):
        return (
            cls.env["ir.attachment"]
            .with_user(user or cls.env.user)
            .create(
                {
                    "name": name,
                    "raw": content,
                    "res_model": model,
                    "res_id": res_id,
                }
            )
        )

    @classmethod
    def _seed_agreements(cls):
        Agreement = cls.env["o2c.customer.agreement"].with_user(cls.manager)
        framework = cls._file("framework-2026.pdf", b"%PDF framework prices", user=cls.manager)
        cls.agreement = Agreement.create(
            {
                "name": "Framework prices 2026",
                "partner_id": cls.customer.id,
                "kind": "framework_prices",
                "date_from": cls.today - timedelta(days=30),
                "date_to": cls.today + timedelta(days=335),
                "attachment_ids": [Command.set(framework.ids)],
                "notes": "Volume discounts per quarter",
            }
        )
        cls.expired_agreement = Agreement.create(
            {
                "name": "Payment terms 2024",
                "partner_id": cls.customer.id,
                "kind": "payment_terms",
                "date_from": cls.today - timedelta(days=700),
                "date_to": cls.today - timedelta(days=300),
            }
        )

    @classmethod
    def _seed_held_order(cls):
        order = (
            cls.env["sale.order"]
            .with_user(cls.salesman)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "client_order_ref": "PO-EVID-1",
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_uom_qty": 10, "discount": 20}
                        )
                    ],
                }
            )
        )
        cls._file("customer-po.pdf", b"%PDF purchase order", "sale.order", order.id)
        order.action_confirm()
        order = order.sudo()
        assert order.state == "draft" and order.o2c_blocked, "held by pricing and credit"
        # what the customer was told, and what they were not
        order.with_user(cls.salesman).message_post(
            subject="We are checking your order",
            body="Your order waits for our approval.",
            partner_ids=cls.buyer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        order.with_user(cls.salesman).message_post(
            body=Markup("<p>Internal: EVIDENCE-SECRET-NOTE</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return order

    @classmethod
    def _exception(cls, record, code):
        return record.o2c_exception_ids.filtered(lambda e: e.code == code)

    @classmethod
    def _seed_decisions(cls, order):
        pricing = cls._exception(order, "discount_approval")
        hold = cls._exception(order, "credit_hold")
        pricing.with_user(cls.approver).action_approve("Yearly volume deal EVIDENCE")
        cls.expiry = cls.today + timedelta(days=7)
        cls.env["o2c.credit.release.wizard"].with_user(cls.finance).create(
            {
                "exception_ids": [Command.set(hold.ids)],
                "reason": "Paid by wire tomorrow",
                "expiry_date": cls.expiry,
                "amount_cap": 500.0,
            }
        ).action_release()
        assert order.state == "sale", "confirmed by itself after the last decision"

    @classmethod
    def _seed_delivery(cls, order):
        picking = order.picking_ids
        action = picking.move_ids.with_user(cls.warehouse).action_o2c_substitute()
        wizard = Form(
            cls.env["o2c.substitute.wizard"]
            .with_user(cls.warehouse)
            .with_context(**action["context"])
        )
        wizard.quantity = 2.0
        wizard.save().action_confirm()
        for move in picking.move_ids:
            move.quantity = 8.0 if move.product_id == cls.product else 2.0
            move.picked = True
        picking.with_user(cls.warehouse).button_validate()
        assert picking.state != "done", "the substitution waits for consent and approval"
        cls.env["o2c.consent.wizard"].with_user(cls.warehouse).create(
            {
                "picking_id": picking.id,
                "contact": "Evidence Buyer",
                "channel": "phone",
                "note": "Agreed on the phone to take B instead of A",
            }
        ).action_confirm()
        cls._exception(picking, "substitution").with_user(cls.approver).action_approve(
            "Same specification"
        )
        if picking.state != "done":
            picking.with_user(cls.warehouse).button_validate()
        assert picking.state == "done"
        return picking

    @classmethod
    def _seed_proof(cls, picking):
        picking.sudo().signature = SIGNATURE
        scan = cls._file("pod-scan.pdf", b"%PDF signed delivery note", user=cls.warehouse)
        proof = (
            cls.env["o2c.delivery.proof"]
            .with_user(cls.warehouse)
            .create(
                {
                    "picking_id": picking.id,
                    "kind": "signature",
                    "received_by": "Jo Receiver",
                    "tracking_ref": "TRK-EVID-1",
                    "attachment_ids": [Command.set(scan.ids)],
                }
            )
        )
        proof.with_user(cls.clerk).action_validate()
        cls.proof = proof

    @classmethod
    def _seed_invoice(cls, order):
        cls.env["sale.advance.payment.inv"].with_user(cls.clerk).with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "delivered"}).create_invoices()
        invoice = order.invoice_ids
        invoice.with_user(cls.clerk).action_post()
        return invoice

    @classmethod
    def _seed_dispute(cls, invoice):
        aml = invoice.invoice_line_ids.filtered(lambda line: line.product_id == cls.substitute)
        action = invoice.with_user(cls.agent).action_o2c_open_dispute()
        Ticket = cls.env["helpdesk.ticket"].with_user(cls.agent).with_context(**action["context"])
        with Form(Ticket) as form:
            form.name = "Damaged substitutes"
            form.description = "<p>Both boxes crushed</p>"
            form.o2c_dispute_type = "damaged"
            form.o2c_root_cause = "carrier"
            form.o2c_resolution = "credit_note"
            with form.o2c_line_ids.new() as line:
                line.move_line_id = aml
                line.quantity = 2.0
        ticket = form.record.sudo()
        cls._file("damage-photo.jpg", b"JPEG crushed boxes", "helpdesk.ticket", ticket.id)
        ticket.with_user(cls.agent).action_o2c_apply_resolution()
        exc = cls._exception(ticket, "dispute_resolution")
        exc.with_user(cls.approver).action_approve("Carrier damage confirmed")
        ticket.with_user(cls.agent).action_o2c_apply_resolution()
        assert ticket.o2c_dispute_state == "resolved" and ticket.o2c_credit_note_ids
        return ticket

    # ---------------------------------------------------------- HELPERS
    def pack_text(self, user, orders=None):
        """The pack of ``orders`` rendered for ``user`` as text (the HTML render:
        tests have no wkhtmltopdf), and its HTML."""
        orders = (orders or self.order).with_user(user)
        report = self.env["ir.actions.report"].with_user(user)
        html, kind = report._render_qweb_pdf("o2c_evidence.action_report_evidence_pack", orders.ids)
        html = html.decode() if isinstance(html, bytes) else str(html)
        text = re.sub(r"<[^>]+>", " ", html)
        return re.sub(r"\s+", " ", text), html, kind
