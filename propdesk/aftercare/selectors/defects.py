"""M14 reads: the major-defect watches and their inspections (office-scoped: another office's
watch is not found)."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from propdesk.core.scoping import get_scoped, scope_for

from ..models import DefectWatch, Inspection


def clean_streak(watch: DefectWatch) -> int:
    """Clean inspections in a row since the defect last came back (or since the watch began)."""
    streak = 0
    for result in (
        watch.inspections.filter(done_at__isnull=False)
        .order_by("-number")
        .values_list("result", flat=True)
    ):
        if result != Inspection.Result.CLEAN:
            break
        streak += 1
    return streak


@dataclass
class WatchFilters:
    state: str | None = DefectWatch.State.OPEN  # None: open and closed
    overdue: bool = False
    watcher: int | None = None
    office: int | None = None


def _next_open(field: str):
    return Subquery(
        Inspection.objects.filter(watch=OuterRef("pk"), done_at__isnull=True)
        .order_by("number")
        .values(field)[:1]
    )


def watch_list(user, filters: WatchFilters | None = None, *, now) -> QuerySet:
    """The watches ``user`` may see, with the next inspection's number and due time."""
    filters = filters or WatchFilters()
    qs = scope_for(DefectWatch.objects.all(), user).select_related(
        "office",
        "ticket__item",
        "customer",
        "household__unit__building__community",
        "watcher",
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.watcher:
        qs = qs.filter(watcher_id=filters.watcher)
    qs = qs.annotate(next_number=_next_open("number"), next_due=_next_open("due_at"))
    if filters.overdue:
        qs = qs.filter(
            Exists(
                Inspection.objects.filter(
                    watch=OuterRef("pk"), done_at__isnull=True, due_at__lt=now
                )
            )
        )
    # The most urgent first: the next inspection due soonest; closed watches last, newest first.
    return qs.order_by(F("next_due").asc(nulls_last=True), "-opened_at", "-pk")


def watch_get(user, pk) -> DefectWatch:
    """One watch ``user`` may see, or NotFound (another office's watch is not found)."""
    return get_scoped(
        DefectWatch.objects.select_related(
            "office",
            "ticket__item",
            "customer",
            "household__unit__building__community",
            "watcher",
            "closed_by",
        ),
        user,
        pk=pk,
    )


def watch_inspections(watch: DefectWatch) -> list[Inspection]:
    return list(
        watch.inspections.select_related("inspector", "rework")
        .prefetch_related("photos")
        .order_by("number")
    )


def is_overdue(watch: DefectWatch, now) -> bool:
    due = getattr(watch, "next_due", None)
    return watch.state == DefectWatch.State.OPEN and due is not None and due < now
