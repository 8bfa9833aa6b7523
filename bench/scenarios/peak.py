# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scenario 7: a peak hour, measured: Odoo in prefork mode under a locust load.

For each run (o2c with N = 1, 2 (, 4) workers, vanilla with the same load), a
fresh copy of the bench database is served by an Odoo the scenario starts
itself on 127.0.0.1 (``--workers=N --max-cron-threads=2``, free ports, stopped
at the end, also on failure) and driven by locust, headless, in a venv of its
own (:data:`LOCUST_VENV`), over JSON-RPC as the web client calls it
(``/web/dataset/call_kw``, one web session per person): inside sales creating and confirming
orders of 5-30 lines (some held by a deep discount), approvers approving from
the one exception queue, the warehouse validating deliveries (some short, with
a backorder) and recording proofs of delivery, finance posting invoices, an EDI
integration pushing order files; the automatic invoicing and escalation jobs
run in the server's cron workers (intervals shortened, deadlines of seconds).

Measured per user action: throughput, p50/p95/p99, errors by kind; lock waits
sampled in ``pg_stat_activity`` during the load; after the load, SQL
invariants on the database (no duplicate open exception, nothing invoiced
twice or beyond the delivery, no order confirmed while held, every refused
confirmation held by an exception, no released delivery left uninvoiced).
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from datetime import datetime

from bench import lib
from bench.generate import REF, _group_ids, _o2c_groups, ensure_catalogue
from bench.lib import log, odoo_env, percentile

from .configure import NOTHING_LIMIT, customer

SCENARIO = "7 peak hour"
LOCUST_VENV = os.path.join(lib.ROOT, ".o2c", "locust-venv")
LOCUST_REQUIREMENTS = os.path.join(lib.ROOT, "bench", "locust-requirements.txt")
LOCUSTFILE = os.path.join(lib.ROOT, "bench", "peak_locustfile.py")
#: people of the distributor by role (fixed counts), per mode
MIX = {
    "quick": {"sales": 4, "approver": 2, "warehouse": 2, "finance": 1, "edi": 1},
    "full": {"sales": 8, "approver": 3, "warehouse": 3, "finance": 1, "edi": 1},
}
#: (label, workers, load) of the runs, per mode; o2c is compared with vanilla at the
#: same N and load, run next to each other (a neighbour's load on a shared machine
#: weighs on both)
RUNS = {
    "quick": (("o2c", 1, "peak"), ("o2c", 2, "peak"), ("vanilla", 2, "peak")),
    "full": (
        ("o2c", 1, "peak"),
        ("vanilla", 1, "peak"),
        ("o2c", 2, "peak"),
        ("vanilla", 2, "peak"),
        ("o2c", 4, "peak"),
        ("vanilla", 4, "peak"),
        ("o2c", 2, "moderate"),
        ("vanilla", 2, "moderate"),
    ),
}
#: the users' think times of each load: at its peak the same people think less than
#: the workers can serve (saturated: a user mostly waits for a free worker); in a
#: moderate hour they leave the workers about half busy (measured on 2 cores), so
#: that a user's wait is the work done for him more than the queue
THINK_S = {
    "peak": {"think_s": (0.3, 1.5), "edi_think_s": (3.0, 6.0)},
    "moderate": {"think_s": (3.5, 6.5), "edi_think_s": (10.0, 20.0)},
}
LOAD_S = {"quick": 20, "full": 150}
DRAIN_S = {"quick": 20, "full": 60}
#: items ordered in the hour (the quick catalogue is completed up to this)
PRODUCTS = {"quick": 300, "full": 1000}
#: actions of the same name that do something else in vanilla (no queue: a quotation list)
#: (vanilla creates and confirms the orders in the request; o2c's import creates
#: them and its job confirms them in the background, each in a transaction of its own)
NOT_COMPARABLE = ("approver: read queue", "edi: push order file")
#: above every pricing policy's floor: the order is held
HELD_DISCOUNT = 60.0
#: the jobs of the hour (run by the server's cron workers); the others wait
HOUR_CRONS = (
    "o2c_exception_base.ir_cron_o2c_exception_escalate",
    "o2c_invoice_release.ir_cron_o2c_auto_invoice",
    "o2c_order_intake.ir_cron_o2c_confirm_imported",
)


# --------------------------------------------------------------- SETUP
def ensure_locust():
    """The locust executable, installed in its own venv on first use.

    locust 2.47 needs gevent>=24.11, greenlet>=3, requests>=2.33 and Werkzeug 3:
    installed in Odoo's venv it would replace the versions Odoo 18 pins.
    """
    exe = os.path.join(LOCUST_VENV, "bin", "locust")
    if os.path.exists(exe):
        return exe
    log("scenario 7: installing locust in %s", LOCUST_VENV)
    python = os.path.join(lib.VENV, "bin", "python")
    base = subprocess.check_output(
        [python, "-c", "import sys; print(sys.base_prefix)"], text=True
    ).strip()
    subprocess.check_call([os.path.join(base, "bin", "python3"), "-m", "venv", LOCUST_VENV])
    subprocess.check_call(
        [os.path.join(LOCUST_VENV, "bin", "pip"), "install", "-q", "-r", LOCUST_REQUIREMENTS]
    )
    return exe


