# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Control settings of the compared databases: every control on, nothing triggers."""

from bench.generate import REF
from odoo import Command

NOTHING_LIMIT = 1e12


def customer(env, key, name):
    """A customer of the benchmark (same values in every database)."""
    ref = f"{REF}{key}"
    partner = env["res.partner"].search([("ref", "=", ref)], limit=1)
    if not partner:
        partner = env["res.partner"].create(
            {
                "name": name,
                "ref": ref,
                "is_company": True,
                "street": "2 Harbour Lane",
                "zip": "10002",
                "city": "Springfield",
                "email": f"{key.lower()}@example.com",
            }
        )
    return partner


def policy_changes_direct(env):
    """The administrator configures the bench directly: governed policy changes
    (a second person's approval) are switched off in the bench databases."""
    if "o2c.policy.kind" in env:
        env["o2c.policy.kind"].search([]).write(
            {"company_ids": [Command.clear()], "default_required": False}
        )


def configure_o2c(env, partners):
    """O2C with every control on, configured so that nothing triggers on bench orders."""
    notes = []
    company = env.company
    policy_changes_direct(env)
    if "o2c.pricing.policy" in env:
        policies = env["o2c.pricing.policy"].search([])
        policies.write({"check_margin": True, "min_margin": 5.0})
        notes.append(f"pricing: {len(policies)} policies, margin floor 5 %")
    if "o2c_credit_check" in company._fields:
        company.o2c_credit_check = True
        partners.sudo().write(
            {
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": NOTHING_LIMIT,
                "o2c_overdue_tolerance_days": 3650,  # the largest allowed
                "o2c_overdue_tolerance_amount": NOTHING_LIMIT,
            }
        )
        notes.append("credit: own limit on the bench customers")
    if "o2c_invoice_release_policy" in company._fields:
        company.o2c_invoice_release_policy = "on_delivery"
        company.o2c_auto_invoice = True
        notes.append("invoice release: on delivery, automatic invoicing")
    if "o2c.fulfillment.policy" in env:
        count = env["o2c.fulfillment.policy"].search_count([])
        notes.append(f"fulfillment: {count} policies")
    env.flush_all()
    return notes


def configure_o2c_off(env):
    """O2C installed with every control switched off: what installing it costs alone.

    Pricing and fulfillment policies and admin-defined rules archived, no credit
    check, invoices released on delivery (Odoo's own rule) and not created
    automatically.
    """
    notes = []
    company = env.company
    policy_changes_direct(env)
    for model, what in (
        ("o2c.pricing.policy", "pricing policies"),
        ("o2c.fulfillment.policy", "fulfillment policies"),
        ("o2c.exception.rule", "rules"),
    ):
        if model in env:
            records = env[model].search([])
            records.write({"active": False})
            notes.append(f"{what} archived: {len(records)}")
    if "o2c_credit_check" in company._fields:
        company.o2c_credit_check = False
        notes.append("no credit check")
    if "o2c_invoice_release_policy" in company._fields:
        company.o2c_invoice_release_policy = "on_delivery"
        company.o2c_auto_invoice = False
        notes.append("invoices released on delivery, not created automatically")
    env.flush_all()
    return notes


def configure_oca(env, partners):
    """OCA peers: every order exception rule on, a credit limit, a tier that does not match."""
    notes = []
    if "exception.rule" in env:
        rules = (
            env["exception.rule"]
            .with_context(active_test=False)
            .search([("model", "in", ("sale.order", "sale.order.line"))])
        )
        rules.write({"active": True})
        notes.append(f"sale_exception: {len(rules)} rules active")
    vals = {"credit_limit": NOTHING_LIMIT}
    for fname in (
        "risk_sale_order_include",
        "risk_invoice_draft_include",
        "risk_invoice_open_include",
        "risk_invoice_unpaid_include",
        "risk_account_amount_include",
        "risk_account_amount_unpaid_include",
    ):
        if fname in env["res.partner"]._fields:
            vals[fname] = True
    partners.sudo().write(vals)
    notes.append("financial risk: credit limit and every risk included")
    if "tier.definition" in env:
        env["tier.definition"].create(
            {
                "name": "Orders over a trillion",
                "model_id": env["ir.model"]._get_id("sale.order"),
                "review_type": "individual",
                "reviewer_id": env.ref("base.user_admin").id,
                "definition_type": "domain",
                "definition_domain": "[('amount_total', '>', 1e12)]",
            }
        )
        notes.append("tier validation: one definition that does not match")
    env.flush_all()
    return notes
