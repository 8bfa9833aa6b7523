# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 8: background scale-out: auto-invoicing as OCA queue jobs on 1, 2, 4 workers.

A copy of the bench's o2c database gets OCA ``queue_job`` (the bridge
``o2c_queue_job`` comes with it) and N released, delivered orders; the
auto-invoice cron runs once in mode ``jobs``: it only queues one job per batch
on the channel ``root.o2c.invoice``. For each run (a fresh copy of that
database), the scenario starts Odoo itself on 127.0.0.1 (prefork,
``--workers`` = the channel's capacity, ``server_wide_modules=base,web,queue_job``,
the job runner pointed at that server, free ports, stopped at the end, also on
failure) and waits until no job is left (bounded: it gives up after
:data:`LIMIT_S`). The 2-node run serves the database from two Odoo processes
and one job runner, whose requests a round-robin proxy spreads over both (a
load balancer's part in production).

Measured per run: orders/s from the first job's start to the last job's end
(the server's start and the runner's start delay left out), jobs done and
failed; after the run, by SQL: no order invoiced twice, no quantity invoiced
twice, no released order left uninvoiced.
"""

import contextlib
import importlib.util
import os
import socket
import threading
import time

from bench import lib
from bench.lib import finish_install, log, odoo_env, start_install

from . import peak
from .invoicing import prepare

SCENARIO = "8 background scale-out"
#: (Odoo processes, channel capacity = workers in all) of the runs, per mode
RUNS = {"quick": ((1, 1), (1, 2)), "full": ((1, 1), (1, 2), (1, 4), (2, 4))}
#: a run gives up when jobs are still left after this many seconds
LIMIT_S = {"quick": 120, "full": 900}
JOB_METHOD = "_o2c_batch_job"
CONFLICT_NOTE = (
    f"{SCENARIO}: jobs were postponed by serialization failures (queue_job runs the "
    "losing job again 5 s later): the rows they hit are in the Odoo logs of "
    ".o2c/scaleout/ (jobs invoicing orders of one customer must not write a shared row)."
)
LIVE_STATES = ("wait_dependencies", "pending", "enqueued", "started")


def available():
    """Whether OCA queue_job can be installed (it is in requirements.txt)."""
    return importlib.util.find_spec("odoo.addons.queue_job") is not None


def run(bench, db, sizes, mode):
    """Every run of the mode on copies of ``db``; results rows and notes.

    ``sizes``: ``scaleout_orders`` orders, queued in jobs of ``scaleout_batch``.
    """
    if not available():
        bench.results.pending(SCENARIO, "OCA queue_job is not installed (requirements.txt)")
        return
    base = f"{db}_scaleout"
    runs = {}
    try:
        first, queued = _prepare_base(bench, db, base, sizes)
        for nodes, capacity in RUNS[mode]:
            try:
                runs[(nodes, capacity)] = run_once(bench, base, first, nodes, capacity, mode)
            except Exception as error:  # one failed run does not lose the others
                bench.results.pending(
                    f"{SCENARIO} {_label(nodes, capacity)}", f"{type(error).__name__}: {error}"
                )
    finally:
        peak._drop(bench, base)
    report(bench.results, runs, queued, mode)


# --------------------------------------------------------------- SETUP
def _prepare_base(bench, db, base, sizes):
    """``base``: a copy of ``db`` with queue_job and the orders' jobs queued.

    :return: the first bench order's id, and what the cron queued
    """
    peak._copy(bench, db, base)
    log("scenario 8: installing queue_job in %s", base)
    ok, _module, error = finish_install(
        start_install(bench.conf, base, ["queue_job"], bench._log(base))
    )
    if not ok:
        raise RuntimeError(f"installing queue_job failed: {error[-300:]}")
    with odoo_env(base, commit=True) as env:
        if not env["ir.module.module"].search_count(
            [("name", "=", "o2c_queue_job"), ("state", "=", "installed")]
        ):
            raise RuntimeError("o2c_queue_job was not auto-installed with queue_job")
        # what auto-invoices released deliveries at once, as drafts
        env.company.write(
            {
                "o2c_invoice_release_policy": "on_delivery",
                "o2c_auto_invoice": True,
                "o2c_auto_post": False,
                "o2c_auto_send": False,
            }
        )
        # the bench process is no job runner: "auto" would run the batches inline
        env["ir.config_parameter"].set_param("o2c_queue_job.mode", "jobs")
    log("scenario 8: %s released, delivered orders", sizes["scaleout_orders"])
    first = prepare(base, sizes["scaleout_orders"])
    _customers_mailed_before(base, first)
    queued = _enqueue(base, sizes["scaleout_batch"])
    lib.release_db(base)
    bench.analyze(base)
    return first, queued


def _customers_mailed_before(db, first):
    """The customers have had mails before: their sign-up type is set.

    With b2c sign-up, Odoo writes it at a customer's first mail linking to the
    portal (e.g. its first invoice's), once in the customer's life; concurrent
    first invoices of one customer conflict on that write. The runs measure the
    days after, when nothing writes the customer (o2c writes the type only when it
    changes).
    """
    with odoo_env(db, commit=True) as env:
        env.cr.execute(
            """SELECT partner_id FROM sale_order WHERE id >= %s
               UNION SELECT partner_invoice_id FROM sale_order WHERE id >= %s""",
            [first, first],
        )
        env["res.partner"].browse([row[0] for row in env.cr.fetchall()]).signup_prepare()


def _enqueue(db, batch):
    """Run the auto-invoice cron as a cron job does (it queues the jobs), then again."""
    with odoo_env(db, commit=True) as env:
        cron = env.ref("o2c_invoice_release.ir_cron_o2c_auto_invoice")
        progress = env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        env.cr.commit()
        orders = env["sale.order"].with_context(ir_cron_progress_id=progress.id)
        t0 = time.perf_counter()
        taken = orders._cron_o2c_auto_invoice(batch_size=batch)
        env.cr.commit()
        seconds = time.perf_counter() - t0
        jobs = _job_count(env.cr)
        # the cron again while the jobs wait: a record already in a live job is not queued
        orders._cron_o2c_auto_invoice(batch_size=batch)
        env.cr.commit()
        again = _job_count(env.cr) - jobs
    return {"orders": taken, "jobs": jobs, "seconds": seconds, "again": again, "batch": batch}


def _job_count(cr):
    cr.execute("SELECT count(*) FROM queue_job WHERE method_name = %s", [JOB_METHOD])
    return cr.fetchone()[0]


# ----------------------------------------------------------- ONE RUN
class Node(peak.Server):
    """An Odoo in prefork mode serving ``db``; with ``runner_port``, it runs the job
    runner too (``queue_job`` server-wide) and sends the jobs to that port."""

    def __init__(self, conf, db, workers, logfile, port, channels=None, runner_port=None):
        self.port, self.logfile = port, logfile
        wide = "base,web,queue_job" if runner_port else "base,web"
        env = dict(os.environ)
        for key in [k for k in env if k.startswith("ODOO_QUEUE_JOB_")]:
            del env[key]
        if runner_port:
            env.update(
                ODOO_QUEUE_JOB_CHANNELS=channels,
                ODOO_QUEUE_JOB_HOST="127.0.0.1",
                ODOO_QUEUE_JOB_PORT=str(runner_port),
            )
        self._spawn(
            conf,
            db,
            workers,
            peak._free_port(),
            f"--load={wide}",
            # the jobs are the only work: no cron worker (queue_job's own crons wait)
            "--max-cron-threads=0",
            "--limit-time-real=900",
            "--limit-time-cpu=900",
            env=env,
        )


class RoundRobinProxy(threading.Thread):
    """TCP proxy on 127.0.0.1: each connection goes to the next backend port in turn."""

    def __init__(self, backends):
        super().__init__(daemon=True)
        self.backends = backends
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.turn = 0

    def run(self):
        with contextlib.suppress(OSError):  # the socket closed by stop()
            while True:
                client, _addr = self.sock.accept()
                backend = self.backends[self.turn % len(self.backends)]
                self.turn += 1
                threading.Thread(target=self._serve, args=(client, backend), daemon=True).start()

    def _serve(self, client, port):
        with contextlib.suppress(OSError), client:
            server = socket.create_connection(("127.0.0.1", port))
            with server:
                back = threading.Thread(target=self._pipe, args=(server, client), daemon=True)
                back.start()
                self._pipe(client, server)
                back.join(60)

    @staticmethod
    def _pipe(src, dst):
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)

    def stop(self):
        self.sock.close()


def _label(nodes, capacity):
    where = "1 Odoo" if nodes == 1 else f"{nodes} Odoo processes, 1 runner"
    return f"{where}, {capacity} worker{'s' if capacity > 1 else ''}"


def run_once(bench, base, first, nodes, capacity, mode):
    """One run on a copy of ``base``; return its measures."""
    db = f"{base}{nodes}n{capacity}w"
    workdir = os.path.join(lib.ROOT, ".o2c", "scaleout")
    os.makedirs(workdir, exist_ok=True)
    tag = f"{'q_' if mode == 'quick' else ''}{nodes}n{capacity}w"
    peak._copy(bench, base, db)
    try:
        return _measure(bench, db, first, nodes, capacity, mode, os.path.join(workdir, tag))
    finally:
        peak._drop(bench, db)


def _start_nodes(bench, db, nodes, capacity, prefix):
    """The run's Odoo processes (the first one runs the job runner) and the proxy, if any."""
    channels = f"root:{capacity},root.o2c:{capacity},root.o2c.invoice:{capacity}"
    ports = [peak._free_port() for _ in range(nodes)]
    proxy = RoundRobinProxy(ports) if nodes > 1 else None
    servers = []
    for index, port in enumerate(ports):
        logfile = f"{prefix}.{index}.log"
        with contextlib.suppress(FileNotFoundError):  # Odoo appends to its log file
            os.remove(logfile)
        runner = (proxy.port if proxy else port) if index == 0 else None
        servers.append(
            Node(bench.conf, db, capacity // nodes, logfile, port, channels, runner_port=runner)
        )
    if proxy:
        proxy.start()
    return servers, proxy


def _measure(bench, db, first, nodes, capacity, mode, prefix):
    """Serve ``db``, wait until its jobs are done (or the limit), stop; return the measures."""
    servers, proxy = [], None
    t0 = time.time()
    try:
        servers, proxy = _start_nodes(bench, db, nodes, capacity, prefix)
        for server in servers:
            server.wait_ready()
        log(
            "scenario 8: %s ready after %.0f s, waiting for the jobs",
            _label(nodes, capacity),
            time.time() - t0,
        )
        left = _wait_jobs(bench, db, LIMIT_S[mode])
    finally:
        for server in servers:
            server.stop()
        if proxy:
            proxy.stop()
    return {
        "wall": time.time() - t0,
        "left": left,
        "jobs": _jobs(bench, db),
        "invariants": invariants(bench, db, first),
        "log": _log_counts([server.logfile for server in servers]),
    }


def _wait_jobs(bench, db, limit):
    """Wait until no job is live; return how many are left (0 unless the limit was reached)."""
    deadline = time.time() + limit
    while True:
        left = bench.pg.query(
            "SELECT count(*) FROM queue_job WHERE method_name = %s AND state IN %s",
            [JOB_METHOD, LIVE_STATES],
            db=db,
        )[0][0]
        if not left or time.time() > deadline:
            return left
        time.sleep(1)


def _jobs(bench, db):
    """Jobs by state, and the seconds from the first job's start to the last job's end."""
    by_state = dict(
        bench.pg.query(
            "SELECT state, count(*) FROM queue_job WHERE method_name = %s GROUP BY state",
            [JOB_METHOD],
            db=db,
        )
    )
    span, per_job = bench.pg.query(
        """SELECT extract(epoch FROM max(date_done) - min(date_started)),
                  avg(extract(epoch FROM date_done - date_started))
             FROM queue_job WHERE method_name = %s AND state = 'done'""",
        [JOB_METHOD],
        db=db,
    )[0]
    return {"by_state": by_state, "span": float(span or 0), "per_job": float(per_job or 0)}


def _log_counts(paths):
    """ERROR lines of the run's Odoo logs, and the serialization failures among them
    by the row they wrote (queue_job postpones such a job by 5 s and runs it again)."""
    counts = {"errors": 0, "conflicts": 0, "on": {}}
    for path in paths:
        with contextlib.suppress(FileNotFoundError), open(path, errors="replace") as fh:
            query = None
            for line in fh:
                if "odoo.sql_db: bad query:" in line:
                    query = peak._query_target(line.split("bad query:", 1)[1])
                elif line.startswith("ERROR: could not serialize"):
                    counts["conflicts"] += 1
                    counts["on"][query] = counts["on"].get(query, 0) + 1
                if " ERROR " in line or " CRITICAL " in line:
                    counts["errors"] += 1
    return counts


# ---------------------------------------------------------- INVARIANTS
INVARIANTS = {
    "orders invoiced twice": f"""
        SELECT count(*) FROM (
          SELECT sol.order_id FROM {peak.SALE_LINE_INVOICES}
           WHERE sol.order_id >= %(first)s AND am.state != 'cancel'
             AND am.move_type = 'out_invoice'
        GROUP BY sol.order_id HAVING count(DISTINCT am.id) > 1) twice""",
    "quantity invoiced twice": """
        SELECT COALESCE(sum(qty_invoiced - qty_delivered), 0)::float FROM sale_order_line
         WHERE order_id >= %(first)s AND display_type IS NULL
           AND qty_invoiced > qty_delivered""",
    "released orders left uninvoiced": """
        SELECT count(*) FROM sale_order
         WHERE id >= %(first)s AND state = 'sale' AND invoice_status = 'to invoice'""",
}


def invariants(bench, db, first):
    """``{invariant: violations}`` on the run's orders, and the orders invoiced."""
    out = {
        name: bench.pg.query(sql, {"first": first}, db=db)[0][0] for name, sql in INVARIANTS.items()
    }
    out["_invoiced"], out["_parked"] = bench.pg.query(
        """SELECT (SELECT count(*) FROM sale_order
                    WHERE id >= %(first)s AND invoice_status = 'invoiced'),
                  (SELECT count(*) FROM stock_picking WHERE o2c_release_error IS NOT NULL)""",
        {"first": first},
        db=db,
    )[0]
    return out


# -------------------------------------------------------------- REPORT
def report(results, runs, queued, mode):
    size = f"{queued['orders']} delivered orders, jobs of {queued['batch']}"
    results.add(
        SCENARIO,
        size,
        "o2c+queue_job",
        "auto-invoice cron queuing the jobs",
        queued["seconds"],
        "s",
        note=f"{queued['orders']} orders taken, {queued['jobs']} jobs",
    )
    results.add(
        SCENARIO,
        size,
        "o2c+queue_job",
        "jobs queued by the cron run again while they wait",
        queued["again"],
        target="0",
        met=queued["again"] == 0,
    )
    one = runs.get((1, 1))
    base = _rate(one) if one else None
    for (nodes, capacity), run in runs.items():
        _report_run(results, size, _label(nodes, capacity), run, base)
    if any(run["log"]["conflicts"] for run in runs.values()):
        results.note(CONFLICT_NOTE)
    two = runs.get((1, 2))
    if base and two:
        ratio = _rate(two) / base
        # the quick run's few short jobs measure the runner's start-up more than the
        # work: its ratio is shown, the target is judged on the full run
        full = mode == "full"
        results.add(
            SCENARIO,
            f"{queued['orders']} orders, 1 → 2 workers",
            "o2c+queue_job",
            "throughput at 2 workers over 1 worker",
            ratio,
            "x",
            target="≥ 1.6× (informative: shared machine)" if full else None,
            met=ratio >= 1.6 if full else None,
        )


def _rate(run):
    """Orders invoiced per second of job work (first start → last end)."""
    span = run["jobs"]["span"]
    return run["invariants"]["_invoiced"] / span if span else 0.0


def _report_run(results, size, label, run, base):
    jobs, checks = run["jobs"], run["invariants"]
    by_state = jobs["by_state"]
    done, failed = by_state.get("done", 0), by_state.get("failed", 0)
    results.add(
        SCENARIO,
        size,
        label,
        "throughput",
        _rate(run),
        "orders/s",
        baseline=base,
        note=(
            f"{checks['_invoiced']} orders in {jobs['span']:.0f} s (first job start → last end), "
            f"{jobs['per_job']:.1f} s per job, {run['wall']:.0f} s with the start"
            + (f", gave up with {run['left']} jobs left" if run["left"] else "")
        ),
    )
    results.add(
        SCENARIO,
        size,
        label,
        "jobs failed",
        failed,
        target="0",
        met=failed == 0 and not run["left"],
        note=(
            f"{done} done, {run['left']} left, {checks['_parked']} deliveries parked, "
            f"{run['log']['errors']} ERROR lines in Odoo's log"
        ),
    )
    conflicts = run["log"]["conflicts"]
    results.add(
        SCENARIO,
        size,
        label,
        "jobs postponed by a serialization failure",
        conflicts,
        note="; ".join(f"{what} ×{count}" for what, count in run["log"]["on"].items()) or None,
    )
    for name, count in checks.items():
        if not name.startswith("_"):
            results.add(
                SCENARIO, size, label, f"invariant: {name}", count, target="0", met=count == 0
            )