def _peak_users(env, label, mix):
    """The people of the peak hour by role (no password: the bench opens their sessions)."""
    from odoo import Command

    staff = _group_ids(env, ["base.group_user", "sales_team.group_sale_salesman_all_leads"])
    o2c = label != "vanilla"
    o2c_user = _group_ids(env, ["o2c_exception_base.group_o2c_user"]) if o2c else staff.browse()
    groups = {
        "sales": staff | o2c_user,
        "approver": staff
        | (_o2c_groups(env) if o2c else staff.browse())
        | _group_ids(env, ["account.group_account_manager"]),
        "warehouse": staff | o2c_user | _group_ids(env, ["stock.group_stock_user"]),
        "finance": staff | o2c_user | _group_ids(env, ["account.group_account_invoice"]),
        "edi": _group_ids(
            env,
            ["o2c_exception_base.group_o2c_integration"]
            if o2c
            else ["sales_team.group_sale_salesman"],
        )
        | _group_ids(env, ["base.group_user"]),
    }
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    users = {}
    for role, count in mix.items():
        users[role] = []
        for index in range(max(count, 1)):
            login = f"bench_peak_{role}_{index}"
            user = Users.search([("login", "=", login)])
            if not user:
                user = Users.create(
                    {
                        "name": f"Peak {role} {index}",
                        "login": login,
                        "email": f"{login}@example.com",
                        "groups_id": [Command.set(groups[role].ids)],
                    }
                )
            users[role].append({"login": login, "uid": user.id})
    return users


def _configure_o2c(env, customers, pod_customers):
    """Controls on, as configured by the bench; the jobs of the hour run in seconds."""
    company = env.company
    customers.sudo().write(
        {
            "o2c_credit_limit_type": "limit",
            "o2c_credit_limit": NOTHING_LIMIT,
            "o2c_overdue_tolerance_days": 3650,
            "o2c_overdue_tolerance_amount": NOTHING_LIMIT,
        }
    )
    # a share of the customers on proof-of-delivery release: the warehouse records PODs
    pod_customers.sudo().write({"o2c_invoice_release_policy": "on_pod"})
    company.write({"o2c_auto_invoice": True, "o2c_auto_post": False})
    cr = env.cr
    # held orders become overdue within seconds: escalation works during the hour
    cr.execute("UPDATE o2c_exception_type SET sla_hours = 0.003 WHERE sla_hours > 0")
    for xmlid in HOUR_CRONS:
        cron = env.ref(xmlid, raise_if_not_found=False)
        if cron:
            cron.write({"interval_number": 1, "interval_type": "minutes", "active": True})


def _postpone_other_crons(env):
    """Only the hour's jobs run: the daily ones (autovacuum, digests...) are due
    in a copied database and would run in the middle of the load (the autovacuum
    locks ir_attachment in SHARE mode: every upload waits)."""
    keep = [env.ref(x).id for x in HOUR_CRONS if env.ref(x, raise_if_not_found=False)]
    env.cr.execute(
        "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' + interval '1 day' "
        "WHERE NOT (id = ANY(%s))",
        [keep],
    )
    # a trigger runs a job whatever its next call (an unlink asks for the
    # attachment garbage collection, which is the autovacuum)
    env.cr.execute("DELETE FROM ir_cron_trigger WHERE NOT (cron_id = ANY(%s))", [keep])


def _more_products(env, info, count):
    """Catalogue products up to ``count`` (the quick catalogue has 30), with stock.

    A distributor's orders spread over hundreds of items: with 30, every
    confirmation reserves the same few quants and waits on the others'.
    """
    have = info["products"]
    if len(have) >= count:
        return have[:count]
    template = have[:1]
    vals = [
        {
            "name": f"Item {i:05d}",
            "default_code": f"{REF}P{i:05d}",
            "type": "consu",
            "is_storable": True,
            "invoice_policy": "delivery",
            # margins as the catalogue's (cost 45-70 % of the price): no pricing hold
            "list_price": 10.0 + i % 90,
            "standard_price": round((10.0 + i % 90) * (0.45 + (i % 6) * 0.05), 2),
            "categ_id": template.categ_id.id,
            "sale_ok": True,
        }
        for i in range(len(have) + 1, count + 1)
    ]
    new = env["product.template"].with_context(tracking_disable=True).create(vals)
    # plenty of stock, as the catalogue has: one batch of quants (no moves)
    env["stock.quant"].sudo().create(
        [
            {"product_id": product.id, "location_id": wh.lot_stock_id.id, "quantity": 1_000_000}
            for wh in info["warehouses"]
            for product in new.product_variant_ids
        ]
    )
    return have | new.product_variant_ids


