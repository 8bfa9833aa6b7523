/** @odoo-module **/
import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";

export class O2cDashboard extends Component {
    static template = "o2c_exception_base.O2cDashboard";
    static props = ["*"];
}

registry.category("actions").add("o2c_dashboard", O2cDashboard);
