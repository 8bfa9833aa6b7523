# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain data used by the credit computation (no model here)."""

from dataclasses import dataclass, field, replace

CREDIT_CODE = "credit_hold"


@dataclass(frozen=True)
class CreditRequest:
    """A document asking for credit: what it adds to its customer's exposure.

    ``amount`` is in company currency (0 for a document already counted, e.g. a
    delivery); ``policy`` overrides the customer's policy (from the order class).
    """

    key: object  # the document's id, or ``(model, id)`` across models
    partner: object  # commercial partner (res.partner record)
    company: object  # res.company record
    amount: float = 0.0
    policy: str | None = None

    def terms_in(self, terms):
        """The request's terms from ``{company id: {partner id: CreditTerms}}``."""
        partner_terms = terms[self.company.id][self.partner.id]
        return replace(partner_terms, policy=self.policy) if self.policy else partner_terms


@dataclass(frozen=True)
class CreditTerms:
    """The terms that apply to one commercial partner in one company."""

    limit: float | None  # None = unlimited
    policy: str
    overdue_days: int
    overdue_amount: float
    source: str
    #: the policy fields the limit and the overdue tolerance come from
    #: ("model,id,field", see ``o2c.exception.o2c_policy_ref``); not judged on
    limit_ref: str = ""
    tolerance_ref: str = ""


@dataclass
class CreditFigures:
    """Exposure parts of one commercial partner in one company (company currency)."""

    receivable: float = 0.0
    orders: float = 0.0
    drafts: float = 0.0
    disputed: float = 0.0
    #: ``[(due date, amount overdue net of disputes)]``
    overdue_items: list = field(default_factory=list)

    @property
    def exposure(self):
        return self.receivable + self.orders + self.drafts


@dataclass
class CreditStatus:
    """The credit of a partner with a document added, as judged (company currency)."""

    receivable: float = 0.0
    orders: float = 0.0
    drafts: float = 0.0
    #: what this document adds, and the earlier documents of the same batch
    this_amount: float = 0.0
    earlier_amount: float = 0.0
    exposure: float = 0.0
    limit: float | None = None  # None = unlimited
    available: float | None = None
    excess: float = 0.0
    over_limit: bool = False
    overdue: float = 0.0
    overdue_beyond: float = 0.0
    oldest_days: int = 0
    disputed: float = 0.0
    overdue_hold: bool = False
    #: over the limit or overdue beyond tolerance; blocking: held and not *warn*
    hold: bool = False
    blocking: bool = False
    amount: float = 0.0
    policy: str | None = None
    terms: CreditTerms | None = None
    currency: object = None


#: the status of a document the credit control does not apply to (figures at 0)
NO_STATUS = CreditStatus()


def judge(terms, figures, extra, currency, today):
    """Return the credit status of a partner when ``extra`` is added to its exposure.

    :param extra: amount of the documents being checked (company currency)
    :return: :class:`CreditStatus`
    """
    exposure = currency.round(figures.exposure + extra)
    over_limit = terms.limit is not None and currency.compare_amounts(exposure, terms.limit) > 0
    overdue = beyond = 0.0
    oldest = 0
    for due, amount in figures.overdue_items:
        if currency.compare_amounts(amount, 0.0) <= 0:
            continue
        late = (today - due).days
        overdue += amount
        oldest = max(oldest, late)
        if late > terms.overdue_days:
            beyond += amount
    overdue_hold = currency.compare_amounts(beyond, terms.overdue_amount) > 0
    hold = over_limit or overdue_hold
    excess = currency.round(exposure - terms.limit) if over_limit else 0.0
    return CreditStatus(
        receivable=currency.round(figures.receivable),
        orders=currency.round(figures.orders),
        drafts=currency.round(figures.drafts),
        this_amount=currency.round(extra),
        exposure=exposure,
        limit=terms.limit,
        available=None if terms.limit is None else currency.round(terms.limit - exposure),
        excess=excess,
        over_limit=over_limit,
        overdue=currency.round(overdue),
        overdue_beyond=currency.round(beyond),
        oldest_days=oldest,
        disputed=currency.round(figures.disputed),
        overdue_hold=overdue_hold,
        hold=hold,
        blocking=hold and terms.policy != "warn",
        amount=excess if over_limit else currency.round(beyond),
        policy=terms.policy,
        terms=terms,
        currency=currency,
    )


def terms_key(terms):
    """What a document is judged on (``None``: not checked); the source is left out."""
    if terms is None:
        return None
    return (terms.limit, terms.policy, terms.overdue_days, terms.overdue_amount)


def terms_to_json(terms):
    return {
        "limit": terms.limit,
        "policy": terms.policy,
        "overdue_days": terms.overdue_days,
        "overdue_amount": terms.overdue_amount,
        "source": terms.source,
    }


def terms_from_json(data):
    return CreditTerms(
        limit=data.get("limit"),
        policy=data.get("policy") or "approve",
        overdue_days=data.get("overdue_days") or 0,
        overdue_amount=data.get("overdue_amount") or 0.0,
        source=data.get("source") or "",
    )
