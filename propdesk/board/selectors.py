"""Every read of the board (M25): an office's board, the company's, and the cases behind a
figure — each checking who may see it, each in a number of queries that does not grow with the
records (one grouped query per measure, whatever the number of offices and periods)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.measures import (
    PERCENT,
    PERIOD_KINDS,
    TREND_LENGTH,
    WEEK,
    ZERO,
    Figure,
    Measure,
    Period,
    last_periods,
    measure,
    measures,
    parse_period,
    period_of,
)
from propdesk.core.permissions import require
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.org.models import Office

from . import rollups
from .models import Target
from .targets import NONE, RED, judge, targets


@dataclass(frozen=True)
class Point:
    """One period of a measure: its figure, the value shown and red or green."""

    period: Period
    figure: Figure
    value: Decimal | None
    status: str


def _point(m: Measure, target, period: Period, figure: Figure) -> Point:
    return Point(period, figure, m.shown(figure), judge(m, m.value(figure), target))


@dataclass
class Line:
    """One measure on a board: the selected period last in ``trend``."""

    measure: Measure
    target: Decimal | None
    trend: list[Point]

    @property
    def current(self) -> Point:
        return self.trend[-1]

    @property
    def status(self) -> str:
        return self.current.status

    @property
    def bars(self) -> list[tuple[Point, int]]:
        """The trend as bar heights (percent of the tallest; a rate of 100%), for the small
        chart drawn in plain HTML."""
        values = [abs(p.value) for p in self.trend if p.value is not None]
        top = Decimal(100) if self.measure.unit == PERCENT else max(values, default=0)
        top = top or Decimal(1)
        return [
            (p, 0 if p.value is None else max(3, int(abs(p.value) * 100 / top))) for p in self.trend
        ]


@dataclass
class OfficeRow:
    """One office on the company's board: its figure of each measure in the period. Red or
    green is worked out for every office (the rows are sorted by it); the values shown only
    for the rows a page shows."""

    office: Office
    lines: list[Line]
    period: Period
    figures: list[Figure]

    @cached_property
    def statuses(self) -> list[str]:
        return [
            judge(line.measure, line.measure.value(fig), line.target)
            for line, fig in zip(self.lines, self.figures, strict=True)
        ]

    @cached_property
    def reds(self) -> int:
        return self.statuses.count(RED)

    @cached_property
    def cells(self) -> list[Point]:
        return [
            _point(line.measure, line.target, self.period, fig)
            for line, fig in zip(self.lines, self.figures, strict=True)
        ]


@dataclass
class Board:
    office: Office | None  # None: the company's
    kind: str
    period: Period
    lines: list[Line]
    offices: list[OfficeRow] = field(default_factory=list)  # the company's: one row each
    # When the oldest figure was counted (from the rollups); None: counted from the records now.
    computed_at: dt.datetime | None = None

    @property
    def reds(self) -> int:
        return sum(line.status == RED for line in self.lines)

    @property
    def judged(self) -> int:
        return sum(line.status != NONE for line in self.lines)


def choose_period(kind: str | None, key: str | None, *, now: dt.datetime) -> Period:
    """The period asked for (``kind`` week or month; ``key`` a day in it, 2026-06-10, what the
    console's date input sends, or the period's own key, 2026-W24 or 2026-06, which links and
    the API use), never later than the current one; none asked: the current week. A bad one is
    refused, naming it, never read as the current period."""
    kind = kind or WEEK
    if kind not in PERIOD_KINDS:
        raise DomainError(_("Choose weeks or months."), code="invalid_period", field="period")
    current = period_of(kind, now)
    if not key:
        return current
    period = parse_period(kind, key) or _period_of_day(kind, key)
    if period is None:
        raise DomainError(
            _("Give a day as 2026-06-10, a week as 2026-W24 or a month as 2026-06."),
            code="invalid_period",
            field="at",
        )
    return min(period, current)


def _period_of_day(kind: str, key: str) -> Period | None:
    text = key.strip()
    if len(text) != 10:  # fromisoformat also reads 20260610 and 2026-W24-1: only days, here
        return None
    try:
        return period_of(kind, dt.date.fromisoformat(text))
    except ValueError:
        return None


def _lines(reads: dict[str, rollups.Read], periods) -> list[Line]:
    table = targets()
    lines = []
    for m in measures():
        target = table.get(m.key, m.target)
        trend = [_point(m, target, p, f) for p, f in zip(periods, reads[m.key].trend, strict=True)]
        lines.append(Line(measure=m, target=target, trend=trend))
    return lines


def _computed_at(reads: dict[str, rollups.Read]) -> dt.datetime | None:
    """When the oldest figure shown was counted; None when every one was counted just now."""
    times = [r.computed_at for r in reads.values() if r.computed_at is not None]
    return min(times, default=None)


def office_board(
    user, office_id, *, period: Period, now: dt.datetime, trend: int = TREND_LENGTH
) -> Board:
    """One office's board: every measure, its target, red or green, and the last ``trend``
    periods. Another office's board is not found; a role without a board is refused."""
    require(user, "board.view")
    office = get_scoped(Office.objects.all(), user, office_field="pk", pk=office_id)
    periods = last_periods(period.kind, _end_moment(period, now), trend)
    reads = rollups.read(periods, now=now, office_id=office.pk)
    return Board(
        office=office,
        kind=period.kind,
        period=period,
        lines=_lines(reads, periods),
        computed_at=_computed_at(reads),
    )


