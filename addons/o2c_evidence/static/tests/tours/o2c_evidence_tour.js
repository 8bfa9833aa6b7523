/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * Data comes from tests/test_evidence_tour.py: the seeded day's order, opened by
 * its salesperson (an O2C user, not an administrator). Without wkhtmltopdf the
 * web client shows the report as HTML in an iframe.
 */
registry.category("web_tour.tours").add("o2c_evidence_pack", {
    steps: () => [
        {
            content: "One click on the order: Evidence pack",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_o2c_evidence_pack']",
            run: "click",
        },
        {
            content: "The pack opens with the order",
            trigger: ":iframe .o2c_evidence_pack h2:contains('Evidence pack')",
        },
        {
            content: "The approvals are in it",
            trigger: ":iframe .o2c_evidence_section[data-section='exceptions']:contains('Yearly volume deal EVIDENCE')",
        },
        {
            content: "The proof of delivery with its carrier reference",
            trigger: ":iframe .o2c_evidence_section[data-section='deliveries']:contains('TRK-EVID-1')",
        },
        {
            content: "The customer's consent to the substitution",
            trigger: ":iframe .o2c_evidence_section[data-section='substitutions']:contains('Phone')",
        },
        {
            content: "The dispute and its credit note",
            trigger: ":iframe .o2c_evidence_section[data-section='disputes']:contains('Credit note')",
        },
        {
            content: "The customer's agreement",
            trigger: ":iframe .o2c_evidence_section[data-section='agreements']:contains('Framework prices 2026')",
        },
        {
            content: "No error dialog",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