def _open_sessions(env, users, run_dbs):
    """``{run database: users by role, each with the id of a web session}``.

    The sessions are opened here as a login opens them (the session store of
    the configuration, the user's session token), without the password check:
    a pbkdf2 hash of 600,000 rounds per user would take the server's CPU in
    the first seconds of the load. The run databases are copies of ``env``'s:
    same users, same database secret, so the same session tokens.
    """
    from odoo.http import get_default_session, root

    store = root.session_store
    out = {}
    for db in run_dbs:
        out[db] = {}
        for role, logins in users.items():
            out[db][role] = []
            for login in logins:
                session = store.new()
                session.update(
                    get_default_session(), pre_login=login["login"], pre_uid=login["uid"]
                )
                session.finalize(env)
                session["db"] = db
                store.save(session)
                out[db][role].append(dict(login, session_id=session.sid))
    return out


def prepare(bench, db, label, mode, run_dbs):
    """Users, customers and settings of the peak hour in ``db``; return the locust config."""
    mix = MIX[mode]
    with odoo_env(db, commit=True) as env:
        info = ensure_catalogue(env)
        hot = customer(env, "HOT", "Hot customer (many orders at once)")
        customers = info["customers"][:40]
        if label != "vanilla":
            _configure_o2c(env, customers | hot, customers[::4])
        _postpone_other_crons(env)
        users = _peak_users(env, label, mix)
        env.flush_all()
        sessions = _open_sessions(env, users, run_dbs)
        items = _more_products(env, info, PRODUCTS[mode])
        products = [{"id": p.id, "code": p.default_code} for p in items]
        partner_vals = [{"id": p.id, "ref": p.ref} for p in customers]
        hot_vals = {"id": hot.id, "ref": hot.ref}
    lib.release_db(db)
    bench.analyze(db)
    return {
        "label": label,
        "users": users,
        "sessions": sessions,
        "mix": mix,
        "products": products,
        "customers": partner_vals,
        "hot_customer": hot_vals,
        "hot_share": 0.4,
        "held_every": 4,
        "held_discount": HELD_DISCOUNT,
        "short_share": 0.3,
        "lines": (5, 30),
        "edi_orders": (3, 6),
        "edi_lines": (5, 15),
        "timeout_s": 120,
        "seed": 7,
    }


# ----------------------------------------------------------- ONE RUN
def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ports():
    """HTTP and gevent ports: ``O2C_BENCH_PEAK_PORT`` (and the next one), else free ones."""
    fixed = os.environ.get("O2C_BENCH_PEAK_PORT")
    if fixed:
        return int(fixed), int(fixed) + 1
    return _free_port(), _free_port()


