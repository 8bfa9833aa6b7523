# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Python environment runs Odoo in production mode (prefork).

Plain pytest, in the environment ``setup/o2c.sh env`` made (the one running
these tests).
"""

import subprocess
import sys


def test_gevent_finds_its_requirements():
    """Odoo's websocket process (``--workers`` > 0) starts with ``gevent.monkey.patch_all``,
    which checks gevent's requirements through ``pkg_resources``: a requirement it
    cannot find (zope.interface 8's normalized metadata name, with the old
    setuptools Odoo builds with) kills the process at every start."""
    check = "import pkg_resources; pkg_resources.require('gevent'); print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
