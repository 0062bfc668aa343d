"""Every read of community activities: for staff through office scoping, for customers through
where they live."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.core.scoping import scope_for
from propdesk.customers.models import Household

from .models import Activity, Registration

State, RState = Activity.State, Registration.State
TAKING_SEATS = (RState.CONFIRMED, RState.ATTENDED)


# --- staff ------------------------------------------------------------------------------------


@dataclass
class ActivityFilters:
    state: str = ""
    kind: str = ""
    office: int | None = None
    upcoming: bool | None = None
    q: str = ""


def with_counts(qs: QuerySet) -> QuerySet:
    """Each activity with its seats taken and the length of its waiting list, in the same
    query: correlated subqueries on the registration index, so a page costs its own rows, not
    every registration there is."""
    mine = Registration.objects.filter(activity=OuterRef("pk")).order_by().values("activity")
    taken = mine.filter(state__in=TAKING_SEATS).annotate(n=Sum("seats")).values("n")
    waiting = mine.filter(state=RState.WAITING).annotate(n=Count("pk")).values("n")
    return qs.annotate(
        taken=Coalesce(Subquery(taken), 0),
        waiting=Coalesce(Subquery(waiting), 0),
    )


def activities_for_user(user, filters: ActivityFilters | None = None, *, now=None) -> QuerySet:
    """The activities a member of staff may see (their office's; company roles every office's),
    filtered; upcoming ones soonest first, otherwise newest first."""
    filters = filters or ActivityFilters()
    qs = scope_for(Activity.objects.all(), user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.q:
        qs = qs.filter(title__startswith=filters.q.strip())
    order = ["-starts_at", "-pk"]
    if filters.upcoming is not None:
        now = now or timezone.now()
        if filters.upcoming:
            qs, order = qs.filter(starts_at__gte=now), ["starts_at", "pk"]
        else:
            qs = qs.filter(starts_at__lt=now)
    return with_counts(qs.select_related("office", "community")).order_by(*order)


def activity_get(user, pk) -> Activity:
    """One activity the user may see, or NotFound (another office's is never found)."""
    try:
        return (
            with_counts(scope_for(Activity.objects.all(), user))
            .select_related("office", "community", "notice", "created_by")
            .get(pk=pk)
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def registrations_for(activity: Activity, *, state: str = "") -> QuerySet:
    """An activity's registrations in queue order, with the customer's phones for the desk."""
    qs = activity.registrations.select_related("customer", "registered_by", "checked_in_by")
    if state:
        qs = qs.filter(state=state)
    return qs.prefetch_related("customer__phones").order_by("queued_at", "pk")


def registration_get(activity: Activity, pk) -> Registration:
    try:
        return activity.registrations.select_related("customer", "activity").get(pk=pk)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class Summary:
    capacity: int
    taken: int
    waiting: int
    attended: int
    absent: int
    feedback: int
    rating: float | None

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def summary(activity: Activity) -> Summary:
    """Places, the waiting list, attendance and feedback, in one query."""
    row = activity.registrations.aggregate(
        taken=Sum("seats", filter=Q(state__in=TAKING_SEATS)),
        waiting=Count("pk", filter=Q(state=RState.WAITING)),
        attended=Sum("seats", filter=Q(state=RState.ATTENDED)),
        absent=Sum("seats", filter=Q(state=RState.ABSENT)),
        feedback=Count("pk", filter=Q(feedback_at__isnull=False)),
        rating=Avg("rating"),
    )
    return Summary(
        capacity=activity.capacity,
        taken=row["taken"] or 0,
        waiting=row["waiting"],
        attended=row["attended"] or 0,
        absent=row["absent"] or 0,
        feedback=row["feedback"],
        rating=round(row["rating"], 1) if row["rating"] is not None else None,
    )


def waiting_positions(registrations) -> dict[int, int]:
    """{registration pk: its place on its activity's waiting list (1 is next)} for the waiting
    ones among ``registrations``, in one query, counted as ``services.waiting_position`` does
    (queue time, then pk)."""
    waiting = [r for r in registrations if r is not None and r.state == RState.WAITING]
    if not waiting:
        return {}
    queues = (
        Registration.objects.filter(
            activity_id__in={r.activity_id for r in waiting}, state=RState.WAITING
        )
        .order_by("activity_id", "queued_at", "pk")
        .values_list("activity_id", "pk")
    )
    positions, counted = {}, {}
    for activity_id, pk in queues:
        counted[activity_id] = counted.get(activity_id, 0) + 1
        positions[pk] = counted[activity_id]
    return {r.pk: positions.get(r.pk) for r in waiting}


def timeline(activity: Activity) -> QuerySet:
    return activity.events.select_related("actor", "customer").order_by("-at", "-pk")


# --- customers --------------------------------------------------------------------------------


def _invited(customer) -> Q:
    """Activities for the customer's homes: their offices' whole, or their communities'."""
    homes = Household.objects.of_customer(customer)
    offices = homes.values("office_id")
    communities = homes.values("unit__building__community_id")
    return Q(office_id__in=offices) & (Q(community__isnull=True) | Q(community_id__in=communities))


def _visible_to(customer) -> QuerySet:
    """Published activities for the customer's homes, and any they registered for."""
    mine = Registration.objects.filter(activity=OuterRef("pk"), customer=customer)
    return Activity.objects.exclude(state=State.DRAFT).filter(
        (_invited(customer) & ~Q(state=State.CANCELLED)) | Exists(mine)
    )


def activities_for_customer(customer, *, now=None) -> QuerySet:
    """The activities a customer can register for now, soonest first."""
    now = now or timezone.now()
    return (
        with_counts(_visible_to(customer).filter(state=State.PUBLISHED, ends_at__gte=now))
        .select_related("office", "community")
        .order_by("starts_at", "pk")
    )


def activity_for_customer(customer, pk) -> Activity:
    try:
        return with_counts(_visible_to(customer)).select_related("office", "community").get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def registration_of(customer, activity: Activity) -> Registration | None:
    """The customer's registration for the activity: the live one, else the latest."""
    mine = activity.registrations.filter(customer=customer).order_by("-queued_at", "-pk")
    return mine.exclude(state=RState.CANCELLED).first() or mine.first()


def registrations_of_customer(customer) -> QuerySet:
    """The customer's own registrations, newest first (the portal's "my activities")."""
    return (
        Registration.objects.filter(customer=customer)
        .select_related("activity", "activity__office")
        .order_by("-queued_at", "-pk")
    )