class Server:
    """An Odoo in prefork mode serving one database, in its own process group."""

    def __init__(self, conf, db, workers, logfile):
        self.port, gevent_port = _ports()
        self.logfile = logfile
        self._spawn(
            conf,
            db,
            workers,
            gevent_port,
            "--max-cron-threads=2",
            "--limit-time-real=300",
            "--limit-time-cpu=240",
            "--limit-request=100000",
            # Odoo's prefork worker drops a connection whose request has not arrived
            # 2 s after it accepted it; the load tool, on the same saturated cores,
            # sometimes sends that late (1 request in 1,500). In production a proxy
            # in front sends each request whole. Both stacks get the same value.
            env=dict(os.environ, ODOO_HTTP_SOCKET_TIMEOUT="10"),
        )

    def _spawn(self, conf, db, workers, gevent_port, *options, env=None):
        """Start Odoo on ``self.port`` (127.0.0.1), logging to ``self.logfile``."""
        cmd = [
            os.path.join(lib.VENV, "bin", "odoo"),
            *("-c", conf, "-d", db),
            f"--db-filter=^{db}$",
            f"--workers={workers}",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={gevent_port}",
            f"--db_maxconn={max(16, 4 * workers + 8)}",
            f"--logfile={self.logfile}",
            "--log-level=info",
            *options,
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=lib.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout=120):
        deadline = time.time() + timeout
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"service": "common", "method": "version", "args": []},
            }
        ).encode()
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Odoo exited ({self.proc.returncode}), see {self.logfile}")
            with contextlib.suppress(OSError):
                request = urllib.request.Request(
                    self.url + "/jsonrpc", body, {"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            time.sleep(0.5)
        raise RuntimeError(f"Odoo did not answer within {timeout} s, see {self.logfile}")

    def stop(self):
        """SIGTERM to the process group (graceful), SIGKILL after 20 s."""
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


class LockSampler(threading.Thread):
    """Backends of ``db`` waiting for a lock, sampled every 0.25 s during the load.

    It also triggers the escalation job every :attr:`KICK_S` seconds (as
    ``ir.cron._trigger`` does): the cron workers then escalate the exceptions
    whose deadline passed while the approvers work the queue.
    """

    KICK_S = 5.0
    CRONS = ("o2c_exception_base.ir_cron_o2c_exception_escalate",)

    QUERY = """
        SELECT a.pid, l.locktype, l.relation::regclass::text, left(a.query, 70)
          FROM pg_stat_activity a
          LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
         WHERE a.datname = %s AND a.wait_event_type = 'Lock'"""

    def __init__(self, pg, db):
        super().__init__(daemon=True)
        self.pg, self.db = pg, db
        self.stop_event = threading.Event()
        self.samples = 0
        self.waiting = []  # per sample, backends waiting
        self.by_what = {}

    def _kick_crons(self, db_cr, cr):
        """A trigger now, and the notification the cron workers listen to (database postgres)."""
        db_cr.execute(
            """INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date,
                                            write_uid, write_date)
               SELECT d.res_id, now() at time zone 'UTC', 1, now() at time zone 'UTC',
                      1, now() at time zone 'UTC'
                 FROM ir_model_data d
                WHERE d.model = 'ir.cron' AND d.module || '.' || d.name = ANY(%s)""",
            [list(self.CRONS)],
        )
        cr.execute("SELECT pg_notify('cron_trigger', %s)", [self.db])

    def run(self):
        conn = self.pg.connect()
        db_conn = self.pg.connect(self.db)
        kicked = 0.0
        try:
            with conn.cursor() as cr, db_conn.cursor() as db_cr:
                while not self.stop_event.is_set():
                    if time.time() - kicked >= self.KICK_S:
                        self._kick_crons(db_cr, cr)
                        kicked = time.time()
                    cr.execute(self.QUERY, [self.db])
                    rows = cr.fetchall()
                    self.samples += 1
                    self.waiting.append(len({r[0] for r in rows}))
                    for _pid, locktype, relation, query in rows:
                        key = f"{locktype or '?'} {relation or ''} «{' '.join(query.split())}»"
                        self.by_what[key] = self.by_what.get(key, 0) + 1
                    self.stop_event.wait(0.25)
        finally:
            conn.close()
            db_conn.close()

    def summary(self):
        top = sorted(self.by_what.items(), key=lambda kv: -kv[1])[:4]
        return {
            "samples": self.samples,
            "max": max(self.waiting, default=0),
            "total": sum(self.waiting),
            "share": sum(1 for w in self.waiting if w) / max(self.samples, 1),
            "top": [f"{what} ×{count}" for what, count in top],
        }


def _filestore(bench, db):
    from odoo.tools import config

    return os.path.join(config["data_dir"], "filestore", db)


def _copy(bench, template, db):
    bench.pg.copy(template, db)
    src, dst = _filestore(bench, template), _filestore(bench, db)
    shutil.rmtree(dst, ignore_errors=True)
    if os.path.isdir(src):
        shutil.copytree(src, dst)


def _drop(bench, db):
    lib.release_db(db)
    bench.pg.drop(db)
    shutil.rmtree(_filestore(bench, db), ignore_errors=True)


def _run_db(template, workers, load):
    return f"{template}{workers}w{'' if load == 'peak' else load[0]}"


def run_once(bench, template, config, workers, load, mode):
    """One hour of ``load`` on a copy of ``template``; return its measures."""
    label = config["label"]
    db = _run_db(template, workers, load)
    workdir = os.path.join(lib.ROOT, ".o2c", "peak")
    os.makedirs(workdir, exist_ok=True)
    tag = (
        f"{'q_' if mode == 'quick' else ''}{label}_{workers}w{'' if load == 'peak' else '_' + load}"
    )
    paths = {k: os.path.join(workdir, f"{tag}.{k}") for k in ("config.json", "out.json", "log")}
    t_copy = time.time()
    _copy(bench, template, db)
    try:
        return _measure(bench, db, dict(config, **THINK_S[load]), workers, mode, paths, t_copy)
    finally:
        _drop(bench, db)
        _close_sessions(config["sessions"][db])


def _close_sessions(users):
    """Delete the run's web sessions from the session store."""
    from odoo.http import root

    store = root.session_store
    for logins in users.values():
        for login in logins:
            with contextlib.suppress(FileNotFoundError):
                os.remove(store.get_session_filename(login["session_id"]))


def _measure(bench, db, config, workers, mode, paths, t_copy):
    """Serve ``db``, load it, drain the jobs, stop; return the measures."""
    label = config["label"]
    workdir = os.path.dirname(paths["log"])
    tag = os.path.basename(paths["log"])[: -len(".log")]
    server = sampler = None
    for path in paths.values():  # Odoo appends to its log file
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
    try:
        server = Server(bench.conf, db, workers, paths["log"])
        server.wait_ready()
        log("scenario 7: Odoo ready after %.0f s (copy and start)", time.time() - t_copy)
        with open(paths["config.json"], "w") as fh:
            json.dump(dict(config, db=db, users=config["sessions"][db]), fh)
        sampler = LockSampler(bench.pg, db)
        sampler.start()
        users = sum(config["mix"].values())
        log(
            "scenario 7: %s, %s worker(s), %s users, %s s of load",
            label,
            workers,
            users,
            LOAD_S[mode],
        )
        t0 = time.time()
        _locust(server.url, users, mode, paths, os.path.join(workdir, tag))
        duration = time.time() - t0
        sampler.stop_event.set()
        drained = _drain(bench, db, label, DRAIN_S[mode])
    finally:
        if sampler:
            sampler.stop_event.set()
        if server:
            server.stop()
    with open(paths["out.json"]) as fh:
        out = json.load(fh)
    return {
        "label": label,
        "workers": workers,
        "duration": duration,
        "load_s": LOAD_S[mode],
        "actions": _actions(out["samples"], out["started"], LOAD_S[mode]),
        "locks": sampler.summary(),
        "log": _log_counts(paths["log"]),
        "server": _server_times(paths["log"], out, LOAD_S[mode]),
        "invariants": invariants(bench, db, label, out["touched"]),
        "drained": drained,
    }


def _locust(url, users, mode, paths, csv_prefix):
    """Run locust headless against ``url``: ``users`` people for the mode's load time."""
    with open(f"{csv_prefix}.locust.log", "w") as stderr:
        subprocess.run(
            [
                ensure_locust(),
                "-f",
                LOCUSTFILE,
                "--headless",
                "--host",
                url,
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{LOAD_S[mode]}s",
                # the users finish the action they are in (counted in latencies only)
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--csv",
                csv_prefix,
            ],
            env=dict(os.environ, PEAK_CONFIG=paths["config.json"], PEAK_OUT=paths["out.json"]),
            cwd=os.path.dirname(csv_prefix),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            timeout=LOAD_S[mode] + 120,
            check=False,
        )


def _drain(bench, db, label, seconds):
    """Let the cron workers finish the release queue and the imported orders'
    confirmations; return whether both emptied."""
    if label == "vanilla":
        return True
    deadline = time.time() + seconds
    while time.time() < deadline:
        left = bench.pg.query(
            """SELECT (SELECT count(*) FROM stock_picking WHERE o2c_release_pending IS TRUE)
                    + (SELECT count(*) FROM sale_order WHERE o2c_intake_state = 'waiting')""",
            db=db,
        )[0][0]
        if not left:
            return True
        time.sleep(1)
    return False


def _actions(samples, started, load_s):
    """Per action: calls, errors by kind, throughput and percentiles of the successes.

    The throughput counts the actions done within the load's time (the users
    then finish the action they are in: those count for the latencies only).
    """
    by_name = {}
    for name, ms, kind, at in samples:
        entry = by_name.setdefault(name, {"times": [], "errors": {}, "in_window": 0})
        if kind:
            entry["errors"][kind] = entry["errors"].get(kind, 0) + 1
        else:
            entry["times"].append(ms)
            entry["in_window"] += at <= started + load_s
    out = {}
    for name, entry in sorted(by_name.items()):
        times = entry["times"]
        out[name] = {
            "ok": len(times),
            "in_window": entry["in_window"],
            "errors": entry["errors"],
            "per_s": entry["in_window"] / load_s,
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
        }
    return out


def _query_target(sql):
    """The rows a failed query wrote or locked: ``UPDATE table (first column)``, ``lock table``."""
    text = " ".join(sql.replace("\\n", " ").split())
    update = re.search(r'UPDATE "?(\w+)"? SET "?(\w+)', text)
    if update:
        return f"UPDATE {update.group(1)} ({update.group(2)})"
    locked = re.search(r'FROM "?(\w+)"?.* FOR (?:NO KEY )?UPDATE', text)
    if locked:
        return f"row lock on {locked.group(1)}"
    return f"«{text[2:60]}»"


def _log_counts(path):
    """Concurrency errors in Odoo's log: retried inside (by failing query), reaching a
    user (retries exhausted), other ERROR lines (a retried query's is not one)."""
    counts = {"retried": 0, "retries_exhausted": 0, "errors": 0, "retried_on": {}}
    first_error, bad_query = None, None
    with open(path, errors="replace") as fh:
        for line in fh:
            if "odoo.sql_db: bad query:" in line:
                bad_query = _query_target(line.split("bad query:", 1)[1])
            elif "tries left, try again" in line:
                counts["retried"] += 1
                key = f"{line.split(': ', 1)[-1].split(',')[0]} on {bad_query}"
                counts["retried_on"][key] = counts["retried_on"].get(key, 0) + 1
            elif "maximum number of tries reached" in line:
                counts["retries_exhausted"] += 1
            elif " ERROR " in line or " CRITICAL " in line:
                counts["errors"] += 1
                first_error = first_error or line.strip()[:300]
    counts["first_error"] = first_error
    return counts


#: a request line of Odoo's log: end time, path, then the request's queries, SQL
#: time and other (Python) time in seconds
REQUEST_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) .* werkzeug: .*"
    r'"[A-Z]+ (\S+) HTTP/[\d.]+" \d+ - \d+ ([\d.]+) ([\d.]+)'
)
#: the action tag ending the URL of a user action's RPC (bench/peak_locustfile.py)
ACTION_TAG = re.compile(r"^/web/dataset/call_kw/[^/]+/[^/]+/([\w-]+)$")


