"""Every read of the owners' committees: for staff through office scoping, for customers through
the seats they hold."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.core.scoping import get_scoped, scope_for

from .models import Action, Committee, Item, Meeting, MissedMonth, Seat, current_seats

# --- staff ------------------------------------------------------------------------------------


def committees_for_user(user) -> QuerySet:
    return scope_for(Committee.objects.select_related("office"), user).order_by("office__code")


def committee_get(user, pk) -> Committee:
    return get_scoped(Committee.objects.select_related("office"), user, pk=pk)


def committee_of_office(user, office_id) -> Committee | None:
    return committees_for_user(user).filter(office_id=office_id).first()


def seats_of(committee: Committee) -> QuerySet:
    return committee.seats.select_related("customer").order_by("kind", "role", "-term_from", "pk")


@dataclass
class MeetingFilters:
    state: str = ""
    office: int | None = None
    year: int | None = None


def meetings_for_user(user, filters: MeetingFilters | None = None) -> QuerySet:
    """Meetings the user may see, latest first, with their opinions counted (open ones too)."""
    filters = filters or MeetingFilters()
    qs = scope_for(Meeting.objects.all(), user)
    # Served by meeting_office_state (office, state, -planned_for) or meeting_state_held.
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.year:
        qs = qs.filter(planned_for__year=filters.year)
    return (
        qs.select_related("office", "committee")
        .annotate(
            n_items=Count("items", distinct=True),
            n_open=Count("items", filter=Q(items__state=Item.State.OPEN), distinct=True),
        )
        .order_by("-planned_for", "-pk")
    )


def meeting_get(user, pk) -> Meeting:
    return get_scoped(
        Meeting.objects.select_related("office", "committee", "created_by"), user, pk=pk
    )


def items_of(meeting: Meeting) -> QuerySet:
    return meeting.items.select_related(
        "raised_by__customer", "decided_by", "action__owner", "action__department"
    ).order_by("pk")


@dataclass
class ActionFilters:
    state: str = ""
    office: int | None = None
    overdue: bool = False
    mine: bool = False


def actions_for_user(user, filters: ActionFilters | None = None, *, now=None) -> QuerySet:
    filters = filters or ActionFilters()
    qs = scope_for(Action.objects.all(), user)
    # Served by action_office_state (office, state, due_on) / action_state_due / action_owner.
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.overdue:
        today = timezone.localdate(now or timezone.now())
        qs = qs.filter(state=Action.State.OPEN, due_on__lt=today)
    if filters.mine:
        qs = qs.filter(owner=user)
    return qs.select_related("office", "owner", "department", "item__meeting").order_by(
        "due_on", "pk"
    )


def action_get(user, pk) -> Action:
    return get_scoped(
        Action.objects.select_related(
            "office", "committee", "owner", "department", "item__meeting", "verified_by"
        ),
        user,
        pk=pk,
    )


def updates_of(action: Action) -> QuerySet:
    return action.updates.select_related("by").order_by("-at", "-pk")


def missed_months(user, *, office=None) -> QuerySet:
    qs = scope_for(MissedMonth.objects.select_related("office"), user)
    if office:
        qs = qs.filter(office_id=office)
    return qs.order_by("-month", "office_id")


# --- customers --------------------------------------------------------------------------------


def seats_of_customer(customer, *, now=None) -> QuerySet:
    """The customer's current seats (served by seat_customer)."""
    today = timezone.localdate(now or timezone.now())
    return Seat.objects.filter(current_seats(today), customer=customer).select_related(
        "committee__office"
    )


def committees_of_customer(customer, *, now=None) -> QuerySet:
    ids = seats_of_customer(customer, now=now).values("committee_id")
    return Committee.objects.filter(pk__in=ids).select_related("office").order_by("pk")


def customer_meetings(customer, *, now=None) -> QuerySet:
    """Meetings of the committees the customer sits on: planned and held (not cancelled ones
    long past), latest first."""
    return (
        Meeting.objects.filter(committee__in=committees_of_customer(customer, now=now))
        .select_related("committee")
        .order_by("-planned_for", "-pk")
    )


def customer_meeting(customer, pk, *, now=None) -> Meeting:
    try:
        return customer_meetings(customer, now=now).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def customer_actions(customer, *, now=None) -> QuerySet:
    return (
        Action.objects.filter(committee__in=committees_of_customer(customer, now=now))
        .select_related("department", "item__meeting")
        .order_by("-created_at", "-pk")
    )


def customer_action(customer, pk, *, now=None) -> Action:
    try:
        return customer_actions(customer, now=now).get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