def company_board(
    user,
    *,
    period: Period,
    now: dt.datetime,
    trend: int = TREND_LENGTH,
    with_offices: bool = True,
) -> Board:
    """The company's board: every measure added over the offices, with its trend, and (with
    ``with_offices``) one row per office for the selected period, those with most red first."""
    require(user, "board.view_company")
    periods = last_periods(period.kind, _end_moment(period, now), trend)
    reads = rollups.read(periods, now=now, with_offices=with_offices)
    lines = _lines(reads, periods)
    computed_at = _computed_at(reads)
    if not with_offices:
        return Board(
            office=None, kind=period.kind, period=period, lines=lines, computed_at=computed_at
        )
    offices = list(
        scope_for(Office.objects.all(), user, office_field="pk")
        .only("pk", "name", "code")
        .order_by("code")
    )
    rows = [
        OfficeRow(
            office=office,
            lines=lines,
            period=period,
            figures=[reads[line.measure.key].offices.get(office.pk, ZERO) for line in lines],
        )
        for office in offices
    ]
    rows.sort(key=lambda r: -r.reds)  # stable: by code within the same number of reds
    return Board(
        office=None,
        kind=period.kind,
        period=period,
        lines=lines,
        offices=rows,
        computed_at=computed_at,
    )


def _end_moment(period: Period, now: dt.datetime) -> dt.datetime:
    """A moment inside ``period``: its trend ends with it."""
    return min(now, period.bounds()[1] - dt.timedelta(seconds=1))


def summary(user, *, now: dt.datetime, company: bool) -> Board:
    """The current week at a glance, for a landing page: the company's (``company``) or the
    user's office's, each measure red or green, without the trend or the offices' rows."""
    period = period_of(WEEK, now)
    if company:
        return company_board(user, period=period, now=now, trend=1, with_offices=False)
    return office_board(user, user.office_id, period=period, now=now, trend=1)


@dataclass
class Cases:
    measure: Measure
    office: Office | None
    period: Period
    missed: bool
    records: object  # a queryset or a list, to page through; ``measure.case`` shows each


def cases(user, key: str, *, office_id, period: Period, missed: bool, now) -> Cases:
    """The records behind one figure: an office's (``office_id``) or the company's (None); for
    a rate with ``missed``, those that failed the rule. Scoped like the boards."""
    m = measure(key)
    if m is None:
        raise NotFound()
    if office_id is None:
        require(user, "board.view_company")
        office = None
    else:
        require(user, "board.view")
        office = get_scoped(Office.objects.all(), user, office_field="pk", pk=office_id)
    if m.cases is None:
        raise NotFound()
    records = m.cases(
        user,
        office_id=office.pk if office else None,
        period=period,
        now=now,
        missed=missed and m.has_misses,
    )
    return Cases(
        measure=m, office=office, period=period, missed=missed and m.has_misses, records=records
    )


@dataclass
class TargetRow:
    measure: Measure
    manual: Decimal | None
    value: Decimal | None
    version: int  # 0: the manual's value, never changed
    changed: object | None  # the Target row, with who and when


def target_rows() -> list[TargetRow]:
    """Every measure with the manual's target and the company's, in rule order (one query)."""
    rows = {t.measure: t for t in Target.objects.select_related("changed_by")}
    result = []
    for m in measures():
        t = rows.get(m.key)
        result.append(
            TargetRow(
                measure=m,
                manual=m.target,
                value=t.value if t else m.target,
                version=t.version if t else 0,
                changed=t,
            )
        )
    return result


def target_history(limit: int = 20) -> list:
    """The latest changes of targets, newest first: who, when, what to and why."""
    rows = list(Target.history.select_related("history_user").order_by("-history_date")[:limit])
    for row in rows:  # the measure's name for people; its key where it is no longer registered
        found = measure(row.measure)
        row.measure_label = found.label if found else row.measure
    return rows
