# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Server-side mark of this addon's dispute actions.

A Python context variable, not ``env.context``: an RPC client, an import or a
server action can put any key in the context, but cannot set this one. Only the
actions that close a dispute (resolution, cancellation) open it, around their
own state change.
"""

from contextvars import ContextVar

from odoo.addons.o2c_exception_base.governance import scoped

#: why the disputes being closed release their documents (text of the resolution)
_CLOSING_REASON = ContextVar("o2c_dispute_closing_reason", default=None)


def closing_reason(text):
    """The documents' ``invoice_dispute`` exceptions resolved in the enclosed code
    are resolved with ``text``."""
    return scoped(_CLOSING_REASON, text)


def current_closing_reason():
    return _CLOSING_REASON.get()
