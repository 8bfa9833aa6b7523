# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from email.message import EmailMessage

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import O2cSaleCommon


@tagged("post_install", "-at_install")
class TestSaleChannel(O2cSaleCommon):
    """Each order records how it came in, by itself; nobody else writes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.back_office = cls.env.ref("o2c_exception_base.o2c_sale_channel_back_office")
        cls.email = cls.env.ref("o2c_exception_base.o2c_sale_channel_email")
        cls.portal = cls.env.ref("o2c_exception_base.o2c_sale_channel_portal")
        cls.edi = cls.env.ref("o2c_exception_base.o2c_sale_channel_edi")
        cls.integration = new_test_user(
            cls.env, "o2c_integration", "o2c_exception_base.group_o2c_integration"
        )
        cls.cls_edi = cls.env["o2c.order.class"].create(
            {
                "name": "EDI orders",
                "code": "test_edi",
                "sequence": 0,
                "channel_ids": [Command.link(cls.edi.id)],
            }
        )
        cls.cls_email = cls.env["o2c.order.class"].create(
            {
                "name": "Email orders",
                "code": "test_email",
                "sequence": 1,
                "channel_ids": [Command.link(cls.email.id)],
            }
        )

    def _order_vals(self, **vals):
        return {
            "partner_id": self.partner.id,
            "order_line": [Command.create({"product_id": self.product_apple.id})],
            **vals,
        }

    # ---------------------------------------------------- entry paths
    def test_back_office_order(self):
        order = self._order()
        self.assertEqual(order.o2c_channel_id, self.back_office)
        self.assertNotIn(order.o2c_order_class_id, self.cls_edi | self.cls_email)

    def test_integration_user_order_is_edi_and_classed_by_it(self):
        order = self.env["sale.order"].with_user(self.integration).create(self._order_vals())
        self.assertEqual(order.o2c_channel_id, self.edi)
        self.assertEqual(order.o2c_order_class_id, self.cls_edi, "matched without tagging")

    def test_import_is_edi(self):
        result = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .load(["partner_id/.id", "client_order_ref"], [[str(self.partner.id), "PO-IMP"]])
        )
        self.assertFalse(result["messages"])
        order = self.env["sale.order"].browse(result["ids"])
        self.assertEqual(order.o2c_channel_id, self.edi)

    def test_integration_group_gives_no_o2c_role(self):
        self.assertFalse(self.integration.has_group("o2c_exception_base.group_o2c_user"))
        self.assertTrue(self.integration.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.integration.has_group("sales_team.group_sale_manager"))

    def _incoming_email(self, alias_email, subject):
        mail = EmailMessage()
        mail["From"] = "Buyer <buyer@customer.example.com>"
        mail["To"] = alias_email
        mail["Subject"] = subject
        mail["Message-Id"] = f"<{subject.replace(' ', '')}@customer.example.com>"
        mail.set_content("Please send 10 apples.")
        mail.add_attachment(
            b"product;qty\nAPPLE;10\n", maintype="text", subtype="csv", filename="po-4711.csv"
        )
        return mail.as_string()

    def test_email_through_alias_is_email_channel_with_the_mail_in_chatter(self):
        domain = self.env["mail.alias.domain"].create({"name": "o2c-test.example.com"})
        self.env["mail.alias"].create(
            {
                "alias_name": "orders",
                "alias_domain_id": domain.id,
                "alias_model_id": self.env["ir.model"]._get_id("sale.order"),
                "alias_contact": "everyone",
            }
        )
        buyer = self.env["res.partner"].create(
            {"name": "Buyer", "email": "buyer@customer.example.com"}
        )
        raw = self._incoming_email("orders@o2c-test.example.com", "PO 4711")
        # as the gateway runs it (fetchmail, mailgate script): administrative rights
        order_id = self.env["mail.thread"].sudo().message_process(None, raw)
        order = self.env["sale.order"].browse(order_id)
        self.assertEqual(order.partner_id, buyer)
        self.assertEqual(order.o2c_channel_id, self.email)
        self.assertEqual(order.o2c_order_class_id, self.cls_email)
        self.assertEqual(order.origin, "PO 4711")
        self.assertTrue(order.name.startswith("S"), "the name is the order's sequence")
        mail = order.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("10 apples", str(mail.body))
        self.assertEqual(mail.attachment_ids.mapped("name"), ["po-4711.csv"])

    def test_message_new_over_rpc_is_no_email(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .message_new({"author_id": self.partner.id, "subject": "fake mail"})
        )
        self.assertEqual(order.o2c_channel_id, self.back_office)

    # --------------------------------------------------------- attacks
    def _assert_refused(self, func):
        with self.assertRaisesRegex(UserError, "Channel of Sales Order"):
            func()

    def test_salesperson_cannot_write_the_channel(self):
        order = self._order()
        as_salesman = order.with_user(self.salesman)
        self._assert_refused(lambda: as_salesman.write({"o2c_channel_id": self.edi.id}))
        self._assert_refused(
            lambda: as_salesman.with_context(tracking_disable=True, install_mode=True).write(
                {"o2c_channel_id": self.portal.id}
            )
        )
        self._assert_refused(lambda: as_salesman.sudo().write({"o2c_channel_id": False}))
        self.assertEqual(order.o2c_channel_id, self.back_office)
        as_salesman.write({"o2c_channel_id": self.back_office.id, "note": "unchanged passes"})

    def test_salesperson_cannot_create_with_a_channel(self):
        Order = self.env["sale.order"].with_user(self.salesman)
        before = Order.search_count([])
        self._assert_refused(lambda: Order.create(self._order_vals(o2c_channel_id=self.edi.id)))
        self._assert_refused(
            lambda: Order.with_context(default_o2c_channel_id=self.portal.id).create(
                self._order_vals()
            )
        )
        self.env["ir.default"].with_user(self.salesman).set(
            "sale.order", "o2c_channel_id", self.email.id, user_id=True
        )
        self._assert_refused(lambda: Order.create(self._order_vals()))
        self.assertEqual(Order.search_count([]), before)

    def test_import_cannot_choose_a_channel(self):
        Order = self.env["sale.order"].with_user(self.salesman)
        before = Order.search_count([])
        result = Order.load(
            ["partner_id/.id", "o2c_channel_id/.id"],
            [[str(self.partner.id), str(self.portal.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("Channel", result["messages"][0]["message"])
        self.assertEqual(Order.search_count([]), before)

    def test_integration_user_cannot_choose_another_channel(self):
        Order = self.env["sale.order"].with_user(self.integration)
        self._assert_refused(lambda: Order.create(self._order_vals(o2c_channel_id=self.email.id)))

    # --------------------------------------------------- configuration
    def test_automatic_codes_cannot_be_renamed(self):
        with self.assertRaisesRegex(ValidationError, "cannot change"):
            self.edi.code = "edifact"
        with self.assertRaisesRegex(ValidationError, "Code of sales channel"):
            self.env["o2c.sale.channel"].create({"name": "Fax", "code": " "})
        fax = self.env["o2c.sale.channel"].create({"name": "Fax", "code": "fax"})
        fax.code = "telefax"
        self.assertEqual(fax.code, "telefax")

    def test_archived_channel_is_not_recorded(self):
        self.edi.active = False
        order = self.env["sale.order"].with_user(self.integration).create(self._order_vals())
        self.assertFalse(order.o2c_channel_id)
        self.edi.active = True
        order = self.env["sale.order"].with_user(self.integration).create(self._order_vals())
        self.assertEqual(order.o2c_channel_id, self.edi, "the cache follows the change")
