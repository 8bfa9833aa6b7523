# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .. import rows
from ..tools import fmt_amount, fmt_dt, label

_logger = logging.getLogger(__name__)

O2C_USER = "o2c_exception_base.group_o2c_user"
#: messages that reach the customer (an internal note is a comment too: its
#: subtype says it is internal)
CUSTOMER_MESSAGE_TYPES = ("email", "comment", "email_outgoing")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------ ACTION
    def action_o2c_evidence_pack(self):
        """The evidence pack (PDF) of these orders."""
        self._o2c_check_evidence_access()
        return self.env.ref("o2c_evidence.action_report_evidence_pack").report_action(self)

    def action_o2c_evidence_zip(self):
        """The evidence pack with every evidence file, as one ZIP download."""
        self._o2c_check_evidence_access()
        ids = ",".join(str(order_id) for order_id in self.ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"/o2c/evidence/{ids}.zip",
            "target": "download",
        }

    # ---------------------------------------------------------- BUSINESS
    def _o2c_check_evidence_access(self):
        """Evidence packs are for O2C users who may read the orders."""
        if not self.env.user.has_group(O2C_USER):
            raise AccessError(self.env._("Only Order to Cash users print evidence packs."))
        if not self:
            raise UserError(self.env._("There is no sales order to show evidence of."))
        self.check_access("read")

    def _o2c_evidence_sections(self):
        """Ordered sections of the evidence pack of this order.

        Each section is a dict made by :meth:`_o2c_evidence_section`. An addon
        adds its own by extending this method (call ``super()``, append its
        section) and giving the section's QWeb sub-template.
        """
        self.ensure_one()
        _ = self.env._
        section = self._o2c_evidence_section
        return [
            section("order", 10, _("Order as confirmed"), ["sale.order"]),
            section(
                "exceptions",
                20,
                _("Exceptions and approvals"),
                ["o2c.exception", "o2c.exception.approval"],
            ),
            section("credit", 30, _("Credit releases"), ["o2c.credit.release"]),
            section(
                "deliveries",
                40,
                _("Deliveries and proofs of delivery"),
                ["stock.picking", "o2c.delivery.proof"],
            ),
            section(
                "substitutions",
                50,
                _("Substitutions and customer consent"),
                ["o2c.substitution", "stock.picking"],
            ),
            section("invoices", 60, _("Invoices and credit notes"), ["account.move"]),
            section("messages", 70, _("Messages sent to the customer"), ["mail.message"]),
            section("disputes", 80, _("Disputes and resolutions"), ["helpdesk.ticket"]),
            section("agreements", 90, _("Customer agreements"), ["o2c.customer.agreement"]),
        ]

    def _o2c_evidence_section(self, key, sequence, title, models_read, build=None, template=None):
        """One section of the pack.

        :param key: the section's key (and the ZIP folder of its files)
        :param models_read: models the reader must be allowed to read, else the
            section is listed as not shown
        :param build: callable returning the template's values (a dict; its key
            ``attachments`` holds the section's evidence files), by default the
            builder of ``key`` (:meth:`_o2c_evidence_builders`)
        :param template: its QWeb sub-template, by default
            ``o2c_evidence.evidence_section_<key>``
        """
        return {
            "key": key,
            "sequence": sequence,
            "title": title,
            "template": template or f"o2c_evidence.evidence_section_{key}",
            "models": models_read,
            "build": build or self._o2c_evidence_builders()[key],
        }

    def _o2c_evidence_builders(self):
        """The value builders of this addon's sections, by key."""
        return {
            "order": self._o2c_evidence_values_order,
            "exceptions": self._o2c_evidence_values_exceptions,
            "credit": self._o2c_evidence_values_credit,
            "deliveries": self._o2c_evidence_values_deliveries,
            "substitutions": self._o2c_evidence_values_substitutions,
            "invoices": self._o2c_evidence_values_invoices,
            "messages": self._o2c_evidence_values_messages,
            "disputes": self._o2c_evidence_values_disputes,
            "agreements": self._o2c_evidence_values_agreements,
        }

    def _o2c_evidence_pack(self):
        """The sections of the pack as the current user may see them (ordered)."""
        self.ensure_one()
        return [
            self._o2c_evidence_build(section)
            for section in sorted(self._o2c_evidence_sections(), key=lambda s: s["sequence"])
        ]

    def _o2c_evidence_build(self, section):
        """``section`` with its ``values``, ``attachments`` (evidence files) and
        ``restricted``, built with the current user's own rights.

        A section whose models the user may not read is not built (listed as not
        shown); records hidden by record rules are left out by the builders.
        """
        result = dict(section, values={}, attachments=self.env["ir.attachment"])
        result["restricted"] = not all(
            self.env[model].has_access("read") for model in section["models"]
        )
        if result["restricted"]:
            return result
        try:
            values = section["build"]()
        except AccessError as error:
            # a record rule of another addon hides a record this section reaches:
            # the section is not shown, the rest of the pack is
            _logger.info("o2c evidence: section %s not shown: %s", section["key"], error)
            result["restricted"] = True
        else:
            result["attachments"] = values.pop("attachments", result["attachments"])
            result["values"] = values
        return result

    # ----------------------------------------------------------- TOOLING
    def _o2c_evidence_readable(self, records):
        """``records`` (any env) that the current user may read, in the user's env."""
        return records.with_env(self.env)._filtered_access("read")

    def _o2c_evidence_files_of(self, records, field=None):
        """Attachments of ``records`` the current user may read (those of a binary
        ``field`` when given, such as a signature)."""
        if not records:
            return self.env["ir.attachment"]
        domain = [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        if field:
            domain.append(("res_field", "=", field))
        return self.env["ir.attachment"].search(domain, order="id")

    def _o2c_evidence_documents(self, with_all=False):
        """Transfers and invoices (with the credit notes reversing them, a
        dispute's included) of the order that the current user may read; with
        ``with_all``, also all of them (to count those not shown)."""
        order = self.sudo()
        pickings = order.picking_ids
        invoices = order.invoice_ids | order.invoice_ids.reversal_move_ids
        readable = (self._o2c_evidence_readable(pickings), self._o2c_evidence_readable(invoices))
        return (*readable, pickings, invoices) if with_all else readable

    def _o2c_evidence_amount(self, amount, currency=None):
        return fmt_amount(self.env, amount, currency or self.currency_id)

    # ---------------------------------------------------------- SECTIONS
    def _o2c_evidence_values_order(self):
        env = self.env
        confirmed_by, confirmed_on = self._o2c_evidence_confirmation()
        return {
            "customer": self.partner_id.display_name,
            "reference": self.client_order_ref or "",
            "salesperson": self.user_id.name or "",
            "channel": self.o2c_channel_id.name or "",
            "order_class": self.o2c_order_class_id.name or "",
            "state": label(self, "state"),
            "date_order": fmt_dt(env, self.date_order),
            "confirmed_by": confirmed_by,
            "confirmed_on": confirmed_on,
            "signed_by": self.signed_by or "",
            "signed_on": fmt_dt(env, self.signed_on),
            "lines": [
                {
                    "product": line.product_id.display_name or line.name,
                    "quantity": line.product_uom_qty,
                    "uom": line.product_uom.name,
                    "price_unit": self._o2c_evidence_amount(line.price_unit),
                    "discount": line.discount,
                    "subtotal": self._o2c_evidence_amount(line.price_subtotal),
                }
                for line in self.order_line.filtered(lambda line: not line.display_type)
            ],
            "untaxed": self._o2c_evidence_amount(self.amount_untaxed),
            "tax": self._o2c_evidence_amount(self.amount_tax),
            "total": self._o2c_evidence_amount(self.amount_total),
            "attachments": self._o2c_evidence_files_of(self),
        }

    def _o2c_evidence_confirmation(self):
        """Who confirmed the order and when: the last tracked change to *Sales Order*.

        Tracking values are readable by administrators only; the pack reads this
        one for users who may read the order (its chatter shows it to them too).
        """
        state = self._fields["state"]
        labels = {
            dict(state._description_selection(self.with_context(lang=lang).env))["sale"]
            for lang in {"en_US", self.env.lang or "en_US"}
        }
        field = self.env["ir.model.fields"]._get("sale.order", "state")
        tracking = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", "sale.order"),
                    ("mail_message_id.res_id", "=", self.id),
                    ("new_value_char", "in", sorted(labels)),
                ],
                order="id desc",
                limit=1,
            )
        )
        message = tracking.mail_message_id
        if not message:
            return "", ""
        return message.author_id.name or "", fmt_dt(self.env, message.date)

    def _o2c_evidence_values_exceptions(self):
        exceptions = (
            self.env["o2c.exception"]
            .with_context(active_test=False)
            .search([("sale_order_id", "=", self.id)], order="request_date, id")
        )
        return {"exceptions": [rows.exception_row(self.env, exc) for exc in exceptions]}

    def _o2c_evidence_values_credit(self):
        releases = self.env["o2c.credit.release"].search(
            [("sale_order_id", "=", self.id)], order="date, id"
        )
        return {"releases": [rows.credit_release_row(self.env, rel) for rel in releases]}

    def _o2c_evidence_values_deliveries(self):
        pickings, __, all_pickings, __ = self._o2c_evidence_documents(with_all=True)
        proofs = (
            self.env["o2c.delivery.proof"]
            .with_context(active_test=False)
            .search([("picking_id", "in", pickings.ids)], order="received_at, id")
        )
        proof_files = self._o2c_evidence_readable(proofs.sudo().attachment_ids)
        deliveries = []
        for picking in pickings.sorted("id"):
            proof_rows = [
                rows.proof_row(self.env, proof, proof.sudo().attachment_ids & proof_files)
                for proof in proofs.filtered(lambda p, picking=picking: p.picking_id == picking)
            ]
            deliveries.append(rows.delivery_row(self.env, picking, proof_rows))
        signatures = self._o2c_evidence_files_of(pickings, "signature")
        return {
            "deliveries": deliveries,
            "hidden": len(all_pickings) - len(pickings),
            "attachments": self._o2c_evidence_files_of(pickings) | proof_files | signatures,
        }

    def _o2c_evidence_values_substitutions(self):
        substitutions = self.env["o2c.substitution"].search(
            [("order_id", "=", self.id)], order="date, id"
        )
        pickings = self._o2c_evidence_readable(substitutions.sudo().picking_id)
        return {
            "substitutions": [
                rows.substitution_row(self.env, sub, sub.picking_id & pickings)
                for sub in substitutions
            ]
        }

    def _o2c_evidence_values_invoices(self):
        __, invoices, __, all_invoices = self._o2c_evidence_documents(with_all=True)
        invoices = invoices.sorted("id")
        return {
            "invoices": [rows.invoice_row(self.env, move) for move in invoices],
            "hidden": len(all_invoices) - len(invoices),
            "attachments": self._o2c_evidence_files_of(invoices),
        }

    def _o2c_evidence_values_messages(self):
        domain = []
        for records in (self, *self._o2c_evidence_documents()):
            pair = ["&", ("model", "=", records._name), ("res_id", "in", records.ids)]
            domain = ["|", *domain, *pair] if domain else pair
        messages = self.env["mail.message"].search(
            [
                *domain,
                ("message_type", "in", CUSTOMER_MESSAGE_TYPES),
                ("partner_ids", "child_of", self.partner_id.commercial_partner_id.id),
            ],
            order="date, id",
        )
        sent = messages.filtered(lambda m: not m.is_internal and not m.subtype_id.internal)
        return {"messages": [rows.message_row(self.env, message) for message in sent]}

    def _o2c_evidence_values_disputes(self):
        __, __, pickings, invoices = self._o2c_evidence_documents(with_all=True)
        domain = [
            ("o2c_is_dispute", "=", True),
            "|",
            "|",
            ("o2c_sale_order_id", "=", self.id),
            ("o2c_picking_id", "in", pickings.ids),
            ("o2c_invoice_id", "in", invoices.ids),
        ]
        tickets = self.env["helpdesk.ticket"].search(domain, order="id")
        hidden = self.env["helpdesk.ticket"].sudo().search_count(domain) - len(tickets)
        readable = self._o2c_evidence_readable
        disputes = [
            rows.dispute_row(
                self.env,
                ticket,
                readable(ticket.sudo().o2c_credit_note_ids),
                readable(ticket.sudo().o2c_return_picking_ids),
                readable(ticket.sudo().o2c_replacement_order_ids),
            )
            for ticket in tickets
        ]
        return {
            "disputes": disputes,
            "hidden": hidden,
            "attachments": self._o2c_evidence_files_of(tickets),
        }

    def _o2c_evidence_values_agreements(self):
        Agreement = self.env["o2c.customer.agreement"]
        base = [
            ("partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        day = fields.Date.context_today(self, self.date_order)
        at_order = Agreement.search(base + Agreement._o2c_valid_on_domain(day))
        current = Agreement.search([*base, ("is_current", "=", True)])
        files = self._o2c_evidence_readable((at_order | current).sudo().attachment_ids)

        def row(agreement):
            return rows.agreement_row(self.env, agreement, agreement.sudo().attachment_ids & files)

        return {
            "at_order": [row(agreement) for agreement in at_order],
            "current": [row(agreement) for agreement in current],
            "attachments": files,
        }
