# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestPluginContract(TransactionCase):
    """What each control declares, and what the core guarantees it, with every addon."""

    def test_every_figure_has_a_declared_section(self):
        data = self.env["o2c.dashboard"].get_dashboard_data({})
        sections = data["sections"]
        used = {figure["section"] for figure in data["figures"]}
        self.assertFalse(used - set(sections), "figures in a section nobody declared")
        # the features' sections come from their addons, in their order
        self.assertLess(sections["pricing"]["sequence"], sections["credit"]["sequence"])
        self.assertTrue(all(section["title"] for section in sections.values()))
        self.assertTrue(
            {"pricing", "credit", "fulfillment", "invoicing", "disputes"} <= used,
            "every feature shows its figures",
        )

    def test_core_declares_only_its_own_sections(self):
        core = type(self.env["o2c.dashboard"]).__mro__
        base = next(
            cls
            for cls in core
            if cls.__module__.endswith("o2c_exception_base.models.o2c_dashboard")
        )
        self.assertEqual(
            set(base._o2c_dashboard_sections(self.env["o2c.dashboard"])),
            {"exceptions", "orders", "stages", "types", "cycle"},
        )

    def test_each_control_ships_its_own_types_and_every_stage_is_covered(self):
        owners = {
            "discount_approval": "o2c_pricing_approval",
            "credit_hold": "o2c_credit_control",
            "backorder": "o2c_fulfillment",
            "substitution": "o2c_fulfillment",
            "short_pick": "o2c_fulfillment",
            "split_shipment": "o2c_fulfillment",
            "expedited_freight": "o2c_freight_control",
            "missing_pod": "o2c_invoice_release",
            "invoice_dispute": "o2c_dispute_helpdesk",
        }
        types = self.env["o2c.exception.type"].search([("company_id", "=", False)])
        xmlids = types.get_external_id()
        self.assertEqual(
            {t.code: xmlids[t.id].split(".")[0] for t in types if t.code in owners}, owners
        )
        self.assertEqual(len(types.filtered(lambda t: t.code in owners)), len(owners))
        self.assertEqual(
            set(types.mapped("stage")),
            {
                "lead_to_order",
                "order_validation",
                "fulfillment_planning",
                "warehouse_execution",
                "delivery_to_invoice",
                "post_invoice_service",
            },
        )

    def test_governed_documents_have_a_chatter(self):
        """The queue logs decisions on every governed document (no hasattr check)."""
        models = self.env["o2c.exception"]._o2c_document_models()
        self.assertTrue(
            {"sale.order", "stock.picking", "account.move", "helpdesk.ticket"} <= models
        )
        for model in models:
            self.assertIn("message_ids", self.env[model]._fields, model)

    def test_watched_fields_follow_the_key_fields_of_every_control(self):
        order = self.env["sale.order"]
        self.assertEqual(order._o2c_get_key_fields("discount_approval"), ("o2c_pricing_key",))
        self.assertEqual(order._o2c_get_key_fields("backorder"), ("partner_id",))
        watched = order._o2c_all_key_fields()
        # inputs of the computed pricing key, the credit keys and the order's own keys
        self.assertTrue(
            {"order_line.discount", "pricelist_id", "currency_id", "order_line.product_id"}
            <= watched
        )
        ticket = self.env["helpdesk.ticket"]
        self.assertTrue(
            {"o2c_disputed_amount", "o2c_invoice_id.amount_total"} <= ticket._o2c_all_key_fields()
        )
