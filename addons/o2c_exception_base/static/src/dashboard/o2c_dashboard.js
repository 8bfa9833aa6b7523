/** @odoo-module **/
import { Component, onWillStart, useState } from "@odoo/owl";
import { formatCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, formatDate, serializeDate, today } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { O2cDashboardChart } from "./o2c_dashboard_chart";

export const PERIODS = [
    ["month", _t("This month")],
    ["last30", _t("Last 30 days")],
    ["quarter", _t("This quarter")],
    ["custom", _t("Custom")],
];
export const ROLE_LABELS = {
    all: _t("All"),
    sales: _t("Sales"),
    warehouse: _t("Warehouse"),
    finance: _t("Finance"),
    service: _t("Service"),
};
const UNIT_SUFFIX = { days: _t("d"), percent: "%", per_100: _t("per 100") };

/** Hours as a person reads a duration: minutes under an hour, days from two days. */
function formatDuration(hours) {
    if (hours < 1) {
        return _t("%(minutes)s min", { minutes: formatFloat(hours * 60, { digits: [false, 0] }) });
    }
    if (hours >= 48) {
        return _t("%(days)s d", { days: formatFloat(hours / 24, { digits: [false, 1] }) });
    }
    return _t("%(hours)s h", { hours: formatFloat(hours, { digits: [false, 1] }) });
}

