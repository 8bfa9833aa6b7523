# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models, tools
from odoo.addons.o2c_exception_base.tools import BatchJob, among_ids, post_park_note
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round
from odoo.tools.sql import drop_index

from .account_move import MISSING_POD
from .res_company import RELEASE_POLICIES

# The POD aging cron's batches (o2c.batch runs them inline or as queue jobs).
POD_AGING_JOB = BatchJob(
    "stock.picking",
    "_o2c_pod_aging_lock",
    "_o2c_pod_aging",
    "_o2c_park_pod_aging",
    "root.o2c.invoice",
)

POD_STATES = [
    ("not_required", "Not required"),
    ("missing", "Missing"),
    ("pending", "Pending"),
    ("validated", "Validated"),
    ("rejected", "Rejected"),
]
# POD states of a delivery that still waits for its proof.
WAITING_POD_STATES = ("missing", "pending", "rejected")
MISSING_POD_ACTIVITY = "o2c_invoice_release.mail_activity_type_o2c_missing_pod"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    #: the release decision and its evidence: only the release actions write them
    #: (policy snapshot and POD state at validation, release/withdrawal, the
    #: invoicing job's queue and parking, the invoices billing it, their posting)
    _o2c_governed_fields = (
        "o2c_release_policy",
        "o2c_pod_state",
        "o2c_released",
        "o2c_release_date",
        "o2c_released_by_id",
        "o2c_release_pending",
        "o2c_release_error",
        "o2c_pod_aging_error",
        "o2c_invoice_ids",
        "o2c_invoice_posted_date",
    )

    # ------------------------------------------------------------ FIELDS
    o2c_proof_ids = fields.One2many(
        "o2c.delivery.proof", "picking_id", string="Proofs of Delivery", copy=False
    )
    o2c_release_policy = fields.Selection(
        RELEASE_POLICIES,
        string="Invoice Release Policy",
        readonly=True,
        copy=False,
        help="Release policy of the customer when the delivery was done.",
    )
    o2c_pod_state = fields.Selection(
        POD_STATES,
        string="Proof of Delivery",
        compute="_compute_o2c_pod_state",
        store=True,
        index=True,
        copy=False,
    )
    o2c_released = fields.Boolean(
        string="Released for Invoicing",
        readonly=True,
        copy=False,
        help="The delivered quantities may be invoiced.",
    )
    o2c_release_date = fields.Datetime(string="Released On", readonly=True, copy=False)
    o2c_released_by_id = fields.Many2one(
        "res.users", string="Released By", readonly=True, copy=False
    )
    o2c_release_pending = fields.Boolean(
        string="Waiting for Automatic Invoicing",
        readonly=True,
        copy=False,
        help="Released and queued for the automatic invoicing job.",
    )
    o2c_release_error = fields.Text(
        string="Automatic Invoicing Error",
        readonly=True,
        copy=False,
        help="Why the automatic invoicing job could not invoice this delivery.",
    )
    o2c_pod_aging_error = fields.Text(
        string="Missing-POD Job Error",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Why the missing proof of delivery job could not check this delivery; "
        "the job leaves it out until someone retries it.",
    )
    o2c_invoice_ids = fields.Many2many(
        "account.move",
        "o2c_account_move_stock_picking_rel",
        "picking_id",
        "move_id",
        string="Billed By",
        readonly=True,
        copy=False,
    )
    o2c_invoice_posted_date = fields.Datetime(
        string="Invoice Posted On",
        readonly=True,
        copy=False,
        help="When the first invoice billing this delivery was posted.",
    )

    def _auto_init(self):
        res = super()._auto_init()
        # The release job reads the (small) queue of released deliveries only.
        tools.create_index(
            self.env.cr,
            "stock_picking_o2c_release_pending_idx",
            self._table,
            ["sale_id"],
            where="o2c_release_pending IS TRUE",
        )
        # The invoice latency of the dashboard: deliveries invoiced in a period,
        # read from the index alone (index-only scan).
        drop_index(self.env.cr, "stock_picking__o2c_invoice_posted_date_index", self._table)
        tools.create_index(
            self.env.cr,
            "stock_picking_o2c_invoice_latency_idx",
            self._table,
            ["o2c_invoice_posted_date", "company_id", "sale_id", "picking_type_id", "date_done"],
            where="o2c_invoice_posted_date IS NOT NULL",
        )
        return res

    # ----------------------------------------------------------- COMPUTE
    @api.depends("o2c_release_policy", "o2c_proof_ids.state", "o2c_proof_ids.active")
    def _compute_o2c_pod_state(self):
        for picking in self:
            states = set(picking.o2c_proof_ids.mapped("state"))
            if "validated" in states:
                picking.o2c_pod_state = "validated"
            elif "pending" in states:
                picking.o2c_pod_state = "pending"
            elif "rejected" in states:
                picking.o2c_pod_state = "rejected"
            elif picking.o2c_release_policy == "on_pod":
                picking.o2c_pod_state = "missing"
            else:
                picking.o2c_pod_state = "not_required"

    # -------------------------------------------------------------- CRUD
    def _action_done(self):
        res = super()._action_done()
        self._o2c_on_done()
        return res

    # ------------------------------------------------------------ ACTION
    def action_o2c_record_proof(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Proof of Delivery"),
            "res_model": "o2c.delivery.proof",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_picking_id": self.id,
                "default_received_by": self.partner_id.name,
            },
        }

    def action_o2c_view_proofs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2c_invoice_release.o2c_delivery_proof_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        action["context"] = {"default_picking_id": self.id}
        return action

    def action_o2c_release(self):
        """Finance releases deliveries of customers on the manual policy."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(self.env._("Only billing users can release deliveries for invoicing."))
        wrong = self.filtered(
            lambda p: p.state != "done" or p.o2c_release_policy != "manual" or p.o2c_released
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only done deliveries on the manual release policy that are not released "
                    "yet can be released by hand: %s.",
                    ", ".join(wrong.mapped("display_name")),
                )
            )
        self.sudo()._o2c_release(self.env._("released by %s", self.env.user.name))
        return True

    def action_o2c_retry_release(self):
        """Queue deliveries whose automatic invoicing failed again."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(self.env._("Only billing users can retry the invoicing."))
        todo = self.filtered(lambda p: p.o2c_released and p.o2c_release_error)
        todo.sudo()._o2c_owned_write({"o2c_release_pending": True, "o2c_release_error": False})
        return True

    def action_o2c_retry_pod_aging(self):
        """Give deliveries the missing-POD job parked back to it (its next run)."""
        if not self.env.user.has_group("stock.group_stock_user"):
            raise UserError(self.env._("Only inventory users can retry the check."))
        todo = self.filtered("o2c_pod_aging_error")
        if todo:
            todo.sudo()._o2c_owned_write({"o2c_pod_aging_error": False})
            todo.sudo()._message_log_batch(
                bodies=dict.fromkeys(
                    todo.ids,
                    self.env._("Missing-POD check retry requested by %s", self.env.user.name),
                )
            )
            self.env.ref("o2c_invoice_release.ir_cron_o2c_pod_aging").sudo()._trigger()
        return True

    # ---------------------------------------------------------- BUSINESS
    def _o2c_awaits_release(self):
        """A done delivery o2c governs whose quantities are not invoiceable yet.

        Only deliveries done since o2c was installed carry a release policy:
        older ones, and transfers that are no customer delivery, never wait.
        """
        return bool(
            self and self.state == "done" and self.o2c_release_policy and not self.o2c_released
        )

    def _o2c_is_customer_delivery(self):
        self.ensure_one()
        return self.picking_type_code != "incoming" and self.location_dest_id.usage == "customer"

    def _o2c_on_done(self):
        """Snapshot the customer's release policy on done deliveries, release them."""
        deliveries = self.filtered(
            lambda p: p.state == "done" and p.sale_id and p._o2c_is_customer_delivery()
        )
        by_policy = defaultdict(list)
        for picking in deliveries:
            policy = picking.sale_id.partner_id._o2c_get_release_policy(
                picking.company_id, picking.sale_id.o2c_order_class_id
            )
            by_policy[policy].append(picking.id)
        for policy, ids in by_policy.items():
            self.browse(ids)._o2c_owned_write({"o2c_release_policy": policy})
        deliveries._o2c_update_release()

    def _o2c_update_release(self):
        """Release or withdraw these deliveries according to their policy and POD."""
        to_release, to_withdraw = self.browse(), self.browse()
        for picking in self:
            policy = picking.o2c_release_policy
            if picking.state != "done" or policy not in ("on_delivery", "on_pod"):
                continue  # manual: released by hand only
            wanted = policy == "on_delivery" or picking.o2c_pod_state == "validated"
            if wanted and not picking.o2c_released:
                to_release |= picking
            elif not wanted and picking.o2c_released:
                to_withdraw |= picking
        if to_release:
            to_release._o2c_release(self.env._("proof of delivery validated"), "on_pod")
            to_release._o2c_release(self.env._("delivery validated"), "on_delivery")
        to_withdraw._o2c_withdraw_release()

    def _o2c_release(self, why, policy=None):
        """Make the delivered quantities invoiceable; queue them for the release job."""
        todo = self.filtered(lambda p: not policy or p.o2c_release_policy == policy)
        if not todo:
            return
        vals = {
            "o2c_released": True,
            "o2c_release_date": fields.Datetime.now(),
            "o2c_released_by_id": self.env.uid,
            "o2c_release_error": False,
        }
        queued = todo.filtered(
            lambda p: p.company_id.o2c_auto_invoice
            and not p.o2c_invoice_ids.filtered(lambda m: m.state != "cancel")
        )
        if queued:
            queued._o2c_owned_write(dict(vals, o2c_release_pending=True))
            cron = self.env.ref(
                "o2c_invoice_release.ir_cron_o2c_auto_invoice", raise_if_not_found=False
            )
            if cron:
                cron.sudo()._trigger()
        if todo - queued:
            (todo - queued)._o2c_owned_write(vals)
        reason = self.env._("Released for invoicing: %s.", why)
        todo._o2c_resolve_exceptions([MISSING_POD], reason)
        todo.activity_feedback([MISSING_POD_ACTIVITY], feedback=reason)
        todo._message_log_batch(bodies={p.id: Markup("<b>%s</b>") % reason for p in todo})

    def _o2c_withdraw_release(self):
        """The proof was rejected: not invoiceable any more unless already billed."""
        billed = self.filtered(lambda p: p.o2c_invoice_ids.filtered(lambda m: m.state != "cancel"))
        todo = self - billed
        if todo:
            todo._o2c_owned_write(
                {
                    "o2c_released": False,
                    "o2c_release_date": False,
                    "o2c_released_by_id": False,
                    "o2c_release_pending": False,
                }
            )
            body = Markup("<b>%s</b>") % self.env._(
                "Withdrawn from invoicing: the proof of delivery was rejected."
            )
            todo._message_log_batch(bodies=dict.fromkeys(todo.ids, body))
        if billed:
            body = Markup("<b>%s</b>") % self.env._(
                "The proof of delivery was rejected after this delivery was invoiced."
            )
            billed._message_log_batch(bodies=dict.fromkeys(billed.ids, body))

    def _o2c_awaiting_release_lines(self):
        """One line of text per delivery saying what it waits for."""
        labels = dict(self._fields["o2c_pod_state"]._description_selection(self.env))
        lines = []
        for picking in self:
            if picking.o2c_release_policy == "manual":
                why = self.env._("waiting for a manual release")
            else:
                why = self.env._("proof of delivery %s", labels[picking.o2c_pod_state].lower())
            lines.append(f"- {picking.name} ({picking.sale_id.name}): {why}")
        return lines

    def _o2c_portal_receipt_lines(self):
        """The customer's moves of this delivery, what the receipt form lists."""
        self.ensure_one()
        return self.move_ids.filtered(lambda m: m.state == "done" and m.quantity > 0)

    def _o2c_check_receipt_quantities(self, reported):
        """``reported`` = ``{move: (received, damaged)}`` from the portal: return the
        problems ``[(move, short, damaged)]``, refusing what cannot be."""
        problems = []
        for move, (received, damaged) in reported.items():
            delivered = move.quantity
            rounding = move.product_uom.rounding
            if not all(math.isfinite(v) and v >= 0 for v in (received, damaged)):
                raise ValidationError(
                    self.env._("%s: the quantities must be positive numbers.", move.product_id.name)
                )
            if float_compare(received, delivered, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: at most %(qty)s were delivered (field Received).",
                        product=move.product_id.name,
                        qty=delivered,
                    )
                )
            if float_compare(damaged, received, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "%s: more damaged than received (field Damaged).", move.product_id.name
                    )
                )
            short = float_round(delivered - received, precision_rounding=rounding)
            if short > 0 or float_compare(damaged, 0, precision_rounding=rounding) > 0:
                problems.append((move, short, damaged))
        return problems

    def _o2c_portal_report_receipt(self, reported, received_by, contact, photos):
        """The customer's ``contact`` confirms the receipt line by line.

        The proof of delivery is recorded with the ``photos`` (``[(name, data)]``);
        a shortage or damage is handed to whoever handles it
        (:meth:`_o2c_receipt_problems`). Returns where the customer follows it, or
        ``False``."""
        self.ensure_one()
        problems = self._o2c_check_receipt_quantities(reported)
        proof = self._o2c_portal_confirm_receipt(received_by, contact, photos)
        if not problems:
            return False
        proof.message_post(
            body=Markup("%s<ul>%s</ul>")
            % (
                self.env._("Problems reported on receipt:"),
                Markup("").join(
                    Markup("<li>%s</li>")
                    % self.env._(
                        "%(product)s: %(short)s short, %(damaged)s damaged",
                        product=move.product_id.display_name,
                        short=short,
                        damaged=damaged,
                    )
                    for move, short, damaged in problems
                ),
            ),
            author_id=contact.id,
        )
        return self._o2c_receipt_problems(problems, contact, proof.attachment_ids)

    def _o2c_portal_confirm_receipt(self, received_by, contact, photos=()):
        """The customer's ``contact`` confirms the receipt in the portal: a validated
        portal POD recording who confirmed it, with their ``photos`` ``[(name, data)]``."""
        self.ensure_one()
        if not self.company_id.o2c_portal_pod:
            raise UserError(self.env._("Receipt confirmation in the portal is disabled."))
        if self.o2c_pod_state == "validated":
            return self.o2c_proof_ids.filtered(lambda p: p.state == "validated")[:1]
        proof = self.env["o2c.delivery.proof"].create(
            {
                "picking_id": self.id,
                "kind": "portal",
                "received_by": received_by,
                "attachment_ids": [
                    Command.create({"name": name, "raw": data}) for name, data in photos
                ],
            }
        )
        proof._o2c_owned_write({"confirmed_by_partner_id": contact.id})
        proof.action_validate()
        return proof

    # ------------------------------------------------------------ CHECKS
    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "pod_aging":
            self._o2c_check_missing_pod()
        return res

    def _o2c_check_missing_pod(self):
        """Raise ``missing_pod`` on deliveries done too long ago without a validated POD."""
        now = fields.Datetime.now()
        aged = self.filtered(
            lambda p: p.state == "done"
            and p.o2c_release_policy == "on_pod"
            and p.o2c_pod_state in WAITING_POD_STATES
            and p.company_id.o2c_pod_aging_days
            and p.date_done <= now - timedelta(days=p.company_id.o2c_pod_aging_days)
        )
        labels = dict(self._fields["o2c_pod_state"]._description_selection(self.env))
        values = {}
        for picking in aged:
            days = (now - picking.date_done).days
            values[picking.id] = {
                "name": self.env._(
                    "No validated proof of delivery %(days)s days after " "delivery %(picking)s",
                    days=days,
                    picking=picking.name,
                ),
                "details": Markup("<p>%s</p>")
                % self.env._(
                    "Proof of delivery: %(state)s. The delivered quantities cannot be "
                    "invoiced before it is validated.",
                    state=labels[picking.o2c_pod_state],
                ),
                "amount": picking._o2c_delivered_amount(),
            }
        aged._o2c_raise_exceptions(MISSING_POD, values)
        validated = self.filtered(lambda p: p.o2c_pod_state == "validated")
        validated._o2c_resolve_exceptions([MISSING_POD], self.env._("Proof of delivery validated."))
        return aged

    def _o2c_delivered_amount(self):
        """Sales value (order currency, untaxed) of the quantities this delivery shipped."""
        self.ensure_one()
        return sum(
            move.quantity * move.sale_line_id.price_reduce_taxexcl
            for move in self.move_ids
            if move.state == "done" and move.sale_line_id
        )

    def _o2c_schedule_missing_pod_activities(self):
        """Ask the warehouse team to collect the proof (one activity per person)."""
        activity_type = self.env.ref(MISSING_POD_ACTIVITY)
        managers = (
            self.env.ref("stock.group_stock_manager")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and u.id != 1)
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = []
        for picking in self:
            users = (picking.company_id.o2c_pod_responsible_id or picking.user_id).filtered(
                lambda u: u.active and not u.share and u.id != 1
            ) or managers.filtered(lambda u, p=picking: p.company_id in u.company_ids)
            vals_list += [
                {
                    "res_model_id": model_id,
                    "res_id": picking.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": self.env._("Collect the proof of delivery of %s", picking.name),
                    "automated": True,
                    "date_deadline": today,
                }
                for user in users
            ]
        if vals_list:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                vals_list
            )

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_o2c_pod_aging(self, batch_size=200):
        """Raise ``missing_pod`` on aged deliveries, one committed batch at a time."""
        return self.env["o2c.batch"]._o2c_run_batches(
            POD_AGING_JOB,
            batch_size,
            take_batch=lambda limit, _previous: self._o2c_pod_aging_batch(limit),
        )

    @api.model
    def _o2c_pod_aging_batch(self, limit):
        """Lock up to ``limit`` aged deliveries without a missing-POD exception, raise it."""
        return POD_AGING_JOB.lock_and_run(
            self.env, limit, "missing proofs of delivery raised", order=SQL("p.date_done, p.id")
        )

    @api.model
    def _o2c_pod_aging_lock(self, limit, after_id=0, ids=None, order=None):
        """Lock up to ``limit`` aged deliveries without a missing-POD exception."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT p.id FROM stock_picking p
                 JOIN res_company c ON c.id = p.company_id
                WHERE p.state = 'done' AND p.o2c_release_policy = 'on_pod'
                  AND p.o2c_pod_state IN %s AND c.o2c_pod_aging_days > 0
                  AND p.date_done <= %s - make_interval(days => c.o2c_pod_aging_days)
                  AND p.o2c_pod_aging_error IS NULL AND p.id > %s %s
                  AND NOT EXISTS (
                      SELECT 1 FROM o2c_exception e
                       WHERE e.res_model = 'stock.picking' AND e.res_id = p.id
                         AND e.code = 'missing_pod'
                         AND e.state IN ('open', 'approved', 'rejected', 'cancelled'))
             ORDER BY %s
                LIMIT %s
           FOR UPDATE OF p SKIP LOCKED""",
                WAITING_POD_STATES,
                fields.Datetime.now(),
                after_id,
                among_ids("p.id", ids),
                order or SQL("p.id"),
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _o2c_pod_aging(self):
        """Raise ``missing_pod`` on these aged deliveries, ask for the proof."""
        self._o2c_run_checks("pod_aging")
        self._o2c_schedule_missing_pod_activities()

    def _o2c_park_pod_aging(self, error):
        """Take this delivery out of the missing-POD job, with the reason."""
        self.sudo()._o2c_owned_write({"o2c_pod_aging_error": error})
        post_park_note(self, self.env._("Missing proof of delivery check failed"), error)
