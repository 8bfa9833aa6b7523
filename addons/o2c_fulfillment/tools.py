# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers shared by the fulfillment checks."""

from markupsafe import Markup

from odoo.addons.o2c_exception_base.models.o2c_exception import LIVE_STATES
from odoo.tools.misc import formatLang


def html_table(headers, rows):
    """Return an escaped HTML table (``rows`` are lists of plain values)."""
    head = Markup("").join(Markup("<th>%s</th>") % h for h in headers)
    body = Markup("").join(
        Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % c for c in row)
        for row in rows
    )
    return Markup(
        '<table class="table table-sm"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
    ) % (head, body)


def fmt_qty(env, qty):
    return formatLang(env, qty, dp="Product Unit of Measure")


def fmt_amount(env, amount, currency):
    return formatLang(env, amount, currency_obj=currency)


def live_domain(records, code):
    """Domain of the live exceptions of ``code`` this addon raised on ``records``.

    Exceptions raised by administrator rules of the same type are left alone.
    """
    return [*records._o2c_exception_domain(LIVE_STATES, [code]), ("rule_id", "=", False)]


def mail_composer_action(records, template, title):
    """Window action: the email composer on ``records`` with ``template``, to the
    customer (a message the user reviews before sending)."""
    return {
        "type": "ir.actions.act_window",
        "name": title,
        "res_model": "mail.compose.message",
        "view_mode": "form",
        "views": [(False, "form")],
        "target": "new",
        "context": {
            "default_model": records._name,
            "default_res_ids": records.ids,
            "default_template_id": template.id,
            "default_composition_mode": "comment",
            "default_email_layout_xmlid": "mail.mail_notification_light",
            "force_email": True,
        },
    }
