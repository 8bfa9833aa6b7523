/** @odoo-module **/
import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { getColor } from "@web/core/colors/colors";
import { cookie } from "@web/core/browser/cookie";

/**
 * One Chart.js chart of the O2C dashboard: ``{type, labels, datasets, stacked}``
 * as returned by ``o2c.dashboard._o2c_dashboard_charts``.
 */
export class O2cDashboardChart extends Component {
    static template = "o2c_exception_base.O2cDashboardChart";
    static props = { chart: Object, onPoint: { type: Function, optional: true } };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        this.state = useState({ unavailable: false });
        onWillStart(async () => {
            this.state.unavailable = !(await this.loadChartLibrary());
        });
        useEffect(
            () => {
                this.renderChart();
            },
            () => [this.props.chart]
        );
        onWillUnmount(() => this.chart?.destroy());
    }

    /**
     * Load Chart.js; a failing chart must not take the whole dashboard down, and
     * the bundle request is retried once (its first build can fail transiently).
     */
    async loadChartLibrary(attempts = 2) {
        for (let attempt = 1; attempt <= attempts; attempt++) {
            try {
                await loadBundle("web.chartjs_lib");
                return true;
            } catch (error) {
                if (attempt === attempts) {
                    console.warn("O2C dashboard: Chart.js could not be loaded", error);
                } else {
                    await new Promise((resolve) => setTimeout(resolve, 300));
                }
            }
        }
        return false;
    }

    get isEmpty() {
        const datasets = this.props.chart.datasets || [];
        return !datasets.some((ds) => (ds.data || []).some((v) => v));
    }

    renderChart() {
        this.chart?.destroy();
        this.chart = null;
        if (!this.canvasRef.el || this.state.unavailable) {
            return;
        }
        const { chart } = this.props;
        const scheme = cookie.get("color_scheme");
        const count = (chart.datasets || []).length;
        const datasets = (chart.datasets || []).map((ds, index) => {
            const color = ds.color || getColor(index, scheme, count);
            return {
                ...ds,
                backgroundColor: color,
                borderColor: color,
                borderWidth: chart.type === "line" ? 2 : 0,
                fill: false,
            };
        });
        const stacked = Boolean(chart.stacked);
        this.chart = new Chart(this.canvasRef.el, {
            type: chart.type || "bar",
            data: { labels: chart.labels || [], datasets },
            options: {
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: "index", intersect: false },
                // a bar opens its records (charts that say which: ``drill``)
                onClick: (event, elements) => this.onClick(event, elements),
                onHover: (event, elements) => {
                    const target = event.native?.target;
                    if (target && chart.drill) {
                        target.style.cursor = elements.length ? "pointer" : "default";
                    }
                },
                plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
                scales: {
                    x: { stacked, grid: { display: false } },
                    y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
                },
            },
        });
    }

    onClick(event, elements) {
        if (!elements.length || !this.props.chart.drill || !this.props.onPoint) {
            return;
        }
        // the bar under the pointer; beside the bars, the whole label
        const [bar] = this.chart.getElementsAtEventForMode(
            event,
            "nearest",
            { intersect: true },
            true
        );
        this.props.onPoint(bar ? bar.index : elements[0].index, bar ? bar.datasetIndex : null);
    }
}
