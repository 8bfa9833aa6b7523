# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import SUPERUSER_ID
from odoo.addons.o2c_exception_base.tests.common import o2c_test_env
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AttackCommon


@tagged("post_install", "-at_install")
class TestResponsible(AttackCommon):
    """Exceptions the system raises reach the people who answer for the document:
    its salesperson (or the team's leader, per type) finds them in *My queue*."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._only_pricing_policy("Responsible pricing policy")
        cls.leader = new_test_user(
            cls.env, "resp_leader", "sales_team.group_sale_salesman_all_leads"
        )
        cls.team = cls.env["crm.team"].create({"name": "Resp team", "user_id": cls.leader.id})

    def _held_by_the_system(self):
        """A quotation of the salesman with a 40 % discount, confirmed by an
        integration running as OdooBot: held for pricing approval."""
        order = self.quotation(discount=40.0)
        order.team_id = self.team
        order.with_user(SUPERUSER_ID).action_confirm()
        exc = order.o2c_exception_ids.filtered(lambda e: e.code == "discount_approval")
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.requested_by_id.id, SUPERUSER_ID)
        return exc

    def _my_queue(self, user):
        """The exceptions *My queue* shows ``user``: the search view's own filter."""
        Exceptions = self.env["o2c.exception"].with_user(user)
        arch = Exceptions.get_views([(False, "search")])["views"]["search"]["arch"]
        [node] = etree.fromstring(arch).xpath("//filter[@name='filter_my_queue']")
        return Exceptions.search(safe_eval(node.get("domain"), {"uid": user.id}))

    def test_system_exception_reaches_the_salesperson(self):
        exc = self._held_by_the_system()
        self.assertEqual(exc.responsible_id, self.salesman)
        self.assertIn(exc, self._my_queue(self.salesman))
        # the approver's queue has it to decide; a bystander's has nothing
        self.assertIn(exc, self._my_queue(self.approver))
        self.assertNotIn(exc, self._my_queue(self.leader))

    def test_type_may_route_to_the_team_leader_or_to_nobody(self):
        self.pricing_type.responsible = "team_leader"
        exc = self._held_by_the_system()
        self.assertEqual(exc.responsible_id, self.leader)
        self.assertIn(exc, self._my_queue(self.leader))
        exc.sudo()._o2c_owned_write({"state": "cancelled"})
        self.pricing_type.responsible = "none"
        self.assertFalse(self._held_by_the_system().responsible_id)

    def test_delivery_exception_reaches_the_transfer_responsible(self):
        picking = self.delivery()
        picking.user_id = self.warehouse
        exc = self.held(picking)
        self.assertEqual(exc.responsible_id, self.warehouse)

    def test_exceptions_raised_before_get_their_responsible(self):
        exc = self._held_by_the_system()
        exc.responsible_id = False
        exc._o2c_assign_responsibles()
        self.assertEqual(exc.responsible_id, self.salesman)

    def test_type_changes_are_tracked(self):
        etype = o2c_test_env(self.env)["o2c.exception.type"].browse(self.pricing_type.id)
        before = self.pricing_type.message_ids
        etype.with_user(self.manager).write({"responsible": "none", "sla_hours": 4})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        self.pricing_type.invalidate_recordset(["message_ids"])
        messages = self.pricing_type.message_ids - before
        tracked = messages.tracking_value_ids.field_id.mapped("name")
        self.assertEqual(set(tracked), {"responsible", "sla_hours"})

    def test_salesperson_cannot_hand_the_exception_to_someone_else(self):
        exc = self._held_by_the_system()
        with self.assertRaises(AccessError):
            self.rpc_write(self.salesman, exc, {"responsible_id": self.leader.id})
        self.assertEqual(exc.responsible_id, self.salesman)

    def test_held_document_offers_the_approval_to_who_may_give_it(self):
        exc = self._held_by_the_system()
        order = exc.sale_order_id
        self.assertFalse(order.with_user(self.salesman).o2c_can_approve)
        self.assertTrue(order.with_user(self.approver).o2c_can_approve)
        action = order.with_user(self.approver).action_o2c_open_approval()
        self.assertEqual((action["res_model"], action["res_id"]), ("o2c.exception", exc.id))
        with self.assertRaisesRegex(UserError, "nothing here you may approve"):
            order.with_user(self.salesman).action_o2c_open_approval()
        toast = order.with_user(self.salesman).action_o2c_request_approval()
        self.assertEqual(toast["params"]["title"], "Approval requested")
        self.assertIn(self.approver.name, toast["params"]["message"])
