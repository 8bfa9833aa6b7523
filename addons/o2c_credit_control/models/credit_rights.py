# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may change credit terms, and what counts as a change (no model here)."""

from odoo.exceptions import AccessError

CREDIT_MANAGER = "o2c_credit_control.group_o2c_credit_manager"
#: values of a terms field that mean "nothing of its own" on a new record
NEUTRAL = (False, None, 0, 0.0, "", "default")


def may_change_terms(env):
    """Credit Managers, and code running as superuser (``sudo()``), change credit terms."""
    return env.su or env.user.has_group(CREDIT_MANAGER)


def value_differs(record, fname, value):
    """Whether writing ``value`` (write format) would change ``record[fname]``."""
    field = record._fields[fname]
    new = field.convert_to_record(field.convert_to_cache(value, record), record)
    return new != record[fname]


def changed_fields(records, vals, fnames):
    """The fields of ``fnames`` whose value in ``vals`` differs on one of ``records``."""
    records = records.sudo()  # compare only: the caller's rights are checked after
    return [
        fname
        for fname in fnames
        if fname in vals and any(value_differs(rec, fname, vals[fname]) for rec in records)
    ]


def non_default_fields(model, vals_list, fnames, neutral=NEUTRAL):
    """The fields of ``fnames`` given a value of their own in ``vals_list`` (create).

    :param neutral: values that mean "nothing of its own" besides the default
    """
    present = [fname for fname in fnames if any(fname in vals for vals in vals_list)]
    if not present:
        return []
    defaults = model.sudo().default_get(present)
    return [
        fname
        for fname in present
        if any(
            fname in vals and vals[fname] not in neutral and vals[fname] != defaults.get(fname)
            for vals in vals_list
        )
    ]


def check_terms_right(records, fnames, what):
    """Refuse a change of the credit terms ``fnames`` unless the user is a Credit Manager.

    :param what: what is being changed, e.g. "the credit terms of a customer"
    """
    env = records.env
    if not fnames or may_change_terms(env):
        return
    labels = ", ".join(
        f"{records._fields[fname]._description_string(env)} ({fname})" for fname in fnames
    )
    raise AccessError(
        env._(
            "Only Credit Managers can change %(what)s (field %(fields)s). Ask a Credit "
            "Manager: the change is tracked, and nobody releases their own credit hold "
            "with it.",
            what=what,
            fields=labels,
        )
    )
