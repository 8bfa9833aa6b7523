# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.addons.o2c_exception_base.governance import owning_action
from odoo.tests import tagged

from .common import O2cCommon


@tagged("post_install", "-at_install")
class TestEscalation(O2cCommon):
    def _exceptions(self, env, count, hours_late=5):
        partner = env["res.partner"].create({"name": "Escalation customer"})
        ctype = env.ref("o2c_exception_base.o2c_exception_type_order_rule")
        past = fields.Datetime.now() - timedelta(hours=hours_late)
        # a deadline is the type's SLA; these are set in the past by the engine's owner
        with owning_action("o2c.exception"):
            return env["o2c.exception"].create(
                [
                    {
                        "name": f"late {i}",
                        "type_id": ctype.id,
                        "res_model": "res.partner",
                        "res_id": partner.id,
                        "deadline": past,
                    }
                    for i in range(count)
                ]
            )

    def test_cron_escalates_once_and_tells_managers(self):
        late = self._exceptions(self.env, 3)
        on_time = self._exceptions(self.env, 1, hours_late=-5)
        done = self.env["o2c.exception"]._cron_escalate(batch_size=2)
        self.assertEqual(done, 3)
        self.assertTrue(all(late.mapped("escalated")))
        self.assertFalse(on_time.escalated)
        escalation = self.env.ref("o2c_exception_base.mail_activity_type_o2c_escalation")
        acts = late.activity_ids.filtered(lambda a: a.activity_type_id == escalation)
        self.assertIn(self.manager, acts.user_id)
        self.assertNotIn(self.approver, acts.user_id)
        count = len(acts)
        self.assertEqual(self.env["o2c.exception"]._cron_escalate(), 0)
        self.assertEqual(
            len(late.activity_ids.filtered(lambda a: a.activity_type_id == escalation)),
            count,
            "no second escalation",
        )

    def test_decided_exceptions_not_escalated(self):
        late = self._exceptions(self.env, 1)
        late.with_user(self.manager).action_cancel("obsolete")
        self.assertEqual(self.env["o2c.exception"]._cron_escalate(), 0)

    def test_two_workers_never_take_the_same_row(self):
        """Two real cursors (two cron workers) split the overdue rows."""
        dbname = self.env.cr.dbname
        with sql_db.db_connect(dbname).cursor() as cr:
            ids = self._exceptions(api.Environment(cr, SUPERUSER_ID, {}), 6).ids
            cr.commit()  # pylint: disable=invalid-commit
        try:
            cr_a = sql_db.db_connect(dbname).cursor()
            cr_b = sql_db.db_connect(dbname).cursor()
            try:
                env_a = api.Environment(cr_a, SUPERUSER_ID, {})
                env_b = api.Environment(cr_b, SUPERUSER_ID, {})
                batch_a = env_a["o2c.exception"]._escalate_batch(4)
                # worker A still holds its rows: worker B must skip them
                batch_b = env_b["o2c.exception"]._escalate_batch(100)
                mine_a = set(batch_a.ids) & set(ids)
                mine_b = set(batch_b.ids) & set(ids)
                cr_a.commit()  # pylint: disable=invalid-commit
                cr_b.commit()  # pylint: disable=invalid-commit
            finally:
                cr_a.close()
                cr_b.close()
            self.assertEqual(len(mine_a), 4)
            self.assertFalse(mine_a & mine_b, "no row escalated twice")
            self.assertEqual(mine_a | mine_b, set(ids), "every row escalated")
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM o2c_exception WHERE id IN %s AND escalated", [tuple(ids)]
                )
                self.assertEqual(cr.fetchone()[0], 6)
        finally:
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute(
                    "DELETE FROM mail_activity WHERE res_model = 'o2c.exception' "
                    "AND res_id IN %s",
                    [tuple(ids)],
                )
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'o2c.exception' " "AND res_id IN %s",
                    [tuple(ids)],
                )
                cr.execute("SELECT DISTINCT res_id FROM o2c_exception WHERE id IN %s", [tuple(ids)])
                partner_ids = tuple(r[0] for r in cr.fetchall())
                cr.execute("DELETE FROM o2c_exception WHERE id IN %s", [tuple(ids)])
                cr.execute("DELETE FROM res_partner WHERE id IN %s", [partner_ids])
                cr.commit()  # pylint: disable=invalid-commit