def _server_times(path, out, load_s):
    """Odoo's own time per request, by user action, from its request log; and how
    busy the HTTP workers were during the load (their summed request time over the
    load's seconds): near 1 per worker, the workers are saturated and the latency
    the users see is mostly waiting for a free worker.

    :return: ``{"by_action": {name: [seconds, ...]}, "busy_s": float}``
    """
    names, start = out.get("tags", {}), out["started"]
    by_action, busy = {}, 0.0
    with open(path, errors="replace") as fh:
        for line in fh:
            match = REQUEST_LINE.match(line)
            if not match:
                continue
            stamp, millis, url, sql_s, other_s = match.groups()
            seconds = float(sql_s) + float(other_s)
            # the server logs local time, on this machine (naive: taken as local)
            ended = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").timestamp()
            if start <= ended + int(millis) / 1000 <= start + load_s:
                busy += seconds
            tag = ACTION_TAG.match(url)
            if tag and tag.group(1) in names:
                by_action.setdefault(names[tag.group(1)], []).append(seconds)
    return {"by_action": by_action, "busy_s": busy}


# ---------------------------------------------------------- INVARIANTS
#: sale lines (``sol``) with their invoice lines (``aml``) and invoices (``am``)
SALE_LINE_INVOICES = """sale_order_line sol
            JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
            JOIN account_move_line aml ON aml.id = rel.invoice_line_id
            JOIN account_move am ON am.id = aml.move_id"""
