# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Admin input is validated when saved; a rule that still fails at run time fails alone."""

import json

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import O2cCommon, O2cSaleCommon


class O2cRuleCommon(O2cSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["o2c.exception.rule"]
        cls.order_type = cls.env.ref("o2c_exception_base.o2c_exception_type_order_rule")
        cls.rule = cls.Rule.create(
            {
                "name": "No reference",
                "model": "sale.order",
                "type_id": cls.order_type.id,
                "domain": "[('client_order_ref', '=', False)]",
                "message": "Order {name} has no reference",
            }
        )

    def _break(self, rule, domain=None, message=None):
        """Break ``rule`` behind the ORM's back (as a removed field or a bad
        migration would): the save-time checks never see it."""
        if domain is not None:
            self.env.cr.execute(
                "UPDATE o2c_exception_rule SET domain = %s WHERE id = %s", (domain, rule.id)
            )
        if message is not None:
            self.env.cr.execute(
                "UPDATE o2c_exception_rule SET message = %s WHERE id = %s",
                (json.dumps({"en_US": message}), rule.id),
            )
        rule.invalidate_recordset()

    def _confirm(self, order):
        order.with_user(self.salesman).action_confirm()
        return order


@tagged("post_install", "-at_install")
class TestRuleValidatedAtSave(O2cRuleCommon):
    def test_condition_with_value_of_wrong_type_refused(self):
        for domain, error in (
            ("[('id', '=', 'abc')]", "invalid input syntax for type integer"),
            ("[('date_order', '>', 'not a date')]", "invalid input syntax for type timestamp"),
            ("[('amount_total', '>', 'x')]", "could not convert string to float"),
        ):
            with self.subTest(domain), self.assertRaises(ValidationError) as cm:
                self.rule.domain = domain
            text = str(cm.exception)
            self.assertIn("Rule No reference", text)
            self.assertIn("Condition", text)
            self.assertIn(error, text)
        self.assertEqual(self.rule.domain, "[('client_order_ref', '=', False)]")

    def test_condition_refused_on_create(self):
        with self.assertRaises(ValidationError) as cm:
            self.Rule.create(
                {
                    "name": "Bad id",
                    "model": "stock.picking",
                    "type_id": self.order_type.id,
                    "domain": "[('id', '=', 'abc')]",
                    "message": "x",
                }
            )
        self.assertIn(
            "Rule Bad id: the Condition is not valid for stock.picking", str(cm.exception)
        )

    def test_message_with_bad_format_refused(self):
        for message, error in (
            ("{amount_total:Z}", "Unknown format code 'Z'"),
            ("{partner_id:d}", "Unknown format code 'd'"),
            ("Order {}", "IndexError"),
            ("{name!x}", "Unknown conversion"),
            ("{date_order:%Y} {amount_total:Q}", "Unknown format code 'Q'"),
        ):
            with self.subTest(message), self.assertRaises(ValidationError) as cm:
                self.rule.message = message
            text = str(cm.exception)
            self.assertIn("Rule No reference: the Message cannot be rendered", text)
            self.assertIn(error, text)
        self.assertEqual(self.rule.message, "Order {name} has no reference")

    def test_valid_formats_saved_and_rendered(self):
        self.rule.write(
            {
                "message": "{name:>8} {amount_untaxed:,.2f} {date_order:%Y-%m-%d} {partner_id}",
                "domain": "[('date_order', '>', '2000-01-01'), ('id', '!=', 0)]",
            }
        )
        order = self._confirm(self._order())
        self.assertEqual(order.state, "draft")
        self.assertEqual(
            order.o2c_exception_ids.name,
            f"{order.name:>8} 100.00 {order.date_order:%Y-%m-%d} O2C Customer",
        )
        self.assertFalse(self.rule.failing)


@tagged("post_install", "-at_install")
class TestRuleFailingAlone(O2cRuleCommon):
    def _notes(self, rule):
        return rule.message_ids.filtered(lambda m: "failed and was skipped" in (m.body or ""))

    def test_condition_broken_after_save_does_not_block_confirmations(self):
        self._break(self.rule, domain="[('id', '=', 'abc')]")
        order = self._confirm(self._order())
        self.assertEqual(order.state, "sale", "the failing rule is skipped")
        self.assertFalse(order.o2c_exception_ids)
        self.assertTrue(self.rule.failing)
        self.assertIn("invalid input syntax for type integer", self.rule.last_error)
        self.assertIn("Condition", self.rule.last_error)
        self.assertTrue(self.rule.last_error_date)
        # its managers are told, once
        note = self._notes(self.rule)
        self.assertEqual(len(note), 1)
        self.assertIn(self.manager.partner_id, note.partner_ids)
        self.assertIn(self.manager.partner_id, note.notification_ids.res_partner_id)
        self.assertNotIn(self.salesman.partner_id, note.partner_ids)
        self.assertIn("invalid input syntax", note.body)
        second = self._confirm(self._order())
        self.assertEqual(second.state, "sale")
        self.assertEqual(len(self._notes(self.rule)), 1, "told once, not per confirmation")

    def test_removed_field_fails_alone_other_rules_still_hold(self):
        small = self.Rule.create(
            {
                "name": "Below 150",
                "model": "sale.order",
                "type_id": self.order_type.id,
                "domain": "[('amount_untaxed', '<', 150)]",
                "message": "{name} below minimum",
            }
        )
        self._break(self.rule, domain="[('x_removed_field', '=', 1)]")
        order = self._confirm(self._order())
        self.assertEqual(order.state, "draft", "the other rule still holds the order")
        self.assertEqual(order.o2c_exception_ids.rule_id, small)
        self.assertTrue(self.rule.failing)
        self.assertIn("x_removed_field", self.rule.last_error)
        self.assertFalse(small.failing)

    def test_failing_rule_work_is_rolled_back(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Writes, then fails",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "state": "code",
                "code": "records.write({'note': 'written by the rule'})\nx = 1 / 0",
            }
        )
        self.rule.server_action_id = action
        order = self._order()
        self._confirm(order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.note, "what the failing rule did is rolled back")
        self.assertTrue(self.rule.failing)
        self.assertIn("division by zero", self.rule.last_error)

    def test_message_broken_after_save_still_holds(self):
        self._break(self.rule, message="{amount_total:Z}")
        order = self._confirm(self._order())
        self.assertEqual(order.state, "draft", "the condition matched: still held")
        self.assertEqual(order.o2c_exception_ids.name, "{amount_total:Z}", "raw message")
        self.assertTrue(self.rule.failing)
        self.assertIn("Unknown format code 'Z'", self.rule.last_error)

    def test_save_rule_failing_does_not_block_saving_documents(self):
        self.rule.check_on_save = True
        self._break(self.rule, domain="[('date_order', '>', 'not a date')]")
        order = self._order()
        order.with_user(self.salesman).write({"client_order_ref": "PO-1"})
        self.assertEqual(order.client_order_ref, "PO-1")
        self.assertTrue(self.rule.failing)

    def test_saving_again_clears_the_marker(self):
        self._break(self.rule, domain="[('id', '=', 'abc')]")
        self._confirm(self._order())
        self.assertTrue(self.rule.failing)
        # saved still broken: refused, with the error
        with self.assertRaises(ValidationError) as cm:
            self.rule.with_user(self.manager).name = "Renamed"
        self.assertIn("invalid input syntax", str(cm.exception))
        self.assertTrue(self.rule.failing)
        # archiving a failing rule is always possible; bringing it back checks it
        self.rule.with_user(self.manager).active = False
        self.assertFalse(self.rule.active)
        with self.assertRaises(ValidationError):
            self.rule.with_user(self.manager).active = True
        # fixed and saved: cleared, applied again
        self.rule.with_user(self.manager).write(
            {"active": True, "domain": "[('client_order_ref', '=', False)]"}
        )
        self.assertFalse(self.rule.failing)
        self.assertFalse(self.rule.last_error)
        order = self._confirm(self._order())
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.o2c_exception_ids.rule_id, self.rule)

    def test_check_again_after_the_cause_is_fixed(self):
        self._break(self.rule, domain="[('id', '=', 'abc')]")
        self._confirm(self._order())
        with self.assertRaises(ValidationError):
            self.rule.with_user(self.manager).action_o2c_check_again()
        self.assertTrue(self.rule.failing)
        self._break(self.rule, domain="[('client_order_ref', '=', False)]")
        self.rule.with_user(self.manager).action_o2c_check_again()
        self.assertFalse(self.rule.failing)

    def test_failing_list_filter(self):
        self._break(self.rule, domain="[('id', '=', 'abc')]")
        self._confirm(self._order())
        self.assertEqual(self.Rule.search([("failing", "=", True)]), self.rule)


