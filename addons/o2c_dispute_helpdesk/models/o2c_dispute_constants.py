# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Selections and policies of disputes, shared by the models of this addon."""

#: the exception codes of this addon
INVOICE_DISPUTE = "invoice_dispute"
DISPUTE_RESOLUTION = "dispute_resolution"

DISPUTE_TYPES = [
    ("pricing", "Pricing"),
    ("quantity_short", "Quantity short"),
    ("damaged", "Damaged goods"),
    ("wrong_item", "Wrong item"),
    ("not_delivered", "Not delivered"),
    ("duplicate_billing", "Duplicate billing"),
    ("other", "Other"),
]
ROOT_CAUSES = [
    ("pricing_policy", "Pricing policy"),
    ("master_data", "Master data"),
    ("training", "Training"),
    ("supplier", "Supplier"),
    ("warehouse_execution", "Warehouse execution"),
    ("carrier", "Carrier"),
    ("customer", "Customer"),
]
#: a dispute's root cause as one of the review's list (``o2c.root.cause`` code);
#: the others have the same code there
ROOT_CAUSE_CODES = {"pricing_policy": "policy_design", "customer": "customer_request"}
RESOLUTIONS = [
    ("credit_note", "Credit note"),
    ("return_refund", "Return and refund"),
    ("replacement", "Replacement"),
    ("rejected", "Rejected"),
    ("write_off", "Write-off"),
]
CREDIT_MODES = [("lines", "Disputed lines"), ("full", "Whole invoice")]
DISPUTE_STATES = [
    ("open", "Open"),
    ("to_approve", "Waiting Approval"),
    ("waiting_return", "Waiting Return"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]
#: states in which the disputed amount is still open on the invoice
OPEN_STATES = ("open", "to_approve", "waiting_return")
#: resolutions that give money back: above the company threshold they need approval
MONEY_RESOLUTIONS = ("credit_note", "return_refund", "write_off")
#: whitelisted resolution executors (never a free method name)
RESOLVERS = {
    "credit_note": "_o2c_resolve_by_credit_note",
    "return_refund": "_o2c_resolve_by_return",
    "replacement": "_o2c_resolve_by_replacement",
    "rejected": "_o2c_resolve_by_rejection",
    "write_off": "_o2c_resolve_by_write_off",
}
#: the document a dispute's ``invoice_dispute`` exception is raised on, in order
#: of preference: {model: (ticket field, extra domain)}
ANCHORS = {
    "account.move": ("o2c_invoice_id", []),
    "stock.picking": ("o2c_picking_id", [("o2c_invoice_id", "=", False)]),
    "sale.order": (
        "o2c_sale_order_id",
        [("o2c_invoice_id", "=", False), ("o2c_picking_id", "=", False)],
    ),
}
#: ticket fields whose change refreshes the exceptions of the disputed documents
SYNC_FIELDS = {
    "o2c_is_dispute",
    "o2c_dispute_state",
    "o2c_disputed_amount",
    "o2c_invoice_id",
    "o2c_picking_id",
    "o2c_sale_order_id",
    "o2c_line_ids",
    "active",
}
#: ticket fields a dispute lets change only in some states: ``(fields, states)``
#: (the documents while it is open; the claimed lines and amount and the
#: resolution until the resolution is applied, a change while it waits for its
#: approval reopening it; the root cause until the dispute is closed)
CLAIM_LOCKS = (
    (
        (
            "o2c_is_dispute",
            "o2c_dispute_type",
            "o2c_invoice_id",
            "o2c_sale_order_id",
            "o2c_picking_id",
        ),
        ("open",),
    ),
    (
        (
            "o2c_disputed_amount",
            "o2c_line_ids",
            "o2c_resolution",
            "o2c_credit_mode",
            "o2c_rejection_reason",
        ),
        ("open", "to_approve"),
    ),
    (("o2c_root_cause",), ("open", "to_approve", "waiting_return")),
)
#: states in which the disputed lines may change
LINE_STATES = (False, "open", "to_approve")
#: helpdesk_mgmt stages used to close a dispute, when applicable to its team
CLOSING_STAGES = {
    "resolved": "helpdesk_mgmt.helpdesk_ticket_stage_done",
    "rejected": "helpdesk_mgmt.helpdesk_ticket_stage_rejected",
    "cancelled": "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
}