INVARIANTS_ALL = {
    "no sale line invoiced beyond its delivered quantity": f"""
        SELECT count(*) FROM (
          SELECT sol.id FROM {SALE_LINE_INVOICES}
           WHERE am.state != 'cancel' AND am.move_type IN ('out_invoice', 'out_refund')
        GROUP BY sol.id, sol.qty_delivered
          HAVING sum(CASE WHEN am.move_type = 'out_refund' THEN -aml.quantity
                          ELSE aml.quantity END) > sol.qty_delivered + 0.0001) bad""",
}
#: what a violated invariant shows in the notes (its first rows): a run's
#: database is dropped after it, and such a violation must be explained
INVARIANT_DETAILS = {
    "no sale line invoiced beyond its delivered quantity": f"""
        SELECT format('line %s of %s (%s): delivered %s, invoiced %s: %s', sol.id, so.name,
                      sol.state, sol.qty_delivered, sol.qty_invoiced,
                      string_agg(format('%s %s %s qty %s by uid %s at %s', am.id, am.move_type,
                                        am.state, aml.quantity, am.create_uid,
                                        am.create_date::time(0)), '; ' ORDER BY am.id))
          FROM {SALE_LINE_INVOICES}
          JOIN sale_order so ON so.id = sol.order_id
         WHERE am.state != 'cancel' AND am.move_type IN ('out_invoice', 'out_refund')
      GROUP BY sol.id, so.name
        HAVING sum(CASE WHEN am.move_type = 'out_refund' THEN -aml.quantity
                        ELSE aml.quantity END) > sol.qty_delivered + 0.0001
         LIMIT 5""",
}
INVARIANTS_O2C = {
    "no duplicate open exception (document, code)": """
        SELECT count(*) FROM (
          SELECT 1 FROM o2c_exception WHERE active AND state = 'open'
        GROUP BY res_model, res_id, code HAVING count(*) > 1) dup""",
    "no order confirmed while a blocking exception holds it": """
        SELECT count(DISTINCT so.id) FROM sale_order so
          JOIN o2c_exception e ON e.res_model = 'sale.order' AND e.res_id = so.id
         WHERE so.state = 'sale' AND e.active AND e.blocking
           AND e.state IN ('open', 'rejected') AND e.stage = 'order_validation'""",
    "no delivery billed by two invoices": """
        SELECT count(*) FROM (
          SELECT rel.picking_id FROM o2c_account_move_stock_picking_rel rel
            JOIN account_move am ON am.id = rel.move_id
           WHERE am.state != 'cancel' AND am.move_type = 'out_invoice'
        GROUP BY rel.picking_id HAVING count(*) > 1) dup""",
    "no released delivery left uninvoiced (after the drain)": """
        SELECT count(*) FROM stock_picking p
         WHERE p.state = 'done' AND p.o2c_released AND p.o2c_release_error IS NULL
           AND p.sale_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM o2c_account_move_stock_picking_rel rel
                             JOIN account_move am ON am.id = rel.move_id
                            WHERE rel.picking_id = p.id AND am.state != 'cancel')""",
    "no imported order left waiting for its confirmation (after the drain)": """
        SELECT count(*) FROM sale_order WHERE o2c_intake_state = 'waiting'""",
    "no imported order whose confirmation failed": """
        SELECT count(*) FROM sale_order WHERE o2c_intake_state = 'parked'""",
}