/** "dispute_by_type" -> "Dispute by type": title of a section or chart without one. */
function humanize(key) {
    return key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/**
 * Period preset -> [date_from, date_to] (luxon dates, today included).
 */
export function periodDates(period, custom = {}) {
    const now = today();
    switch (period) {
        case "month":
            return [now.startOf("month"), now];
        case "quarter":
            return [now.startOf("quarter"), now];
        case "custom":
            return [
                custom.dateFrom ? deserializeDate(custom.dateFrom) : now.minus({ days: 29 }),
                custom.dateTo ? deserializeDate(custom.dateTo) : now,
            ];
        default:
            return [now.minus({ days: 29 }), now];
    }
}

/**
 * O2C control tower: one server call (`o2c.dashboard.get_dashboard_data`) returns
 * every figure; tiles and charts are rendered generically, grouped by section,
 * filtered by role preset; every tile opens its own drill-down action.
 */
export class O2cDashboard extends Component {
    static template = "o2c_exception_base.O2cDashboard";
    static components = { Layout, O2cDashboardChart };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.periods = PERIODS;
        const saved = this.props.state?.o2cFilters || {};
        const [from, to] = periodDates("last30");
        this.filters = useState({
            // empty: the server opens on the user's role (from their groups)
            role: "",
            period: "last30",
            dateFrom: serializeDate(from),
            dateTo: serializeDate(to),
            companyId: 0,
            warehouseId: 0,
            teamId: 0,
            ...saved,
        });
        this.state = useState({
            data: null,
            loading: false,
            error: null,
            showMore: Boolean(this.props.state?.o2cShowMore),
        });
        useSetupAction({
            getLocalState: () => ({
                o2cFilters: { ...this.filters },
                o2cShowMore: this.state.showMore,
            }),
        });
        onWillStart(() => this.load());
    }

    // ------------------------------------------------------------ DATA
    get serverFilters() {
        const f = this.filters;
        const [from, to] = periodDates(f.period, f);
        return {
            date_from: serializeDate(from),
            date_to: serializeDate(to),
            company_ids: f.companyId ? [f.companyId] : [],
            warehouse_ids: f.warehouseId ? [f.warehouseId] : [],
            team_ids: f.teamId ? [f.teamId] : [],
            role: f.role || false,
        };
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call("o2c.dashboard", "get_dashboard_data", [
                this.serverFilters,
            ]);
            this.filters.role = this.state.data.context.role;
            this.state.error = null;
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
            if (!this.state.data) {
                throw error;
            }
        } finally {
            this.state.loading = false;
        }
    }

    // --------------------------------------------------------- FILTERS
    async setRole(role) {
        // a role also narrows the exceptions counted to the stages it acts on
        this.filters.role = role;
        await this.load();
    }

    async setFilter(name, ev) {
        const value = ev.target.value;
        this.filters[name] = ["companyId", "warehouseId", "teamId"].includes(name)
            ? parseInt(value) || 0
            : value;
        if (name === "period" && value === "custom") {
            const [from, to] = periodDates("last30");
            this.filters.dateFrom ||= serializeDate(from);
            this.filters.dateTo ||= serializeDate(to);
        }
        if ((name === "dateFrom" || name === "dateTo") && !value) {
            return;
        }
        await this.load();
    }

    get periodLabel() {
        const ctx = this.state.data?.context;
        if (!ctx) {
            return "";
        }
        const fmt = (d) => formatDate(deserializeDate(d));
        return _t("%(from)s – %(to)s, compared with %(prevFrom)s – %(prevTo)s", {
            from: fmt(ctx.date_from),
            to: fmt(ctx.date_to),
            prevFrom: fmt(ctx.prev_from),
            prevTo: fmt(ctx.prev_to),
        });
    }

    get roles() {
        const roles = this.state.data?.options.roles || Object.keys(ROLE_LABELS).map((r) => [r]);
        return roles.map(([key, label]) => [key, ROLE_LABELS[key] || label]);
    }

    // -------------------------------------------------------- SECTIONS
    isVisible(item) {
        const roles = item.roles || ["all"];
        return this.filters.role === "all" || roles.includes(this.filters.role);
    }

    isHeadline(figure) {
        return (figure.headline || []).includes(this.filters.role || "all");
    }

    /** The role's headline figures, shown first (the others behind "More figures"). */
    get headlines() {
        const figures = this.state.data?.figures || [];
        return figures.filter((figure) => this.isVisible(figure) && this.isHeadline(figure));
    }

    toggleMore() {
        this.state.showMore = !this.state.showMore;
    }

    get sections() {
        const data = this.state.data;
        if (!data) {
            return [];
        }
        const known = data.sections || {};
        const byKey = {};
        for (const figure of data.figures) {
            if (!this.isVisible(figure) || this.isHeadline(figure)) {
                continue;
            }
            const key = figure.section || "exceptions";
            if (!byKey[key]) {
                const info = known[key] || {};
                byKey[key] = {
                    key,
                    title: info.title || humanize(key),
                    sequence: info.sequence ?? 100,
                    figures: [],
                };
            }
            byKey[key].figures.push(figure);
        }
        return Object.values(byKey).sort(
            (a, b) => a.sequence - b.sequence || a.key.localeCompare(b.key)
        );
    }

    get charts() {
        const charts = this.state.data?.charts || {};
        return Object.entries(charts)
            .map(([key, chart]) => ({ key, ...chart, title: chart.title || humanize(key) }))
            .filter((chart) => this.isVisible(chart))
            .sort((a, b) => (a.sequence ?? 50) - (b.sequence ?? 50) || a.key.localeCompare(b.key));
    }

    // ------------------------------------------------------ FORMATTING
    formatValue(value, unit) {
        if (value === null || value === undefined || value === false) {
            return "–";
        }
        const ctx = this.state.data?.context || {};
        switch (unit) {
            case "currency":
                return ctx.currency_id
                    ? formatCurrency(value, ctx.currency_id, { humanReadable: value >= 100000 })
                    : formatFloat(value, { digits: [false, 2] });
            case "count":
                return formatFloat(value, { digits: [false, 0] });
            case "hours":
                return formatDuration(value);
            default:
                return `${formatFloat(value, { digits: [false, 1] })} ${UNIT_SUFFIX[unit] || ""}`.trim();
        }
    }

    trend(figure) {
        const { value, previous, unit, better } = figure;
        if (typeof value !== "number" || typeof previous !== "number") {
            return null;
        }
        const delta = value - previous;
        const rounded = unit === "count" ? Math.round(delta) : Math.round(delta * 10) / 10;
        if (!rounded) {
            return { icon: "fa-minus", cls: "text-muted", text: _t("no change") };
        }
        const good = better === "higher" ? delta > 0 : better === "lower" ? delta < 0 : null;
        const sign = delta > 0 ? "+" : "−";
        let text = this.formatValue(Math.abs(delta), unit);
        if (unit === "percent") {
            text = `${formatFloat(Math.abs(delta), { digits: [false, 1] })} ${_t("pts")}`;
        }
        return {
            icon: delta > 0 ? "fa-caret-up" : "fa-caret-down",
            cls: good === null ? "text-muted" : good ? "text-success" : "text-danger",
            text: `${sign}${text}`,
        };
    }

    // --------------------------------------------------------- ACTIONS
    openFigure(figure) {
        if (figure.action) {
            return this.openRecords(figure.action);
        }
    }

    /** The records of a bar: the chart's terms, its label's and its series'. */
    openChartPoint(key, index, datasetIndex) {
        const chart = this.state.data.charts[key];
        const { res_model, domain, labels, datasets } = chart.drill;
        const names = [chart.title, chart.labels[index]];
        const terms = [...domain, ...labels[index]];
        if (datasets && datasetIndex !== null) {
            names.push(chart.datasets[datasetIndex].label);
            terms.push(...datasets[datasetIndex]);
        }
        return this.openRecords({
            type: "ir.actions.act_window",
            name: names.join(" / "),
            res_model,
            domain: terms,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            context: { create: false },
            target: "current",
        });
    }

    /**
     * Open a drill-down with its domain as a facet of the search bar: the user
     * sees what was applied and can remove it (an action's domain is hidden).
     */
    openRecords(action) {
        const { domain, ...rest } = action;
        return this.action.doAction(
            { ...rest, domain: [] },
            { props: { dynamicFilters: [{ description: action.name, domain }] } }
        );
    }

    openReview() {
        return this.action.doAction("o2c_exception_base.o2c_exception_action_review");
    }
}

registry.category("actions").add("o2c_dashboard", O2cDashboard);
