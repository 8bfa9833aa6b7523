/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * Data comes from tests/test_held_order_tour.py: the salesperson's 40 % quotation
 * "O2C Tour Order" whose confirmation the pricing control held.
 */
registry.category("web_tour.tours").add("o2c_held_order_salesperson", {
    steps: () => [
        {
            content: "The held order shows why and what happens next",
            trigger: ".o_form_view .alert[name='o2c_held_alert']:contains('Once decided, it is confirmed by itself')",
        },
        {
            content: "No primary Confirm on a held order",
            trigger:
                ".o_form_view:not(:has(.o_statusbar_buttons button[name='action_confirm'].btn-primary))",
        },
        {
            content: "Its one primary action: ask the approvers",
            trigger: ".o_statusbar_buttons button.btn-primary[name='action_o2c_request_approval']",
            run: "click",
        },
        {
            content: "A toast says who will decide",
            trigger: ".o_notification:contains('Approval requested')",
        },
        {
            content: "The request is noted in the chatter",
            trigger: ".o-mail-Message:contains('approval requested by')",
        },
        {
            content: "No error dialog",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});

registry.category("web_tour.tours").add("o2c_held_order_approver", {
    steps: () => [
        {
            content: "My queue lists the pricing exception of the tour order",
            trigger: ".o_list_view .o_data_row:contains('O2C Tour Customer') td.o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_decision_wizard']:contains('Approve')",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Customer's yearly volume deal",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The exception is approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});

registry.category("web_tour.tours").add("o2c_held_order_confirmed", {
    steps: () => [
        {
            content: "The order was confirmed by itself: no banner, a sales order",
            trigger:
                ".o_form_view:not(:has(.alert[name='o2c_held_alert']:visible)) .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "The chatter says on whose behalf",
            trigger: ".o-mail-Message:contains('Confirmed after the decision of')",
        },
    ],
});
