# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Declarations of the control tower: its periods and its figures.

A feature addon adds figures by returning :class:`Figure` objects from
``o2c.dashboard._o2c_figure_declarations`` (super() then its own). The engine
(``o2c.dashboard._o2c_evaluate``) measures every declaration for the current
and the previous period, one SQL query per model and scope, and builds the
drill-down of each figure from the same domain.
"""

import dataclasses
from collections.abc import Callable
from datetime import date, datetime

#: how a figure measures its records
#: ``count``; ``sum``/``avg``/``median``/``p90`` of ``field``; ``rate``: share
#: (percent) of the records of ``of`` that are in ``domain``; ``held``: value at
#: risk of the documents held by exceptions (``o2c.exception`` only); ``ratio``:
#: ``SUM(field)`` as a share (percent) of ``SUM(denominator)`` over the same records
MEASURES = ("count", "sum", "avg", "median", "p90", "rate", "held", "ratio")
#: measures whose values add up over groups of rows (e.g. one group per currency)
ADDITIVE = ("count", "sum", "rate")
UNITS = ("count", "currency", "hours", "percent", "per_100", "days")
BETTER = ("lower", "higher", None)


@dataclasses.dataclass(frozen=True)
class Period:
    """One period of the dashboard: its dates, as UTC instants, and its snapshot instant."""

    date_from: date
    date_to: date
    #: UTC datetimes bounding the period in the user's timezone (end excluded)
    start: datetime
    end: datetime
    #: instant at which snapshot figures (open, held...) are measured: the end
    #: of the period, never later than now
    at: datetime

    def between(self, field):
        """Domain: the datetime ``field`` falls in the period."""
        return [(field, ">=", self.start), (field, "<", self.end)]

    def dated(self, field):
        """Domain: the date ``field`` falls in the period."""
        return [(field, ">=", self.date_from), (field, "<=", self.date_to)]


def _terms(domain, period):
    return list(domain(period) if callable(domain) else domain)


@dataclasses.dataclass(frozen=True)
class Figure:
    """One figure of the dashboard: which records, how measured, where shown.

    The records of a period are ``scope + domain(period)``; the drill-down opens
    those of the current period. Figures of one model with the same ``scope``
    and ``span`` are read by one SQL query.
    """

    key: str
    title: str
    model: str
    #: the figure's own terms for a period: a domain, or a function of a :class:`Period`
    domain: Callable | list
    #: terms shared by the figures read together: the dashboard's filters
    #: (company, team, warehouse...) and what narrows the rows read (a code, a
    #: state): the query's WHERE clause, so the narrower the faster
    scope: list = ()
    #: function of the :class:`Period` covering both periods, giving terms that
    #: include every record measured (e.g. a date range read by one index scan);
    #: not part of the drill-down
    span: Callable | None = None
    measure: str = "count"
    #: the column (or an SQL expression on the model's table) of sum/avg/median/p90/ratio
    field: object = None
    #: ratio: the column (or SQL expression) the sum of ``field`` is a share of
    denominator: object = None
    #: sum: the currency column; amounts are converted to the dashboard's currency
    currency_field: str | None = None
    #: rate: the records (domain or function of a Period) the figure is a share of
    of: Callable | list | None = None
    #: rate: the drill-down opens the records of ``of`` (e.g. grouped by the
    #: ``context``) rather than those of ``domain``
    opens_whole: bool = False
    unit: str = "count"
    roles: tuple = ()
    section: str = "exceptions"
    sequence: int = 50
    help: str = ""
    better: str | None = "lower"
    context: dict | None = None
    #: measure the previous period too (False: a figure of now, without trend)
    previous: bool = True
    #: roles (``"all"`` included) whose dashboard shows it first, the others
    #: behind "More figures"
    headline: tuple = ()

    def __post_init__(self):
        assert self.measure in MEASURES, self.measure
        assert self.unit in UNITS, self.unit
        assert self.better in BETTER, self.better
        assert (self.field is not None) == (
            self.measure in ("sum", "avg", "median", "p90", "ratio")
        )
        assert (self.denominator is not None) == (self.measure == "ratio"), self.key
        assert (self.of is not None) == (self.measure == "rate"), self.key
        assert self.measure == "rate" or not self.opens_whole, self.key

    def terms(self, period):
        """The figure's own terms for ``period``."""
        return _terms(self.domain, period)

    def share_of(self, period):
        """The records a rate is a share of, in ``period``."""
        return _terms(self.of, period)

    def records(self, period):
        """Domain of the figure's records in ``period`` (its drill-down)."""
        terms = self.share_of(period) if self.opens_whole else self.terms(period)
        return [*self.scope, *terms]
