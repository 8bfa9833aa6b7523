# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Server-side marks of the actions that own a guarded transition or field.

Both marks live in Python context variables, not in ``env.context``: an RPC
client, an import or a server action can put any key in the context, but cannot
set these. They are opened only by the o2c action that owns the change (a
decision, a release, a recorded proof) around its own write, and closed right
after it.
"""

from contextlib import contextmanager
from contextvars import ContextVar


@contextmanager
def scoped(variable, value):
    """Set the context variable ``variable`` to ``value`` for the enclosed code only
    (the one way every o2c mark is opened and closed)."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)


#: models whose governed fields the running action may write
_GOVERNED_MODELS = ContextVar("o2c_governed_models", default=frozenset())
#: ``{(model, action): ids}`` whose checks the running guarded action has just run
_ENFORCED = ContextVar("o2c_enforced", default=None)
#: an import (``load``) is running: its rows are user input, not module data
_IMPORTING = ContextVar("o2c_importing", default=False)
#: Odoo's validation of stock moves (``stock.move._action_done``) is running
_MOVES_DONE = ContextVar("o2c_moves_done", default=False)


def owning_action(*model_names):
    """Let the enclosed code write the governed fields of ``model_names``.

    Use it around the one write of the action that owns those fields (after
    that action checked rights and segregation of duties), never around code
    that runs user-provided values or other modules' hooks.
    """
    return scoped(_GOVERNED_MODELS, _GOVERNED_MODELS.get() | frozenset(model_names))


def governed_write_allowed(model_name):
    """Whether the running action owns the governed fields of ``model_name``."""
    return model_name in _GOVERNED_MODELS.get()


def enforced(records, action):
    """Mark ``records`` as checked for ``action`` while the enclosed action runs.

    The guarded action (button) runs every check first, then its real work,
    whose own state write would otherwise run the same checks a second time.
    """
    current = dict(_ENFORCED.get() or {})
    key = (records._name, action)
    current[key] = current.get(key, frozenset()) | frozenset(records.ids)
    return scoped(_ENFORCED, current)


def enforced_ids(model_name, action):
    """Ids of ``model_name`` already checked for ``action`` by the running action."""
    return (_ENFORCED.get() or {}).get((model_name, action), frozenset())


def validating_moves():
    """Mark the enclosed code as Odoo's own validation of stock moves: the one
    path that moves the goods and makes a move done."""
    return scoped(_MOVES_DONE, True)


def is_validating_moves():
    return _MOVES_DONE.get()


def importing():
    """Mark the enclosed code as a user's import (``load``)."""
    return scoped(_IMPORTING, True)


def is_importing():
    return _IMPORTING.get()


#: ``{model: ids}`` whose guarded action is being checked right now
_CHECKING = ContextVar("o2c_checking", default=None)


def checking(records):
    """Mark ``records`` as being checked by their guarded action.

    A decision taken by the checks themselves (a hold resolved because the
    document is back within its limits) must not start the held action again
    from inside the action that is running: that action goes on by itself.
    """
    current = dict(_CHECKING.get() or {})
    current[records._name] = current.get(records._name, frozenset()) | frozenset(records.ids)
    return scoped(_CHECKING, current)


def checking_ids(model_name):
    """Ids of ``model_name`` whose guarded action is being checked right now."""
    return (_CHECKING.get() or {}).get(model_name, frozenset())


def declared_names(model, attr):
    """Names listed in the class attribute ``attr`` by ``model`` and each of its
    ``_inherit`` extensions, in declaration order, once each (they add up)."""
    names = []
    for klass in reversed(type(model).__mro__):
        for name in klass.__dict__.get(attr, ()):
            if name not in names:
                names.append(name)
    return names
