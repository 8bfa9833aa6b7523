# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cost of control: o2c vs vanilla Odoo vs the OCA peers, on this machine.

    make bench            # full sizes (long: run it in the background)
    make bench QUICK=1    # every scenario on tiny sizes (CI)

Builds its own databases (prefix ``o2c_bench_``, dropped at the end unless
``--keep``), generates data, runs the scenarios and writes
``bench/results/latest.md`` and ``bench/results/latest.json``.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time
import traceback

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import lib
from bench.lib import (
    LABELS,
    Pg,
    Results,
    finish_install,
    log,
    odoo_env,
    odoo_init,
    start_install,
)

#: where the results go (another directory keeps a trial run off the published ones)
RESULTS_DIR = os.environ.get("O2C_BENCH_RESULTS_DIR") or os.path.join(lib.ROOT, "bench", "results")
VANILLA = ("sale_management", "sale_stock")
OCA = ("sale_exception", "sale_financial_risk", "sale_tier_validation")
#: o2c bridges to Odoo Purchase (o2c_fulfillment_purchase) are measured against
#: vanilla with purchase_stock, in a database of their own (full mode)
PURCHASE = ("purchase_stock",)
#: Odoo's own module that o2c_freight_control depends on, measured alone (full
#: mode): what of o2c's cost on a confirmation is Odoo's delivery methods' work
DELIVERY = ("stock_delivery",)
SIZES = {
    "full": {
        "customers": 2000,
        "products": 500,
        "confirm_lines": (10, 200),
        "confirm_reps": {10: 31, 200: 15},
        "confirm_warmup": {10: 3, 200: 2},
        "credit_orders": 100,
        "credit_invoices": (10, 200, 2000),
        "credit_reps": 25,
        "invoice_orders": 1000,
        "dashboard_reps": 15,
        "history_small": 1000,
        "history_large": 200000,
        "exceptions_large": 50000,
        "raise_counts": (100, 10000),
        "escalate": 50000,
        "escalate_workers": 5000,
        "escalate_batch": 500,
        "worker_batch": 50,
        "scaleout_orders": 5000,
        "scaleout_batch": 50,
    },
    "quick": {
        "customers": 30,
        "products": 30,
        "confirm_lines": (10, 20),
        "confirm_reps": {10: 3, 20: 3},
        "confirm_warmup": {10: 1, 20: 1},
        "credit_orders": 5,
        "credit_invoices": (3, 30),
        "credit_reps": 2,
        "invoice_orders": 20,
        "dashboard_reps": 2,
        "history_small": 60,
        "history_large": 300,
        "exceptions_large": 75,
        "raise_counts": (10, 100),
        "escalate": 60,
        "escalate_batch": 5,
        "worker_batch": 2,
        # 8 jobs: enough to keep 2 workers busy, ~1 min of CI for scenario 8
        "scaleout_orders": 160,
        "scaleout_batch": 20,
    },
}


