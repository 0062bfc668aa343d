"""The measures of the compliance board (M25): a registry the apps fill, so the kernel and the
board know no app.

An app that owns a rule's records describes the rule's measure in ``<app>/measures.py`` — what is
counted, its unit, the manual's target and whether more is better, how to compute it for every
office at once, and which records are behind the number — and registers it from its
``AppConfig.ready()`` with ``register_measures``. The board reads ``measures()``, in rule order.

A measure is computed over periods — ISO weeks or calendar months in local time (Asia/Shanghai) —
as a ``Figure`` (numerator, denominator) per office and period. Figures add up, so the company's
is the sum of its offices'; the value shown (a percentage, a count, hours, yuan) is derived from
the figure by the measure. ``tally`` computes such figures for every office and every period in
one grouped query, whatever the number of records: conditional aggregates per period, grouped by
office, never a query per row or per office.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- periods ----------------------------------------------------------------------------------

WEEK, MONTH = "week", "month"
PERIOD_KINDS = (WEEK, MONTH)
TREND_LENGTH = 12  # the board shows the last 12 weeks or months
_WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")  # 2026-W24
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")  # 2026-06


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True, order=True)
class Period:
    """An ISO week (Monday to Monday) or a calendar month, in local time."""

    kind: str
    start: dt.date

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        if self.kind == WEEK:
            return self.start + dt.timedelta(days=7)
        year, month = divmod(self.start.month, 12)
        return dt.date(self.start.year + year, month + 1, 1)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, end 00:00) as aware datetimes."""
        return _midnight(self.start), _midnight(self.end)

    @property
    def key(self) -> str:
        if self.kind == WEEK:
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start:%Y-%m}"

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def previous(self) -> "Period":
        return period_of(self.kind, self.start - dt.timedelta(days=1))

    def __str__(self) -> str:
        return self.key


def period_of(kind: str, day: dt.date | dt.datetime) -> Period:
    """The week or month a local date (or an aware moment) falls in."""
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    if kind == WEEK:
        return Period(WEEK, day - dt.timedelta(days=day.weekday()))
    return Period(MONTH, day.replace(day=1))


