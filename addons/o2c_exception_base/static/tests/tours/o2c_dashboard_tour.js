/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * Data comes from tests/test_dashboard_tour.py: three open exceptions of type
 * "Tour check" (code o2c_tour) in the current period.
 */
registry.category("web_tour.tours").add("o2c_dashboard_tour", {
    steps: () => [
        {
            content: "The control tower opens on the salesperson's role",
            trigger:
                ".o_o2c_dashboard:has(.o_o2c_roles button[data-role='sales'].btn-primary):has(.o_o2c_tile[data-key='touchless_rate'])",
        },
        {
            content: "Warehouse exceptions are not the salesperson's",
            trigger: ".o_o2c_dashboard:not(:has(.o_o2c_tile[data-key='open_type_o2c_tour']))",
        },
        {
            content: "All roles",
            trigger: ".o_o2c_roles button[data-role='all']",
            run: "click",
        },
        {
            content: "Headlines first: open exceptions; the rest behind More figures",
            trigger:
                ".o_o2c_headlines .o_o2c_tile[data-key='open_exceptions']",
        },
        {
            content: "More figures",
            trigger: ".o_o2c_more",
            run: "click",
        },
        {
            content: "The type tile shows the three open exceptions",
            trigger: ".o_o2c_tile[data-key='open_type_o2c_tour'] .o_o2c_tile_value:contains(/^3$/)",
        },
        {
            content: "Warehouse preset",
            trigger: ".o_o2c_roles button[data-role='warehouse']",
            run: "click",
        },
        {
            content: "Order flow tiles are hidden for the warehouse",
            trigger:
                ".o_o2c_dashboard:has(.o_o2c_tile[data-key='open_stage_warehouse_execution']):not(:has(.o_o2c_tile[data-key='touchless_rate']))",
        },
        {
            content: "Back to all roles",
            trigger: ".o_o2c_roles button[data-role='all']",
            run: "click",
        },
        {
            content: "Drill down from the type tile",
            trigger: ".o_o2c_tile[data-key='open_type_o2c_tour']",
            run: "click",
        },
        {
            content: "The list shows exactly the three exceptions behind the number",
            trigger:
                ".o_list_view .o_list_renderer tbody:has(tr.o_data_row:nth-child(3)):not(:has(tr.o_data_row:nth-child(4)))",
        },
        {
            content: "They are the tour exceptions",
            trigger: ".o_list_view .o_data_row:contains('Tour check 1')",
        },
        {
            content: "What the drill-down applied is a facet of the search bar: remove it",
            trigger: ".o_searchview .o_searchview_facet:contains('Tour check') .o_facet_remove",
            run: "click",
        },
        {
            content: "The facet is gone",
            trigger: ".o_searchview:not(:has(.o_searchview_facet:contains('Tour check')))",
        },
        {
            content: "Back to the dashboard through the breadcrumb",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The dashboard is back with its number",
            trigger: ".o_o2c_tile[data-key='open_type_o2c_tour'] .o_o2c_tile_value:contains(/^3$/)",
        },
        {
            content: "A bar of the weekly chart opens its exceptions",
            trigger: ".o_o2c_chart[data-chart='exception_trend'] canvas",
            run: "click",
        },
        {
            content: "The list says which week (and type) it shows",
            trigger: ".o_list_view .o_searchview_facet:contains('Exceptions raised per week')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "A period preset reloads the figures",
            trigger: "select.o_o2c_period",
            run: "select quarter",
        },
        {
            content: "Figures of this quarter loaded",
            trigger:
                ".o_o2c_dashboard:not(.o_o2c_loading) .o_o2c_period_label[data-period='quarter'][data-date-from$='-01']",
        },
        {
            content: "Still three open at the end of this quarter",
            trigger: ".o_o2c_tile[data-key='open_type_o2c_tour'] .o_o2c_tile_value:contains(/^3$/)",
        },
        {
            content: "Open the monthly exception review",
            trigger: "button.o_o2c_review",
            run: "click",
        },
        {
            content: "The review opens as a pivot",
            trigger: ".o_pivot_view .o_pivot table",
        },
    ],
});