class Bench:
    def __init__(self, args):
        self.args = args
        self.conf = os.path.abspath(args.config)
        self.pg = Pg(self.conf)
        self.results = Results()
        self.mode = "quick" if args.quick else "full"
        self.sizes = SIZES[self.mode]
        self.dbs = {}
        self.o2c_modules = []
        self.started = time.time()

    # ---------------------------------------------------------- DATABASES
    def db(self, label):
        """Database of ``label``; quick runs use their own names (a CI run beside a full one)."""
        return f"{lib.DB_PREFIX}{'q_' if self.args.quick else ''}{label}"

    def o2c_addons(self, bridges=False, to=()):
        """The o2c addons; ``bridges``: only the auto-installed bridges to optional apps,
        ``to``: only the bridges depending on one of these modules.

        The o2c database gets every addon but the bridges (they come with the app
        they bridge to, e.g. Purchase); the o2c+purchase database gets the bridges
        to Purchase too.
        """
        import ast

        addons = os.path.join(lib.ROOT, "addons")
        names = []
        for name in sorted(os.listdir(addons)):
            manifest = os.path.join(addons, name, "__manifest__.py")
            if not name.startswith("o2c_") or not os.path.isfile(manifest):
                continue
            with open(manifest) as fh:
                data = ast.literal_eval(fh.read())
            if data.get("category", "").startswith("Hidden/Tests"):
                continue  # the integration tests install every app o2c bridges to
            if bool(data.get("auto_install")) != bridges:
                continue
            if to and not set(to) & set(data.get("depends", ())):
                continue
            names.append(name)
        return names

    def build_databases(self):
        from bench.generate import ensure_catalogue
        from bench.scenarios.configure import (
            configure_o2c,
            configure_o2c_off,
            configure_oca,
            customer,
        )

        sizes = self.sizes
        vanilla = self.db("vanilla")
        if self.args.reuse and self.pg.exists(vanilla):
            log("reusing the existing bench databases")
            self.dbs = {lab: self.db(lab) for lab in LABELS if self.pg.exists(self.db(lab))}
            with odoo_env(self.dbs["o2c"]) as env:
                self.o2c_modules = (
                    env["ir.module.module"]
                    .search([("name", "=like", "o2c_%"), ("state", "=", "installed")])
                    .mapped("name")
                )
            return
        log("database %s: %s", vanilla, ", ".join(VANILLA))
        self.pg.drop(vanilla)
        ok, _mod, error = finish_install(
            start_install(self.conf, vanilla, VANILLA, self._log(vanilla))
        )
        if not ok:
            raise RuntimeError(f"installing {VANILLA} failed:\n{error}")
        self.dbs["vanilla"] = vanilla
        log("catalogue (%s customers, %s products)", sizes["customers"], sizes["products"])
        with odoo_env(vanilla, commit=True) as env:
            ensure_catalogue(env, sizes["customers"], sizes["products"])
            customer(env, "CONFIRM", "Bench confirm customer")
        lib.release_db(vanilla)
        self._install_o2c_and_oca(vanilla)
        for label in ("o2c", "o2c_off", "o2c_purchase"):
            if label not in self.dbs:
                continue
            from bench.generate import refresh_o2c_users

            with odoo_env(self.dbs[label], commit=True) as env:
                refresh_o2c_users(env)
                partners = customer(env, "CONFIRM", "Bench confirm customer")
                notes = configure_o2c(env, partners)
                if label == "o2c":
                    for note in notes:
                        self.results.note(f"o2c setup: {note}")
                if label == "o2c_off":
                    notes = configure_o2c_off(env)
                    self.results.note("o2c, every control off: " + ", ".join(notes))
        if "oca" in self.dbs:
            with odoo_env(self.dbs["oca"], commit=True) as env:
                partners = customer(env, "CONFIRM", "Bench confirm customer")
                for note in configure_oca(env, partners):
                    self.results.note(f"OCA setup: {note}")
        # A database copied from a template has the template's planner statistics
        # but none of its activity counters, so autovacuum does not analyze the
        # copy: without this, the vanilla database (analyzed by autovacuum after
        # the catalogue was generated) planned with up-to-date statistics and the
        # o2c and OCA copies with those of an empty catalogue (e.g. a 0.5 ms bitmap
        # scan of every quant instead of a 0.07 ms index scan, 20 times per
        # 10-line confirmation).
        self.analyze(*self.dbs.values())

    def analyze(self, *dbs):
        """VACUUM ANALYZE ``dbs`` before they are measured: the state autovacuum
        keeps a live database in (statistics, visibility map)."""
        t0 = time.time()
        for db in dbs:
            self.pg.query("VACUUM ANALYZE", db=db)
        log("VACUUM ANALYZE of %s in %.0f s", ", ".join(dbs), time.time() - t0)

    def _log(self, db):
        os.makedirs(os.path.join(lib.ROOT, ".o2c"), exist_ok=True)
        return os.path.join(lib.ROOT, ".o2c", f"install-{db}.log")

    def _install_o2c_and_oca(self, template):
        o2c_db, oca_db = self.db("o2c"), self.db("oca")
        wanted = self.o2c_addons()
        self.pg.copy(template, o2c_db)
        procs = {"o2c": start_install(self.conf, o2c_db, wanted, self._log(o2c_db))}
        import odoo.addons

        # only the confirmation compares the other databases
        compare = not self.args.only or "1" in self.args.only
        oca_available = compare and all(
            any(os.path.isdir(os.path.join(path, m)) for path in odoo.addons.__path__) for m in OCA
        )
        if oca_available:
            self.pg.copy(template, oca_db)
            procs["oca"] = start_install(self.conf, oca_db, OCA, self._log(oca_db))
        elif compare:
            self.results.pending("OCA database", "pip install -r bench-requirements.txt")
        bridges = self.o2c_addons(bridges=True, to=PURCHASE)
        if not self.args.quick and compare:
            for label, modules in (
                ("delivery", DELIVERY),
                ("purchase", PURCHASE),
                ("o2c_purchase", [*wanted, *bridges]),
            ):
                self.pg.copy(template, self.db(label))
                procs[label] = start_install(
                    self.conf, self.db(label), modules, self._log(self.db(label))
                )
        log("installing %s and %s in parallel", ", ".join(wanted), ", ".join(OCA))
        for label in ("delivery", "purchase", "o2c_purchase"):
            if label in procs:
                ok, _m, error = finish_install(procs[label])
                if ok:
                    self.dbs[label] = self.db(label)
                    if label == "o2c_purchase":
                        self.results.note(
                            "o2c+purchase_stock database: every o2c addon and "
                            + ", ".join(bridges or ["no bridge"])
                        )
                else:
                    self.results.note(f"{label} database: install failed: {error[-300:]}")
        if "oca" in procs:
            ok, _m, error = finish_install(procs["oca"])
            if ok:
                self.dbs["oca"] = oca_db
            else:
                self.results.pending("OCA database", f"install failed: {error.splitlines()[-1:]}")
        ok, culprit, error = finish_install(procs["o2c"])
        while not ok:
            if not culprit or culprit not in wanted or culprit == "o2c_exception_base":
                self.results.pending("o2c database", f"install failed: {error[-300:]}")
                return
            wanted.remove(culprit)
            self.results.note(
                f"o2c setup: {culprit} left out (install failed: {error.splitlines()[-1][:200]})"
            )
            log("%s does not install; retrying without it", culprit)
            self.pg.copy(template, o2c_db)
            ok, culprit, error = finish_install(
                start_install(self.conf, o2c_db, wanted, self._log(o2c_db))
            )
        self.dbs["o2c"] = o2c_db
        self.o2c_modules = wanted
        if compare:
            # the same installation, every control switched off (configured later):
            # the cost of installing o2c apart from the cost of its controls
            self.pg.copy(o2c_db, self.db("o2c_off"))
            self.dbs["o2c_off"] = self.db("o2c_off")

    def drop_databases(self):
        """Drop this run's databases (those of the other mode are left alone)."""
        for label in LABELS:
            self.pg.drop(self.db(label))

    # ---------------------------------------------------------- SCENARIOS
    def step(self, name, fn, *args):
        if self.args.only and name[0] not in self.args.only:
            return
        log("== %s", name)
        t0 = time.time()
        try:
            fn(*args)
        except Exception as error:
            traceback.print_exc()
            self.results.pending(name, f"{type(error).__name__}: {str(error)[:300]}")
        log("== %s done in %.0f s", name, time.time() - t0)

    def run(self):
        from bench.scenarios import (
            advisor,
            confirm,
            credit,
            exceptions,
            invoicing,
            peak,
            scaleout,
        )

        self.build_databases()
        o2c = self.dbs.get("o2c")
        sizes = self.sizes
        self.step("1 confirmation", confirm.run, self, self.dbs, sizes)
        if not o2c:
            self.results.pending("2-5", "no o2c database")
            return
        # the peak hour compares o2c with vanilla: before the history scenarios
        # fill the o2c database with generated orders
        self.step(
            "7 peak hour",
            peak.run,
            self,
            {k: v for k, v in self.dbs.items() if k in ("o2c", "vanilla")},
            self.mode,
        )
        # on a copy of the o2c database before the history scenarios fill it
        self.step("8 background scale-out", scaleout.run, self, o2c, sizes, self.mode)
        self.step("2 credit exposure", credit.run, self, o2c, sizes)
        self.step("3 invoice release", invoicing.run, self, self.dbs, sizes)
        state = {}
        self.step("4 dashboard (small)", self._history_and_dashboard, o2c, "small", state)
        self.step("4 dashboard (large)", self._history_and_dashboard, o2c, "large", state)
        self.step("5 raise exceptions", exceptions.raise_many, self, o2c, sizes)
        self.step("5 escalation", exceptions.escalate, self, o2c, sizes)
        self.step("6 policy-gap advisor", advisor.run, self, o2c, sizes)

    def _history_and_dashboard(self, db, which, state):
        from bench.generate import ensure_catalogue, generate_history
        from bench.scenarios import dashboard

        sizes = self.sizes
        with odoo_env(db, commit=True) as env:
            env.cr.execute("SELECT count(*) FROM sale_order")
            have = env.cr.fetchone()[0]
            env.cr.execute("SELECT count(*) FROM o2c_exception")
            have_exc = env.cr.fetchone()[0]
            target = sizes[f"history_{which}"]
            exc_target = target // 4 if which == "small" else sizes["exceptions_large"]
            if which == "small":
                # history on top of the orders of the earlier scenarios
                target, exc_target = have + target, have_exc + exc_target
            if target > have:
                log(
                    "history: %s orders and %s exceptions (have %s / %s)",
                    target,
                    exc_target,
                    have,
                    have_exc,
                )
                t0 = time.time()
                info = ensure_catalogue(env)
                made = generate_history(
                    env,
                    info,
                    target - have,
                    max(0, exc_target - have_exc),
                    bundle=state.setdefault("bundle", {}),
                )
                self.results.add(
                    "data generator",
                    f"+{made['orders']} orders",
                    "o2c",
                    "generation time",
                    time.time() - t0,
                    "s",
                    note=f"+{made['exceptions']} exceptions",
                )
        # visibility map set, so index-only scans apply to the generated rows too
        self.analyze(db)
        large = which == "large"
        out = dashboard.measure(db, sizes["dashboard_reps"], profile=large)
        state[which] = out
        if not large:
            dashboard.report_small(self.results, out)
        else:
            dashboard.report_large(self.results, state.get("small"), out)
            if out["dashboard"]["median_ms"] >= 300:
                self.results.note(
                    "4 dashboard: slowest figure families at the large size: "
                    + "; ".join(dashboard.slow_figures(db))
                )

    # ------------------------------------------------------------ OUTPUT
    def machine(self):
        mem = ""
        try:
            with open("/proc/meminfo") as fh:
                for line in fh:
                    if line.startswith("MemTotal"):
                        mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        except OSError:
            pass
        import odoo

        try:
            load = os.getloadavg()
        except OSError:
            load = ()
        return {
            "cores": os.cpu_count(),
            "memory": mem,
            "load_average_at_end": [round(x, 2) for x in load],
            "python": platform.python_version(),
            "odoo": odoo.release.version,
            "postgresql": self.pg.version(),
            "os": platform.platform(),
        }

    def write(self):
        os.makedirs(RESULTS_DIR, exist_ok=True)
        duration = time.time() - self.started
        data = {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "mode": self.mode,
            "duration_s": round(duration),
            "machine": self.machine(),
            "o2c_addons": self.o2c_modules,
            "sizes": self.sizes,
            "rows": self.results.rows,
            "notes": self.results.notes,
        }
        # the quick mode (CI) never overwrites the published full-run results
        name = "quick" if self.mode == "quick" else "latest"
        if self.args.only:
            data = merge_results(os.path.join(RESULTS_DIR, f"{name}.json"), data, self.args.only)
        with open(os.path.join(RESULTS_DIR, f"{name}.json"), "w") as fh:
            json.dump(data, fh, indent=1, default=str)
        with open(os.path.join(RESULTS_DIR, f"{name}.md"), "w") as fh:
            fh.write(markdown(data))
        where = os.path.relpath(RESULTS_DIR, lib.ROOT)
        log("results: %s/%s.md and %s.json (%.0f s)", where, name, name, duration)

    def close(self):
        for db in list(self.dbs.values()):
            lib.release_db(db)
        if not self.args.keep:
            try:
                self.drop_databases()
            except Exception as error:  # the results are written: say it, do not fail
                log("could not drop the bench databases: %s", error)


