/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * Data comes from tests/test_queue_tour.py: two open exceptions "Queue tour 1" and
 * "Queue tour 2" the approver may decide. From My queue, one click approves.
 */
registry.category("web_tour.tours").add("o2c_queue_tour", {
    steps: () => [
        {
            content: "My queue lists what the approver may decide, with its buttons",
            trigger: ".o_list_view .o_data_row:contains('Queue tour 1') button[name='action_approve']",
            run: "click",
        },
        {
            content: "Decided: the exception leaves My queue, the other one stays",
            trigger:
                ".o_list_view:has(.o_data_row:contains('Queue tour 2')):not(:has(.o_data_row:contains('Queue tour 1')))",
        },
        {
            content: "No error dialog",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
