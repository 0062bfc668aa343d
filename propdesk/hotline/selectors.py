"""Hotline reads, always through office scoping (M02)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from propdesk.catalog.selectors import items_for_office
from propdesk.core.errors import NotFound
from propdesk.core.phones import try_normalize_phone
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.customers import selectors as customer_selectors
from propdesk.customers.models import Customer, Household
from propdesk.org.models import HotlineLine, Office, User
from propdesk.tickets.models import WITH_TECHNICIAN_STATUSES, Contact, Quote, Ticket
from propdesk.tickets.opportunities import opportunities_for_customers
from propdesk.tickets.selectors import ticket_get, without_recused

from .models import Call, DutyShift

CALL_RELATED = ("line", "office", "handler", "customer", "ticket")
# A ringing call the phone system never reported hung up should not pop for ever.
POP_WINDOW = dt.timedelta(hours=2)
# The outcome filter's value for calls nobody has logged yet.
OUTCOME_NONE = "none"


# --- lines ------------------------------------------------------------------------------------


def lines_for(user) -> QuerySet:
    return scope_for(HotlineLine.objects.select_related("office"), user).order_by(
        "office__code", "kind"
    )


def line_get(user, pk) -> HotlineLine:
    return get_scoped(HotlineLine.objects.select_related("office"), user, pk=pk)


def offices_for(user) -> QuerySet:
    return scope_for(Office.objects.all(), user, office_field="pk")


def office_get(user, pk) -> Office:
    return get_scoped(Office.objects.all(), user, office_field="pk", pk=pk)


# --- calls ------------------------------------------------------------------------------------


def calls_for(user) -> QuerySet:
    """The calls of the user's office, less those that filed a complaint about the user."""
    return without_recused(scope_for(Call.objects.all(), user), user, ticket="ticket_id")


def call_get(user, pk) -> Call:
    """One call the user may see, or NotFound (another office's call is not found)."""
    return get_scoped(calls_for(user).select_related(*CALL_RELATED), user, pk=pk)


