# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextvars import ContextVar

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..governance import scoped
from .o2c_exception_type import check_code

#: codes of the channels the server records by itself, by entry path
BACK_OFFICE, EMAIL, PORTAL, EDI = "back_office", "email", "portal", "edi"
AUTOMATIC_CODES = (BACK_OFFICE, EMAIL, PORTAL, EDI)

#: the entry path running now (mail gateway, portal acceptance, file intake): a
#: Python context variable, which no RPC client, import or context key can set
_INTAKE = ContextVar("o2c_intake_channel", default=None)


def intake_channel(code):
    """Orders created (or accepted, for ``PORTAL``) in the enclosed code came in
    through the channel ``code``.

    Opened only by the server code of that entry path (the mail gateway's
    ``message_new``, the portal's acceptance route, the file intake).
    """
    return scoped(_INTAKE, code)


def current_intake_channel():
    """Code of the entry path running now, or ``None``."""
    return _INTAKE.get()


class O2cSaleChannel(models.Model):
    """How an order came in: back office (phone), email, portal, EDI / API.

    Recorded on each order by the server (never typed by a salesperson); order
    classes and pricing policies match on it.
    """

    _name = "o2c.sale.channel"
    _description = "O2C Sales Channel"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Technical key. back_office, email, portal and edi are set on orders "
        "by the server according to how they came in.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a sales channel must be unique."),
    ]

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("code")
    def _check_code(self):
        check_code(self, lambda rec: self.env._("sales channel %s", rec.name))

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # _o2c_channel_id
        return records

    def write(self, vals):
        if "code" in vals:
            self._check_automatic_code_kept(vals["code"])
        res = super().write(vals)
        if {"code", "active"} & vals.keys():
            self.env.registry.clear_cache()  # _o2c_channel_id
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _o2c_channel_id
        return res

    # ---------------------------------------------------------- BUSINESS
    def _check_automatic_code_kept(self, code):
        """The server finds the channels it records by their code: renaming one of
        those codes would silently stop recording it (archive it instead)."""
        renamed = self.filtered(lambda c: c.code in AUTOMATIC_CODES and c.code != code)
        if renamed:
            raise ValidationError(
                self.env._(
                    "The Code of sales channel %(name)s (%(code)s) is recorded by the "
                    "server on the orders coming in that way: it cannot change. Rename "
                    "the channel or archive it instead.",
                    name=renamed[0].name,
                    code=renamed[0].code,
                )
            )

    @api.model
    @tools.ormcache("code")
    def _o2c_channel_id(self, code):
        """Id of the active channel ``code`` (cached per worker, cleared on change),
        or ``False``: recording the channel of an order costs no query."""
        return self.sudo().search([("code", "=", code)], limit=1).id or False
