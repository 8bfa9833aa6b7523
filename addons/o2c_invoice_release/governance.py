# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Server-side marks of this addon's invoicing actions.

Python context variables, not ``env.context``: an RPC client, an import or a
server action can put any key in the context, but cannot set these. Only the
release job and the override wizard open them, around their own invoicing.
"""

from contextvars import ContextVar

from odoo.addons.o2c_exception_base.governance import scoped

#: how the invoices being created are released ("manual", "auto"); "override"
#: is written after posting, when an approved override let the invoice post
_RELEASE_MODE = ContextVar("o2c_invoice_release_mode", default="manual")
#: the override wizard bills delivered quantities still waiting for release
_INCLUDE_UNRELEASED = ContextVar("o2c_include_unreleased", default=False)


def release_mode(mode):
    """Invoices created in the enclosed code are released as ``mode``."""
    return scoped(_RELEASE_MODE, mode)


def current_release_mode():
    return _RELEASE_MODE.get()


def including_unreleased():
    """Invoices created in the enclosed code also bill quantities awaiting release.

    Only the override wizard opens it, after it checked the reason; the
    invoices are then held until a finance approver approves the override.
    """
    return scoped(_INCLUDE_UNRELEASED, True)


def is_including_unreleased():
    return _INCLUDE_UNRELEASED.get()