def invariants(bench, db, label, touched):
    """``{invariant: count of violations}`` after the run."""
    checks = dict(INVARIANTS_ALL, **(INVARIANTS_O2C if label != "vanilla" else {}))
    out = {name: bench.pg.query(sql, db=db)[0][0] for name, sql in checks.items()}
    out["_details"] = [
        row[0]
        for name, sql in INVARIANT_DETAILS.items()
        if out.get(name)
        for row in bench.pg.query(sql, db=db)
    ]
    ids = sorted(set(touched["confirmed"]) | set(touched["edi"]))
    if label != "vanilla" and ids:
        # a confirmation that did not confirm must have left an exception (none
        # lost); an imported order still in the confirmation job is counted above
        out["every refused confirmation held by a live exception"] = bench.pg.query(
            """SELECT count(*) FROM sale_order so
                WHERE so.id = ANY(%s) AND so.state IN ('draft', 'sent')
                  AND so.o2c_intake_state IS NULL
                  AND NOT EXISTS (SELECT 1 FROM o2c_exception e
                                   WHERE e.res_model = 'sale.order' AND e.res_id = so.id
                                     AND e.active
                                     AND e.state IN ('open', 'approved', 'rejected'))""",
            [ids],
            db=db,
        )[0][0]
    counts = bench.pg.query(
        """SELECT (SELECT count(*) FROM sale_order WHERE state = 'sale'),
                  (SELECT count(*) FROM stock_picking WHERE state = 'done'),
                  (SELECT count(*) FROM account_move WHERE move_type = 'out_invoice'),
                  (SELECT count(*) FROM account_move WHERE move_type = 'out_invoice'
                      AND state = 'posted')""",
        db=db,
    )[0]
    out["_counts"] = dict(
        zip(("orders confirmed", "deliveries done", "invoices", "posted"), counts, strict=True)
    )
    if label != "vanilla":
        out["_counts"].update(
            dict(
                zip(
                    ("exceptions", "approved", "escalated"),
                    bench.pg.query(
                        """SELECT count(*), count(*) FILTER (WHERE state = 'approved'),
                                  count(*) FILTER (WHERE escalated) FROM o2c_exception""",
                        db=db,
                    )[0],
                    strict=True,
                )
            )
        )
    return out


# -------------------------------------------------------------- REPORT
def run(bench, dbs, mode):
    """Every run of the mode; results rows and notes."""
    ensure_locust()
    # the peak hour's users and settings go to copies: the other scenarios'
    # databases stay as they are
    bases, configs, results = {}, {}, {}
    try:
        for label in ("o2c", "vanilla"):
            if label in dbs:
                bases[label] = f"{dbs[label]}_peak"
                _copy(bench, dbs[label], bases[label])
                run_dbs = [
                    _run_db(bases[label], n, ld) for lab, n, ld in _runs(mode) if lab == label
                ]
                configs[label] = prepare(bench, bases[label], label, mode, run_dbs)
        for label, workers, load in _runs(mode):
            if label not in configs:
                continue
            try:
                results[(label, workers, load)] = run_once(
                    bench, bases[label], configs[label], workers, load, mode
                )
            except Exception as error:  # one failed run does not lose the others
                bench.results.pending(
                    f"{SCENARIO} {label} {workers}w {load}", f"{type(error).__name__}: {error}"
                )
    finally:
        for base in bases.values():
            _drop(bench, base)
    report(bench.results, results, mode)


def _runs(mode):
    """The mode's runs; ``O2C_PEAK_RUNS=o2c:2:peak,vanilla:2:peak`` keeps only those (to
    look into one run again: the scaling figures then need their other runs)."""
    only = os.environ.get("O2C_PEAK_RUNS")
    if not only:
        return RUNS[mode]
    wanted = {tuple(item.split(":")) for item in only.split(",")}
    return tuple(run for run in RUNS[mode] if (run[0], str(run[1]), run[2]) in wanted)


def _size(mode, workers, load):
    mix = MIX[mode]
    return (
        f"{workers} worker{'s' if workers > 1 else ''}, {sum(mix.values())} users, {LOAD_S[mode]} s"
        + ("" if load == "peak" else f", {load} load")
    )


def report(results, runs, mode):
    for (label, workers, load), run in runs.items():
        size = _size(mode, workers, load)
        vanilla_run = runs.get(("vanilla", workers, load), {})
        vanilla = vanilla_run.get("actions", {})
        server = run.get("server", {}).get("by_action", {})
        for name, stats in run["actions"].items():
            if stats["p95"] is None and not stats["errors"]:
                continue
            same = label == "o2c" and name not in NOT_COMPARABLE
            base = vanilla.get(name, {}).get("p95") if same else None
            errors = sum(stats["errors"].values())
            results.add(
                SCENARIO,
                size,
                label,
                f"{name}: p95",
                stats["p95"] if stats["p95"] is not None else "no success",
                "ms",
                baseline=base,
                note=(
                    f"p50 {lib.fmt(stats['p50'])} / p99 {lib.fmt(stats['p99'])} ms, "
                    f"{stats['per_s']:.2f}/s, {stats['ok']} ok, {errors} errors"
                    + _server_note(server.get(name))
                ),
            )
        _report_run_targets(results, size, label, run, vanilla)
        _report_server_time(results, size, label, run, vanilla_run)
    _report_scaling(results, runs, mode)


