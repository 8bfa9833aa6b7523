#!/usr/bin/env bash
# o2c developer entry point: environment, database, run and test.
#
#   setup/o2c.sh env      create/refresh the Python environment (.venv)
#   setup/o2c.sh run      serve Odoo with database o2c_demo (demo data)
#   setup/o2c.sh test     fresh throwaway database, every o2c test, pytest summary
#   setup/o2c.sh install-each   install every addon alone on a fresh database
#   setup/o2c.sh test-odoo Odoo's own suites with every o2c addon (tests/odoo_suites_expected.txt)
#   setup/o2c.sh test-upgrade  a database of an earlier o2c (O2C_UPGRADE_FROM) upgraded with -u all
#
# Environment: ODOO_SRC (Odoo 18 source tree; unset: /opt/odoo, else the cache,
# else fetched into the cache), O2C_CACHE (~/.cache/o2c), O2C_VENV
# (default <repo>/.venv), O2C_DB (default o2c_demo), O2C_HTTP_PORT (8069),
# PGHOST/PGPORT (127.0.0.1/5432), O2C_DB_USER/O2C_DB_PASSWORD (o2c/o2c).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# ODOO_SRC wins when set; otherwise the first Odoo 18 tree of /opt/odoo and the
# cache, fetched into the cache when neither has one (see resolve_odoo_src)
ODOO_SRC_GIVEN="${ODOO_SRC:-}"
ODOO_DEFAULT="${O2C_ODOO_DEFAULT:-/opt/odoo}"
O2C_CACHE="${O2C_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/o2c}"
ODOO_CACHED="$O2C_CACHE/odoo-18.0"
ODOO_GIT_URL="${O2C_ODOO_GIT:-https://github.com/odoo/odoo.git}"
ODOO_ARCHIVE_URL="${O2C_ODOO_ARCHIVE:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
ODOO_SRC="${ODOO_SRC_GIVEN:-$ODOO_DEFAULT}"
VENV="${O2C_VENV:-$ROOT/.venv}"
STATE="$ROOT/.o2c"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
DB_USER="${O2C_DB_USER:-o2c}"
DB_PASSWORD="${O2C_DB_PASSWORD:-o2c}"
HTTP_PORT="${O2C_HTTP_PORT:-8069}"
# one config per HTTP port, so several test runs can serve HTTP side by side
if [[ "$HTTP_PORT" == 8069 ]]; then CONF="$STATE/odoo.conf"; else CONF="$STATE/odoo-$HTTP_PORT.conf"; fi
PY="${O2C_PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
O2C_ADDONS="$(cd "$ROOT/addons" && ls -d o2c_*/ 2>/dev/null | tr -d / | paste -sd, - || true)"
# O2C_ONLY=addon1,addon2 restricts test/install-each to those addons (development).
O2C_ADDONS="${O2C_ONLY:-$O2C_ADDONS}"

log() { printf '\033[1m[o2c]\033[0m %s\n' "$*" >&2; }
die() { printf '[o2c] ERROR: %s\n' "$*" >&2; exit "${2:-1}"; }

is_odoo_tree() {
    [[ -f "$1/odoo-bin" && -f "$1/odoo/release.py" && -f "$1/requirements.txt" ]]
}

fetch_odoo() {
    # fetch_odoo <dest>: Odoo 18.0 into <dest>, a shallow clone of the 18.0 branch,
    # else the nightly source archive; nothing is left behind when both fail.
    local dest="$1" tmp="$1.part.$$"
    mkdir -p "$(dirname "$dest")"
    rm -rf "$tmp"
    log "no Odoo 18 source tree: fetching Odoo 18.0 into $dest (once, reused next time)"
    if command -v git >/dev/null 2>&1 && timeout "${O2C_FETCH_TIMEOUT:-1200}" \
        git -c advice.detachedHead=false clone -q --depth 1 --branch 18.0 "$ODOO_GIT_URL" "$tmp" 2>/dev/null \
        && is_odoo_tree "$tmp"; then
        mv "$tmp" "$dest"
        return 0
    fi
    rm -rf "$tmp"
    mkdir -p "$tmp"
    if command -v curl >/dev/null 2>&1 && curl -fsSL --max-time "${O2C_FETCH_TIMEOUT:-1200}" "$ODOO_ARCHIVE_URL" 2>/dev/null \
        | tar -xz -C "$tmp" --strip-components=1 2>/dev/null && is_odoo_tree "$tmp"; then
        mv "$tmp" "$dest"
        return 0
    fi
    rm -rf "$tmp"
    return 1
}

