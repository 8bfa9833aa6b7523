# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception import HOLDING_STATES
from odoo.addons.o2c_exception_base.tools import run_cron_batches
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .credit_status import CREDIT_CODE
from .res_company import POLICIES

_logger = logging.getLogger(__name__)


class O2cException(models.Model):
    _inherit = "o2c.exception"

    # ------------------------------------------------------------ FIELDS
    o2c_credit_policy = fields.Selection(POLICIES, string="Credit Policy", readonly=True)
    o2c_credit_exposure = fields.Monetary(
        string="Credit Exposure", currency_field="currency_id", readonly=True
    )
    o2c_credit_limit = fields.Monetary(
        string="Credit Limit", currency_field="currency_id", readonly=True
    )
    o2c_credit_unlimited = fields.Boolean(string="Unlimited Credit", readonly=True)
    o2c_credit_overdue = fields.Monetary(
        string="Overdue beyond Tolerance", currency_field="currency_id", readonly=True
    )
    o2c_credit_release_ids = fields.One2many(
        "o2c.credit.release", "exception_id", string="Credit Releases", readonly=True
    )
    o2c_credit_release_id = fields.Many2one(
        "o2c.credit.release", string="Current Credit Release", readonly=True, copy=False
    )
    o2c_credit_expiry_date = fields.Date(
        related="o2c_credit_release_id.expiry_date", string="Release Expiry"
    )

    # ------------------------------------------------------------ ACTION
    def action_approve(self, reason=None):
        blocked = self.filtered(lambda e: e.code == CREDIT_CODE and e.o2c_credit_policy == "block")
        if blocked:
            raise UserError(
                self.env._(
                    "%s is under the credit policy Block: it cannot be released by an "
                    "approval. A payment, a credit note or new credit terms release it; "
                    "an O2C manager may cancel it.",
                    blocked[0].display_name,
                )
            )
        return super().action_approve(reason)

    def action_o2c_credit_release(self):
        """Open the release wizard (reason, optional expiry and amount)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Credit Hold"),
            "res_model": "o2c.credit.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_exception_ids": self.ids},
        }

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_credit_own_domain(self):
        """Credit holds raised by this addon (not by an admin rule of the same type)."""
        if "rule_id" in self._fields:
            return [("code", "=", CREDIT_CODE), ("rule_id", "=", False)]
        return [("code", "=", CREDIT_CODE)]

    def _o2c_credit_own(self):
        has_rule = "rule_id" in self._fields
        return self.filtered(lambda e: e.code == CREDIT_CODE and not (has_rule and e.rule_id))

    def _set_decision(self, state, reason, keys=None):
        res = super()._set_decision(state, reason, keys)
        credit = self._o2c_credit_own()
        if state == "approved" and credit:
            statuses = credit._o2c_credit_statuses()
            credit._o2c_credit_record_releases(
                "manual", dict.fromkeys(credit.ids, reason), statuses
            )
            credit._o2c_credit_log_release(statuses)
        return res

    def _reopen(self, reason):
        res = super()._reopen(reason)
        self.o2c_credit_release_id._o2c_end("void", reason)
        return res

    def _o2c_credit_statuses(self):
        """Return ``{exception id: status}`` of the documents as they stand now.

        The status is ``None`` when the credit control no longer applies to the
        document (cancelled, done, control switched off).
        """
        requests = []
        for model in set(self.mapped("res_model")):
            if model not in self.env or not hasattr(self.env[model], "_o2c_credit_requests"):
                continue
            ids = self.filtered(lambda e, m=model: e.res_model == m).mapped("res_id")
            docs = self.env[model].sudo().browse(ids).exists().sorted("id")
            requests += [
                ((model, request[0]), *request[1:]) for request in docs._o2c_credit_requests()
            ]
        results = self.env["res.partner"]._o2c_credit_evaluate(requests)
        return {exc.id: results.get((exc.res_model, exc.res_id)) for exc in self}

    def _o2c_credit_record_releases(self, kind, reasons, statuses, trigger=None):
        """Create one release per exception with the exposure at this moment."""
        now = fields.Datetime.now()
        vals_list = []
        for exc in self:
            status = statuses.get(exc.id) or {}
            vals_list.append(
                {
                    "exception_id": exc.id,
                    "partner_id": exc.partner_id.id,
                    "company_id": exc.company_id.id,
                    "kind": kind,
                    "user_id": self.env.uid,
                    "triggered_by_id": trigger.id if trigger else False,
                    "date": now,
                    "reason": reasons[exc.id],
                    "exposure": status.get("exposure", 0.0),
                    "credit_limit": status.get("limit") or 0.0,
                    "unlimited": bool(status) and status["limit"] is None,
                    "excess": status.get("excess", 0.0),
                    "overdue": status.get("overdue_beyond", 0.0),
                    "hold_hours": (now - exc.request_date).total_seconds() / 3600.0,
                }
            )
        releases = self.env["o2c.credit.release"].sudo().create(vals_list)
        for exc, release in zip(self, releases, strict=True):
            exc.sudo().o2c_credit_release_id = release
        return releases

    def _o2c_credit_log_release(self, statuses):
        """Who released, and the exposure at that moment, on the exception and document."""

        def body(exc):
            status = statuses.get(exc.id)
            if not status:
                return Markup("%s") % self.env._("Credit released by %s.", self.env.user.name)
            return Markup("%s") % self.env._(
                "Credit released by %(user)s at exposure %(exposure)s (limit %(limit)s).",
                user=self.env.user.name,
                exposure=formatLang(self.env, status["exposure"], currency_obj=status["currency"]),
                limit=self.env._("unlimited")
                if status["limit"] is None
                else formatLang(self.env, status["limit"], currency_obj=status["currency"]),
            )

        self.sudo()._message_log_batch(bodies={exc.id: body(exc) for exc in self})
        self._log_on_documents(body)

    def _o2c_credit_auto_release(self, statuses, trigger=None):
        """The system resolves these holds: their document fits (or is no longer checked).

        Recorded as such: decided by the superuser, one ``automatic`` release
        each, with the user whose action triggered it.
        """
        if not self:
            return self
        trigger = trigger or self.env.user
        reasons = {exc.id: exc._o2c_credit_release_reason(statuses.get(exc.id)) for exc in self}
        self._o2c_decide_as_system("resolved", reasons)
        system = self.with_user(SUPERUSER_ID).sudo()
        self.with_env(system.env)._o2c_credit_record_releases(
            "automatic", reasons, statuses, trigger=trigger
        )
        return self

    def _o2c_credit_release_reason(self, status):
        if not status:
            return self.env._(
                "Released automatically: %s is no longer subject to credit control.", self.res_name
            )
        if status["hold"]:
            return self.env._("Released automatically: the credit policy is now Warn.")
        return self.env._(
            "Released automatically: exposure %(exposure)s within limit %(limit)s.",
            exposure=formatLang(self.env, status["exposure"], currency_obj=status["currency"]),
            limit=self.env._("unlimited")
            if status["limit"] is None
            else formatLang(self.env, status["limit"], currency_obj=status["currency"]),
        )

    @api.model
    def _o2c_credit_recheck_partners(self, partners):
        """Re-evaluate the credit holds of these customers (payment, credit note, terms)."""
        commercial = partners.commercial_partner_id.filtered("id")
        if not commercial or self.env.context.get("o2c_credit_no_recheck"):
            return self.browse()
        holds = self.sudo().search(
            [
                *self._o2c_credit_own_domain(),
                ("state", "in", list(HOLDING_STATES)),
                ("partner_id", "in", commercial.ids),
            ]
        )
        return holds._o2c_credit_recheck()

    def _o2c_credit_recheck(self):
        """Release (as the system) the holds whose document now fits; refresh the others.

        :return: the released exceptions
        """
        holds = self.sudo()._o2c_credit_own().filtered(lambda e: e.state in HOLDING_STATES)
        if not holds:
            return holds
        statuses = holds._o2c_credit_statuses()
        released = holds.filtered(lambda e: not statuses[e.id] or not statuses[e.id]["blocking"])
        released._o2c_credit_auto_release(statuses)
        for model in set((holds - released).mapped("res_model")):
            still = (holds - released).filtered(lambda e, m=model: e.res_model == m)
            docs = self.env[model].sudo().browse(still.mapped("res_id"))
            results = {e.res_id: statuses[e.id] for e in still}
            docs._o2c_raise_exceptions(CREDIT_CODE, docs._o2c_credit_exception_vals(results))
        return released

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_o2c_credit_recheck(self, batch_size=200):
        """Re-evaluate every credit hold, one locked and committed batch at a time.

        Safe with several workers (``FOR UPDATE SKIP LOCKED``); a batch that
        fails is retried hold by hold so one bad document does not stop the rest.
        """

        def take_batch(limit, previous):
            batch = self._o2c_credit_lock_holds(max(previous.ids) if previous else 0, limit)
            batch._o2c_credit_recheck_isolated()
            return batch

        done = run_cron_batches(self.env, take_batch, batch_size)
        self._o2c_credit_expire_releases()
        return done

    @api.model
    def _o2c_credit_lock_holds(self, after_id, limit):
        self.env.flush_all()
        own = SQL("AND rule_id IS NULL") if "rule_id" in self._fields else SQL()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM o2c_exception
                WHERE code = %s AND state IN %s AND active AND id > %s %s
             ORDER BY id
                LIMIT %s
           FOR UPDATE SKIP LOCKED""",
                CREDIT_CODE,
                HOLDING_STATES,
                after_id,
                own,
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _o2c_credit_recheck_isolated(self):
        try:
            with self.env.cr.savepoint():
                self._o2c_credit_recheck()
        except Exception:  # pylint: disable=broad-except
            _logger.exception("o2c: credit re-check of %s failed, retrying one by one", self)
            for exc in self:
                try:
                    with self.env.cr.savepoint():
                        exc._o2c_credit_recheck()
                except Exception as error:  # pylint: disable=broad-except
                    _logger.exception("o2c: credit re-check of %s failed", exc)
                    exc.sudo().message_post(
                        body=self.env._("Automatic credit re-check failed: %s", error),
                        subtype_xmlid="mail.mt_note",
                    )

    @api.model
    def _o2c_credit_expire_releases(self):
        """Lapse the releases past their expiry date; reopen holds still pending."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT e.id FROM o2c_exception e
                 JOIN o2c_credit_release r ON r.id = e.o2c_credit_release_id
                WHERE e.code = %s AND e.state = 'approved' AND r.state = 'valid'
                  AND r.expiry_date < %s
           FOR UPDATE OF e SKIP LOCKED""",
                CREDIT_CODE,
                fields.Date.context_today(self),
            )
        )
        excs = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        if not excs:
            return excs
        pending_docs = set()
        for model in set(excs.mapped("res_model")):
            docs = (
                self.env[model]
                .sudo()
                .browse(excs.filtered(lambda e, m=model: e.res_model == m).mapped("res_id"))
                .exists()
            )
            pending_docs |= {(model, rid) for rid in docs._o2c_credit_pending().ids}
        by_date = defaultdict(lambda: self.sudo().browse())
        for exc in excs:
            by_date[exc.o2c_credit_release_id.expiry_date] |= exc
        for expiry, group in by_date.items():
            reason = self.env._("the credit release expired on %s", expiry)
            group.o2c_credit_release_id._o2c_end("expired", reason)
            pending = group.filtered(lambda e: (e.res_model, e.res_id) in pending_docs)
            if pending:
                pending._reopen(reason)
        return excs
