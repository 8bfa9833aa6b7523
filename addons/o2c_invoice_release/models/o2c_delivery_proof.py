# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

POD_KINDS = [
    ("signature", "Signature on the delivery"),
    ("document", "Signed delivery note"),
    ("carrier", "Carrier confirmation"),
    ("portal", "Customer confirmation in the portal"),
]
PROOF_STATES = [
    ("pending", "Pending"),
    ("validated", "Validated"),
    ("rejected", "Rejected"),
]
# Evidence that may not change once the proof is validated (reject it instead).
EVIDENCE_FIELDS = (
    "picking_id",
    "kind",
    "received_by",
    "received_at",
    "tracking_ref",
    "attachment_ids",
)


class O2cDeliveryProof(models.Model):
    _name = "o2c.delivery.proof"
    _description = "O2C Proof of Delivery"
    _inherit = ["mail.thread", "mail.activity.mixin", "o2c.governed.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True
    #: the decision on the proof: only action_validate / action_reject write them
    _o2c_governed_fields = (
        "state",
        "validated_by_id",
        "validated_date",
        "rejected_by_id",
        "rejected_date",
        "reject_reason",
        "confirmed_by_partner_id",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(compute="_compute_name", store=True)
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain=[("picking_type_code", "=", "outgoing"), ("state", "=", "done")],
    )
    company_id = fields.Many2one(related="picking_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="picking_id.partner_id", store=True, string="Delivery Address"
    )
    sale_id = fields.Many2one(related="picking_id.sale_id", store=True, string="Sales Order")
    date_done = fields.Datetime(related="picking_id.date_done", string="Delivered On")
    kind = fields.Selection(POD_KINDS, required=True, default="document", tracking=True)
    received_by = fields.Char(tracking=True, help="Who received the goods.")
    received_at = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="When the customer received the goods (carrier timestamp for carrier "
        "confirmations).",
    )
    signature = fields.Image(related="picking_id.signature", string="Delivery Signature")
    tracking_ref = fields.Char(string="Tracking Reference", tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "o2c_delivery_proof_attachment_rel",
        "proof_id",
        "attachment_id",
        string="Attachments",
    )
    note = fields.Text()
    confirmed_by_partner_id = fields.Many2one(
        "res.partner",
        string="Confirmed By (customer)",
        readonly=True,
        tracking=True,
        help="The customer's contact who confirmed the receipt in the portal (the "
        "logged-in buyer, or the contact the order's link was sent to).",
    )
    state = fields.Selection(
        PROOF_STATES, default="pending", required=True, index=True, tracking=True, readonly=True
    )
    validated_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    validated_date = fields.Datetime(readonly=True)
    rejected_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    rejected_date = fields.Datetime(readonly=True)
    reject_reason = fields.Text(readonly=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)

    # ----------------------------------------------------------- COMPUTE
    @api.depends("picking_id.name", "kind")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for proof in self:
            proof.name = f"{proof.picking_id.name or ''} - {kinds.get(proof.kind, '')}"

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("picking_id")
    def _check_picking_id(self):
        for proof in self:
            picking = proof.picking_id
            if not picking._o2c_is_customer_delivery():
                raise ValidationError(
                    self.env._(
                        "A proof of delivery needs a delivery to a customer (field Delivery): "
                        "%s is not one.",
                        picking.display_name,
                    )
                )
            if picking.state != "done":
                raise ValidationError(
                    self.env._(
                        "Validate the delivery %s before recording its proof of delivery "
                        "(field Delivery).",
                        picking.display_name,
                    )
                )

    @api.constrains("received_at", "picking_id")
    def _check_received_at(self):
        now = fields.Datetime.now()
        for proof in self:
            if proof.received_at > now:
                raise ValidationError(
                    self.env._("Received At cannot be in the future (%s).", proof.received_at)
                )
            done = proof.picking_id.date_done
            if done and proof.received_at < done:
                raise ValidationError(
                    self.env._(
                        "Received At (%(received)s) cannot be before the delivery %(picking)s "
                        "was done (%(done)s).",
                        received=proof.received_at,
                        picking=proof.picking_id.display_name,
                        done=done,
                    )
                )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        proofs = super().create(vals_list)
        proofs._o2c_attach_evidence()
        return proofs

    def _o2c_attach_evidence(self):
        """Files uploaded for a proof before it was saved belong to no record: they
        are attached to the proof, so that whoever may read the proof (finance
        checking it) may read them."""
        for proof in self:
            loose = proof.sudo().attachment_ids.filtered(lambda a: not a.res_id)
            # only the user's own files (Odoo's rule for files of no record):
            # linking someone else's must not make it readable through the proof
            own = loose.filtered(lambda a: a.create_uid == self.env.user or self.env.is_system())
            own.write({"res_model": self._name, "res_id": proof.id})

    def write(self, vals):
        if set(EVIDENCE_FIELDS).intersection(vals) and self.filtered(
            lambda p: p.state == "validated"
        ):
            raise UserError(
                self.env._(
                    "A validated proof of delivery cannot be changed: reject it with a reason "
                    "and record a new one."
                )
            )
        if vals.get("active") is False and self.filtered(lambda p: p.state == "validated"):
            raise UserError(
                self.env._("A validated proof of delivery cannot be archived: reject it first.")
            )
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._o2c_attach_evidence()
        if "active" in vals:
            self.picking_id.sudo()._o2c_update_release()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Proofs of delivery are part of the audit trail and are never deleted: "
                "archive them instead."
            )
        )

    # ------------------------------------------------------------ ACTION
    def action_validate(self):
        """Accept the proof: the delivery is released when its policy asks for a POD."""
        wrong = self.filtered(lambda p: p.state != "pending")
        if wrong:
            raise UserError(
                self.env._(
                    "Only pending proofs of delivery can be validated (%s).",
                    ", ".join(wrong.mapped("display_name")),
                )
            )
        for proof in self:
            proof._check_evidence()
        self._o2c_owned_write(
            {
                "state": "validated",
                "validated_by_id": self.env.uid,
                "validated_date": fields.Datetime.now(),
            }
        )
        # The release is the system's consequence of the decision: billing users
        # without inventory rights may validate proofs too.
        self.picking_id.sudo()._o2c_update_release()
        self._o2c_record_pod_steps()
        return True

    def _o2c_record_pod_steps(self):
        """A validated proof is a step of its order's timeline (``pod``)."""
        self.env["o2c.order.step"]._o2c_record(
            [
                {
                    "order_id": proof.sale_id.id,
                    "company_id": proof.company_id.id,
                    "step": "pod",
                    "date": proof.validated_date,
                    "user_id": self.env.uid,
                    "picking_id": proof.picking_id.id,
                }
                for proof in self.sudo().filtered("sale_id")
            ]
        )

    def action_reject(self, reason=None):
        """Refuse the proof (also after validation): the delivery waits for a new one."""
        if not reason or not str(reason).strip():
            raise UserError(
                self.env._("A reason is required to reject a proof of delivery (field Reason).")
            )
        reason = str(reason).strip()
        wrong = self.filtered(lambda p: p.state == "rejected")
        if wrong:
            raise UserError(
                self.env._("Proof of delivery %s is already rejected.", wrong[0].display_name)
            )
        self._o2c_owned_write(
            {
                "state": "rejected",
                "rejected_by_id": self.env.uid,
                "rejected_date": fields.Datetime.now(),
                "reject_reason": reason,
            }
        )
        pickings = self.picking_id.sudo()
        pickings._o2c_update_release()
        # Cross-addon hook: o2c_dispute_helpdesk opens a dispute from it.
        pickings._o2c_pod_rejected(reason)
        return True

    def action_open_reject_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Proof of Delivery"),
            "res_model": "o2c.delivery.proof.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_proof_ids": self.ids},
        }

    # ---------------------------------------------------------- BUSINESS
    def _check_evidence(self):
        """Raise unless the evidence this kind of proof needs is there."""
        self.ensure_one()
        if self.kind == "signature" and not self.picking_id.signature:
            raise UserError(
                self.env._(
                    "Delivery %s has no signature: choose another kind of proof (field Kind).",
                    self.picking_id.display_name,
                )
            )
        if self.kind == "document" and not self.attachment_ids:
            raise UserError(
                self.env._(
                    "Attach the signed delivery note before validating %s (field Attachments).",
                    self.display_name,
                )
            )
        if self.kind == "carrier" and not self.tracking_ref:
            raise UserError(
                self.env._(
                    "A carrier confirmation needs its tracking reference (field Tracking "
                    "Reference)."
                )
            )
        if self.kind in ("signature", "document") and not self.received_by:
            raise UserError(
                self.env._(
                    "Say who received the goods (field Received By) on %s.", self.display_name
                )
            )