def parse_period(kind: str, key: str) -> Period | None:
    """``2026-W24`` (a week) or ``2026-06`` (a month) → its period; None when it is not one."""
    key = (key or "").strip()
    try:
        if kind == WEEK and (m := _WEEK_KEY.match(key)):
            return Period(WEEK, dt.date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if kind == MONTH and (m := _MONTH_KEY.match(key)):
            return Period(MONTH, dt.date(int(m[1]), int(m[2]), 1))
    except ValueError:
        return None
    return None


def last_periods(kind: str, now: dt.datetime, n: int = TREND_LENGTH) -> list[Period]:
    """The ``n`` periods ending with the one ``now`` falls in, oldest first."""
    periods = [period_of(kind, now)]
    while len(periods) < n:
        periods.append(periods[-1].previous())
    return periods[::-1]


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """What a measure counted for one office (or the company) in one period: the numerator
    (records that met the rule, failures, hours or yuan) and the denominator (the records
    judged; 0 when the measure is an amount)."""

    numerator: int | Decimal = 0
    denominator: int | Decimal = 0

    def __add__(self, other: "Figure") -> "Figure":
        return Figure(self.numerator + other.numerator, self.denominator + other.denominator)


ZERO = Figure()
Figures = dict[int, list[Figure]]  # office id → one figure per period, in the periods' order


def total(figures: Figures, n: int) -> list[Figure]:
    """The company's figures: every office's, added period by period."""
    sums = [ZERO] * n
    for row in figures.values():
        sums = [a + b for a, b in zip(sums, row, strict=True)]
    return sums


def _in(when: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{when}__gte": start, f"{when}__lt": end})


def _on_days(when: str, period: Period) -> Q:
    return Q(**{f"{when}__gte": period.start, f"{when}__lt": period.end})


def tally(
    qs: QuerySet,
    *,
    periods: Sequence[Period],
    office: str = "office_id",
    when: str,
    hit: Q | None = None,
    judged: Q | None = None,
    amount: str | None = None,
    dates: bool = False,
) -> Figures:
    """Every office's figures in ``periods``, in one query grouped by office.

    A record counts in the period its ``when`` falls in (a datetime; a date with ``dates``),
    when it is ``judged`` (e.g. its due time has passed, or it is done). The denominator counts
    those; the numerator counts those that are also a ``hit`` — or, with ``amount``, sums that
    field over them (and the denominator then counts them).
    """
    if not periods:
        return {}
    bound = _on_days if dates else _in
    # The whole window first, so the query reads only the rows of these periods (by an index
    # on ``when`` that the calling app keeps).
    first, last = min(periods), max(periods)
    start, end = (first.start, last.end) if dates else (first.bounds()[0], last.bounds()[1])
    qs = qs.filter(**{f"{when}__gte": start, f"{when}__lt": end})
    aggregates: dict[str, Any] = {}
    for i, period in enumerate(periods):
        counted = bound(when, period) & (judged or Q())
        aggregates[f"d{i}"] = Count("pk", filter=counted)
        if amount:
            aggregates[f"n{i}"] = Coalesce(
                Sum(amount, filter=counted),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        else:
            aggregates[f"n{i}"] = Count("pk", filter=counted & (hit or Q()))
    rows = qs.values(office).annotate(**aggregates).order_by()
    return {r[office]: [Figure(r[f"n{i}"], r[f"d{i}"]) for i in range(len(periods))] for r in rows}


# --- measures ---------------------------------------------------------------------------------

PERCENT, COUNT, HOURS, MONEY = "percent", "count", "hours", "money"
UNITS = {
    PERCENT: _("%"),
    COUNT: "",
    HOURS: pgettext_lazy("unit", "hours"),
    MONEY: _("CNY"),
}


@dataclass(frozen=True)
class Case:
    """One record behind a figure, as the drill-down lists it."""

    title: str
    url: str
    when: dt.datetime | dt.date | None
    office: str
    detail: str = ""
    missed: bool | None = None  # for a rate: the record failed the rule


def ratio(figure: Figure) -> Decimal | None:
    """Numerator out of denominator, as a percentage; None when nothing was judged."""
    if not figure.denominator:
        return None
    return Decimal(100) * Decimal(figure.numerator) / Decimal(figure.denominator)


def amount(figure: Figure) -> Decimal:
    return Decimal(figure.numerator)


@dataclass(frozen=True)
class Measure:
    """One rule's measure, as its app describes it.

    ``compute(periods, now=…, office_ids=…)`` returns every office's ``Figures`` (only offices
    with something to count need appear; ``office_ids`` None means every office) in a number of
    queries that does not grow with the data. ``cases(user, office_id=…, period=…, now=…,
    missed=…)`` returns the records behind an office's (None: the company's) figure — for a rate
    with ``missed`` only those that failed the rule — as a queryset or list, already scoped to
    what ``user`` may see; ``case(record)`` turns one into a ``Case``. A measure whose cases are
    better read on a page of its own app gives ``cases_url(office_id, period)`` instead."""

    key: str
    rule: str  # "M09"
    label: Any  # lazy, translatable
    unit: str
    target: Decimal | None  # the manual's value; None where the manual sets none
    higher_is_better: bool
    compute: Callable[..., Figures]
    description: Any = ""  # how it is counted, one sentence, shown on the board
    value: Callable[[Figure], Decimal | None] = ratio
    cases: Callable[..., Any] | None = None
    case: Callable[[Any], Case] | None = None
    cases_url: Callable[[int | None, Period], str] | None = None
    # A fuller report of the measure in its own app (office id or None, period) → its URL.
    report_url: Callable[[int | None, Period], str] | None = None
    numerator_label: Any = ""
    denominator_label: Any = ""
    order: int = 0  # among the measures of one rule
    # A column heading of a word or two where every measure is a column (the company's grid);
    # the label where none is given.
    short_label: Any = ""
    # Whether the figure judges records one by one, so the drill-down can list those that
    # failed (a rate does; None: whether ``value`` is a rate).
    judges_records: bool | None = None

    @property
    def has_misses(self) -> bool:
        return self.value is ratio if self.judges_records is None else self.judges_records

    def shown(self, figure: Figure) -> Decimal | None:
        """The value for people: rates and hours to one decimal, money to the fen."""
        value = self.value(figure)
        if value is None:
            return None
        value = Decimal(value)
        places = Decimal("0.01") if self.unit == MONEY else Decimal("0.1")
        if self.unit == COUNT and value == value.to_integral_value():
            places = Decimal("1")
        return value.quantize(places, rounding=ROUND_HALF_UP)

    @property
    def heading(self):
        return self.short_label or self.label

    @property
    def unit_label(self):
        return UNITS[self.unit]

    @property
    def sort_key(self) -> tuple:
        return (int(self.rule[1:]), self.order, self.key)


_MEASURES: dict[str, Measure] = {}


def register_measures(measures: Iterable[Measure]) -> None:
    """Add an app's measures; called once from its ``AppConfig.ready()``. A key registered twice
    raises ``ImproperlyConfigured``."""
    for measure in measures:
        if measure.key in _MEASURES:
            raise ImproperlyConfigured(f"Measure registered twice: {measure.key}")
        if not re.fullmatch(r"M\d{2}", measure.rule):
            raise ImproperlyConfigured(f"Measure {measure.key}: rule must look like M09")
        if measure.unit not in UNITS:
            raise ImproperlyConfigured(f"Measure {measure.key}: unknown unit {measure.unit}")
        if (measure.cases is None) == (measure.cases_url is None):
            raise ImproperlyConfigured(
                f"Measure {measure.key}: give either cases (with case) or cases_url"
            )
        _MEASURES[measure.key] = measure


def measures() -> list[Measure]:
    """Every registered measure, in rule order (M02, M09, … M24)."""
    return sorted(_MEASURES.values(), key=lambda m: m.sort_key)


def measure(key: str) -> Measure | None:
    return _MEASURES.get(key)
