/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * Data comes from tests/test_retry_tour.py: an import whose two orders the
 * confirmation job could not confirm (the importing account had lost its sales
 * rights), opened by a salesperson once the rights are back.
 */
registry.category("web_tour.tours").add("o2c_order_import_retry", {
    steps: () => [
        {
            content: "The import says two orders failed",
            trigger: ".o_form_view .o_field_widget[name='parked_count']:contains('2')",
        },
        {
            content: "Each order shows why",
            trigger: ".o_field_widget[name='order_ids'] .o_data_row td[name='o2c_intake_error']:contains('not allowed')",
        },
        {
            content: "The one next step: retry them",
            trigger: ".o_form_view .o_statusbar_buttons button.btn-primary[name='action_retry_confirmation']",
            run: "click",
        },
        {
            content: "Both orders wait for the job again",
            trigger: ".o_form_view .o_field_widget[name='waiting_count']:contains('2')",
        },
        {
            content: "Nothing left to retry: the button is gone",
            trigger: ".o_form_view:not(:has(button[name='action_retry_confirmation']))",
        },
        {
            content: "No error dialog",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
