#!/usr/bin/env python3
# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's own test suites with every o2c addon installed (``make test-odoo``).

    odoo_suites.py compare  PYTEST_OUTPUT EXPECTED   the run matches the list exactly
    odoo_suites.py controls EXPECTED                 "control test-id" per listed test
    odoo_suites.py off      CONTROL                  Python that switches CONTROL off
    odoo_suites.py listed   EXPECTED CONTROL ROOT... pytest node ids of CONTROL's tests

The list (``tests/odoo_suites_expected.txt``) names every test of those suites
that does not pass in a database with o2c installed, with the control that holds
it and why. ``compare`` fails on a failure that is not listed and on a listed test
that passes (the list stays true); ``make test-odoo`` then runs each listed test
again with its control switched off, where it must pass: nothing else changed.
"""

import os
import re
import sys

#: how a database switches each control off (run in ``odoo shell``); the tests of
#: Odoo create their own companies: company switches are set as defaults too
OFF = {
    "pricing": "env['o2c.pricing.policy'].search([]).write({'active': False})",
    "short_pick": ("env['o2c.fulfillment.policy'].search([]).write({'short_pick_reason': False})"),
    "substitution": (
        "env['o2c.fulfillment.policy'].search([]).write({'substitution_control': False})"
    ),
    "backorder": (
        "env['o2c.fulfillment.policy'].search([]).write({'recompute_promised_date': False})"
    ),
}
#: listed tests that fail without o2c too, on this runner (no control to switch off)
BASELINE = "baseline"

RESULT = re.compile(r"^(FAILED|ERROR) (\S+?)(?: - .*)?$")


def test_id(path):
    """``sale/tests/test_x.py::Class::test`` from any pytest node id."""
    return path.split("/addons/", 1)[-1] if "/addons/" in path else path


def node_id(tid, roots):
    """The pytest node id of ``tid`` under the first addons ``roots`` holding its file."""
    for root in roots:
        if os.path.exists(os.path.join(root, tid.split("::", 1)[0])):
            return os.path.join(root, tid)
    sys.exit(f"{tid}: no such test file under {roots}")


def read_expected(path):
    """``{test id: (control, why)}`` from the list (``id | control | why`` lines)."""
    expected = {}
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                sys.exit(f"{path}:{number}: expected 'test id | control | why': {line}")
            tid, control, why = parts
            if control not in OFF and control != BASELINE:
                sys.exit(f"{path}:{number}: unknown control {control!r} (known: {sorted(OFF)})")
            expected[tid] = (control, why)
    return expected


def read_failures(path):
    """Test ids that failed or errored in a pytest ``-rfE`` output."""
    failures = set()
    summary = ""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = RESULT.match(line.rstrip("\n"))
            if match:
                failures.add(test_id(match.group(2)))
            elif re.search(r"\d+ (passed|failed)", line):
                summary = line.strip()
    if not summary:
        sys.exit(f"{path}: no pytest summary line: the run did not finish")
    return failures, summary


def compare(output, expected_path):
    expected = read_expected(expected_path)
    failures, summary = read_failures(output)
    unexpected = sorted(failures - set(expected))
    fixed = sorted(set(expected) - failures)
    print(f"odoo suites: {summary}")
    print(f"odoo suites: {len(failures)} not passing, all listed: {not unexpected}")
    for tid in unexpected:
        print(f"  NOT LISTED (o2c changed a standard flow?): {tid}")
    for tid in fixed:
        print(f"  LISTED BUT PASSES (remove it from the list): {tid} [{expected[tid][0]}]")
    return 1 if unexpected or fixed else 0


def main(argv):
    if len(argv) == 3 and argv[0] == "compare":
        return compare(argv[1], argv[2])
    if len(argv) == 2 and argv[0] == "controls":
        for tid, (control, _why) in sorted(read_expected(argv[1]).items()):
            if control != BASELINE:
                print(control, tid)
        return 0
    if len(argv) >= 4 and argv[0] == "listed":
        roots = argv[3:]
        for tid, (control, _why) in sorted(read_expected(argv[1]).items()):
            if control == argv[2]:
                print(node_id(tid, roots))
        return 0
    if len(argv) == 2 and argv[0] == "off":
        print(OFF[argv[1]])
        print("env.cr.commit()")
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
