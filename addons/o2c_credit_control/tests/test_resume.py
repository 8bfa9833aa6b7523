# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import CreditCommon

RESUME = "o2c_exception_base.mail_activity_type_o2c_resume"


@tagged("post_install", "-at_install")
class TestCreditResume(CreditCommon):
    """A held order goes on by itself once its credit hold is released."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_type.resume_after_decision = True

    def _open_invoice(self):
        return self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("move_type", "=", "out_invoice")]
        )

    def _resume_activities(self, order):
        return order.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(RESUME))

    def test_release_confirms_the_order_for_the_salesperson(self):
        order = self._held_order()
        self.assertEqual(order.o2c_resume_user_id, self.salesman)
        self._release(self._hold(order), reason="Paid by wire tomorrow")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids)
        log = order.message_ids.filtered(lambda m: "Confirmed after the decision" in m.body)
        self.assertEqual(len(log), 1)
        self.assertIn("cc_finance", log.body)
        self.assertIn("cc_salesman", log.body)

    def test_payment_confirms_the_order(self):
        order = self._held_order(receivable=800, amount=300)
        self._pay(self._open_invoice(), 200)
        self.assertEqual(self._hold(order).state, "resolved")
        self.assertEqual(order.state, "sale", "the automatic release let it go on")
        log = order.message_ids.filtered(lambda m: "Confirmed after the decision" in m.body)
        self.assertIn("the system", log.body)

    def test_salesperson_without_confirm_rights_gets_an_activity(self):
        order = self._held_order().sudo()
        # the requester lost the right to sell meanwhile: the release stands, they are told
        self.salesman.groups_id -= self.env.ref("sales_team.group_sale_salesman_all_leads")
        self.salesman.groups_id -= self.env.ref("sales_team.group_sale_salesman")
        hold = self._hold(order)
        self._release(hold)
        self.assertEqual(hold.state, "approved")
        self.assertEqual(order.state, "draft")
        activity = self._resume_activities(order)
        self.assertEqual((activity.user_id, activity.summary), (self.salesman, "Confirm now"))

    def test_resume_off_gives_one_activity(self):
        self.credit_type.resume_after_decision = False
        order = self._held_order()
        self._release(self._hold(order))
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(self._resume_activities(order)), 1)
