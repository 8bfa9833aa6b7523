# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command
from odoo.addons.o2c_credit_control.tests.common import CREDIT_TEST_SETTINGS
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AttackCommon

TERMS_FIELDS = [
    "o2c_credit_limit_type",
    "o2c_credit_limit",
    # the customer's limit is Odoo's own field (o2c_credit_limit is its other name)
    "credit_limit",
    "o2c_credit_policy",
    "o2c_overdue_tolerance_days",
    "o2c_overdue_tolerance_amount",
]
#: written out, not read from the model: the attacks check what must not change
#: independently of the code under test
COMPANY_FIELDS = [
    "o2c_credit_check",
    "o2c_credit_default_limit_type",
    "o2c_credit_default_limit",
    "o2c_credit_default_policy",
    "o2c_credit_overdue_days",
    "o2c_credit_overdue_amount",
    "o2c_credit_block_delivery",
]
HOLD_FIELDS = [
    "state",
    "decided_by_id",
    "decision_reason",
    "conflict_user_ids",
    "o2c_credit_release_id",
    "o2c_credit_expiry_date",
    "o2c_credit_exposure",
    "o2c_credit_limit",
    "o2c_credit_unlimited",
    "o2c_credit_policy",
]
RELEASE_FIELDS = ["expiry_date", "amount_cap", "state", "user_id", "reason", "exposure"]
ORDER_FIELDS = ["state", "amount_total", "o2c_blocked", "o2c_credit_hold", "picking_ids"]
#: every context key an attacker might try, o2c's former switches included
HOSTILE_CONTEXT = {
    "o2c_credit_no_recheck": True,
    "o2c_skip_enforce_once": True,
    "install_mode": True,
    "module": "o2c_credit_control",
    "tracking_disable": True,
    "mail_notrack": True,
    "import_file": True,
}


