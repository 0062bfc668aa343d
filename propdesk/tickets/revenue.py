"""The revenue report (M24): what paid and special services earned, per office, per catalogue
item and per month, read from the charges recorded when paid work is completed.

Months are calendar months in local time (Asia/Shanghai); money is Decimal yuan (CNY). Company
roles see every office or one; office staff see only their own office, and asking for another
is not found. The console page, its spreadsheet and the API read the one ``revenue_report``.

Whatever the number of charges, a report costs a fixed number of queries: the total, the
months' totals, and a page of rows grouped by month, office and item (the spreadsheet reads
every row, a chunk at a time). The range is read through the charges' (office, recorded_at)
index.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DateField, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.measures import MONTH, Period, period_of
from propdesk.core.permissions import require
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.org.models import Office

from .models import Charge

MAX_MONTHS = 24  # two years side by side; longer ranges are read a piece at a time
DEFAULT_MONTHS = 12
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class RevenueFilters:
    """A month range (both included), and optionally one office, category or item."""

    start: Period
    end: Period
    office: int | None = None
    category: int | None = None
    item: int | None = None


def month_range(
    start: Period | None, end: Period | None, *, now: dt.datetime
) -> tuple[Period, Period]:
    """The range asked for, with its defaults: up to this month, over ``DEFAULT_MONTHS``."""
    end = end or period_of(MONTH, now)
    if start is None:
        start = end
        for _i in range(DEFAULT_MONTHS - 1):
            start = start.previous()
    return start, end


def months_between(start: Period, end: Period) -> list[Period]:
    months = [start]
    while months[-1] < end:
        months.append(Period(MONTH, months[-1].end))
    return months


@dataclass(frozen=True)
class Totals:
    amount: Decimal = ZERO
    special: Decimal = ZERO  # of which special services (特约服务)
    charges: int = 0


@dataclass(frozen=True)
class MonthTotal:
    month: Period
    totals: Totals


@dataclass
class RevenueReport:
    filters: RevenueFilters
    office: Office | None  # the office asked for (a company role), or the user's own
    total: Totals
    months: list[MonthTotal]  # every month of the range, oldest first, with zeros
    rows: QuerySet  # grouped rows, paged by the caller; ``revenue_row`` turns one into a Row


@dataclass(frozen=True)
class Row:
    month: Period
    office_id: int
    office_name: str
    item_id: int | None
    item_name: str
    category_name: str
    totals: Totals


def _sums() -> dict:
    return {
        "revenue": Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
        "special_revenue": Coalesce(
            Sum("amount", filter=Q(is_special=True)), Value(ZERO), output_field=MONEY
        ),
        "charges": Count("pk"),
    }


def _totals(row: dict) -> Totals:
    return Totals(
        amount=_yuan(row["revenue"]), special=_yuan(row["special_revenue"]), charges=row["charges"]
    )


def _yuan(value) -> Decimal:
    """To the fen, whatever the database gives back (SQLite drops trailing zeros)."""
    return Decimal(value).quantize(ZERO)


def _month(value) -> Period:
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return period_of(MONTH, value)


def check_range(start: Period, end: Period) -> None:
    if end < start:
        raise DomainError(
            _("The last month must not be before the first."), code="invalid", field="end"
        )
    if len(months_between(start, end)) > MAX_MONTHS:
        raise DomainError(
            _("Choose at most %(n)s months.") % {"n": MAX_MONTHS}, code="invalid", field="start"
        )


def charges_for(user) -> QuerySet:
    """The charges of the offices ``user`` may see."""
    return scope_for(Charge.objects.all(), user)


def revenue_report(user, filters: RevenueFilters) -> RevenueReport:
    """The report for ``filters``: 403 without ``revenue.view``, 404 (on ``office``) for an
    office the user may not see, 400 (on ``start`` or ``end``) for a range backwards or longer
    than ``MAX_MONTHS``."""
    require(user, "revenue.view")
    check_range(filters.start, filters.end)
    office = None
    qs = charges_for(user)
    if filters.office is not None:
        try:
            office = get_scoped(Office.objects.all(), user, office_field="pk", pk=filters.office)
        except NotFound:
            raise NotFound(field="office") from None
        qs = qs.filter(office_id=office.pk)
    start, _end = filters.start.bounds()
    _start, end = filters.end.bounds()
    qs = qs.filter(recorded_at__gte=start, recorded_at__lt=end)
    if filters.category is not None:
        qs = qs.filter(item__category_id=filters.category)
    if filters.item is not None:
        qs = qs.filter(item_id=filters.item)

    total = _totals(qs.aggregate(**_sums()))
    month = TruncMonth("recorded_at", output_field=DateField())
    by_month = {
        _month(r["month"]): _totals(r)
        for r in qs.annotate(month=month).values("month").annotate(**_sums()).order_by()
    }
    months = [
        MonthTotal(m, by_month.get(m, Totals())) for m in months_between(filters.start, filters.end)
    ]
    rows = (
        qs.annotate(month=month)
        .values(
            "month",
            "office_id",
            "office__code",
            "office__name",
            "item_id",
            "item__name",
            "item__category__name",
            "item__category__position",
        )
        .annotate(**_sums())
        .order_by(
            "month",
            "office__code",
            "office_id",
            F("item__category__position").asc(nulls_last=True),
            F("item__category__name").asc(nulls_last=True),
            F("item__name").asc(nulls_last=True),
            "item_id",
        )
    )
    return RevenueReport(filters=filters, office=office, total=total, months=months, rows=rows)


def revenue_row(row: dict) -> Row:
    return Row(
        month=_month(row["month"]),
        office_id=row["office_id"],
        office_name=row["office__name"],
        item_id=row["item_id"],
        item_name=row["item__name"] or str(_("No catalogue item")),
        category_name=row["item__category__name"] or "",
        totals=_totals(row),
    )
