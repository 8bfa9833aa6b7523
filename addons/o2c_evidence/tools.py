# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Formatting of the evidence pack's values (in the reader's language and time zone)."""

import re

from odoo.tools import format_amount, format_date, format_datetime

#: characters that cannot be part of a file name inside the ZIP or a DMS directory
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def fmt_dt(env, value):
    return format_datetime(env, value, tz=env.user.tz or "UTC") if value else ""


def fmt_date(env, value):
    return format_date(env, value) if value else ""


def fmt_amount(env, amount, currency):
    return format_amount(env, amount or 0.0, currency)


def label(record, fname):
    """Label of the selection value of ``record[fname]``, in the reader's language."""
    field = record._fields[fname]
    return dict(field._description_selection(record.env)).get(record[fname], "")


def names(records):
    return ", ".join(name for name in records.mapped("display_name") if name)


def safe_file_name(name, default="file"):
    """``name`` usable as one file name (no folder separators, no control characters)."""
    cleaned = _UNSAFE.sub("_", name or "").strip(" .")
    return cleaned or default


def unique_file_name(name, taken):
    """``name``, or ``name (2)``, ``name (3)``... the first not in ``taken`` (added to it)."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    candidate, count = name, 1
    while candidate in taken:
        count += 1
        candidate = f"{stem} ({count}).{ext}" if ext else f"{stem} ({count})"
    taken.add(candidate)
    return candidate