resolve_odoo_src() {
    # ODOO_SRC when given; else /opt/odoo, the cache, or a fetch into the cache.
    if [[ -z "$ODOO_SRC_GIVEN" ]] && ! is_odoo_tree "$ODOO_DEFAULT"; then
        ODOO_SRC="$ODOO_CACHED"
        if ! is_odoo_tree "$ODOO_CACHED" && [[ "${O2C_OFFLINE:-0}" != 1 ]]; then
            fetch_odoo "$ODOO_CACHED" || log "fetching Odoo failed (offline?)"
        fi
    fi
    export ODOO_SRC
    check_odoo_src
}

check_odoo_src() {
    if ! is_odoo_tree "$ODOO_SRC"; then
        cat >&2 <<MSG
[o2c] No Odoo 18 source tree found at ODOO_SRC=$ODOO_SRC
      (expected $ODOO_SRC/odoo-bin, $ODOO_SRC/odoo/release.py and $ODOO_SRC/requirements.txt).
      o2c needs Odoo 18.0 Community from source. Get it with:
          git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git $ODOO_CACHED
      or point ODOO_SRC at an existing Odoo 18 tree:  ODOO_SRC=/path/to/odoo make run
MSG
        exit 2
    fi
    if ! grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py"; then
        die "ODOO_SRC=$ODOO_SRC is not Odoo 18.0 ($(grep '^version_info' "$ODOO_SRC/odoo/release.py"))" 2
    fi
}

