# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One row of an evidence pack section: a record's evidence as display values.

Plain values (text, formatted amounts and dates) read in the reader's
environment: the QWeb templates only print them.
"""

from .tools import fmt_amount, fmt_date, fmt_dt, label, names


def exception_row(env, exc):
    approvals = exc.with_context(active_test=False).approval_ids.sorted("date")
    return {
        "name": exc.name,
        "type": exc.type_id.name,
        "document": exc.res_name or "",
        "state": label(exc, "state"),
        "requested_by": exc.requested_by_id.name or "",
        "requested_on": fmt_dt(env, exc.request_date),
        "decided_by": exc.decided_by_id.name or "",
        "decided_on": fmt_dt(env, exc.decision_date),
        "reason": exc.decision_reason or "",
        "root_cause": exc.root_cause_id.name or "",
        "details": exc.details,
        "key_hash": exc.key_hash or "",
        "approvals": [
            {
                "user": approval.user_id.name,
                "date": fmt_dt(env, approval.date),
                "reason": approval.reason,
                "key_hash": approval.key_hash or "",
                "root_cause": approval.root_cause_id.name or "",
                "counts": approval.active,
            }
            for approval in approvals
        ],
    }


def credit_release_row(env, release):
    currency = release.currency_id
    return {
        "document": release.res_name or "",
        "kind": label(release, "kind"),
        "released_by": release.user_id.name,
        "triggered_by": release.triggered_by_id.name or "",
        "date": fmt_dt(env, release.date),
        "reason": release.reason,
        "exposure": fmt_amount(env, release.exposure, currency),
        "limit": fmt_amount(env, release.credit_limit, currency),
        "excess": fmt_amount(env, release.excess, currency),
        "cap": fmt_amount(env, release.amount_cap, currency) if release.amount_cap else "",
        "expiry": fmt_date(env, release.expiry_date),
        "state": label(release, "state"),
        "end_reason": release.end_reason or "",
    }


def proof_row(env, proof, files):
    return {
        "kind": label(proof, "kind"),
        "state": label(proof, "state"),
        "received_by": proof.received_by or "",
        "received_at": fmt_dt(env, proof.received_at),
        "carrier_ref": proof.tracking_ref or "",
        "validated_by": proof.validated_by_id.name or "",
        "validated_on": fmt_dt(env, proof.validated_date),
        "rejected_by": proof.rejected_by_id.name or "",
        "reject_reason": proof.reject_reason or "",
        "confirmed_by": proof.confirmed_by_partner_id.name or "",
        "files": names(files),
    }


def delivery_row(env, picking, proof_rows):
    return {
        "name": picking.name,
        "type": picking.picking_type_id.name,
        "state": label(picking, "state"),
        "date_done": fmt_dt(env, picking.date_done),
        "signature": picking.signature.decode() if picking.signature else "",
        "proofs": proof_rows,
    }


def substitution_row(env, sub, picking):
    """``picking``: the substitution's delivery if the reader may read it."""
    return {
        "delivery": picking.name or "",
        "kind": label(sub, "kind"),
        "date": fmt_dt(env, sub.date),
        "ordered": sub.product_id.display_name,
        "delivered": sub.substitute_product_id.display_name,
        "quantity": sub.quantity,
        "uom": sub.product_uom_id.name,
        "lots": names(sub.substitute_lot_ids),
        "approved_by": sub.approved_by_id.name or "",
        "approved_substitute": sub.approved_substitute,
        "consent_on": fmt_dt(env, sub.consent_date),
        "consent_by": sub.consent_contact or "",
        "consent_channel": label(sub, "consent_channel"),
        # how the consent reached us: the portal's address, the staff's note
        "consent_origin": picking.o2c_consent_note or "",
        "consent_recorded_by": picking.o2c_consent_user_id.name or "",
    }


def invoice_row(env, move):
    return {
        "name": move.name,
        "type": label(move, "move_type"),
        "date": fmt_date(env, move.invoice_date),
        "state": label(move, "state"),
        "total": fmt_amount(env, move.amount_total, move.currency_id),
        "residual": fmt_amount(env, move.amount_residual, move.currency_id),
    }


def message_row(env, message):
    return {
        "date": fmt_dt(env, message.date),
        "document": message.record_name or "",
        "subject": message.subject or message.preview or "",
        "author": message.author_id.name or message.email_from or "",
        "recipients": names(message.partner_ids),
        "type": label(message, "message_type"),
    }


def dispute_row(env, ticket, credit_notes, returns, replacements):
    """The documents of the resolution are those the reader may read."""
    currency = ticket.o2c_currency_id
    return {
        "name": f"{ticket.number} {ticket.name}",
        "type": label(ticket, "o2c_dispute_type"),
        "state": label(ticket, "o2c_dispute_state"),
        "opened_on": fmt_dt(env, ticket.create_date),
        "amount": fmt_amount(env, ticket.o2c_disputed_amount, currency),
        "resolution": label(ticket, "o2c_resolution"),
        "given_back": fmt_amount(env, ticket.o2c_resolution_amount, currency),
        "resolved_on": fmt_dt(env, ticket.o2c_resolved_date),
        "root_cause": ticket.o2c_root_cause_id.name or "",
        "rejection_reason": ticket.o2c_rejection_reason or "",
        "credit_notes": [
            f"{move.name} ({label(move, 'state')}, "
            f"{fmt_amount(env, move.amount_total, move.currency_id)})"
            for move in credit_notes
        ],
        "returns": [f"{pick.name} ({label(pick, 'state')})" for pick in returns],
        "replacements": replacements.mapped("name"),
    }


def agreement_row(env, agreement, files):
    return {
        "name": agreement.name,
        "kind": label(agreement, "kind"),
        "valid_from": fmt_date(env, agreement.date_from),
        "valid_to": fmt_date(env, agreement.date_to),
        "files": names(files),
        "notes": agreement.notes or "",
    }
