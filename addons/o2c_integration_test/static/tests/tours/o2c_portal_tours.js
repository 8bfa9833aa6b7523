/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * Data comes from tests/test_portal_buyer.py: a buyer of "Attack Customer"
 * received the delivery of an order of 5 units; one is missing, one broken.
 */
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

registry.category("web_tour.tours").add("o2c_portal_receipt_with_problems", {
    steps: () => [
        {
            content: "Something is wrong with the delivery: report it",
            trigger: "a[name='o2c_report_receipt']",
            run: "click",
        },
        {
            content: "Four of the five arrived",
            trigger: "input[name^='received_']",
            run: "edit 4",
        },
        {
            content: "One of them broken",
            trigger: "input[name^='damaged_']",
            run: "edit 1",
        },
        {
            content: "A photo of the broken one",
            trigger: "input[name='photos']",
            async run() {
                const blob = await (await fetch(`data:image/png;base64,${PNG}`)).blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "broken.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Who received it",
            trigger: "input[name='received_by']",
            run: "edit Dock 2, Sam",
        },
        {
            content: "Send",
            trigger: "button[name='o2c_receipt_submit']",
            run: "click",
        },
        {
            content: "The dispute opened for the customer to follow, in their words",
            trigger: "span[name='o2c_portal_status']:contains('Being reviewed')",
        },
    ],
});

/**
 * Data comes from tests/test_portal_buyer.py: the warehouse proposes a substitute on
 * the delivery of an order of a customer who must consent; the buyer accepts it.
 */
registry.category("web_tour.tours").add("o2c_portal_consent_accept", {
    steps: () => [
        {
            content: "The question is on the order: what we propose instead",
            trigger: "div[name='o2c_consent']:contains('We propose:')",
        },
        {
            content: "Accept the substitute",
            trigger: "div[name='o2c_consent'] button[value='accept']",
            run: "click",
        },
        {
            content: "Back on the order, the question is answered",
            trigger: "body:not(:has(div[name='o2c_consent']))",
        },
    ],
});
