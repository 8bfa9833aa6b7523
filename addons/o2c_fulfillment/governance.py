# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Server-side marks of this addon's own actions.

Python context variables, not ``env.context``: an RPC client, an import or a
server action can put any key in the context, but cannot set these. Only the
action named in each helper opens it, around its own work.
"""

from contextvars import ContextVar

from odoo.addons.o2c_exception_base.governance import scoped

#: a sales order is being cancelled: its open backorders go with it (no reason asked)
_ORDER_CANCEL = ContextVar("o2c_fulfillment_order_cancel", default=False)
#: why the backorders being checked were settled (text of the resolution)
_BACKORDER_RESOLUTION = ContextVar("o2c_fulfillment_backorder_resolution", default=None)


def cancelling_orders():
    """Opened by ``sale.order._action_cancel`` only, around the order's own cancel."""
    return scoped(_ORDER_CANCEL, True)


def is_cancelling_orders():
    return _ORDER_CANCEL.get()


def backorder_resolution(text):
    """Backorder exceptions resolved in the enclosed code are resolved with ``text``.

    Opened by the cancellation of backorders, after it validated the reason.
    """
    return scoped(_BACKORDER_RESOLUTION, text)


def current_backorder_resolution():
    return _BACKORDER_RESOLUTION.get()


#: stock's ``_action_done`` is running: a partial transfer gets a backorder unless
#: the context says ``cancel_backorder`` (no wizard asks any more)
_COMPLETING = ContextVar("o2c_fulfillment_completing_transfers", default=False)


def completing_transfers():
    """Opened by ``stock.picking._action_done`` only, around its own work."""
    return scoped(_COMPLETING, True)


def is_completing_transfers():
    return _COMPLETING.get()


#: the backorder planner is promising dates: it tells the customer itself
_PLANNING = ContextVar("o2c_fulfillment_planning", default=False)


def planning():
    """Opened by ``o2c.fulfillment.planner._plan`` only, around its own work."""
    return scoped(_PLANNING, True)


def is_planning():
    return _PLANNING.get()