@tagged("post_install", "-at_install")
class TestTypeBounds(O2cCommon):
    def test_sla_hours_bounded(self):
        for value in (1e9, 8761, -1, float("inf"), float("nan")):
            with self.subTest(value), self.assertRaises(ValidationError) as cm:
                self.exc_type.sla_hours = value
            self.assertIn("SLA (hours) must be a number between 0.0 and 8760.0", str(cm.exception))
            self.assertIn("Test big amount", str(cm.exception))
        self.exc_type.sla_hours = 8760
        self.assertEqual(self.exc_type.sla_hours, 8760)

    def test_min_approvals_bounded(self):
        for value in (0, 6, 10**12):
            with self.subTest(value), self.assertRaises(ValidationError) as cm:
                self.exc_type.min_approvals = value
            self.assertIn("Approvals Needed must be a number between 1 and 5", str(cm.exception))
        self.exc_type.min_approvals = 5
        self.assertEqual(self.exc_type.min_approvals, 5)

    def test_bounds_checked_before_insert(self):
        # 10**12 does not fit the integer column: refused before the INSERT,
        # with the field named, not with a database error
        with self.assertRaises(ValidationError) as cm:
            self.env["o2c.exception.type"].create(
                {"name": "Huge", "code": "o2c_huge", "min_approvals": 10**12}
            )
        self.assertIn("Approvals Needed", str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            self.env["o2c.exception.type"].create(
                {"name": "Long", "code": "o2c_long", "sla_hours": 1e9}
            )
        self.assertIn("SLA (hours)", str(cm.exception))


@tagged("post_install", "-at_install")
class TestDashboardInput(O2cCommon):
    def _data(self, filters):
        return self.env["o2c.dashboard"].with_user(self.manager).get_dashboard_data(filters)

    def assertRefused(self, filters, *texts):
        with self.assertRaises(UserError) as cm:
            self._data(filters)
        for text in texts:
            self.assertIn(text, str(cm.exception))

    def test_filters_of_wrong_type_refused(self):
        self.assertRefused("abc", "must be a dictionary", "str")
        self.assertRefused([1, 2], "must be a dictionary", "list")
        self.assertRefused({"no_such_filter": 1}, "Unknown dashboard filter: no_such_filter")
        self.assertRefused({"warehouse_ids": "12"}, "warehouse_ids")
        self.assertRefused({"company_ids": [str(self.company.id)]}, "company_ids")
        self.assertRefused({"team_ids": [True]}, "team_ids")
        self.assertRefused({"company_ids": {"a": 1}}, "company_ids")
        self.assertRefused({"date_from": 20260101}, "date_from")
        self.assertRefused({"date_to": ["2026-01-01"]}, "date_to")
        self.assertRefused({"role": ["sales"]}, "role")
        self.assertRefused({"role": "nobody"}, "role")

    def test_dates_out_of_range_refused(self):
        self.assertRefused({"date_from": "0001-01-01"}, "date_from", "0001-01-01")
        self.assertRefused({"date_to": "9999-12-31"}, "date_to", "9999-12-31")
        self.assertRefused({"date_from": "2026-13-45"}, "date_from")
        self.assertRefused(
            {"date_from": "1900-01-01", "date_to": "2999-12-31"}, "Period", "longer than"
        )

    def test_valid_filters_accepted(self):
        for filters in (None, {}, {"role": "finance", "company_ids": [self.company.id]}):
            with self.subTest(filters):
                data = self._data(filters)
                self.assertIn("figures", data)
        data = self._data({"date_from": "1900-01-01", "date_to": "1900-01-31"})
        self.assertEqual(data["context"]["prev_to"], "1899-12-31")


@tagged("post_install", "-at_install")
class TestExceptionTypeCode(O2cRuleCommon):
    """The technical code is a debug-mode field: an admin names a type, the code follows."""

    def test_code_made_from_the_name(self):
        form = Form(self.env["o2c.exception.type"].with_user(self.manager))
        form.name = "Late Carrier Pick-up!"
        etype = form.save()
        self.assertEqual(etype.code, "late_carrier_pick_up")
        # the same name again is a clear error, not a crash
        with self.assertRaisesRegex(ValidationError, "Code late_carrier_pick_up is already used"):
            self.env["o2c.exception.type"].with_user(self.manager).create(
                {"name": "Late carrier pick up"}
            )
