"""The board's rollups: every measure's figure per office and per week or month, counted from
the records by a job and read by the boards, so that a board costs the same with ten thousand
requests as with ten million.

- ``refresh`` counts the given periods of every measure with the measure's own ``compute`` (one
  grouped query per measure and kind of period, whatever the number of offices) and writes one
  ``Rollup`` row per office with something counted, plus the company's total (office
  ``Rollup.COMPANY``). Rows are upserted on their unique key, in one order, so two refreshes at
  once — two machines, or a job and a retry — write the same rows without deadlock or conflict,
  and a refresh repeated changes nothing. An office that counted something before and nothing now
  gets a row of zeros rather than keeping its old figure.
- Two jobs keep them current: ``refresh_recent`` every few minutes (the current and the previous
  week and month, where nearly every change lands), and ``refresh_all`` each night (the whole
  trend, for the rarer change to an older record — a request of March reworked in June).
- ``read`` gives the boards their figures: from the rollups where a period's company row is fresh
  enough (``MAX_AGE``), otherwise counted from the records there and then, so a board is never
  wrong for want of a job, only slower. The cases behind a figure are always read live.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from propdesk.core.measures import (
    HOURS,
    MONEY,
    PERIOD_KINDS,
    TREND_LENGTH,
    ZERO,
    Figure,
    Figures,
    Measure,
    Period,
    last_periods,
    measure,
    measures,
    total,
)

from .models import Rollup

COMPANY = Rollup.COMPANY
# How old a rollup may be and still be shown. A period still open when it was counted changes
# with every new record: ten minutes' refresh, half an hour's grace for a late job. A period that
# had ended is settled but for the rare late change, which the nightly refresh brings in.
MAX_AGE_OPEN = dt.timedelta(minutes=30)
MAX_AGE_SETTLED = dt.timedelta(days=2)
RECENT = 2  # periods of each kind that ``refresh_recent`` counts: this one and the one before
BATCH = 2000


# --- writing ----------------------------------------------------------------------------------


def _rows(m: Measure, kind: str, periods: Sequence[Period], figures: Figures, now) -> list:
    rows = []
    company = total(figures, len(periods))
    for i, period in enumerate(periods):
        for office_id, row in figures.items():
            rows.append((period.start, office_id, row[i]))
        rows.append((period.start, COMPANY, company[i]))
    return [
        Rollup(
            measure=m.key,
            kind=kind,
            start=start,
            office=office,
            numerator=Decimal(fig.numerator),
            denominator=Decimal(fig.denominator),
            computed_at=now,
        )
        for start, office, fig in sorted(rows, key=lambda r: (r[0], r[1]))
    ]


def _zeros_for_the_gone(m, kind, periods, figures) -> dict:
    """The offices that have a row in these periods but nothing counted now: {(start, office):
    ZERO}, so their old figures are overwritten."""
    existing = Rollup.objects.filter(
        measure=m.key, kind=kind, start__in=[p.start for p in periods]
    ).exclude(office=COMPANY)
    gone = {}
    index = {p.start: i for i, p in enumerate(periods)}
    for start, office in existing.values_list("start", "office"):
        if office not in figures:
            gone[(index[start], office)] = ZERO
    return gone


def refresh_measure(m: Measure, kind: str, periods: Sequence[Period], *, now) -> int:
    """Count ``m`` over ``periods`` from the records and write its rollups; the rows written."""
    figures = m.compute(list(periods), now=now, office_ids=None)
    for (i, office), fig in _zeros_for_the_gone(m, kind, periods, figures).items():
        figures.setdefault(office, [ZERO] * len(periods))[i] = fig
    rows = _rows(m, kind, periods, figures, now)
    with transaction.atomic():
        Rollup.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["measure", "kind", "start", "office"],
            update_fields=["numerator", "denominator", "computed_at"],
        )
    return len(rows)


def refresh(*, now, depth: int = TREND_LENGTH, kinds=PERIOD_KINDS) -> dict:
    """Count the last ``depth`` periods of each kind, every measure; {measure key: rows}."""
    written = {}
    for m in measures():
        written[m.key] = sum(
            refresh_measure(m, kind, last_periods(kind, now, depth), now=now) for kind in kinds
        )
    return written


def refresh_recent(*, now) -> dict:
    """Every few minutes: the current and the previous week and month."""
    return refresh(now=now, depth=RECENT)


def refresh_all(*, now) -> dict:
    """Each night: the whole trend the boards show, both kinds of period."""
    return refresh(now=now, depth=TREND_LENGTH)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Read:
    """One measure's figures for a board: ``trend`` (the office's, or the company's, one per
    period) and, for the company's board, each office's figure in the last period."""

    trend: list[Figure]
    offices: dict[int, Figure] = field(default_factory=dict)
    computed_at: dt.datetime | None = None  # the oldest rollup used; None: all counted live


def _fresh(period_end: dt.datetime, computed_at: dt.datetime, now: dt.datetime) -> bool:
    settled = period_end <= computed_at
    return computed_at >= now - (MAX_AGE_SETTLED if settled else MAX_AGE_OPEN)


def _figure(m: Measure, numerator: Decimal, denominator: Decimal) -> Figure:
    if m.unit in (MONEY, HOURS):
        return Figure(numerator, denominator)
    return Figure(int(numerator), int(denominator))


def read(
    periods: Sequence[Period],
    *,
    now: dt.datetime,
    office_id: int | None = None,
    with_offices: bool = False,
) -> dict[str, Read]:
    """Every measure's figures over ``periods`` (one kind, oldest first) for one office
    (``office_id``) or the company — with ``with_offices``, each office's in the last period.

    One query reads the rollups of every measure (two with the offices); a measure with a
    period not (freshly) rolled up is counted from the records for those periods alone."""
    periods = list(periods)
    kind, last = periods[0].kind, periods[-1]
    ends = {p: p.bounds()[1] for p in periods}
    # The trend: each period's company row (its time tells whether it is fresh) and the
    # office's; by the (kind, start, office) index, a few hundred rows whatever the data.
    trend: dict[str, dict] = defaultdict(dict)
    wanted = [COMPANY] if office_id is None else [COMPANY, office_id]
    for key, start, office, n, d, at in Rollup.objects.filter(
        kind=kind, start__in=[p.start for p in periods], office__in=wanted
    ).values_list("measure", "start", "office", "numerator", "denominator", "computed_at"):
        trend[key][(start, office)] = (n, d, at)
    # Each office's figure in the last period, for the company's rows: no times to read.
    by_office: dict[str, dict[int, tuple]] = defaultdict(dict)
    if with_offices:
        for key, office, n, d in (
            Rollup.objects.filter(kind=kind, start=last.start)
            .exclude(office=COMPANY)
            .values_list("measure", "office", "numerator", "denominator")
        ):
            by_office[key][office] = (n, d)

    result = {}
    for m in measures():
        rows, fresh, missing, oldest = trend[m.key], {}, [], None
        for period in periods:
            marker = rows.get((period.start, COMPANY))
            if marker is None or not _fresh(ends[period], marker[2], now):
                missing.append(period)
                continue
            oldest = marker[2] if oldest is None else min(oldest, marker[2])
            n, d, _at = rows.get((period.start, office_id or COMPANY), (0, 0, None))
            fresh[period] = _figure(m, n, d)
        offices: dict[int, Figure] = {}
        if with_offices and last not in missing:
            if m.unit in (MONEY, HOURS):
                offices = {o: Figure(n, d) for o, (n, d) in by_office[m.key].items()}
            else:  # a thousand offices: no call per row
                offices = {o: Figure(int(n), int(d)) for o, (n, d) in by_office[m.key].items()}
        if missing:
            live = m.compute(
                missing, now=now, office_ids=None if office_id is None else [office_id]
            )
            sums = total(live, len(missing))
            for i, period in enumerate(missing):
                fresh[period] = sums[i]
            if with_offices and missing[-1] == last:
                offices = {office: row[-1] for office, row in live.items()}
        result[m.key] = Read(trend=[fresh[p] for p in periods], offices=offices, computed_at=oldest)
    return result


def rolled_up(key: str, kind: str, start: dt.date) -> dict[int, Figure]:
    """The rollups of one measure and period as stored, {office or COMPANY: figure}: for the
    tests and the benchmark that compare them with a count from the records."""
    m = measure(key)
    by_office = defaultdict(lambda: ZERO)
    for office, n, d in Rollup.objects.filter(measure=key, kind=kind, start=start).values_list(
        "office", "numerator", "denominator"
    ):
        by_office[office] = _figure(m, n, d)
    return dict(by_office)
