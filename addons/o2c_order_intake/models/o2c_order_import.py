# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
import math
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_sale_channel import EDI, intake_channel
from odoo.exceptions import UserError

from ..parsers import FileError, parse_order_file

STATES = [("draft", "To Import"), ("done", "Imported")]
#: sale.order states of a quotation an exception holds
QUOTATION_STATES = ("draft", "sent")


class O2cOrderImport(models.Model):
    """An order file (CSV or UBL 2.1 Order) turned into quotations in one batch.

    The whole file is checked first: one faulty line and nothing is created.
    The quotations (channel EDI / API, the file attached) then go through the
    confirmation's enforcement point like any other: those an exception holds
    wait in the queue, the others are confirmed.
    """

    _name = "o2c.order.import"
    _description = "O2C Order Import"
    _inherit = ["mail.thread", "o2c.governed.mixin"]
    _order = "id desc"
    #: the result is what the import did: only the import writes it
    _o2c_governed_fields = (
        "state",
        "order_ids",
        "line_count",
        "order_count",
        "confirmed_count",
        "held_count",
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
    confirmed_count = fields.Integer(string="Confirmed", readonly=True, copy=False)
    held_count = fields.Integer(
        string="Held", readonly=True, copy=False, help="Quotations held by an O2C exception."
    )

    # -------------------------------------------------------------- CRUD
    def write(self, vals):
        if {"file", "name"} & vals.keys() and "done" in self.mapped("state"):
            raise UserError(self.env._("An imported file cannot be replaced: import a new one."))
        return super().write(vals)

    # ------------------------------------------------------------ ACTION
    @api.model
    def import_file(self, filename, data):
        """Import an order file for an integration (RPC): ``data`` is the file in base64.

        :return: ``{"import_id", "order_ids", "confirmed_ids", "held_ids"}``
        :raise UserError: listing every faulty line; nothing is created then
        """
        record = self.create({"name": filename, "file": data})
        record._o2c_import()
        confirmed = record.order_ids.filtered(lambda o: o.state == "sale")
        return {
            "import_id": record.id,
            "order_ids": record.order_ids.ids,
            "confirmed_ids": confirmed.ids,
            "held_ids": (record.order_ids - confirmed).ids,
        }

    def action_import(self):
        self.ensure_one()
        self._o2c_import()
        return self.action_view_orders()

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
        """Check the whole file, create its quotations, confirm those nothing holds."""
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
        orders.action_confirm()  # the enforcement point: held orders stay quotations
        held = orders.filtered(lambda o: o.state in QUOTATION_STATES)
        self._o2c_owned_write(
            {
                "state": "done",
                "order_ids": [Command.set(orders.ids)],
                "line_count": len(rows),
                "order_count": len(orders),
                "confirmed_count": len(orders.filtered(lambda o: o.state == "sale")),
                "held_count": len(held),
            }
        )
        return orders

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
