"""The complaint numbers' rollups (M19, M23): what the numbers page and API read instead of
counting every complaint of the period, so that a year of the whole company costs about as
much as a month of one office. The conventions are the compliance board's
(``board.rollups``): rows upserted on their unique key in one order, the company's row of a
period as its mark, jobs that count again and again to the same rows, and the records counted on
the spot wherever a mark is missing or old — never wrong for want of a job, only slower.

What is rolled up is what can no longer change. A closed complaint is final: nothing moves it
out of "closed", and while it is closed neither its level, its times, its answer, its
escalations nor its request's deadline change. So ``refresh`` counts, per office and local day,
and per office and month, the figures of the complaints received then that were closed before
``settled_before`` (the refresh's time less ``SETTLE_MARGIN``, so that a close still committing
is not missed); ``read`` adds to them the complaints of the period not settled by then —
still open, answered but not closed, or closed since — counted from the records with everything
that depends on the present (``open_overdue``). The sum is the live count at every moment, not
only after a job: a rollup never goes out of date, it only leaves more to be counted live.

- ``refresh_month`` counts one month in one grouped query and writes its day and month rows in
  one transaction, the company's rows first (they are the lock: a second refresh of the month
  waits until the first has written everything), changed rows only, rows of offices with
  nothing left deleted.
- Two jobs: ``refresh_recent`` every ten minutes (this month and the last, where nearly every
  close lands) and ``refresh_all`` each night (the last ``ALL_MONTHS`` months: any period of up
  to a year the page offers that ends in them).
- ``read`` takes whole months from month rows and the days at either end from day rows — a year
  of 1,000 offices sums some 70,000 small rows in the database, not 365,000 — and counts the
  rest live. A mark older than ``MAX_AGE`` is not used (the nightly job heals any change made
  behind the services' back within that time).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from propdesk.core.measures import MONTH, Period, last_periods, period_of

from .models import Complaint, Escalation, NumbersRollup

State, Owner = Complaint.State, Complaint.Owner
COMPANY, DAY = NumbersRollup.COMPANY, NumbersRollup.DAY
assert NumbersRollup.MONTH == MONTH  # one word for a month, here and on the board

# What a rollup keeps: every figure but ``open_overdue``, which depends on the present.
ROLLED = (
    "received",
    "company_level",
    "responded",
    "responded_on_time",
    "resolved",
    "resolved_on_time",
    "answered",
    "satisfied",
    "closed",
    "escalated_late",
)
FIGURES = (*ROLLED, "open_overdue")
NOT_CLOSED = tuple(s for s in State.values if s != State.CLOSED)
# Complaints closed this long before a refresh are counted in it: a close is written with its
# service's time and committed a moment later.
SETTLE_MARGIN = dt.timedelta(minutes=15)
# A mark older than this is not read (the nightly job renews every mark it keeps).
MAX_AGE = dt.timedelta(days=2)
RECENT_MONTHS = 2  # this month and the last
ALL_MONTHS = 14  # this month and the 13 before: every period of up to a year ending in them
READ_TRIES = 3
BATCH = 2000


# --- counting ---------------------------------------------------------------------------------


def aggregates(now: dt.datetime | None = None) -> dict:
    """The figures as conditional counts over complaints; with ``now``, ``open_overdue`` too."""
    late = Escalation.objects.filter(
        complaint=OuterRef("pk"),
        cause__in=[Escalation.Cause.FIRST_RESPONSE_LATE, Escalation.Cause.RESOLUTION_LATE],
    )
    counts = {
        "received": Count("pk"),
        "company_level": Count("pk", filter=~Q(owner=Owner.SERVICE_CENTER)),
        "responded": Count("pk", filter=Q(first_responded_at__isnull=False)),
        "responded_on_time": Count(
            "pk", filter=Q(first_responded_at__lte=F("first_response_due_at"))
        ),
        "resolved": Count("pk", filter=Q(resolved_at__isnull=False)),
        "resolved_on_time": Count("pk", filter=Q(resolved_at__lte=F("ticket__due_at"))),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "satisfied": Count("pk", filter=Q(answer_satisfied=True)),
        "closed": Count("pk", filter=Q(state=State.CLOSED)),
        "escalated_late": Count("pk", filter=Q(Exists(late))),
    }
    if now is not None:
        counts["open_overdue"] = Count(
            "pk", filter=Q(state__in=Complaint.OPEN_STATES, ticket__due_at__lt=now)
        )
    return counts


def settled(cutoff: dt.datetime) -> Q:
    """Closed before ``cutoff``: counted in a rollup settled then."""
    return Q(state=State.CLOSED, closed_at__lt=cutoff)


def unsettled(cutoff: dt.datetime) -> Q:
    """Everything ``settled`` leaves out (the states by name, so an index on them serves)."""
    return Q(state__in=NOT_CLOSED) | Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)


def count_live(where: Q, *, now: dt.datetime, office_ids=None) -> dict[int, dict]:
    """The figures of the complaints ``where`` selects, per office, from the records: one
    grouped query. ``office_ids`` None: every office."""
    qs = Complaint.objects.filter(where)
    if office_ids is not None:
        qs = qs.filter(office_id__in=office_ids)
    rows = qs.values("office_id").annotate(**aggregates(now)).order_by()
    return {r.pop("office_id"): r for r in rows}


def _tz():
    return timezone.get_default_timezone()


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), _tz())


def _days(first: dt.date, end: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((end - first).days)]


# --- writing ----------------------------------------------------------------------------------


def _upsert(rows: list, fields: Sequence[str]) -> None:
    NumbersRollup.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["kind", "start", "office"],
        update_fields=list(fields),
    )


def refresh_month(month: Period, *, now: dt.datetime) -> int:
    """Count the closed complaints received in ``month`` and write its rows; the rows written."""
    cutoff = now - SETTLE_MARGIN
    keys = sorted([(DAY, day) for day in _days(month.start, month.end)] + [(MONTH, month.start)])
    in_month = Q(kind=DAY, start__gte=month.start, start__lt=month.end) | Q(
        kind=MONTH, start=month.start
    )
    with transaction.atomic():
        # The company's rows first, in one order: they are the month's lock, so a second
        # refresh waits here and then counts what the first left.
        marks = [
            NumbersRollup(
                kind=kind, start=start, office=COMPANY, settled_before=cutoff, computed_at=now
            )
            for kind, start in keys
        ]
        _upsert(marks, ["settled_before", "computed_at"])
        counted = (
            Complaint.objects.filter(
                settled(cutoff),
                created_at__gte=_midnight(month.start),
                created_at__lt=_midnight(month.end),
            )
            .annotate(day=TruncDate("created_at", tzinfo=_tz()))
            .values("office_id", "day")
            .annotate(**aggregates())
            .order_by()
        )
        new: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(ROLLED))
        for r in counted:
            values = [r[name] for name in ROLLED]
            for key in (
                (DAY, r["day"], r["office_id"]),
                (MONTH, month.start, r["office_id"]),
                (DAY, r["day"], COMPANY),
                (MONTH, month.start, COMPANY),
            ):
                new[key] = [a + b for a, b in zip(new[key], values, strict=True)]
        existing = {
            (kind, start, office): (pk, list(values))
            for pk, kind, start, office, *values in NumbersRollup.objects.filter(in_month)
            .exclude(office=COMPANY)
            .values_list("pk", "kind", "start", "office", *ROLLED)
        }
        changed = [
            NumbersRollup(
                kind=kind,
                start=start,
                office=office,
                computed_at=now,
                **dict(zip(ROLLED, values, strict=True)),
            )
            for (kind, start, office), values in sorted(new.items())
            if office != COMPANY and existing.get((kind, start, office), (0, None))[1] != values
        ]
        _upsert(changed, [*ROLLED, "computed_at"])
        gone = [pk for key, (pk, _values) in existing.items() if key not in new]
        NumbersRollup.objects.filter(pk__in=gone).delete()
        for mark in marks:
            values = new.get((mark.kind, mark.start, COMPANY), [0] * len(ROLLED))
            for name, value in zip(ROLLED, values, strict=True):
                setattr(mark, name, value)
        _upsert(marks, [*ROLLED, "settled_before", "computed_at"])
    return len(changed) + len(gone) + len(marks)


def refresh(*, now: dt.datetime, months: Iterable[Period]) -> int:
    """Count the given months, oldest first (the order every refresh takes its locks in)."""
    return sum(refresh_month(m, now=now) for m in sorted(months))


def refresh_recent(*, now: dt.datetime) -> int:
    """Every ten minutes: this month and the last."""
    return refresh(now=now, months=last_periods(MONTH, now, RECENT_MONTHS))


def refresh_all(*, now: dt.datetime) -> int:
    """Each night: the last ``ALL_MONTHS`` months."""
    return refresh(now=now, months=last_periods(MONTH, now, ALL_MONTHS))


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Read:
    """Per office, the figures of the complaints received in a period; and how many of its days
    came from rollups (the rest, and what they leave out, were counted from the records)."""

    figures: dict[int, dict] = field(default_factory=dict)
    rolled_days: int = 0


@dataclass(frozen=True)
class _Run:
    """Consecutive days or months read from rollups settled at one time."""

    kind: str
    first: dt.date
    end: dt.date  # the first day after
    cutoff: dt.datetime
    keys: int  # rows of the company's it covers

    def rows(self) -> Q:
        return Q(kind=self.kind, start__gte=self.first, start__lt=self.end)


def _plan(first: dt.date, end: dt.date, marks: dict, now: dt.datetime):
    """Which whole months and days of [first, end) to read from rollups ([_Run]) and which to
    count live ([(first, end)])."""
    fresh = {
        key: cutoff
        for key, (cutoff, at) in marks.items()
        if cutoff is not None and at >= now - MAX_AGE
    }
    # Each day: (kind, period start, cutoff) from its month's row, its own, or None (live).
    source = []
    for day in _days(first, end):
        month = period_of(MONTH, day)
        whole = month.start >= first and month.end <= end
        if whole and (MONTH, month.start) in fresh:
            source.append((day, MONTH, month.start, fresh[(MONTH, month.start)]))
        elif (DAY, day) in fresh:
            source.append((day, DAY, day, fresh[(DAY, day)]))
        else:
            source.append((day, None, None, None))
    runs, live = [], []
    i = 0
    while i < len(source):
        day, kind, start, cutoff = source[i]
        j = i + 1
        while j < len(source) and source[j][1] == kind and source[j][3] == cutoff:
            j += 1
        last = source[j - 1][0] + dt.timedelta(days=1)
        if kind is None:
            live.append((day, last))
        else:
            starts = {s[2] for s in source[i:j]}
            runs.append(_Run(kind, min(starts), last, cutoff, len(starts)))
        i = j
    return runs, live


def _sum_rolled(runs: list[_Run], office_ids) -> dict[int, dict] | None:
    """The rollups of ``runs``, per office, in one query — or None when a refresh changed them
    since their marks were read (the marks are read again in the same query to know)."""
    rows = Q()
    marks = Q()
    for run in runs:
        rows |= run.rows()
        marks |= run.rows() & Q(settled_before=run.cutoff)
    offices = Q(office__gt=COMPANY) if office_ids is None else Q(office__in=office_ids)
    result = {}
    for r in (
        NumbersRollup.objects.filter((rows & offices) | (Q(office=COMPANY) & marks))
        .values("office")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in ROLLED})
        .order_by()
    ):
        result[r.pop("office")] = r
    company = result.pop(COMPANY, {"n": 0})
    if company["n"] != sum(run.keys for run in runs):
        return None
    for r in result.values():
        del r["n"]
    return result


def read(office_ids, *, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> Read:
    """The figures of the complaints received in [start, end) per office (``office_ids``
    None: every office): rollups where the period's whole local days have fresh marks, the
    records for the rest and for what the rollups leave out. A fixed number of queries."""
    tz = _tz()
    first = timezone.localtime(start, tz).date()
    if _midnight(first) < start:
        first += dt.timedelta(days=1)
    last = timezone.localtime(end, tz).date()  # whole days end at its midnight
    edges = []  # parts of a day at either end: live
    if first >= last:  # no whole day
        first = last = None
        edges.append((start, end))
    else:
        if start < _midnight(first):
            edges.append((start, _midnight(first)))
        if _midnight(last) < end:
            edges.append((_midnight(last), end))

    runs, live, rolled = [], [], None
    if first is not None:
        months = [m.start for m in _months(first, last) if m.start >= first and m.end <= last]
        for _try in range(READ_TRIES):
            marks = {
                (kind, day): (cutoff, at)
                for kind, day, cutoff, at in NumbersRollup.objects.filter(
                    Q(kind=DAY, start__gte=first, start__lt=last) | Q(kind=MONTH, start__in=months),
                    office=COMPANY,
                ).values_list("kind", "start", "settled_before", "computed_at")
            }
            runs, live = _plan(first, last, marks, now)
            rolled = _sum_rolled(runs, office_ids) if runs else {}
            if rolled is not None:
                break
        else:  # refreshed under our feet each time: count it all
            runs, live, rolled = [], [(first, last)], {}

    where = Q(pk__in=[])
    for a, b in edges:
        where |= Q(created_at__gte=a, created_at__lt=b)
    for a, b in live:
        where |= Q(created_at__gte=_midnight(a), created_at__lt=_midnight(b))
    # The runs of one refresh, months and days alike, as few ranges as possible.
    spans: list[list] = []
    for run in sorted(runs, key=lambda r: (r.cutoff, r.first)):
        if spans and spans[-1][2] == run.cutoff and spans[-1][1] == run.first:
            spans[-1][1] = run.end
        else:
            spans.append([run.first, run.end, run.cutoff])
    for a, b, cutoff in spans:
        where |= Q(unsettled(cutoff), created_at__gte=_midnight(a), created_at__lt=_midnight(b))
    figures = count_live(where, now=now, office_ids=office_ids)
    for office, values in (rolled or {}).items():
        row = figures.setdefault(office, dict.fromkeys(FIGURES, 0))
        for name in ROLLED:
            row[name] += values[name] or 0
    days = sum((run.end - run.first).days for run in runs)
    return Read(figures=figures, rolled_days=days)


def _months(first: dt.date, end: dt.date) -> list[Period]:
    months, month = [], period_of(MONTH, first)
    while month.start < end:
        months.append(month)
        month = Period(MONTH, month.end)
    return months