def _report_run_targets(results, size, label, run, vanilla):
    serialization = sum(
        count
        for stats in run["actions"].values()
        for kind, count in stats["errors"].items()
        if kind in ("serialization failure", "deadlock", "lock not available")
    )
    log_counts = run["log"]
    # a request whose retries ran out is the error its user got: counted once
    reaching = max(serialization, log_counts["retries_exhausted"])
    results.add(
        SCENARIO,
        size,
        label,
        "serialization errors reaching a user",
        reaching,
        target="0",
        met=reaching == 0,
        note=f"{log_counts['retried']} retried inside Odoo",
    )
    results.add(SCENARIO, size, label, "throughput, every action", _rate(run), "/s")
    locks = run["locks"]
    results.add(
        SCENARIO,
        size,
        label,
        "lock waits: most backends waiting at once",
        locks["max"],
        note=(
            f"{locks['total']} waiting backend-samples in {locks['samples']} samples, "
            f"waits in {locks['share'] * 100:.0f} % of them"
        ),
    )
    for name, count in run["invariants"].items():
        if name.startswith("_"):
            continue
        results.add(SCENARIO, size, label, f"invariant: {name}", count, target="0", met=count == 0)
    if label == "o2c":
        confirm = run["actions"].get("sales: confirm", {}).get("p95")
        base = vanilla.get("sales: confirm", {}).get("p95")
        if confirm is not None and base:
            results.add(
                SCENARIO,
                size,
                label,
                "confirmation p95 vs vanilla under the same load",
                confirm,
                "ms",
                baseline=base,
                target="≤ 1.2× vanilla",
                met=confirm <= 1.2 * base,
            )
    _report_notes(results, size, label, run)


def _server_note(seconds):
    """``; Odoo's own time per request p50 / p95`` of an action's requests, if logged."""
    if not seconds:
        return ""
    ms = [value * 1000 for value in seconds]
    return f"; server p50 {lib.fmt(percentile(ms, 50))} / p95 {lib.fmt(percentile(ms, 95))} ms"


def _report_server_time(results, size, label, run, vanilla_run):
    """How busy the HTTP workers were, and the confirmation's own time in Odoo: what
    the users' latencies are made of (a saturated worker makes them wait their turn)."""
    server = run.get("server")
    if not server:
        return
    busy = server["busy_s"] / (run["workers"] * run["load_s"])
    results.add(
        SCENARIO,
        size,
        label,
        "HTTP workers busy during the load (Odoo's request log)",
        round(busy * 100),
        "%",
        note=f"{server['busy_s']:.0f} s of requests in {run['workers']} × {run['load_s']} s",
    )
    mine = server["by_action"].get("sales: confirm")
    theirs = vanilla_run.get("server", {}).get("by_action", {}).get("sales: confirm")
    if label == "o2c" and mine and theirs:
        results.add(
            SCENARIO,
            size,
            label,
            "confirmation p95, Odoo's own time per request (request log) vs vanilla",
            percentile([value * 1000 for value in mine], 95),
            "ms",
            baseline=percentile([value * 1000 for value in theirs], 95),
        )


def _report_notes(results, size, label, run):
    """What happened in the run, errors by kind, where Odoo retried, where backends waited."""
    log_counts, locks = run["log"], run["locks"]
    errors = {}
    for stats in run["actions"].values():
        for kind, count in stats["errors"].items():
            errors[kind] = errors.get(kind, 0) + count
    counts = ", ".join(f"{k} {v}" for k, v in run["invariants"]["_counts"].items())
    results.note(
        f"{SCENARIO} {label} {size}: {counts}; errors by kind: "
        + (
            "; ".join(f"{k} ×{v}" for k, v in sorted(errors.items(), key=lambda kv: -kv[1]))
            or "none"
        )
        + f"; Odoo log: {log_counts['errors']} ERROR lines"
        + (f" (first: {log_counts['first_error']})" if log_counts["first_error"] else "")
        + ("" if run["drained"] else "; the release queue was not empty after the drain")
    )
    for detail in run["invariants"]["_details"]:
        results.note(f"{SCENARIO} {label} {size}: invariant violated by {detail}")
    if log_counts["retried_on"]:
        results.note(
            f"{SCENARIO} {label} {size}: retried inside Odoo: "
            + "; ".join(
                f"{what} ×{count}"
                for what, count in sorted(log_counts["retried_on"].items(), key=lambda kv: -kv[1])
            )
        )
    if locks["top"]:
        results.note(f"{SCENARIO} {label} {size}: lock waits on " + "; ".join(locks["top"]))


def _rate(run):
    """User actions done per second of load (every kind)."""
    return sum(s["in_window"] for s in run["actions"].values()) / run["load_s"]


def _report_scaling(results, runs, mode):
    for label in ("o2c", "vanilla"):
        one, two = runs.get((label, 1, "peak")), runs.get((label, 2, "peak"))
        if not (one and two):
            continue
        rate = {1: _rate(one), 2: _rate(two)}
        results.add(
            SCENARIO,
            f"1 → 2 workers, {sum(MIX[mode].values())} users",
            label,
            "throughput at 2 workers over 1 worker",
            rate[2] / rate[1] if rate[1] else 0.0,
            "x",
            target="≥ 1.6× on 2 cores",
            met=bool(rate[1]) and rate[2] / rate[1] >= 1.6,
        )
