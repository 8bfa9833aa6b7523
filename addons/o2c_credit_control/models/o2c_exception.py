# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from dataclasses import replace

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.addons.o2c_exception_base.governance import owning_action
from odoo.addons.o2c_exception_base.models.o2c_exception import HOLDING_STATES
from odoo.addons.o2c_exception_base.tools import (
    BatchJob,
    among_ids,
    post_park_note,
    process_isolated,
)
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .credit_status import CREDIT_CODE, NO_STATUS, terms_from_json, terms_key, terms_to_json
from .res_company import POLICIES

_logger = logging.getLogger(__name__)

# The credit re-check cron's batches (o2c.batch runs them inline or as queue jobs).
CREDIT_RECHECK_JOB = BatchJob(
    "o2c.exception",
    "_o2c_credit_recheck_lock",
    "_o2c_credit_recheck",
    "_o2c_credit_park_recheck",
    "root.o2c.recheck",
)


class O2cException(models.Model):
    _inherit = "o2c.exception"
    # The credit figures the hold was judged on, its releases and who changed its
    # terms: written by the engine (raise/refresh), the release action and the
    # terms change only. ``order_class_id`` (of the engine) gives the credit
    # policy of a held order: it is pinned for credit control too.
    _o2c_governed_fields = (
        "o2c_credit_policy",
        "o2c_credit_exposure",
        "o2c_credit_limit",
        "o2c_credit_unlimited",
        "o2c_credit_overdue",
        "o2c_credit_release_ids",
        "o2c_credit_release_id",
        "o2c_credit_expiry_date",
        "o2c_credit_terms_changed_by_id",
        "o2c_credit_terms_before",
        "o2c_credit_recheck_error",
        "order_class_id",
    )

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
    o2c_credit_terms_changed_by_id = fields.Many2one(
        "res.users",
        string="Terms Changed by (may not release)",
        readonly=True,
        copy=False,
        tracking=True,
        help="Who changed the credit terms of this hold while they requested it or "
        "may not approve it. The change does not release the hold: it is released "
        "automatically only if the document also fits the terms before that change "
        "(e.g. after a payment); otherwise another credit manager decides.",
    )
    o2c_credit_terms_before = fields.Json(
        string="Credit Terms before the Change",
        readonly=True,
        copy=False,
        help="The terms in force before the change by the user above.",
    )
    o2c_credit_recheck_error = fields.Text(
        string="Credit Re-check Error",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Why the credit re-check job could not re-check this hold (or lapse its "
        "release); the job leaves it out until someone retries it or the customer's "
        "credit changes and the re-check passes.",
    )

    # ------------------------------------------------------------ ACTION
    def action_approve(self, reason=None, root_cause_id=None):
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
        return super().action_approve(reason, root_cause_id=root_cause_id)

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

    def action_o2c_credit_retry_recheck(self):
        """Give holds the credit re-check job parked back to it (its next run)."""
        if not self.env.user.has_group("o2c_exception_base.group_o2c_approver"):
            raise UserError(self.env._("Only O2C approvers can retry the credit re-check."))
        todo = self.filtered("o2c_credit_recheck_error")
        if todo:
            todo.sudo()._o2c_owned_write({"o2c_credit_recheck_error": False})
            todo.sudo()._message_log_batch(
                bodies=dict.fromkeys(
                    todo.ids,
                    self.env._("Credit re-check retry requested by %s", self.env.user.name),
                )
            )
            self.env.ref("o2c_credit_control.ir_cron_o2c_credit_recheck").sudo()._trigger()
        return True

    def _o2c_reason_required(self, action):
        # releasing credit is an override of the customer's terms: say why
        return super()._o2c_reason_required(action) or any(exc.code == CREDIT_CODE for exc in self)

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_credit_own_domain(self):
        """Credit holds raised by this addon (not by an admin rule of the same type)."""
        return [("code", "=", CREDIT_CODE), ("rule_id", "=", False)]

    def _o2c_credit_own(self):
        return self.filtered(lambda e: e.code == CREDIT_CODE and not e.rule_id)

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

    def _o2c_credit_doc_requests(self):
        """Credit requests of the documents, keyed ``(model, id)``, in evaluation order."""
        requests = []
        for docs, _recs in self._o2c_by_document_model():
            requests += [
                replace(request, key=(docs._name, request.key))
                for request in docs.sorted("id")._o2c_credit_requests()
            ]
        return requests

    def _o2c_credit_statuses(self, terms=None):
        """Return ``{exception id: status}`` of the documents as they stand now.

        The status is ``None`` when the credit control no longer applies to the
        document (cancelled, done, control switched off).

        :param terms: ``{exception id: CreditTerms}`` to judge on instead of the
            current terms (e.g. the terms before a change)
        """
        requests = self._o2c_credit_doc_requests()
        override = None
        if terms:
            override = {(e.res_model, e.res_id): terms[e.id] for e in self if e.id in terms}
        results = self.env["res.partner"]._o2c_credit_evaluate(requests, terms_override=override)
        return {exc.id: results.get((exc.res_model, exc.res_id)) for exc in self}

    def _o2c_credit_terms_now(self):
        """Return ``{exception id: CreditTerms}`` its document is judged on now.

        ``None`` when the credit control does not apply to the document. Reads
        the terms only (no exposure figures).
        """
        doc_requests = {request.key: request for request in self._o2c_credit_doc_requests()}
        terms = self.env["res.partner"]._o2c_credit_request_terms(list(doc_requests.values()))
        result = {}
        for exc in self:
            request = doc_requests.get((exc.res_model, exc.res_id))
            result[exc.id] = request.terms_in(terms) if request else None
        return result

    @api.model
    def _o2c_credit_terms_snapshot(self, domain):
        """Before a change of credit terms: the open credit holds in ``domain``, their terms.

        :return: ``(holds, {exception id: CreditTerms})``, for
            :meth:`_o2c_credit_register_terms_change` after the change
        """
        holds = self.sudo().search(
            [*self._o2c_credit_own_domain(), ("state", "in", list(HOLDING_STATES)), *domain]
        )
        return holds, holds._o2c_credit_terms_now()

    def _o2c_credit_register_terms_change(self, before):
        """After a change of credit terms by the current user: segregation of duties.

        On each of these open holds whose terms changed, the user becomes a
        conflict user (may not approve it). When the user had requested the
        hold or could already not approve it, the hold keeps the terms before the
        change (:meth:`_o2c_credit_kept_by_terms_change`): nobody releases their
        own hold by changing terms; another credit manager decides. A change by a
        user free of conflict replaces those earlier terms (that user decided
        on the terms). Changes by the system itself (superuser) record nobody.

        :param before: ``{exception id: CreditTerms}`` from :meth:`_o2c_credit_terms_snapshot`
        :return: the holds whose terms changed
        """
        if not self:
            return self
        after = self._o2c_credit_terms_now()
        changed = self.filtered(
            lambda e: e.state in HOLDING_STATES
            and terms_key(before.get(e.id)) != terms_key(after.get(e.id))
        )
        user = self.env.user
        if not changed or user.id == SUPERUSER_ID:
            return changed
        bodies = {}
        for exc in changed.sudo():
            conflicted = user == exc.requested_by_id or user in exc.conflict_user_ids
            vals = {}
            text = self.env._(
                "Credit terms changed by %(user)s: %(before)s → %(after)s.",
                user=user.name,
                before=exc._o2c_credit_terms_label(before.get(exc.id)),
                after=exc._o2c_credit_terms_label(after.get(exc.id)),
            )
            if conflicted:
                if not exc.o2c_credit_terms_changed_by_id and before.get(exc.id):
                    vals["o2c_credit_terms_changed_by_id"] = user.id
                    vals["o2c_credit_terms_before"] = terms_to_json(before[exc.id])
                text += " " + self.env._(
                    "Terms changed by %s, who may not release this hold; another credit "
                    "manager must decide.",
                    user.name,
                )
            elif exc.o2c_credit_terms_changed_by_id:
                vals["o2c_credit_terms_changed_by_id"] = False
                vals["o2c_credit_terms_before"] = False
                text += " " + self.env._(
                    "%s, who may decide on this hold, set these terms: the hold is judged "
                    "on them again.",
                    user.name,
                )
            if user not in exc.conflict_user_ids:
                vals["conflict_user_ids"] = [Command.link(user.id)]
            if vals:
                exc._o2c_owned_write(vals)
            bodies[exc.id] = text
        changed.sudo()._message_log_batch(bodies=bodies)
        return changed

    def _o2c_credit_terms_label(self, terms):
        if terms is None:
            return self.env._("no credit control")
        currency = self.currency_id or self.env.company.currency_id
        return self.env._(
            "limit %(limit)s, policy %(policy)s, overdue tolerance %(days)s days / %(amount)s",
            limit=self.env._("unlimited")
            if terms.limit is None
            else formatLang(self.env, terms.limit, currency_obj=currency),
            policy=dict(POLICIES).get(terms.policy, terms.policy),
            days=terms.overdue_days,
            amount=formatLang(self.env, terms.overdue_amount, currency_obj=currency),
        )

    def _o2c_credit_kept_by_terms_change(self, statuses):
        """The holds of ``self`` that a terms change by their own requester may not release.

        A hold whose terms were changed by a user who may not release it
        (``o2c_credit_terms_changed_by_id``) is released automatically only when
        its document also fits the terms before that change (e.g. a payment made
        it fit), or is no longer waiting (cancelled, done).
        """
        tainted = self.filtered("o2c_credit_terms_changed_by_id")
        if not tainted:
            return self.browse()
        kept = self.browse()
        old_terms = {}
        pending = set()
        for docs, _recs in tainted._o2c_by_document_model():
            pending |= {(docs._name, doc_id) for doc_id in docs._o2c_credit_pending().ids}
        for exc in tainted:
            if statuses.get(exc.id) is None:
                if (exc.res_model, exc.res_id) in pending:
                    kept |= exc  # the credit control was switched off by that change
            elif exc.o2c_credit_terms_before:
                old_terms[exc.id] = terms_from_json(exc.o2c_credit_terms_before)
        if old_terms:
            judged = tainted.browse(list(old_terms))
            old = judged._o2c_credit_statuses(terms=old_terms)
            kept |= judged.filtered(lambda e: old.get(e.id) and old[e.id].blocking)
        return kept

    def _o2c_credit_record_releases(self, kind, reasons, statuses, trigger=None):
        """Create one release per exception with the exposure at this moment."""
        now = fields.Datetime.now()
        vals_list = []
        for exc in self:
            status = statuses.get(exc.id) or NO_STATUS
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
                    "exposure": status.exposure,
                    "credit_limit": status.limit or 0.0,
                    "unlimited": status is not NO_STATUS and status.limit is None,
                    "excess": status.excess,
                    "overdue": status.overdue_beyond,
                    "hold_hours": (now - exc.request_date).total_seconds() / 3600.0,
                }
            )
        with owning_action("o2c.credit.release"):
            releases = self.env["o2c.credit.release"].sudo().create(vals_list)
        for exc, release in zip(self, releases, strict=True):
            exc.sudo()._o2c_owned_write({"o2c_credit_release_id": release.id})
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
                exposure=formatLang(self.env, status.exposure, currency_obj=status.currency),
                limit=self.env._("unlimited")
                if status.limit is None
                else formatLang(self.env, status.limit, currency_obj=status.currency),
            )

        self.sudo()._message_log_batch(bodies={exc.id: body(exc) for exc in self})
        self._log_on_documents(body)

    def _o2c_credit_auto_release(self, statuses, trigger=None):
        """The system resolves these holds: their document fits (or is no longer checked).

        Recorded as such: decided by the superuser, one ``automatic`` release
        each, with the user whose action triggered it. Holds whose terms were
        changed by someone who may not release them stay open unless they also
        fit the terms before (:meth:`_o2c_credit_kept_by_terms_change`).

        :return: the released holds
        """
        if not self:
            return self
        todo = self - self._o2c_credit_kept_by_terms_change(statuses)
        if not todo:
            return todo
        trigger = trigger or self.env.user
        reasons = {exc.id: exc._o2c_credit_release_reason(statuses.get(exc.id)) for exc in todo}
        todo._o2c_decide_as_system("resolved", reasons)
        system = todo.with_user(SUPERUSER_ID).sudo()
        todo.with_env(system.env)._o2c_credit_record_releases(
            "automatic", reasons, statuses, trigger=trigger
        )
        return todo

    def _o2c_credit_release_reason(self, status):
        if not status:
            return self.env._(
                "Released automatically: %s is no longer subject to credit control.", self.res_name
            )
        if status.hold:
            return self.env._("Released automatically: the credit policy is now Warn.")
        return self.env._(
            "Released automatically: exposure %(exposure)s within limit %(limit)s.",
            exposure=formatLang(self.env, status.exposure, currency_obj=status.currency),
            limit=self.env._("unlimited")
            if status.limit is None
            else formatLang(self.env, status.limit, currency_obj=status.currency),
        )

    @api.model
    def _o2c_credit_recheck_partners(self, partners):
        """Re-evaluate the credit holds of these customers (payment, credit note, terms)."""
        commercial = partners.commercial_partner_id.filtered("id")
        if not commercial:
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
        fit = holds.filtered(lambda e: not statuses[e.id] or not statuses[e.id].blocking)
        released = fit._o2c_credit_auto_release(statuses)
        # holds that fit but are kept (terms changed by their requester) stay as they are
        for model in set((holds - fit).mapped("res_model")):
            still = (holds - fit).filtered(lambda e, m=model: e.res_model == m)
            docs = self.env[model].sudo().browse(still.mapped("res_id"))
            results = {e.res_id: statuses[e.id] for e in still}
            docs._o2c_raise_exceptions(CREDIT_CODE, docs._o2c_credit_exception_vals(results))
        # re-checked fine (e.g. the customer's credit changed): back in the job
        fixed = holds.filtered("o2c_credit_recheck_error")
        if fixed:
            fixed._o2c_owned_write({"o2c_credit_recheck_error": False})
        return released

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_o2c_credit_recheck(self, batch_size=200):
        """Re-evaluate every credit hold, one locked and committed batch at a time.

        Safe with several workers (``FOR UPDATE SKIP LOCKED``); a hold that
        fails alone is parked (``o2c_credit_recheck_error``, a note) and left
        out of the next runs, the rest of its batch is re-checked.
        """
        done = self.env["o2c.batch"]._o2c_run_batches(CREDIT_RECHECK_JOB, batch_size)
        self._o2c_credit_expire_releases()
        return done

    @api.model
    def _o2c_credit_recheck_lock(self, limit, after_id=0, ids=None):
        """Lock up to ``limit`` credit holds to re-check, in id order after ``after_id``."""
        self.env.flush_all()
        own = SQL("AND rule_id IS NULL")
        self.env.cr.execute(
            SQL(
                """SELECT id FROM o2c_exception
                WHERE code = %s AND state IN %s AND active AND id > %s %s %s
                  AND o2c_credit_recheck_error IS NULL
             ORDER BY id
                LIMIT %s
           FOR UPDATE SKIP LOCKED""",
                CREDIT_CODE,
                HOLDING_STATES,
                after_id,
                own,
                among_ids("id", ids),
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _o2c_credit_park_recheck(self, error):
        """Take this hold out of the credit re-check job, with the reason."""
        self.sudo()._o2c_owned_write({"o2c_credit_recheck_error": error})
        post_park_note(self, self.env._("Automatic credit re-check failed"), error)

    @api.model
    def _o2c_credit_expire_releases(self):
        """Lapse the releases past their expiry date; reopen holds still pending."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT e.id FROM o2c_exception e
                 JOIN o2c_credit_release r ON r.id = e.o2c_credit_release_id
                WHERE e.code = %s AND e.state = 'approved' AND r.state = 'valid'
                  AND r.expiry_date < %s AND e.o2c_credit_recheck_error IS NULL
           FOR UPDATE OF e SKIP LOCKED""",
                CREDIT_CODE,
                fields.Date.context_today(self),
            )
        )
        excs = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        process_isolated(
            excs,
            lambda chunk: chunk._o2c_credit_expire(),
            lambda exc, error: exc._o2c_credit_park_recheck(error),
        )
        return excs

    def _o2c_credit_expire(self):
        """Lapse the releases of these exceptions; reopen those still pending."""
        excs = self
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