@dataclass
class CallFilters:
    office: int | None = None
    line_kind: str = ""
    state: str = ""
    outcome: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    handler: int | None = None
    number: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight in Asia/Shanghai, so a date filter is a plain range on the started_at index."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def call_list(user, filters: CallFilters) -> QuerySet:
    qs = calls_for(user).select_related(*CALL_RELATED)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.line_kind:
        qs = qs.filter(line__kind=filters.line_kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.outcome == OUTCOME_NONE:
        qs = qs.filter(outcome="")
    elif filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.date_from:
        qs = qs.filter(started_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(started_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.handler:
        qs = qs.filter(handler_id=filters.handler)
    if number := filters.number.strip():
        e164 = try_normalize_phone(number)
        qs = qs.filter(caller_e164=e164) if e164 else qs.filter(caller_number__contains=number)
    return qs.order_by("-started_at", "-pk")


# --- recognition ----------------------------------------------------------------------------


def _customers_with_context(qs: QuerySet, user) -> QuerySet:
    """Customers with their phones, households and open requests, in a fixed number of queries
    (leaving out complaints about ``user``, who is looking)."""
    requests = without_recused(Ticket.objects.open(), user)
    return qs.prefetch_related(
        "phones",
        Prefetch(
            "households",
            queryset=Household.objects.filter(is_active=True).select_related(
                "unit__building__community"
            ),
            to_attr="current_households",
        ),
        Prefetch(
            "tickets",
            queryset=requests.select_related("item").order_by("-created_at"),
            to_attr="open_requests",
        ),
    ).order_by("name", "pk")


def recognise(user, number: str, *, office_id=None, limit: int = 20) -> list[Customer]:
    """Every customer in the user's scope with this phone number, with households and open
    requests (M02). Looked up by the normalised number through the CustomerPhone index."""
    e164 = try_normalize_phone(number or "")
    if not e164:
        return []
    qs = scope_for(Customer.objects.all(), user).filter(phones__number=e164).distinct()
    if office_id:
        qs = qs.filter(office_id=office_id)
    return list(_customers_with_context(qs, user)[:limit])


RECENT_CONTACTS = 5


def attach_recent_contacts(customers: list[Customer], user, *, limit: int = RECENT_CONTACTS):
    """Each customer's ``recent_contacts``: their last ``limit`` contacts from every channel,
    newest first (less those of complaints about ``user``), in one query for them all."""
    if not customers:
        return
    contacts = without_recused(
        Contact.objects.filter(customer__in=customers), user, ticket="ticket_id"
    ).select_related("staff", "ticket")
    prefetch = Prefetch(
        "contacts", queryset=contacts.order_by("-at", "-pk")[:limit], to_attr="recent_contacts"
    )
    prefetch_related_objects(customers, prefetch)


def customers_with_context(user, ids) -> list[Customer]:
    """The customers of ``ids`` the user may see, as ``recognise`` gives them."""
    qs = scope_for(Customer.objects.filter(pk__in=ids), user)
    return list(_customers_with_context(qs, user))


def attach_opportunities(customers: list[Customer], *, now: dt.datetime) -> None:
    """M24: each recognised customer's ``opportunities``, the paid and special services they
    have not used yet, most relevant first (``tickets.opportunities``): a fixed number of
    queries for them all."""
    found = opportunities_for_customers(customers, now=now)
    for customer in customers:
        customer.opportunities = found.get(customer.pk, [])


def pop_calls(user, *, now: dt.datetime, limit: int = 10) -> list[Call]:
    """Calls ringing or in progress in the user's office, not yet logged, newest first, each
    with ``recognised``: the customers of its office with the caller's number (screen pop)."""
    calls = list(
        calls_for(user)
        .filter(
            state__in=(Call.State.RINGING, Call.State.ANSWERED),
            outcome="",
            started_at__gte=now - POP_WINDOW,
        )
        .select_related("line", "handler")
        .order_by("-started_at", "-pk")[:limit]
    )
    numbers = {c.caller_e164 for c in calls if c.caller_e164}
    customers = []
    if numbers:
        customers = list(
            _customers_with_context(
                Customer.objects.filter(
                    office_id__in={c.office_id for c in calls}, phones__number__in=numbers
                ).distinct(),
                user,
            )
        )
    for call in calls:
        call.recognised = [
            c
            for c in customers
            if c.office_id == call.office_id
            and any(p.number == call.caller_e164 for p in c.phones.all())
        ]
    return calls


def customers_for(user) -> QuerySet:
    return customer_selectors.customers_for(user)


def customer_get(user, pk) -> Customer:
    try:
        return get_scoped(customers_for(user), user, pk=pk)
    except NotFound:
        raise NotFound(field="customer") from None


def households_for(user) -> QuerySet:
    return customer_selectors.households_for(user)


def household_get(user, pk) -> Household:
    try:
        return get_scoped(households_for(user), user, pk=pk)
    except NotFound:
        raise NotFound(field="household") from None


def catalogue_for(office_id) -> QuerySet:
    """The service items an office offers: the company catalogue plus its own."""
    return items_for_office(office_id)


# --- the call screen's next steps -------------------------------------------------------------


def call_ticket(user, call: Call) -> Ticket | None:
    """The request the call became, as the user may see it (None for an inquiry answered without
    a customer, or a complaint about the user)."""
    if call.ticket_id is None:
        return None
    try:
        ticket = ticket_get(user, call.ticket_id)
    except NotFound:
        return None
    ticket.quotes_sent = list(ticket.quotes.filter(state=Quote.State.SENT).order_by("-pk")[:1])
    return ticket


def technicians_for_dispatch(office_id, *, now: dt.datetime) -> list[User]:
    """The technicians a request of this office may go to, each with ``open_orders`` (work
    orders dispatched or in progress) and ``on_duty`` (rostered on one of the office's lines
    now), those on duty first, then the least busy: one query."""
    on_duty = DutyShift.objects.filter(
        staff_id=OuterRef("pk"),
        line__office_id=office_id,
        starts_at__lte=now,
        ends_at__gt=now,
    )
    return list(
        User.objects.technicians_of(office_id)
        .annotate(
            open_orders=Count(
                "assigned_tickets",
                filter=Q(assigned_tickets__status__in=WITH_TECHNICIAN_STATUSES),
                distinct=True,
            ),
            on_duty=Exists(on_duty),
        )
        .order_by("-on_duty", "open_orders", "last_name", "first_name", "pk")
    )


# --- the roster -------------------------------------------------------------------------------


def shifts_for(user) -> QuerySet:
    return scope_for(
        DutyShift.objects.select_related("line__office", "staff"), user, office_field="line__office"
    )


def shift_get(user, pk) -> DutyShift:
    return get_scoped(
        DutyShift.objects.select_related("line__office", "staff"),
        user,
        office_field="line__office",
        pk=pk,
    )


def roster_lines(office, *, start, end) -> list[HotlineLine]:
    """An office's lines, each with ``week_shifts``: its shifts overlapping [start, end)."""
    lines = HotlineLine.objects.filter(office=office).prefetch_related(
        Prefetch(
            "shifts",
            queryset=DutyShift.objects.filter(starts_at__lt=end, ends_at__gt=start)
            .select_related("staff")
            .order_by("starts_at"),
            to_attr="week_shifts",
        )
    )
    return sorted(lines, key=lambda line: HotlineLine.Kind.values.index(line.kind))


def office_staff(office_id) -> QuerySet:
    """Who may be rostered on an office's lines: its active staff."""
    return User.objects.filter(office_id=office_id, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
