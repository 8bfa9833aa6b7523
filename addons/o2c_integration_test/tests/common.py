# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
from odoo.addons.o2c_exception_base.tests.common import O2cRpcMixin, o2c_policy_approval_off
from odoo.addons.o2c_pricing_approval.models.sale_order import CODE as PRICING_CODE
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user
from odoo.tests.common import TransactionCase

#: the fields of an exception that record its decision: written out here, not read
#: from the model's ``_o2c_governed_fields``, so that the attacks check what must
#: not change independently of the code under test
DECISION_FIELDS = [
    "state",
    "decided_by_id",
    "decision_date",
    "decision_reason",
    "turnaround_hours",
    "requested_by_id",
    "request_date",
    "conflict_user_ids",
    "approval_ids",
    "key_hash",
    "min_approvals",
    "approver_group_id",
]


class AttackCommon(O2cRpcMixin, TransactionCase):
    """Every o2c addon installed; users per role; a customer at its credit limit.

    :meth:`rpc` calls a method the way an RPC client does (``call_kw`` on a
    public method, with any context the attacker chooses), as a given user, in
    a savepoint rolled back when the call fails, like the request's transaction.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        # the scenes set their policies as the administrator; governed policy
        # changes have their own tests (o2c_exception_base and each addon)
        o2c_policy_approval_off(cls.env, "pricing", "credit")
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env.user)
        o2c = "o2c_exception_base.group_o2c_%s"
        cls.salesman = new_test_user(
            cls.env, "atk_salesman", "sales_team.group_sale_salesman," + o2c % "user"
        )
        cls.warehouse = new_test_user(cls.env, "atk_warehouse", "stock.group_stock_user")
        cls.billing = new_test_user(cls.env, "atk_billing", "account.group_account_invoice")
        cls.approver = new_test_user(
            cls.env, "atk_approver", "sales_team.group_sale_salesman_all_leads," + o2c % "approver"
        )
        cls.approver_2 = new_test_user(
            cls.env, "atk_approver2", "sales_team.group_sale_salesman_all_leads," + o2c % "approver"
        )
        cls.manager = new_test_user(
            cls.env, "atk_manager", "sales_team.group_sale_manager," + o2c % "manager"
        )
        cls.product = cls._storable_product("Attack product")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Attack Customer", "is_company": True}
        )
        cls.stock_location = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock_location, 100)

    def setUp(self):
        super().setUp()
        # each test's own day: a class set up before midnight runs tests after it
        self.today = fields.Date.context_today(self.env.user)

    # ---------------------------------------------------------- HELPERS
    @classmethod
    def _only_pricing_policy(cls, name, **vals):
        """The only active pricing policy: discounts above 15 % need an O2C approver
        (one approval); ``cls.pricing_type`` is the pricing exception type."""
        Policy = cls.env["o2c.pricing.policy"]
        Policy.search([]).active = False
        approvers = cls.env.ref("o2c_exception_base.group_o2c_approver")
        policy = Policy.create(
            {
                "name": name,
                "company_id": False,
                "max_discount": 15.0,
                "max_price_override": 15.0,
                "tier_ids": [
                    Command.create({"threshold": 15.0, "approver_group_id": approvers.id})
                ],
                **vals,
            }
        )
        cls.pricing_type = cls.env["o2c.exception.type"].search([("code", "=", PRICING_CODE)])
        cls.pricing_type.min_approvals = 1
        return policy

    @classmethod
    def _storable_product(cls, name, **vals):
        """A storable product at 100 (cost 60), invoiced on delivery, without taxes."""
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
                **vals,
            }
        )

    def substitute_and_ship(self, picking, substitute_qty, shipped_qty):
        """The warehouse substitutes ``substitute_qty`` of the product of ``picking``,
        picks ``shipped_qty`` of it and the substitute, and validates (by RPC)."""
        action = picking.move_ids.with_user(self.warehouse).action_o2c_substitute()
        wizard = Form(
            self.env["o2c.substitute.wizard"]
            .with_user(self.warehouse)
            .with_context(**action["context"])
        )
        wizard.quantity = substitute_qty
        wizard.save().action_confirm()
        for move in picking.move_ids:
            move.quantity = shipped_qty if move.product_id == self.product else substitute_qty
            move.picked = True
        self.rpc(self.warehouse, "stock.picking", "button_validate", picking.ids)

    def rpc_write(self, user, records, vals, context=None):
        """``user`` writes ``vals`` on ``records`` by RPC (as a web client would)."""
        return self.rpc(user, records._name, "write", records.ids, vals, context=context)

    def try_decision_writes(self, user, exc):
        """``user`` writes each field of the decision of ``exc`` by RPC: each is refused."""
        attacks = {
            "state": "approved",
            "decided_by_id": self.approver.id,
            "decision_reason": "looks fine",
            "requested_by_id": self.approver.id,
            "conflict_user_ids": [Command.clear()],
            "decision_date": "2026-01-01 00:00:00",
            "request_date": "2026-01-01 00:00:00",
            "turnaround_hours": 1.0,
            "key_hash": "0" * 40,
            "min_approvals": 0,
            "approver_group_id": self.env.ref("base.group_user").id,
            "approval_ids": [Command.create({"user_id": self.approver.id, "reason": "x"})],
        }
        for fname, value in attacks.items():
            with self.subTest(field=fname), self.assertRaises(UserError):
                self.rpc(user, "o2c.exception", "write", [exc.id], {fname: value})

    def snapshot(self, records, fnames):
        """Values of ``fnames`` of ``records`` as stored (read fresh as superuser)."""
        self.env.invalidate_all()
        return records.sudo().read(fnames)

    def assertUnchanged(self, records, fnames, before):
        self.assertEqual(self.snapshot(records, fnames), before)

    def quotation(self, user=None, discount=0.0, qty=1.0, customer=None):
        """A quotation of ``product`` created by ``user`` (the salesman by default)."""
        order = (
            self.env["sale.order"]
            .with_user(user or self.salesman)
            .create(
                {
                    "partner_id": (customer or self.customer).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "discount": discount,
                            }
                        )
                    ],
                }
            )
        )
        return order.sudo()

    # ---------------------------------------------------- HELD DOCUMENTS
    @classmethod
    def _hold_type(cls):
        """A blocking exception type approved by O2C approvers (created once)."""
        etype = cls.env["o2c.exception.type"].search([("code", "=", "o2c_atk_hold")])
        return etype or cls.env["o2c.exception.type"].create(
            {
                "name": "Attack test hold",
                "code": "o2c_atk_hold",
                "stage": "order_validation",
                "blocking": True,
                "sla_hours": 4,
            }
        )

    def held(self, records):
        """Hold ``records`` with a blocking exception raised by the engine (as the system)."""
        self._hold_type()
        excs = records.sudo()._o2c_api_raise(records.ids, "o2c_atk_hold", "Held for the test")
        self.assertTrue(all(records.sudo().mapped("o2c_blocked")))
        return excs

    def delivery(self):
        """A confirmed order's ready delivery (nothing held), reserved."""
        order = self.quotation()
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1.0
        return picking

    def invoice(self):
        """A draft customer invoice of one manual line (no order)."""
        return (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": 50.0})
                    ],
                }
            )
        )
