# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception import HOLDING_STATES, LIVE_STATES
from odoo.tools.misc import formatLang

from .credit_status import CREDIT_CODE
from .res_company import POLICIES


class O2cExceptionMixin(models.AbstractModel):
    """Credit control shared by the documents it guards (orders, deliveries)."""

    _inherit = "o2c.exception.mixin"

    # ------------------------------------------------------------- HOOKS
    def _o2c_credit_requests(self):
        """Return ``[CreditRequest]`` of the records the credit control applies to,
        keyed by record id. Hook: none by default."""
        return []

    def _o2c_credit_pending(self):
        """The records still waiting for their guarded action. Hook."""
        return self.browse()

    def _o2c_credit_label(self):
        """Word used in the exception summary."""
        return self.env._("Credit hold")

    # ---------------------------------------------------------- BUSINESS
    def _o2c_credit_check(self):
        """Evaluate the credit of these records and raise/resolve their holds."""
        results = self.env["res.partner"]._o2c_credit_evaluate(self._o2c_credit_requests())
        self._o2c_credit_apply(results)
        return results

    def _o2c_credit_apply(self, results):
        checked = self.browse(list(results))
        blocking = checked.filtered(lambda r: results[r.id].blocking)
        free = checked - blocking
        if free:
            Exception_ = self.env["o2c.exception"].sudo()
            live = Exception_.search(
                free._o2c_exception_domain(HOLDING_STATES) + Exception_._o2c_credit_own_domain()
            )
            live._o2c_credit_auto_release({e.id: results[e.res_id] for e in live})
            free.filtered(lambda r: results[r.id].hold)._o2c_credit_warn(results)
        if blocking:
            blocking._o2c_credit_check_releases(results)
            blocking._o2c_raise_exceptions(
                CREDIT_CODE, blocking._o2c_credit_exception_vals(results)
            )

    def _o2c_credit_warn(self, results):
        """Policy *warn*: the action goes on, with a note on the document."""
        if not self:
            return
        self._o2c_log_batch(
            {
                rec.id: Markup("<b>%s</b> %s")
                % (self.env._("Credit warning:"), rec._o2c_credit_reasons(results[rec.id]))
                for rec in self
            }
        )

    def _o2c_credit_check_releases(self, results):
        """Reopen approved holds whose release expired or no longer covers the excess."""
        Exception_ = self.env["o2c.exception"].sudo()
        approved = Exception_.search(
            self._o2c_exception_domain(("approved",)) + Exception_._o2c_credit_own_domain()
        )
        today = fields.Date.context_today(self)
        by_reason = defaultdict(lambda: self.env["o2c.exception"].sudo())
        for exc in approved:
            release = exc.o2c_credit_release_id
            if not release or release.state != "valid":
                continue
            status = results[exc.res_id]
            if release.expiry_date and release.expiry_date < today:
                reason = self.env._("the credit release expired on %s", release.expiry_date)
            elif (
                release.amount_cap
                and release.currency_id.compare_amounts(status.amount, release.amount_cap) > 0
            ):
                reason = self.env._(
                    "the excess %(excess)s is over the released %(cap)s",
                    excess=self._o2c_credit_fmt(status.amount, status),
                    cap=self._o2c_credit_fmt(release.amount_cap, status),
                )
            else:
                continue
            by_reason[reason] |= exc
        for reason, excs in by_reason.items():
            excs._reopen(reason)

    def _o2c_credit_exception_vals(self, results):
        """Return ``{id: o2c.exception values}`` for the held records."""
        Exception_ = self.env["o2c.exception"].sudo()
        live = Exception_.search(
            self._o2c_exception_domain(LIVE_STATES) + Exception_._o2c_credit_own_domain()
        )
        # many2one values compare as records in the engine's refresh: only send
        # the currency when it changes, so that an unchanged hold is not rewritten
        currencies = {exc.res_id: exc.currency_id for exc in live}
        vals = {}
        for rec in self:
            status = results[rec.id]
            vals[rec.id] = {
                "name": self.env._(
                    "%(label)s: %(reasons)s",
                    label=rec._o2c_credit_label(),
                    reasons=rec._o2c_credit_reasons(status),
                )[:250],
                "details": rec._o2c_credit_details(status),
                "amount": status.amount,
                "o2c_credit_policy": status.policy,
                "o2c_credit_exposure": status.exposure,
                "o2c_credit_limit": status.limit or 0.0,
                "o2c_credit_unlimited": status.limit is None,
                "o2c_credit_overdue": status.overdue_beyond,
                **rec._o2c_credit_advisor_vals(status),
            }
            if currencies.get(rec.id) != status.currency:
                vals[rec.id]["currency_id"] = status.currency.id
        return vals

    def _o2c_credit_advisor_vals(self, status):
        """What the policy-gap advisor reads on the hold: the exposure against the
        credit limit (over the limit), else the amount overdue beyond the days
        against the overdue tolerance; and the policy field they come from."""
        terms = status.terms
        if not terms:
            return {}
        if status.over_limit:
            measure, limit, ref = status.exposure, status.limit, terms.limit_ref
            what = self.env._("credit limit")
        else:
            measure, limit, ref = status.overdue_beyond, terms.overdue_amount, terms.tolerance_ref
            what = self.env._("overdue tolerance")
        if ref.startswith("res.partner,"):
            # the customer's own terms: named after the customer
            source = self[self._o2c_partner_field].commercial_partner_id.display_name
        else:
            source = terms.source
        return {
            "o2c_measure": measure,
            "o2c_threshold": limit or 0.0,
            "o2c_policy_ref": ref or False,
            "o2c_policy_label": self.env._("%(terms)s: %(limit)s", terms=source, limit=what),
        }

    # ----------------------------------------------------------- TOOLING
    def _o2c_credit_fmt(self, amount, status):
        return formatLang(self.env, amount or 0.0, currency_obj=status.currency)

    def _o2c_credit_reasons(self, status):
        """One line: why the partner is over its credit terms."""
        parts = []
        if status.over_limit:
            parts.append(
                self.env._(
                    "exposure %(exposure)s over limit %(limit)s",
                    exposure=self._o2c_credit_fmt(status.exposure, status),
                    limit=self._o2c_credit_fmt(status.limit, status),
                )
            )
        if status.overdue_hold:
            parts.append(
                self.env._(
                    "%(amount)s overdue more than %(days)s days",
                    amount=self._o2c_credit_fmt(status.overdue_beyond, status),
                    days=status.terms.overdue_days,
                )
            )
        return "; ".join(parts)

    def _o2c_credit_details(self, status):
        """HTML breakdown of the exposure (escaped by Markup)."""
        fmt = self._o2c_credit_fmt
        limit = self.env._("unlimited") if status.limit is None else fmt(status.limit, status)
        rows = [
            (self.env._("Open receivables"), fmt(status.receivable, status)),
            (self.env._("Confirmed orders not invoiced"), fmt(status.orders, status)),
            (self.env._("Draft invoices"), fmt(status.drafts, status)),
        ]
        if status.earlier_amount:
            rows.append(
                (
                    self.env._("Earlier documents of this batch"),
                    fmt(status.earlier_amount, status),
                )
            )
        if status.this_amount:
            rows.append((self.env._("This document"), fmt(status.this_amount, status)))
        rows += [
            (self.env._("Exposure"), fmt(status.exposure, status)),
            (self.env._("Credit limit (%s)", status.terms.source), limit),
            (
                self.env._("Overdue (disputed %s left out)", fmt(status.disputed, status)),
                fmt(status.overdue, status),
            ),
            (
                self.env._("Overdue more than %s days", status.terms.overdue_days),
                fmt(status.overdue_beyond, status),
            ),
            (self.env._("Overdue tolerance"), fmt(status.terms.overdue_amount, status)),
            (self.env._("Policy"), dict(POLICIES)[status.policy]),
        ]
        return Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s: <b>%s</b></li>") % row for row in rows
        )
