# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestDashboardSections(TransactionCase):
    """Each addon declares the dashboard section of its figures (the core knows none)."""

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
            {"exceptions", "orders", "stages", "types"},
        )

    def test_each_control_ships_its_own_types_and_every_stage_is_covered(self):
        owners = {
            "discount_approval": "o2c_pricing_approval",
            "credit_hold": "o2c_credit_control",
            "backorder": "o2c_fulfillment",
            "substitution": "o2c_fulfillment",
            "short_pick": "o2c_fulfillment",
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
