# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared tooling of the o2c benchmark: databases, Odoo environments, measures, results."""

import configparser
import contextlib
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("O2C_VENV", os.path.join(ROOT, ".venv"))
#: prefix of the bench databases (another one keeps two checkouts of one server apart)
DB_PREFIX = os.environ.get("O2C_BENCH_DB_PREFIX", "o2c_bench_")
#: every compared database, in the order the results list them
LABELS = ("vanilla", "delivery", "purchase", "o2c", "o2c_off", "o2c_purchase", "oca")
_T0 = time.monotonic()


def log(msg, *args):
    """Progress line on stderr (kept short: CI reads it)."""
    elapsed = time.monotonic() - _T0
    text = msg % args if args else msg
    print(f"[bench {elapsed:7.1f}s] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- ODOO
_ODOO_READY = {}


def odoo_init(conf):
    """Load Odoo's configuration once in this process (in-process scenarios)."""
    if _ODOO_READY.get("conf") == conf:
        return
    import odoo

    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn", "--no-http"])
    _ODOO_READY["conf"] = conf


def registry(db):
    import odoo

    return odoo.modules.registry.Registry(db)


@contextlib.contextmanager
def odoo_env(db, uid=None, commit=False, context=None):
    """Yield an environment on a new cursor; roll back at the end unless ``commit``."""
    import odoo

    reg = registry(db)
    cr = reg.cursor()
    try:
        env = odoo.api.Environment(cr, uid or odoo.SUPERUSER_ID, dict(context or {}))
        yield env
        if commit:
            env.flush_all()
            cr.commit()
        else:
            cr.rollback()
    except BaseException:
        cr.rollback()
        raise
    finally:
        cr.close()


def release_db(db):
    """Close this process's connections and registry of ``db`` (before copy or drop)."""
    import odoo

    with contextlib.suppress(Exception):
        odoo.modules.registry.Registry.delete(db)
    with contextlib.suppress(Exception):
        odoo.sql_db.close_db(db)


# ---------------------------------------------------------- POSTGRESQL
class Pg:
    """Connection settings from the Odoo configuration file."""

    def __init__(self, conf):
        parser = configparser.ConfigParser()
        parser.read(conf)
        opts = parser["options"] if parser.has_section("options") else {}
        self.conf = conf
        self.host = opts.get("db_host") or os.environ.get("PGHOST", "127.0.0.1")
        self.port = str(opts.get("db_port") or os.environ.get("PGPORT", "5432"))
        self.user = opts.get("db_user") or os.environ.get("PGUSER", "o2c")
        self.password = opts.get("db_password") or os.environ.get("PGPASSWORD", "")

    def connect(self, db="postgres"):
        import psycopg2

        conn = psycopg2.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, dbname=db
        )
        conn.autocommit = True
        return conn

    def query(self, sql, params=None, db="postgres"):
        conn = self.connect(db)
        try:
            with conn.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else None
        finally:
            conn.close()

    def exists(self, db):
        return bool(self.query("SELECT 1 FROM pg_database WHERE datname = %s", [db]))

    def drop(self, db):
        assert db.startswith(DB_PREFIX), db
        release_db(db)
        import psycopg2

        try:
            self.query(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        except psycopg2.errors.InsufficientPrivilege:
            # FORCE may not end another role's backend (an autovacuum worker after
            # heavy writes); a plain DROP asks autovacuum to stop and waits for it
            time.sleep(2)
            self.query(f'DROP DATABASE IF EXISTS "{db}"')

    def copy(self, src, dst):
        """``CREATE DATABASE dst TEMPLATE src`` (fast file copy); drops ``dst`` first."""
        assert dst.startswith(DB_PREFIX), dst
        release_db(src)
        self.drop(dst)
        for attempt in range(10):
            try:
                self.query(f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
                return
            except Exception as exc:  # source still in use by a closing connection
                if "being accessed" not in str(exc) or attempt == 9:
                    raise
                time.sleep(1)

    def version(self):
        return self.query("SHOW server_version")[0][0]


# ------------------------------------------------------------- INSTALL
def install_cmd(conf, db, modules, extra=()):
    return [
        os.path.join(VENV, "bin", "odoo"),
        "-c",
        conf,
        "-d",
        db,
        "-i",
        ",".join(modules),
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--log-level=info",
        *extra,
    ]


def start_install(conf, db, modules, logfile):
    """Start ``odoo -i`` in a subprocess; return the Popen (wait with :func:`finish_install`)."""
    out = open(logfile, "w")
    proc = subprocess.Popen(
        install_cmd(conf, db, modules), stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
    )
    proc._bench_log = (out, logfile)
    return proc


ERROR_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
MODULE_RE = re.compile(r"(?:Loading module|module) (\w+)")


def finish_install(proc):
    """Wait for an install; return ``(ok, culprit module or None, error text)``."""
    proc.wait()
    out, logfile = proc._bench_log
    out.close()
    with open(logfile, errors="replace") as fh:
        lines = fh.read().splitlines()
    errors = [i for i, line in enumerate(lines) if ERROR_RE.match(line)]
    if proc.returncode == 0 and not errors:
        return True, None, ""
    first = errors[0] if errors else len(lines) - 1
    culprit = None
    for line in reversed(lines[: first + 1]):
        match = MODULE_RE.search(line)
        if match and match.group(1).startswith("o2c_"):
            culprit = match.group(1)
            break
    if not culprit:
        # the traceback names the addon's folder
        for line in lines[first:]:
            match = re.search(r"addons/(o2c_\w+)/", line)
            if match:
                culprit = match.group(1)
                break
    text = "\n".join(lines[first : first + 25])
    return False, culprit, text


# ------------------------------------------------------------ MEASURES
def percentile(values, pct):
    values = sorted(values)
    if not values:
        return None
    rank = (len(values) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (rank - low)


def summarize(times, queries):
    return {
        "n": len(times),
        "median_ms": statistics.median(times) * 1000.0,
        "p90_ms": percentile(times, 90) * 1000.0,
        "min_ms": min(times) * 1000.0,
        "queries": statistics.median(queries),
        "queries_max": max(queries),
    }


def timed(env, fn, *args, **kwargs):
    """Run ``fn`` once with a cold record cache; flush included. Return (result, s, queries)."""
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    q0 = cr.sql_log_count
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    env.flush_all()
    elapsed = time.perf_counter() - t0
    return result, elapsed, cr.sql_log_count - q0


def measure(env, fn, items, warmup=1):
    """Call ``fn(item)`` for each item; the first ``warmup`` calls are not counted.

    Each call runs in a savepoint that is rolled back afterwards when ``items``
    repeat the same record; callers that pass distinct records roll back the
    whole transaction themselves.
    """
    times, queries = [], []
    for index, item in enumerate(items):
        _res, elapsed, count = timed(env, fn, item)
        if index >= warmup:
            times.append(elapsed)
            queries.append(count)
    return summarize(times, queries)


class _ExecuteHook:
    """Call ``self._record(query)`` for every SQL statement run in a block."""

    def __enter__(self):
        import odoo

        cursor = odoo.sql_db.Cursor
        self._original = original = cursor.execute
        hook = self

        def execute(cr, query, params=None, log_exceptions=True):
            hook._record(query)
            return original(cr, query, params, log_exceptions)

        cursor.execute = execute
        self._cursor = cursor
        return self

    def __exit__(self, *exc):
        self._cursor.execute = self._original

    def _record(self, query):
        raise NotImplementedError


class QueryKinds(_ExecuteHook):
    """Count the SQL statements run in a block by their first word (INSERT, UPDATE, SELECT...)."""

    def __init__(self):
        self.counts = {}

    def _record(self, query):
        text = str(getattr(query, "code", query)).lstrip()
        word = text.split(None, 1)[0].upper() if text else ""
        self.counts[word] = self.counts.get(word, 0) + 1


class Profiler:
    """cProfile around a block; ``top()`` returns the heaviest o2c/odoo functions."""

    def __init__(self):
        import cProfile

        self.prof = cProfile.Profile()

    def __enter__(self):
        self.prof.enable()
        return self

    def __exit__(self, *exc):
        self.prof.disable()

    def calls(self):
        """Function calls made in the block (Python and built-in): an exact measure of
        the interpreter's work, which machine noise does not move."""
        import pstats

        return pstats.Stats(self.prof).total_calls

    def top(self, limit=8, match=("o2c_", "addons/"), by="cumulative"):
        """Heaviest functions whose file matches ``match`` (every file when ``by`` is tottime)."""
        import pstats

        stats = pstats.Stats(self.prof)
        rows = []
        for (path, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
            if by == "tottime":
                ct = tt
            elif not any(m in path for m in match):
                continue
            short = path.split("/addons/")[-1] if "/addons/" in path else os.path.basename(path)
            rows.append((ct, f"{short}:{line}:{func}"))
        rows.sort(reverse=True)
        return [f"{name} {ct * 1000:.0f} ms {by}" for ct, name in rows[:limit]]


class QueryTracer(_ExecuteHook):
    """Count the SQL queries of a block by the innermost addon function that issued them.

    Compare two tracers (:meth:`diff`) of the same call on vanilla and o2c to see
    where the added queries come from.
    """

    def __init__(self, match="/addons/"):
        self.match = match
        self.counts = {}

    def _record(self, query):
        """Key: innermost addon function, and the o2c function under which it ran."""
        frame = sys._getframe(2)
        key = o2c = None
        while frame and not o2c:
            path = frame.f_code.co_filename
            if self.match in path:
                name = f"{path.split('/addons/')[-1]}:{frame.f_code.co_name}"
                if key is None:
                    key = name
                if "/addons/o2c_" in path and "<lambda>" not in name:
                    o2c = name
            frame = frame.f_back
        key = (key or "odoo core", o2c if o2c != key else None)
        self.counts[key] = self.counts.get(key, 0) + 1

    def _by_function(self):
        totals = {}
        for (name, _o2c), count in self.counts.items():
            totals[name] = totals.get(name, 0) + count
        return totals

    def top(self, limit=8):
        rows = sorted(self._by_function().items(), key=lambda kv: -kv[1])
        return [f"{name} {count} q" for name, count in rows[:limit]]

    def diff(self, base, limit=10):
        """Functions issuing more queries here than in ``base`` (another tracer).

        Each with the o2c function under which most of its queries ran here.
        """
        mine, theirs = self._by_function(), base._by_function()
        rows = [(mine.get(k, 0) - theirs.get(k, 0), k) for k in set(mine) | set(theirs)]
        out = []
        for count, name in sorted((r for r in rows if r[0] > 0), reverse=True)[:limit]:
            under = [(c, o) for (n, o), c in self.counts.items() if n == name and o]
            where = f" (mostly under {max(under)[1]})" if under else ""
            out.append(f"{name} +{count} q{where}")
        return out


# ------------------------------------------------------------- RESULTS
class Results:
    """Figures of the run: each with its baseline, target and whether it is met."""

    def __init__(self):
        self.rows = []
        self.notes = []

    def add(
        self,
        scenario,
        size,
        database,
        figure,
        value,
        unit="",
        baseline=None,
        target=None,
        met=None,
        note=None,
    ):
        ratio = None
        if isinstance(value, int | float) and isinstance(baseline, int | float) and baseline:
            ratio = value / baseline
        row = {
            "scenario": scenario,
            "size": size,
            "database": database,
            "figure": figure,
            "value": value,
            "unit": unit,
            "baseline": baseline,
            "ratio": ratio,
            "target": target,
            "met": met,
            "note": note,
        }
        self.rows.append(row)
        log(
            "  %s | %s | %s | %s = %s%s%s",
            scenario,
            size,
            database,
            figure,
            fmt(value),
            unit and f" {unit}",
            "" if met is None else (" (met)" if met else " (MISSED)"),
        )
        return row

    def pending(self, scenario, reason):
        self.add(scenario, "-", "-", "pending", f"pending: {reason}")

    def note(self, text):
        self.notes.append(text)
        log("  note: %s", text)


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)