def _scenario_number(text):
    """Scenario number of a result row or note ("4" for the data generator)."""
    if text.startswith("data generator"):
        return "4"
    return text[:1] if text[:1].isdigit() else ""


def merge_results(path, data, only):
    """A partial run (``--only``) updates its scenarios in the published results.

    Rows and notes of the other scenarios stay as the earlier run wrote them;
    ``runs`` says which run each scenario comes from.
    """
    if not os.path.exists(path):
        return data
    with open(path) as fh:
        old = json.load(fh)
    if old.get("mode") != data["mode"]:
        return data
    kept = [r for r in old["rows"] if _scenario_number(r["scenario"]) not in only]
    notes = [n for n in old["notes"] if _scenario_number(n) not in only or not n[:1].isdigit()]
    notes += [n for n in data["notes"] if n not in notes]
    runs = dict(old.get("runs") or {"all": old["date"]})
    data = {**data, "o2c_addons": data["o2c_addons"] or old.get("o2c_addons", [])}
    for number in only:
        runs[number] = data["date"]
    rows = sorted(kept + data["rows"], key=lambda r: (_scenario_number(r["scenario"]) or "9", 0))
    return {**data, "rows": rows, "notes": notes, "runs": runs}


def markdown(data):
    m = data["machine"]
    lines = [
        f"# o2c benchmark ({data['mode']} run, {data['date']})",
        "",
        f"Machine: {m['cores']} cores, {m['memory']} memory, load average at the end "
        f"{m['load_average_at_end']}; Python {m['python']}, Odoo {m['odoo']}, "
        f"PostgreSQL {m['postgresql']}. Duration {data['duration_s']} s.",
        f"o2c addons: {', '.join(data['o2c_addons']) or 'none'}.",
        *(
            [
                "Scenarios re-run alone (--only) on a later date: "
                + ", ".join(f"{k}: {v}" for k, v in sorted(data["runs"].items()))
                + "."
            ]
            if data.get("runs")
            else []
        ),
        "",
        "| scenario | size | database | figure | value | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for row in data["rows"]:
        value = lib.fmt(row["value"]) + (f" {row['unit']}" if row["unit"] else "")
        met = "" if row["met"] is None else ("yes" if row["met"] else "**no**")
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else ""
        figure = row["figure"] + (f" ({row['note']})" if row["note"] else "")
        lines.append(
            f"| {row['scenario']} | {row['size']} | {row['database']} | {figure} | {value} | "
            f"{lib.fmt(row['baseline'])} | {ratio} | {row['target'] or ''} | {met} |"
        )
    missed = [r for r in data["rows"] if r["met"] is False]
    lines += ["", f"Targets: {sum(1 for r in data['rows'] if r['met'])} met, {len(missed)} missed."]
    if data["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in data["notes"]]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI)")
    parser.add_argument("--keep", action="store_true", help="keep the o2c_bench_* databases")
    parser.add_argument("--reuse", action="store_true", help="reuse kept databases (development)")
    parser.add_argument("--only", default="", help="scenario numbers to run, e.g. 14")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a scenario could not run (pending)"
    )
    args = parser.parse_args(argv)
    odoo_init(os.path.abspath(args.config))
    bench = Bench(args)
    log("o2c benchmark, %s mode", bench.mode)
    try:
        bench.run()
    except Exception as error:
        traceback.print_exc()
        bench.results.pending("setup", f"{type(error).__name__}: {str(error)[:300]}")
    bench.write()
    bench.close()
    pending = [r for r in bench.results.rows if r["figure"] == "pending"]
    for row in pending:
        log("PENDING %s: %s", row["scenario"], row["value"])
    failed = [r for r in pending if r["scenario"] == "setup" or args.strict]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
