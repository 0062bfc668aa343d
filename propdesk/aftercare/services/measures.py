"""The weekly after-service numbers per office (for the compliance board, M25).

``weekly_measures`` (a periodic job, daily) recomputes the current and the previous ISO week of
every office from the records themselves and writes one ``WeeklyMeasure`` row per office and
week: a row whose numbers did not change is not written again, so a second run changes nothing.
The previous week is recomputed too, because its calls and inspections may still be recorded
after it ends (a call made on Monday morning for a sample of last week).

Weeks are ISO weeks in local time (Asia/Shanghai): Monday 00:00 to the next Monday 00:00.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, F, Q

from propdesk.org.models import Office

from ..models import FollowupCall, Inspection, WeeklyMeasure
from ..weeks import WEEK, week_bounds, week_key, week_start_of

FIELDS = WeeklyMeasure.NUMBERS  # the numbers of a row, in the order the board shows them
MADE = (FollowupCall.State.DONE, FollowupCall.State.UNREACHED)


# --- the job ----------------------------------------------------------------------------------


def _numbers(start: dt.date) -> dict[int, dict[str, int]]:
    """Every office's numbers for the week starting ``start``, in three aggregate queries."""
    first, following = week_bounds(start)
    rows: dict[int, dict[str, int]] = {}

    def put(office_id, **values):
        rows.setdefault(office_id, dict.fromkeys(FIELDS, 0)).update(values)

    # M13: the calls sampled for that week's batch (FollowupBatch.week_start), and their results.
    for r in (
        FollowupCall.objects.filter(kind=FollowupCall.Kind.SAMPLE, batch__week_start=start)
        .values("office_id")
        .annotate(
            required=Count("pk"),
            done=Count("pk", filter=Q(state__in=MADE)),
            reached=Count("pk", filter=Q(reached=True)),
            satisfied=Count("pk", filter=Q(satisfied=True)),
        )
        .order_by()
    ):
        put(
            r["office_id"],
            sample_required=r["required"],
            sample_done=r["done"],
            followups_reached=r["reached"],
            followups_satisfied=r["satisfied"],
        )
    # M14: inspections falling due that week; on time when made by their due time.
    for r in (
        Inspection.objects.filter(due_at__gte=first, due_at__lt=following)
        .values("watch__office_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(done_at__isnull=False, done_at__lte=F("due_at"))),
        )
        .order_by()
    ):
        put(r["watch__office_id"], inspections_due=r["due"], inspections_on_time=r["on_time"])
    # M15: special follow-ups of rework falling due that week; on time when made by due_at.
    for r in (
        FollowupCall.objects.filter(
            kind=FollowupCall.Kind.REWORK, due_at__gte=first, due_at__lt=following
        )
        .values("office_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(done_at__isnull=False, done_at__lte=F("due_at"))),
        )
        .order_by()
    ):
        put(r["office_id"], rework_followups_due=r["due"], rework_followups_on_time=r["on_time"])
    return rows


@transaction.atomic
def weekly_measures(*, now: dt.datetime) -> dict[str, int]:
    """Recompute the current and the previous ISO week for every office (a periodic job).

    Writes only the rows that are new or whose numbers changed, as one upsert keyed on
    (office, week): running it twice, or on two machines at once, leaves the same rows."""
    this_week = week_start_of(now)
    weeks = [this_week - WEEK, this_week]
    offices = list(Office.objects.order_by("pk").values_list("pk", flat=True))
    existing = {
        (m.office_id, m.week): m
        for m in WeeklyMeasure.objects.filter(week__in=[week_key(w) for w in weeks])
    }
    changed, created = [], 0
    for start in weeks:
        numbers = _numbers(start)
        key = week_key(start)
        for office_id in offices:
            values = numbers.get(office_id, dict.fromkeys(FIELDS, 0))
            old = existing.get((office_id, key))
            if old is not None and all(getattr(old, f) == values[f] for f in FIELDS):
                continue
            created += old is None
            changed.append(
                WeeklyMeasure(
                    office_id=office_id, week=key, week_start=start, computed_at=now, **values
                )
            )
    if changed:
        WeeklyMeasure.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["office", "week"],
            update_fields=[*FIELDS, "week_start", "computed_at"],
        )
    return {"created": created, "updated": len(changed) - created}