apt_ensure() {
    # apt_ensure <check-command> <package...>: install Debian packages when missing.
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    ((${#missing[@]})) || return 0
    if [[ $(id -u) -ne 0 ]]; then
        die "missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})"
    fi
    log "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
}

env_stamp() {
    cat "$ROOT/requirements.txt" "$ROOT/test-requirements.txt" "$ODOO_SRC/requirements.txt" \
        | sha1sum | cut -c1-16
    echo "$ODOO_SRC"
}

ensure_env() {
    check_odoo_src
    apt_ensure libpq-dev libldap2-dev libsasl2-dev
    local stamp; stamp="$(env_stamp)"
    if [[ -x "$VENV/bin/odoo" && -f "$VENV/.o2c-stamp" && "$(cat "$VENV/.o2c-stamp")" == "$stamp" ]]; then
        return 0
    fi
    log "creating Python environment in $VENV (first time: a few minutes)"
    [[ -d "$VENV" ]] || "$PY" -m venv "$VENV"
    local pip="$VENV/bin/pip"
    "$pip" install -q -U pip wheel
    local bc="$STATE/build-constraints.txt"
    mkdir -p "$STATE"
    echo "setuptools<70" > "$bc"
    log "installing Odoo's requirements from $ODOO_SRC/requirements.txt"
    "$pip" install -q --build-constraint "$bc" -r "$ODOO_SRC/requirements.txt"
    log "installing Odoo from $ODOO_SRC (editable, compat mode)"
    "$pip" install -q --build-constraint "$bc" --no-deps --no-build-isolation "setuptools<70" >/dev/null 2>&1 || true
    "$pip" install -q --build-constraint "$bc" --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat
    log "installing o2c requirements (OCA helpdesk_mgmt, test tools)"
    "$pip" install -q --build-constraint "$bc" -r "$ROOT/requirements.txt" -r "$ROOT/test-requirements.txt"
    echo "$stamp" > "$VENV/.o2c-stamp"
}

ensure_pg() {
    apt_ensure postgresql
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
        if [[ $(id -u) -eq 0 ]] && command -v pg_lsclusters >/dev/null; then
            local cl; cl="$(pg_lsclusters -h | awk -v p="$PGPORT" '$3==p {print $1" "$2; exit}')"
            [[ -n "$cl" ]] || die "no PostgreSQL cluster on port $PGPORT (pg_lsclusters)"
            log "starting PostgreSQL cluster $cl"
            pg_ctlcluster $cl start
            for _ in $(seq 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
        fi
        pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL is not running on $PGHOST:$PGPORT"
    fi
    if [[ $(id -u) -eq 0 ]]; then
        # Odoo refuses the 'postgres' superuser: use a dedicated role.
        su postgres -c "psql -p $PGPORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'\"" | grep -q 1 \
            || su postgres -c "psql -q -p $PGPORT -c \"CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'\""
    fi
}

write_conf() {
    mkdir -p "$STATE/data"
    cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ROOT/addons
data_dir = $STATE/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $DB_USER
db_password = $DB_PASSWORD
http_interface = 127.0.0.1
http_port = $HTTP_PORT
list_db = False
log_level = info
CONF
}

psql_app() { PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres "$@"; }
db_exists() { psql_app -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }
db_installed() { PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$1" -tAc \
    "SELECT count(*) FROM ir_module_module WHERE name LIKE 'o2c_%' AND state='installed'" 2>/dev/null || echo 0; }
# --force cannot end an autovacuum worker for a non-superuser role ("must be a member of
# the role whose process is being terminated"): the worker ends by itself, so try again.
dropdb_app() {
    local try err
    for try in 1 2 3 4 5 6 7 8 9 10; do
        err="$(PGPASSWORD="$DB_PASSWORD" dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists --force "$1" 2>&1)" \
            && return 0
        sleep "$try"
    done
    echo "$err" >&2
    return 1
}

odoo() { "$VENV/bin/odoo" -c "$CONF" "$@"; }

prepare() { ensure_env; ensure_pg; write_conf; }

# Install modules on a database; fail when Odoo logs an ERROR/CRITICAL line.
odoo_install() {
    local db="$1" mods="$2"; shift 2
    local logf="$STATE/install-$db.log"
    if ! odoo -d "$db" -i "$mods" --stop-after-init --no-http --log-level=warn "$@" >"$logf" 2>&1; then
        tail -40 "$logf" >&2; die "installing $mods on $db failed (log: $logf)"
    fi
    # a demo file that fails is only a warning for Odoo (the module installs without
    # its demo): for us it is an error, the demo is part of the product
    if grep -E " (ERROR|CRITICAL) |demo data failed to install" "$logf" >&2; then
        die "installing $mods on $db logged errors (log: $logf)"
    fi
}

cmd_run() {
    prepare
    local db="${O2C_DB:-o2c_demo}"
    local n; n="$(db_installed "$db")"
    local want; want="$(tr ',' '\n' <<<"$O2C_ADDONS" | wc -l)"
    if ! db_exists "$db" || [[ "$n" -lt "$want" ]]; then
        log "initialising database $db with $O2C_ADDONS and demo data (first time: a few minutes)"
        odoo_install "$db" "$O2C_ADDONS"
    fi
    log "Odoo is starting on http://localhost:$HTTP_PORT  (database $db, login admin / password admin). Ctrl-C stops it."
    exec "$VENV/bin/odoo" -c "$CONF" -d "$db" --db-filter="^$db\$" --log-level=warn
}

cmd_install_each() {
    prepare
    local tpl="o2c_tpl_$$" deps
    deps="$("$VENV/bin/python" "$ROOT/setup/o2c_deps.py" "$ROOT/addons" "$ODOO_SRC/odoo/addons")"
    trap 'dropdb_app '"$tpl"' >/dev/null 2>&1 || true' RETURN
    log "install-each: template database with the dependencies ($deps) and demo data"
    odoo_install "$tpl" "$deps"
    for mod in ${O2C_ADDONS//,/ }; do
        local db="o2c_each_$$"
        dropdb_app "$db" >/dev/null 2>&1 || true
        PGPASSWORD="$DB_PASSWORD" createdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -T "$tpl" "$db"
        local t0=$SECONDS
        odoo_install "$db" "$mod"
        log "install-each: $mod installs alone with demo data ($((SECONDS - t0)) s)"
        if [[ "$mod" == o2c_exception_base ]]; then check_settings_install "$db"; fi
        dropdb_app "$db"
    done
}

# The core installed alone offers the feature addons in Settings (module_* boxes):
# the admin ticks one and saves, as in the web client, and it is installed.
check_settings_install() {
    local db="$1" feature=o2c_pricing_approval t0=$SECONDS state
    local logf="$STATE/settings-install-$db.log"
    "$VENV/bin/odoo" shell -c "$CONF" -d "$db" --no-http --log-level=warn >"$logf" 2>&1 <<PY \
        || { tail -40 "$logf" >&2; die "install-each: saving Settings with $feature ticked failed (log: $logf)"; }
admin = env.ref("base.user_admin")
settings = env["res.config.settings"].with_user(admin).create({"module_$feature": True})
settings.execute()
PY
    if grep -E " (ERROR|CRITICAL) |demo data failed to install" "$logf" >&2; then
        die "install-each: installing $feature from Settings logged errors (log: $logf)"
    fi
    state="$(PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$db" -tAc \
        "SELECT state FROM ir_module_module WHERE name='$feature'")"
    [[ "$state" == installed ]] \
        || die "install-each: $feature ticked in Settings and saved is '$state', not installed"
    log "install-each: ticking $feature in the core's Settings installs it ($((SECONDS - t0)) s)"
}

cmd_test() {
    prepare
    apt_ensure chromium
    if [[ "${O2C_SKIP_INSTALL_EACH:-0}" != 1 ]]; then cmd_install_each; fi
    local db="${O2C_TEST_DB:-o2c_test_$$}"
    local keep="${O2C_KEEP_DB:-0}"
    if [[ "$keep" != 1 ]]; then trap 'dropdb_app '"$db"' >/dev/null 2>&1 || true' EXIT; fi
    if [[ "$(db_installed "$db")" -lt "$(tr ',' '\n' <<<"$O2C_ADDONS" | wc -l)" ]]; then
        log "test: installing $O2C_ADDONS on fresh database $db (no demo data)"
        dropdb_app "$db" >/dev/null 2>&1 || true
        odoo_install "$db" "$O2C_ADDONS" --without-demo=all
    fi
    log "test: running every o2c test with pytest-odoo (HttpCase tours in headless Chromium)"
    cd "$ROOT"
    local paths=()
    for mod in ${O2C_ADDONS//,/ }; do [[ -d "addons/$mod/tests" ]] && paths+=("addons/$mod/tests"); done
    paths+=("setup/tests")  # the scripts themselves (where Odoo comes from)
    set +e
    "$VENV/bin/python" -m pytest -p no:cacheprovider --odoo-config "$CONF" --odoo-database "$db" \
        --odoo-http --odoo-addons-path "$ODOO_SRC/odoo/addons,$ROOT/addons" "${paths[@]}" "$@"
    local rc=$?
    set -e
    return $rc
}

# ---------------------------------------------------------------- test-odoo
# Odoo's own suites (and OCA helpdesk_mgmt's) with every o2c addon installed.
ODOO_APPS="sale_management,sale_stock,purchase_stock,helpdesk_mgmt"
ODOO_ACCOUNT_TESTS="test_account_move_out_invoice.py test_account_move_out_refund.py test_account_payment_register.py"
EXPECTED="$ROOT/tests/odoo_suites_expected.txt"

product_addons() { tr ',' '\n' <<<"$O2C_ADDONS" | grep -v '^o2c_integration_test$' | paste -sd, -; }
helpdesk_dir() { "$VENV/bin/python" -c 'import os, odoo.addons.helpdesk_mgmt as m; print(os.path.dirname(m.__file__))'; }

suite_paths() {
    local src="$ODOO_SRC/odoo/addons" f
    echo "$src/sale/tests" "$src/sale_stock/tests" "$src/sale_management/tests" "$src/purchase_stock/tests"
    for f in $ODOO_ACCOUNT_TESTS; do echo "$src/account/tests/$f"; done
    echo "$(helpdesk_dir)/tests"
}

pytest_odoo() {
    local db="$1"; shift
    "$VENV/bin/python" -m pytest -p no:cacheprovider -p no:warnings -q -rfE --odoo-config "$CONF" \
        --odoo-database "$db" --odoo-http --odoo-addons-path "$ODOO_SRC/odoo/addons,$ROOT/addons" "$@"
}

odoo_shell() { "$VENV/bin/odoo" shell -c "$CONF" -d "$1" --no-http --log-level=warn >/dev/null; }

cmd_test_odoo() {
    prepare
    apt_ensure chromium
    local db="o2c_suites_$$" out="$STATE/odoo-suites.txt" rc=0 control
    trap 'for d in '"$db"' '"$db"'_off '"$db"'_hist; do dropdb_app "$d" >/dev/null 2>&1 || true; done' EXIT
    log "test-odoo: installing $ODOO_APPS and every o2c addon (no demo data) on $db"
    odoo_install "$db" "$ODOO_APPS,$(product_addons)" --without-demo=all
    log "test-odoo: Odoo's own suites (output: $out)"
    # shellcheck disable=SC2046
    pytest_odoo "$db" $(suite_paths) >"$out" 2>&1 || true
    "$VENV/bin/python" "$ROOT/setup/odoo_suites.py" compare "$out" "$EXPECTED" || rc=1
    for control in $("$VENV/bin/python" "$ROOT/setup/odoo_suites.py" controls "$EXPECTED" | cut -d' ' -f1 | sort -u); do
        log "test-odoo: the tests $control holds pass with $control switched off"
        dropdb_app "${db}_off" >/dev/null 2>&1 || true
        PGPASSWORD="$DB_PASSWORD" createdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -T "$db" "${db}_off"
        "$VENV/bin/python" "$ROOT/setup/odoo_suites.py" off "$control" | odoo_shell "${db}_off"
        # shellcheck disable=SC2046
        pytest_odoo "${db}_off" $("$VENV/bin/python" "$ROOT/setup/odoo_suites.py" listed "$EXPECTED" \
            "$control" "$ODOO_SRC/odoo/addons" "$(dirname "$(helpdesk_dir)")") | tail -n 1 || rc=1
        dropdb_app "${db}_off"
    done
    cmd_history "${db}_hist" || rc=1
    return $rc
}

# Install o2c on a database with history (Odoo's demo orders, deliveries, invoices).
cmd_history() {
    local db="$1" snap="$STATE/history-before.json"
    log "history: $ODOO_APPS with Odoo's demo data on $db, then every o2c addon"
    dropdb_app "$db" >/dev/null 2>&1 || true
    odoo_install "$db" "$ODOO_APPS"
    export PGHOST PGPORT PGUSER="$DB_USER" PGPASSWORD="$DB_PASSWORD"
    "$VENV/bin/python" "$ROOT/setup/odoo_history.py" snapshot "$db" "$snap"
    # a distributor's database: its history came from Odoo's demo data, but o2c is
    # installed as in production, without demo data of its own (Odoo would load it
    # because the installed modules carry demo data)
    psql -q -d "$db" -c "UPDATE ir_module_module SET demo = false"
    odoo_install "$db" "$(product_addons)"
    # every o2c job runs once, as the scheduler would after the install
    odoo_shell "$db" <<'PY'
for cron in env["ir.cron"].search([]):
    if (cron.get_external_id()[cron.id] or "").startswith("o2c_"):
        cron.method_direct_trigger()
env.cr.commit()
PY
    "$VENV/bin/python" "$ROOT/setup/odoo_history.py" compare "$db" "$snap"
}

# ---------------------------------------------------------------- test-upgrade
# A database made by an earlier o2c, with its demo queue, upgraded with -u all.
# Default: the last main before the controls' exception types left the core.
UPGRADE_FROM="${O2C_UPGRADE_FROM:-2c95965}"

cmd_test_upgrade() {
    prepare
    local db="o2c_upgrade_$$" old="$STATE/upgrade-from" snap="$STATE/upgrade-before.json"
    local logf="$STATE/upgrade-$db.log"
    trap 'dropdb_app '"$db"' >/dev/null 2>&1 || true' EXIT
    rm -rf "$old" && mkdir -p "$old"
    git -C "$ROOT" archive "$UPGRADE_FROM" addons | tar -x -C "$old"
    log "test-upgrade: every o2c addon as of $UPGRADE_FROM, with demo data, on $db"
    odoo_install "$db" "$(product_addons)" --addons-path="$ODOO_SRC/odoo/addons,$old/addons"
    export PGHOST PGPORT PGUSER="$DB_USER" PGPASSWORD="$DB_PASSWORD"
    "$VENV/bin/python" "$ROOT/setup/odoo_upgrade.py" snapshot "$db" "$snap"
    log "test-upgrade: -u all with this checkout's addons"
    if ! odoo -d "$db" -u all --stop-after-init --no-http --log-level=warn >"$logf" 2>&1 \
        || grep -E " (ERROR|CRITICAL) " "$logf" >&2; then
        tail -40 "$logf" >&2; die "upgrading $db failed (log: $logf)"
    fi
    "$VENV/bin/python" "$ROOT/setup/odoo_upgrade.py" compare "$db" "$snap" "$ROOT/addons"
}

cmd_lint() {
    ensure_env
    cd "$ROOT"
    PATH="$VENV/bin:$PATH" PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$STATE/pre-commit}" \
        "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure
}

cmd_bench() {
    prepare
    # The OCA peer stack compared by the benchmark (bench-only requirements).
    if ! "$VENV/bin/python" -c "import importlib.metadata as m; [m.version('odoo-addon-' + p) for p in
        ('sale_exception', 'sale_financial_risk', 'sale_tier_validation')]" >/dev/null 2>&1; then
        log "bench: installing the OCA peer stack from bench-requirements.txt"
        local bc="$STATE/build-constraints.txt"
        echo "setuptools<70" > "$bc"
        "$VENV/bin/pip" install -q --build-constraint "$bc" -r "$ROOT/bench-requirements.txt" \
            || log "bench: the OCA peer stack could not be installed: its column will be 'pending'"
    fi
    log "bench: own databases o2c_bench_*, results in bench/results/latest.md"
    "$VENV/bin/python" "$ROOT/bench/run.py" --config "$CONF" "$@"
}

case "${1:-}" in
    odoo-src) resolve_odoo_src; echo "$ODOO_SRC" ;;
    env) resolve_odoo_src; ensure_env ;;
    run) resolve_odoo_src; cmd_run ;;
    test) resolve_odoo_src; shift; cmd_test "$@" ;;
    test-odoo) resolve_odoo_src; cmd_test_odoo ;;
    test-upgrade) resolve_odoo_src; cmd_test_upgrade ;;
    history) resolve_odoo_src; prepare; trap 'dropdb_app o2c_hist_$$ >/dev/null 2>&1 || true' EXIT; cmd_history "o2c_hist_$$" ;;
    install-each) resolve_odoo_src; cmd_install_each ;;
    lint) resolve_odoo_src; cmd_lint ;;
    bench) resolve_odoo_src; shift; cmd_bench "$@" ;;
    odoo) resolve_odoo_src; prepare; shift; odoo "$@" ;;
    *) echo "usage: $0 {odoo-src|env|run|test|test-odoo|test-upgrade|history|lint|bench|install-each|odoo ...}" >&2; exit 64 ;;
esac