@tagged("post_install", "-at_install")
class TestAttackCredit(AttackCommon):
    """Credit terms are a Credit Manager's right; nobody releases their own credit hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # credit control as o2c_credit_control's tests configure it: the company
        # checks credit (unlimited by default), the customer has its own limit
        cls.company.write(CREDIT_TEST_SETTINGS)
        cls.customer.write(
            {
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": 150.0,
                "o2c_credit_policy": "approve",
                "o2c_overdue_tolerance_days": 30,
                "o2c_overdue_tolerance_amount": 0.0,
            }
        )
        # Contact Creation, as every internal user has by default: they may edit customers
        contacts = cls.env.ref("base.group_partner_manager")
        (cls.salesman | cls.approver | cls.approver_2 | cls.manager).groups_id |= contacts
        credit_manager = "o2c_credit_control.group_o2c_credit_manager"
        # a salesperson who is also a credit manager (and an approver): requests
        # holds, may change terms, approves others' holds
        cls.seller_cm = new_test_user(
            cls.env,
            "atk_seller_cm",
            "sales_team.group_sale_salesman,base.group_partner_manager,"
            f"o2c_exception_base.group_o2c_approver,{credit_manager}",
        )
        # another credit manager, who may approve credit holds
        cls.approver_2.groups_id |= cls.env.ref(credit_manager)
        cls.admin_not_cm = new_test_user(
            cls.env, "atk_settings_admin", "base.group_system,sales_team.group_sale_manager"
        )
        cls.tag_vip = cls.env["res.partner.category"].create({"name": "Credit: VIP"})
        cls.env["o2c.credit.group"].create(
            {
                "name": "VIP (unlimited)",
                "category_ids": [Command.link(cls.tag_vip.id)],
                "limit_type": "unlimited",
                "policy": "warn",
                "overdue_days": 365,
            }
        )

    # ---------------------------------------------------------- HELPERS
    def _held(self, user=None, qty=2.0):
        """A quotation of 200 (limit 150) confirmed by ``user``: held by credit control."""
        order = self.quotation(user=user or self.salesman, qty=qty)
        self.rpc(user or self.salesman, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "draft")
        hold = order.o2c_exception_ids.filtered(lambda e: e.code == "credit_hold")
        self.assertEqual(hold.state, "open")
        return order, hold

    def _messages(self, records):
        return self.env["mail.message"].search_count(
            [("model", "=", records._name), ("res_id", "in", records.ids)]
        )

    # ------------------------------------------------ TERMS: WHO MAY CHANGE
    def test_terms_writable_only_by_credit_managers(self):
        before = self.snapshot(self.customer, TERMS_FIELDS)
        messages = self._messages(self.customer)
        attempts = {
            "o2c_credit_limit_type": "unlimited",
            "o2c_credit_limit": 10**6,
            "credit_limit": 10**6,
            "use_partner_credit_limit": False,
            "o2c_credit_policy": "warn",
            "o2c_overdue_tolerance_days": 3650,
            "o2c_overdue_tolerance_amount": 10**6,
        }
        for user in (self.salesman, self.approver, self.manager):
            for fname, value in attempts.items():
                with (
                    self.subTest(user=user.login, field=fname),
                    self.assertRaisesRegex(AccessError, fname),
                ):
                    self.rpc(
                        user,
                        "res.partner",
                        "write",
                        [self.customer.id],
                        {fname: value},
                        context=HOSTILE_CONTEXT,
                    )
        self.assertUnchanged(self.customer, TERMS_FIELDS, before)
        self.assertEqual(self._messages(self.customer), messages)
        # the same users still edit the customer otherwise, and unchanged terms pass
        self.rpc(
            self.approver,
            "res.partner",
            "write",
            [self.customer.id],
            {"ref": "ATK-1", "o2c_credit_limit": 150.0},
        )
        self.assertEqual(self.customer.ref, "ATK-1")

    def test_terms_cannot_be_imported_or_created(self):
        before = self.snapshot(self.customer, TERMS_FIELDS)
        count = self.env["res.partner"].search_count([])
        result = self.rpc(
            self.approver,
            "res.partner",
            "load",
            [".id", "o2c_credit_limit_type", "o2c_credit_limit"],
            [[str(self.customer.id), "unlimited", "1000000"]],
            context=HOSTILE_CONTEXT,
        )
        self.assertFalse(result["ids"])
        self.assertIn("Credit Managers", " ".join(m["message"] for m in result["messages"]))
        self.assertUnchanged(self.customer, TERMS_FIELDS, before)
        result = self.rpc(
            self.salesman,
            "res.partner",
            "load",
            ["name", "is_company", "o2c_credit_limit_type"],
            [["Imported Unlimited", "1", "unlimited"]],
        )
        self.assertFalse(result["ids"])
        with self.assertRaisesRegex(AccessError, "o2c_credit_limit_type"):
            self.rpc(
                self.salesman,
                "res.partner",
                "create",
                {"name": "New", "is_company": True, "o2c_credit_limit_type": "unlimited"},
            )
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_tag_into_a_credit_group_is_a_terms_change(self):
        before = self.snapshot(self.customer, [*TERMS_FIELDS, "category_id"])
        # the customer has own terms: the tag changes nothing, it passes
        self.rpc(
            self.salesman,
            "res.partner",
            "write",
            [self.customer.id],
            {"category_id": [Command.link(self.tag_vip.id)]},
        )
        self.rpc(
            self.salesman,
            "res.partner",
            "write",
            [self.customer.id],
            {"category_id": [Command.unlink(self.tag_vip.id)]},
        )
        self.assertUnchanged(self.customer, [*TERMS_FIELDS, "category_id"], before)
        # a customer on the group / default terms: the tag would make it unlimited
        other = self.env["res.partner"].create({"name": "Default terms", "is_company": True})
        with self.assertRaisesRegex(AccessError, "credit group"):
            self.rpc(
                self.salesman,
                "res.partner",
                "write",
                [other.id],
                {"category_id": [Command.link(self.tag_vip.id)]},
            )
        self.assertFalse(other.category_id)
        with self.assertRaisesRegex(AccessError, "credit group"):
            self.rpc(
                self.salesman,
                "res.partner",
                "create",
                {"name": "VIP", "is_company": True, "category_id": [Command.set(self.tag_vip.ids)]},
            )

    def test_company_credit_settings_only_by_credit_managers(self):
        before = self.snapshot(self.company, COMPANY_FIELDS)
        for fname, value in (
            ("o2c_credit_check", False),
            ("o2c_credit_default_limit_type", "limit"),
            ("o2c_credit_default_policy", "warn"),
            ("o2c_credit_overdue_days", 999),
            ("o2c_credit_block_delivery", True),
        ):
            with self.subTest(field=fname), self.assertRaisesRegex(AccessError, fname):
                self.rpc(
                    self.admin_not_cm, "res.company", "write", [self.company.id], {fname: value}
                )
        self.assertUnchanged(self.company, COMPANY_FIELDS, before)
        # the settings screen writes the same fields: same refusal
        with self.assertRaisesRegex(AccessError, "o2c_credit_check"):
            self.rpc(
                self.admin_not_cm, "res.config.settings", "create", {"o2c_credit_check": False}
            )
        self.assertUnchanged(self.company, COMPANY_FIELDS, before)

    def test_credit_groups_and_class_policy_only_by_credit_managers(self):
        group = self.env["o2c.credit.group"].search([("name", "=", "VIP (unlimited)")])
        with self.assertRaises(AccessError):
            self.rpc(self.manager, "o2c.credit.group", "write", [group.id], {"policy": "block"})
        with self.assertRaises(AccessError):
            self.rpc(
                self.manager,
                "o2c.credit.group",
                "create",
                {"name": "X", "category_ids": [Command.link(self.tag_vip.id)]},
            )
        self.assertEqual(group.policy, "warn")
        order_class = self.env["o2c.order.class"].create({"name": "Phone", "code": "atk_phone"})
        with self.assertRaisesRegex(AccessError, "o2c_credit_policy"):
            self.rpc(
                self.manager,
                "o2c.order.class",
                "write",
                [order_class.id],
                {"o2c_credit_policy": "warn"},
            )
        with self.assertRaisesRegex(AccessError, "o2c_credit_policy"):
            self.rpc(
                self.manager,
                "o2c.order.class",
                "create",
                {"name": "EDI", "code": "atk_edi", "o2c_credit_policy": "warn"},
            )
        self.assertFalse(order_class.o2c_credit_policy)

    # ------------------------------------------- NO RELEASE OF ONE'S OWN HOLD
    def test_requester_changing_terms_does_not_release_own_hold(self):
        order, hold = self._held(user=self.seller_cm)
        self.rpc(
            self.seller_cm,
            "res.partner",
            "write",
            [self.customer.id],
            {"o2c_credit_limit_type": "unlimited"},
            context=HOSTILE_CONTEXT,
        )
        self.assertEqual(self.customer.sudo().o2c_credit_limit_type, "unlimited", "terms changed")
        self.assertEqual(hold.state, "open", "but the hold is not released")
        self.assertFalse(hold.o2c_credit_release_ids)
        self.assertIn(self.seller_cm, hold.conflict_user_ids)
        self.assertEqual(hold.o2c_credit_terms_changed_by_id, self.seller_cm)
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking messages, as at commit
        notes = " ".join(hold.message_ids.mapped("body"))
        self.assertIn("who may not release this hold", notes)
        self.assertIn("another credit manager must decide", notes)
        # tracked with old and new values on the customer (a hostile context or not)
        tracking = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "o2c_credit_limit_type"
        )
        self.assertEqual(tracking.mapped("new_value_char"), ["Unlimited"])
        self.assertEqual(tracking.mapped("old_value_char"), ["Own terms"])
        # neither the requester's approval, nor a re-confirmation, nor the cron release it
        with self.assertRaisesRegex(UserError, "Segregation of duties"):
            self.rpc(self.seller_cm, "o2c.exception", "action_approve", [hold.id], reason="mine")
        self.rpc(
            self.seller_cm, "sale.order", "action_confirm", [order.id], context=HOSTILE_CONTEXT
        )
        with self.assertRaisesRegex(UserError, "held by O2C exceptions"):
            self.rpc(self.seller_cm, "sale.order", "write", [order.id], {"state": "sale"})
        self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertEqual(hold.state, "open")
        self.assertEqual(order.state, "draft")
        # another credit manager decides
        self.rpc(self.approver_2, "o2c.exception", "action_approve", [hold.id], reason="Checked")
        self.assertEqual(hold.state, "approved")
        self.assertEqual(hold.o2c_credit_release_id.user_id, self.approver_2)
        self.assertEqual(order.state, "sale", "confirmed by itself after the decision")

    def test_terms_change_by_another_credit_manager_releases(self):
        order, hold = self._held(user=self.salesman)
        self.rpc(
            self.approver_2,
            "res.partner",
            "write",
            [self.customer.id],
            {"o2c_credit_limit": 1000.0},
        )
        self.assertEqual(hold.state, "resolved", "new terms release the holds that now fit")
        self.assertEqual(hold.o2c_credit_release_id.kind, "automatic")
        self.assertEqual(hold.o2c_credit_release_id.triggered_by_id, self.approver_2)
        self.assertIn(self.approver_2, hold.conflict_user_ids)
        self.assertEqual(order.state, "sale", "confirmed by itself on the release")

    def test_held_order_keeps_its_class_credit_policy(self):
        edi = self.env["utm.source"].create({"name": "ATK EDI"})
        self.env["o2c.order.class"].create(
            {
                "name": "EDI warn",
                "code": "atk_edi_warn",
                "source_ids": [Command.link(edi.id)],
                "o2c_credit_policy": "warn",
            }
        )
        order, hold = self._held(user=self.salesman)
        self.rpc(self.salesman, "sale.order", "write", [order.id], {"source_id": edi.id})
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "draft", "held with the class it had")
        self.assertEqual(hold.state, "open")

    # ------------------------------------------------- GOVERNED RELEASE FIELDS
    def test_release_fields_are_not_writable(self):
        order, hold = self._held()
        self.rpc(self.approver, "o2c.exception", "action_approve", [hold.id], reason="One week")
        release = hold.o2c_credit_release_id
        release.sudo()._o2c_set_terms(self.today + timedelta(days=7), 60.0)
        before_hold = self.snapshot(hold, HOLD_FIELDS)
        before_release = self.snapshot(release, RELEASE_FIELDS)
        messages = self._messages(hold)
        far = self.today + timedelta(days=3650)
        for fname, value in (
            ("o2c_credit_expiry_date", far),
            ("o2c_credit_release_id", False),
            ("o2c_credit_exposure", 0.0),
            ("o2c_credit_limit", 10**6),
            ("o2c_credit_unlimited", True),
            ("o2c_credit_policy", "warn"),
        ):
            with self.subTest(field=fname), self.assertRaisesRegex(UserError, "action that owns"):
                self.rpc(
                    self.manager,
                    "o2c.exception",
                    "write",
                    [hold.id],
                    {fname: value},
                    context=HOSTILE_CONTEXT,
                )
        for vals in ({"amount_cap": 0.0}, {"expiry_date": far}, {"state": "valid"}):
            # governed fields (UserError), else no write access at all (AccessError)
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.rpc(self.manager, "o2c.credit.release", "write", [release.id], vals)
        with self.assertRaisesRegex(UserError, "action that owns"):
            release.sudo().write({"amount_cap": 0.0, "expiry_date": far})
        with self.assertRaisesRegex(UserError, "action that owns"):
            self.rpc(
                self.manager,
                "o2c.credit.release",
                "create",
                {"exception_id": hold.id, "kind": "manual", "reason": "x"},
            )
        self.assertUnchanged(hold, HOLD_FIELDS, before_hold)
        self.assertUnchanged(release, RELEASE_FIELDS, before_release)
        self.assertEqual(self._messages(hold), messages)
        self.assertEqual(order.state, "sale", "confirmed by itself after the approval")
        self.assertEqual(hold.state, "approved")

    # ----------------------------------------------- NO WAY AROUND THE CHECK
    def test_fresh_quotation_over_limit_is_never_confirmed(self):
        order = self.quotation(qty=2.0)  # 200 > 150
        before = self.snapshot(order, ORDER_FIELDS)
        with self.assertRaisesRegex(UserError, "held by O2C exceptions"):
            self.rpc_write(self.salesman, order, {"state": "sale"}, context=HOSTILE_CONTEXT)
        self.assertUnchanged(order, ORDER_FIELDS, before)
        count = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        vals = {
            "partner_id": self.customer.id,
            "state": "sale",
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
        }
        with self.assertRaisesRegex(UserError, "held by O2C exceptions"):
            self.rpc(self.salesman, "sale.order", "create", vals, context=HOSTILE_CONTEXT)
        result = self.rpc(
            self.salesman,
            "sale.order",
            "load",
            ["partner_id/.id", "state", "order_line/product_id/.id", "order_line/product_uom_qty"],
            [[str(self.customer.id), "sale", str(self.product.id), "2"]],
            context=HOSTILE_CONTEXT,
        )
        self.assertFalse(result["ids"])
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), count
        )
        result = self.rpc(
            self.salesman, "sale.order", "action_confirm", [order.id], context=HOSTILE_CONTEXT
        )
        self.assertEqual(result["res_model"], "o2c.exception", "the held window")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertTrue(order.o2c_credit_hold)
