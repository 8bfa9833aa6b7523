# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
import math
from collections import defaultdict

from markupsafe import escape

from odoo import Command, api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_sale_channel import EDI, intake_channel
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..parsers import FileError, parse_order_file
from .sale_order import QUOTATION_STATES

STATES = [("draft", "To Import"), ("done", "Imported")]


class O2cOrderImport(models.Model):
    """An order file (CSV or UBL 2.1 Order) turned into quotations in one batch.

    The whole file is checked first: one faulty line and nothing is created.
    The quotations (channel EDI / API, the file attached) are then confirmed in
    the background, each in its own transaction, as the user who imported the
    file (``sale.order._cron_o2c_confirm_imported``): through the confirmation's
    enforcement point like any other, those an exception holds wait in the
    queue, the others are confirmed.
    """

    _name = "o2c.order.import"
    _description = "O2C Order Import"
    _inherit = ["mail.thread", "o2c.governed.mixin"]
    _order = "id desc"
    #: the result is what the import did: only the import writes it (the counts
    #: of where its orders stand are read from the orders)
    _o2c_governed_fields = (
        "state",
        "order_ids",
        "line_count",
        "order_count",
        "confirmed_count",
        "held_count",
        "waiting_count",
        "parked_count",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(string="File Name", required=True)
    file = fields.Binary(required=True, attachment=True, help="CSV or UBL 2.1 Order XML.")
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    order_ids = fields.Many2many(
        "sale.order",
        "o2c_order_import_sale_order_rel",
        "import_id",
        "order_id",
        string="Orders",
        readonly=True,
        copy=False,
    )
    line_count = fields.Integer(string="Lines", readonly=True, copy=False)
    order_count = fields.Integer(string="Orders Created", readonly=True, copy=False)
    # not stored: read from the orders when shown, so that confirming an order
    # (the job, an approver) never writes the import row other orders share
    confirmed_count = fields.Integer(string="Confirmed", compute="_compute_counts")
    held_count = fields.Integer(
        string="Held",
        compute="_compute_counts",
        help="Quotations the confirmation left as quotations: held by an O2C exception.",
    )
    waiting_count = fields.Integer(
        string="Waiting",
        compute="_compute_counts",
        help="Quotations waiting for the confirmation job (it runs within seconds).",
    )
    parked_count = fields.Integer(
        string="Confirmation Failed",
        compute="_compute_counts",
        help="Quotations the confirmation job could not confirm: the reason is noted on "
        "each one; fix it, then retry.",
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("order_ids.state", "order_ids.o2c_intake_state")
    def _compute_counts(self):
        counts = defaultdict(lambda: defaultdict(int))
        if self.ids:
            self.flush_model(["order_ids"])
            self.env["sale.order"].flush_model(["state", "o2c_intake_state"])
            self.env.cr.execute(
                SQL(
                    """SELECT rel.import_id, so.state, so.o2c_intake_state, count(*)
                         FROM o2c_order_import_sale_order_rel rel
                         JOIN sale_order so ON so.id = rel.order_id
                        WHERE rel.import_id IN %s
                     GROUP BY 1, 2, 3""",
                    tuple(self.ids),
                )
            )
            for import_id, state, intake_state, count in self.env.cr.fetchall():
                counts[import_id][_progress(state, intake_state)] += count
        for imp in self:
            found = counts[imp.id]
            imp.confirmed_count = found["confirmed"]
            imp.held_count = found["held"]
            imp.waiting_count = found["waiting"]
            imp.parked_count = found["parked"]

    # -------------------------------------------------------------- CRUD
    def write(self, vals):
        if {"file", "name"} & vals.keys() and "done" in self.mapped("state"):
            raise UserError(self.env._("An imported file cannot be replaced: import a new one."))
        return super().write(vals)

    # ------------------------------------------------------------ ACTION
    @api.model
    def import_file(self, filename, data):
        """Import an order file for an integration (RPC): ``data`` is the file in base64.

        The orders are quotations then: the confirmation job confirms them
        within seconds, each in its own transaction (``pending_ids``: those it has
        not taken yet; read the orders' ``state`` or the import's counts later).

        :return: ``{"import_id", "order_ids", "confirmed_ids", "held_ids",
            "pending_ids"}``
        :raise UserError: listing every faulty line; nothing is created then
        """
        record = self.create({"name": filename, "file": data})
        record._o2c_import()
        by_progress = defaultdict(list)
        for order in record.order_ids:
            by_progress[_progress(order.state, order.o2c_intake_state)].append(order.id)
        return {
            "import_id": record.id,
            "order_ids": record.order_ids.ids,
            "confirmed_ids": by_progress["confirmed"],
            "held_ids": by_progress["held"],
            "pending_ids": by_progress["waiting"],
        }

    def action_import(self):
        self.ensure_one()
        self._o2c_import()
        return self.action_view_orders()

    def action_retry_confirmation(self):
        """Give the quotations the confirmation job parked back to it (its next run)."""
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise UserError(self.env._("Only sales users can retry the confirmation."))
        parked = self.order_ids.filtered(lambda o: o.o2c_intake_state == "parked")
        if not parked:
            raise UserError(self.env._("No order of %s waits for a retry.", self.name))
        parked.sudo()._o2c_owned_write({"o2c_intake_state": "waiting", "o2c_intake_error": False})
        note = escape(self.env._("Confirmation retry requested by %s", self.env.user.name))
        for records in (self, parked):
            records.sudo()._message_log_batch(bodies=dict.fromkeys(records.ids, note))
        self._o2c_trigger_confirmation()
        return True

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update(
            domain=[("id", "in", self.order_ids.ids)],
            context={"create": False},
            name=self.env._("Orders of %s", self.name),
        )
        return action

    # ---------------------------------------------------------- BUSINESS
    def _o2c_import(self):
        """Check the whole file, create its quotations, queue them for confirmation."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("The file %s is already imported.", self.name))
        raw = self._o2c_file_bytes()
        try:
            rows = parse_order_file(self.name, raw)
        except FileError as error:
            raise UserError(self._o2c_error_message([str(error)])) from None
        vals_list, errors = self._o2c_prepare_orders(rows)
        if errors:
            raise UserError(self._o2c_error_message(errors))
        with intake_channel(EDI):
            orders = self.env["sale.order"].create(vals_list)
        self._o2c_attach_file(orders, raw)
        # confirmed by the job, each in its own transaction (a stock reservation
        # of one order conflicting with another user's no longer fails the file)
        orders.sudo()._o2c_owned_write({"o2c_intake_state": "waiting"})
        self._o2c_owned_write(
            {
                "state": "done",
                "order_ids": [Command.set(orders.ids)],
                "line_count": len(rows),
                "order_count": len(orders),
            }
        )
        self._o2c_trigger_confirmation()
        return orders

    def _o2c_trigger_confirmation(self):
        """Run the confirmation job as soon as this transaction commits."""
        cron = self.env.ref("o2c_order_intake.ir_cron_o2c_confirm_imported")
        cron.sudo()._trigger()

    def _o2c_file_bytes(self):
        try:
            raw = base64.b64decode(self.file or b"", validate=True)
        except (binascii.Error, ValueError):
            raise UserError(self._o2c_error_message([self.env._("not base64 data")])) from None
        if not raw.strip():
            raise UserError(self._o2c_error_message([self.env._("the file is empty")]))
        return raw

    def _o2c_error_message(self, errors):
        return self.env._(
            "The file %(name)s was not imported, nothing was created. Fix it and send it "
            "again:\n%(errors)s",
            name=self.name,
            errors="\n".join(f"- {error}" for error in errors),
        )

    def _o2c_prepare_orders(self, rows):
        """Return ``(sale.order values, errors)`` for the rows of the file.

        Customers, products and already imported orders are looked up with one
        search each for the whole file.
        """
        customers = self._o2c_find_customers({r["customer"] for r in rows} - {""})
        products = self._o2c_find_products({r["product"] for r in rows} - {""})
        errors, orders = [], {}
        for row in rows:
            line_errors = self._o2c_row_errors(row, customers, products)
            if line_errors:
                errors.append(
                    self.env._(
                        "Line %(line)s: %(why)s", line=row["line"], why="; ".join(line_errors)
                    )
                )
                continue
            key = (customers[row["customer"]].id, row["order_ref"])
            vals = orders.setdefault(key, self._o2c_order_vals(customers[row["customer"]], row))
            vals["order_line"].append(Command.create(self._o2c_line_vals(row, products)))
        errors += self._o2c_existing_order_errors(orders)
        return list(orders.values()), errors

    def _o2c_find_customers(self, refs):
        """``{reference or VAT: commercial partner}``; an ambiguous one maps to several.

        A contact shares its company's VAT: the order goes to the company.
        """
        partners = self.env["res.partner"].search(
            [
                ("company_id", "in", [self.company_id.id, False]),
                "|",
                ("ref", "in", list(refs)),
                ("vat", "in", list(refs)),
            ]
        )
        found = defaultdict(lambda: self.env["res.partner"])
        for partner in partners:
            for key in {partner.ref, partner.vat} & refs:
                found[key] |= partner.commercial_partner_id
        return dict(found)

    def _o2c_find_products(self, codes):
        """``{internal reference or barcode: product}`` of the products that can be sold."""
        products = self.env["product.product"].search(
            [
                ("sale_ok", "=", True),
                ("company_id", "in", [self.company_id.id, False]),
                "|",
                ("default_code", "in", list(codes)),
                ("barcode", "in", list(codes)),
            ]
        )
        found = defaultdict(lambda: self.env["product.product"])
        for product in products:
            for key in {product.default_code, product.barcode} & codes:
                found[key] |= product
        return dict(found)

    def _o2c_row_errors(self, row, customers, products):
        """What is wrong with one row (texts), nothing if it is fine."""
        _ = self.env._
        errors = []
        customer = row["customer"]
        if not customer:
            errors.append(_("the customer (customer_ref) is missing"))
        elif len(customers.get(customer, ())) != 1:
            errors.append(
                _("unknown customer %r", customer)
                if customer not in customers
                else _("several customers have the reference %r", customer)
            )
        product = row["product"]
        if not product:
            errors.append(_("the product (product_code) is missing"))
        elif len(products.get(product, ())) != 1:
            errors.append(
                _("unknown product %r", product)
                if product not in products
                else _("several products have the code %r", product)
            )
        quantity = _number(row["quantity"])
        if quantity is None or quantity <= 0:
            errors.append(_("the quantity must be a number above 0 (got %r)", row["quantity"]))
        price = _number(row["price"]) if row["price"] else 0.0
        if price is None or price < 0:
            errors.append(_("the unit price must be a positive number (got %r)", row["price"]))
        if row["date"] and not _date(row["date"]):
            errors.append(_("the date must be YYYY-MM-DD (got %r)", row["date"]))
        return errors

    def _o2c_order_vals(self, partner, row):
        vals = {
            "partner_id": partner.id,
            "client_order_ref": row["order_ref"] or False,
            "company_id": self.company_id.id,
            "origin": self.name,
            "order_line": [],
        }
        if row["date"]:
            vals["commitment_date"] = _date(row["date"])
        return vals

    def _o2c_line_vals(self, row, products):
        vals = {
            "product_id": products[row["product"]].id,
            "product_uom_qty": _number(row["quantity"]),
        }
        if row["price"]:
            vals["price_unit"] = _number(row["price"])
        return vals

    def _o2c_existing_order_errors(self, orders):
        """A file sent twice: its orders exist already (same customer and reference)."""
        refs = {ref for __, ref in orders if ref}
        if not refs:
            return []
        existing = self.env["sale.order"].search(
            [
                ("client_order_ref", "in", list(refs)),
                ("partner_id", "in", list({pid for pid, __ in orders})),
                ("state", "!=", "cancel"),
            ]
        )
        return [
            self.env._(
                "Order %(ref)s of %(customer)s is already imported (%(order)s)",
                ref=order.client_order_ref,
                customer=order.partner_id.display_name,
                order=order.name,
            )
            for order in existing
            if (order.partner_id.id, order.client_order_ref) in orders
        ]

    def _o2c_attach_file(self, orders, raw):
        """The file on each order (its chatter shows it), stored once (same checksum)."""
        self.env["ir.attachment"].create(
            [
                {"name": self.name, "raw": raw, "res_model": "sale.order", "res_id": order.id}
                for order in orders
            ]
        )


def _progress(state, intake_state):
    """Where an imported order stands: confirmed, held, waiting, parked (or cancelled)."""
    if intake_state:
        return intake_state
    if state == "sale":
        return "confirmed"
    return "held" if state in QUOTATION_STATES else state


def _number(text):
    """The finite number in ``text`` (``,`` as decimal separator accepted), or ``None``."""
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _date(text):
    try:
        return fields.Date.to_date(text.strip())
    except ValueError:
        return None
