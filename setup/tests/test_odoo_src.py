# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where ``setup/o2c.sh`` takes Odoo from: ODOO_SRC, /opt/odoo, the cache, a fetch.

Plain pytest (no database): the script is run with a scratch HOME and cache,
and the network replaced by local URLs (a local git repository, a missing one
for "offline").
"""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "o2c.sh"


def _tree(root, version="(18, 0, 0, 'final', 0, '')"):
    """A minimal tree that looks like an Odoo source checkout of ``version``."""
    (root / "odoo").mkdir(parents=True)
    (root / "odoo" / "release.py").write_text(f"version_info = {version}\n")
    (root / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (root / "requirements.txt").write_text("")
    return root


def _run(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k != "ODOO_SRC"}
    base.update(
        HOME=str(tmp_path / "home"),
        O2C_CACHE=str(tmp_path / "cache"),
        O2C_ODOO_DEFAULT=str(tmp_path / "no-default"),
        O2C_ODOO_GIT=f"file://{tmp_path}/no-such-repo",
        O2C_ODOO_ARCHIVE=f"file://{tmp_path}/no-such-archive.tar.gz",
        GIT_TERMINAL_PROMPT="0",
    )
    base.update(env)
    return subprocess.run(
        ["bash", str(SCRIPT), "odoo-src"], env=base, capture_output=True, text=True, timeout=120
    )


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_offline_stops_with_exit_2_and_says_what_is_missing(tmp_path):
    res = _run(tmp_path)
    assert res.returncode == 2, res.stderr
    assert "No Odoo 18 source tree found" in res.stderr
    assert "git clone --depth 1 --branch 18.0" in res.stderr
    assert "fetching Odoo failed" in res.stderr
    assert not (tmp_path / "cache" / "odoo-18.0").exists(), "nothing half-fetched is left"
    assert not list((tmp_path / "cache").glob("*.part.*"))


def test_odoo_src_wins_when_set(tmp_path):
    given = _tree(tmp_path / "mine")
    _tree(tmp_path / "cache" / "odoo-18.0")
    res = _run(tmp_path, ODOO_SRC=str(given))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == str(given)


def test_odoo_src_set_but_missing_is_not_replaced(tmp_path):
    _tree(tmp_path / "cache" / "odoo-18.0")
    res = _run(tmp_path, ODOO_SRC=str(tmp_path / "absent"))
    assert res.returncode == 2
    assert f"ODOO_SRC={tmp_path}/absent" in res.stderr


def test_wrong_version_is_refused(tmp_path):
    old = _tree(tmp_path / "odoo17", version="(17, 0, 0, 'final', 0, '')")
    res = _run(tmp_path, ODOO_SRC=str(old))
    assert res.returncode == 2
    assert "is not Odoo 18.0" in res.stderr
    assert "(17, 0" in res.stderr


def test_cached_tree_is_reused_without_fetching(tmp_path):
    cached = _tree(tmp_path / "cache" / "odoo-18.0")
    res = _run(tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == str(cached)
    assert "fetching" not in res.stderr


def test_fetched_into_the_cache_once_from_the_18_branch(tmp_path):
    upstream = _tree(tmp_path / "upstream")
    _git("init", "-q", "-b", "18.0", cwd=upstream)
    _git("add", ".", cwd=upstream)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "18.0", cwd=upstream)
    res = _run(tmp_path, O2C_ODOO_GIT=f"file://{upstream}")
    assert res.returncode == 0, res.stderr
    cached = tmp_path / "cache" / "odoo-18.0"
    assert res.stdout.strip() == str(cached)
    assert (cached / "odoo" / "release.py").read_text().startswith("version_info = (18, 0")
    again = _run(tmp_path, O2C_ODOO_GIT=f"file://{tmp_path}/gone")
    assert again.returncode == 0, again.stderr
    assert "fetching" not in again.stderr, "the second run reuses the cache"


def test_fetched_18_branch_of_another_version_is_refused(tmp_path):
    upstream = _tree(tmp_path / "upstream", version="(19, 0, 0, 'final', 0, '')")
    _git("init", "-q", "-b", "18.0", cwd=upstream)
    _git("add", ".", cwd=upstream)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x", cwd=upstream)
    res = _run(tmp_path, O2C_ODOO_GIT=f"file://{upstream}")
    assert res.returncode == 2
    assert "is not Odoo 18.0" in res.stderr
