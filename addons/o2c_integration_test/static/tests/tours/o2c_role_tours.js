/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * Data comes from tests/test_role_tours.py: a delivery of 2 units to "Tour
 * Distributor", whose invoices wait for a proof of delivery.
 */
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const noErrorDialog = {
    content: "No error dialog",
    trigger: "body:not(:has(.o_error_dialog))",
};

registry.category("web_tour.tours").add("o2c_role_warehouse_pod", {
    steps: () => [
        {
            content: "The delivered order has no proof yet: record it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_o2c_record_proof']",
            run: "click",
        },
        {
            content: "Attach the photo of the signed delivery note",
            trigger: ".modal .o_field_widget[name='attachment_ids'] input[type=file]:not(:visible)",
            async run() {
                const blob = await (await fetch(`data:image/png;base64,${PNG}`)).blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "pod.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The photo is uploaded",
            trigger: ".modal .o_field_widget[name='attachment_ids'] .o_attachment[title='pod.png']:not(.o_attachment_uploading)",
        },
        {
            content: "Save the proof",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The delivery shows a pending proof",
            trigger:
                "body:not(:has(.modal)) .o_form_view button[name='action_o2c_view_proofs']:contains('Pending')",
        },
        noErrorDialog,
    ],
});

registry.category("web_tour.tours").add("o2c_role_finance_pod", {
    steps: () => [
        {
            content: "The pending proof of the tour delivery",
            trigger: ".o_list_view .o_data_row:contains('Tour Distributor') td.o_data_cell",
            run: "click",
        },
        {
            content: "The warehouse's photo is there",
            trigger: ".o_form_view .o_field_widget[name='attachment_ids'] .o_attachment[title='pod.png']",
        },
        {
            content: "Validate the proof",
            trigger: ".o_form_view .o_statusbar_buttons button.btn-primary[name='action_validate']",
            run: "click",
        },
        {
            content: "The proof is validated",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Validated')",
        },
        noErrorDialog,
    ],
});

registry.category("web_tour.tours").add("o2c_role_finance_invoice", {
    steps: () => [
        {
            content: "Confirm the invoice of the released delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']:visible",
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Posted')",
        },
        noErrorDialog,
    ],
});

registry.category("web_tour.tours").add("o2c_role_warehouse_invoiced", {
    steps: () => [
        {
            content: "Open the delivery's invoicing tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Invoicing')",
            run: "click",
        },
        {
            content: "When it was billed is shown (the invoices themselves are finance's)",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='o2c_invoice_ids'])) .o_field_widget[name='o2c_invoice_posted_date']:not(:empty)",
        },
        {
            content: "The proof is validated",
            trigger: ".o_form_view button[name='action_o2c_view_proofs']:contains('Validated')",
        },
        noErrorDialog,
    ],
});

registry.category("web_tour.tours").add("o2c_role_service_dispute", {
    steps: () => [
        {
            content: "Open the dispute's tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Dispute')",
            run: "click",
        },
        {
            content: "Resolve it with a credit note",
            trigger: ".o_form_view .o_field_widget[name='o2c_resolution'] select",
            run: `select "credit_note"`,
        },
        {
            content: "A root cause is asked for before closing",
            trigger: ".o_form_view .o_field_widget.o_required_modifier[name='o2c_root_cause'] select",
            run: `select "warehouse_execution"`,
        },
        {
            content: "The amount given back is the disputed line",
            trigger: ".o_form_view .o_field_widget[name='o2c_resolution_amount']:contains('100.00')",
        },
        {
            content: "Apply the resolution",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_o2c_apply_resolution']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The dispute is resolved",
            trigger: ".o_form_view .o_field_widget[name='o2c_dispute_state']:contains('Resolved')",
        },
        {
            content: "Its credit note is one click away",
            trigger: ".o_form_view .oe_stat_button:contains('Credits')",
        },
        noErrorDialog,
    ],
});

registry.category("web_tour.tours").add("o2c_role_first_line_dispute", {
    steps: () => [
        {
            content: "An agent without accounting rights opens the dispute's tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Dispute')",
            run: "click",
        },
        {
            content: "The dispute is there, its invoice is not",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='o2c_invoice_id'])) .o_field_widget[name='o2c_disputed_amount']:contains('100.00')",
        },
        noErrorDialog,
    ],
});
