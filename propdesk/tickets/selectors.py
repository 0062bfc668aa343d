"""Reads of requests: staff's always through office scoping, a customer's only of their own."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.core.phones import try_normalize_phone
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.customers.models import Customer, CustomerPhone, Household
from propdesk.org.models import Role

from . import events
from .models import (
    WITH_TECHNICIAN_STATUSES,
    Assignment,
    ChecklistStep,
    Contact,
    Extension,
    ExtensionProposal,
    Kind,
    Quote,
    Status,
    Ticket,
    TicketEvent,
    TicketRecusal,
)

LIST_RELATED = ("office", "customer", "household__unit__building__community", "item", "assignee")


def recused_ticket_ids(user) -> QuerySet:
    """The requests ``user`` may not see: complaints about them (M18)."""
    return TicketRecusal.objects.filter(user_id=getattr(user, "pk", None)).values("ticket_id")


def without_recused(qs: QuerySet, user, *, ticket: str = "pk") -> QuerySet:
    """``qs`` less the rows whose request (``ticket``: the field that names it) is a complaint
    about ``user`` (M18). A correlated NOT EXISTS on the (user, ticket) index: it costs the
    page's rows, not the table."""
    hidden = TicketRecusal.objects.filter(
        user_id=getattr(user, "pk", None), ticket_id=OuterRef(ticket)
    )
    return qs.exclude(Exists(hidden))


def tickets_for(user) -> QuerySet:
    return without_recused(scope_for(Ticket.objects.all(), user), user)


def ticket_get(user, pk) -> Ticket:
    """One request the user may see, or NotFound (another office's request, or a complaint about
    the user, is not found)."""
    return get_scoped(
        without_recused(
            Ticket.objects.select_related(*LIST_RELATED, "rework_of", "created_by"), user
        ),
        user,
        pk=pk,
    )


# One request in full: everything its console page and the API's detail show, each relation read
# in one query, so a request costs the same to show however long its history.
IN_FULL = (
    Prefetch(
        "quotes", queryset=Quote.objects.prefetch_related("lines").select_related("created_by")
    ),
    Prefetch(
        "assignments", queryset=Assignment.objects.select_related("technician", "assigned_by")
    ),
    Prefetch("checklist", queryset=ChecklistStep.objects.select_related("done_by")),
    Prefetch("extensions", queryset=Extension.objects.select_related("created_by", "contact")),
    Prefetch(
        "extension_proposals", queryset=ExtensionProposal.objects.select_related("proposed_by")
    ),
    Prefetch("events", queryset=TicketEvent.objects.select_related("actor")),
    Prefetch(
        "reworks", queryset=Ticket.objects.select_related("assignee").order_by("created_at", "pk")
    ),
    Prefetch("contacts", queryset=Contact.objects.select_related("staff").order_by("-at", "-pk")),
)


def ticket_in_full(user, pk) -> Ticket:
    """``ticket_get`` with everything a request's page and the API's detail read of it."""
    ticket = ticket_get(user, pk)
    prefetch_related_objects([ticket], *IN_FULL)
    return ticket


@dataclass
class TicketFilters:
    office: int | None = None
    status: list[str] | None = None
    kind: str | None = None
    channel: str | None = None
    overdue: bool = False
    technician: int | None = None
    customer: int | None = None
    household: int | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    q: str = ""


SEARCH_ID_LIMIT = 1000


def _ids(qs: QuerySet, field: str = "id") -> list:
    return list(qs.values_list(field, flat=True)[:SEARCH_ID_LIMIT])


def _search(qs: QuerySet, text: str, user) -> QuerySet:
    """Search by request number, a customer's phone, name, or address (building-room).

    Matching customers and households are looked up first, each through its own index, and the
    requests then by those ids: one OR of subqueries would make the database read every request.
    """
    text = text.strip()
    if not text:
        return qs
    customers = scope_for(Customer.objects.all(), user)
    customer_ids = _ids(customers.filter(name__startswith=text))
    if phone := try_normalize_phone(text):
        customer_ids += _ids(CustomerPhone.objects.filter(number=phone), "customer_id")
    parts = [p for p in text.replace("－", "-").replace(" ", "-").split("-") if p]
    households = scope_for(Household.objects.all(), user)
    if len(parts) >= 2:
        households = households.filter(unit__building__name=parts[0], unit__number=parts[-1])
    else:
        households = households.filter(unit__number=text)
    cond = Q(number=text) | Q(household_id__in=_ids(households))
    if customer_ids:
        cond |= Q(customer_id__in=customer_ids)
    return qs.filter(cond)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def ticket_list(user, filters: TicketFilters, *, now: dt.datetime) -> QuerySet:
    qs = tickets_for(user).select_related(*LIST_RELATED)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.overdue:
        qs = qs.overdue(now)
    if filters.technician:
        qs = qs.filter(assignee_id=filters.technician)
    if filters.customer:
        qs = qs.filter(customer_id=filters.customer)
    if filters.household:
        qs = qs.filter(household_id=filters.household)
    # Dates as a range of local midnights, so the created_at indexes serve them.
    if filters.created_from:
        qs = qs.filter(created_at__gte=_local_midnight(filters.created_from))
    if filters.created_to:
        qs = qs.filter(created_at__lt=_local_midnight(filters.created_to + dt.timedelta(days=1)))
    return _search(qs, filters.q, user).order_by("-created_at", "-pk")


@dataclass
class MyWork:
    overdue: list
    due_soon: list
    to_confirm: list
    awaiting_acceptance: list
    to_dispatch: list
    assigned: list


def my_work(user, *, now: dt.datetime, limit: int = 20) -> MyWork:
    """The agent's or technician's day: what is late, what is due soon, what waits on whom."""
    base = tickets_for(user).select_related(*LIST_RELATED).order_by("due_at")
    if user.role == Role.TECHNICIAN:
        mine = base.filter(assignee=user, status__in=WITH_TECHNICIAN_STATUSES)
        return MyWork(
            overdue=list(mine.filter(due_at__lt=now)[:limit]),
            due_soon=list(
                mine.filter(due_at__gte=now, due_at__lt=now + dt.timedelta(hours=2))[:limit]
            ),
            to_confirm=[],
            awaiting_acceptance=[],
            to_dispatch=[],
            assigned=list(mine[:limit]),
        )
    return MyWork(
        overdue=list(base.overdue(now)[:limit]),
        due_soon=list(base.due_within(now, dt.timedelta(hours=2))[:limit]),
        to_confirm=list(base.filter(status=Status.NEW)[:limit]),
        awaiting_acceptance=list(base.filter(status=Status.QUOTED)[:limit]),
        to_dispatch=_first_due(base, (Status.CONFIRMED, Status.ACCEPTED), limit),
        assigned=[],
    )


def _first_due(base: QuerySet, statuses, limit: int) -> list:
    """The first ``limit`` requests in any of ``statuses``, by due time: each status's first
    ``limit`` read straight off its (status, due time) index, then merged. Asked as one query
    (``status IN (…) ORDER BY due_at``), PostgreSQL may walk every request in due order looking
    for the few in those statuses: 13 s at a million requests."""
    rows = [t for status in statuses for t in base.filter(status=status)[:limit]]
    return sorted(rows, key=lambda t: (t.due_at, t.pk))[:limit]


def ticket_timeline(ticket: Ticket, *, customer_view: bool = False) -> QuerySet:
    timeline = ticket.events.select_related("actor")
    return timeline.filter(customer_visible=True) if customer_view else timeline


def quote_by_token(token: str) -> Quote | None:
    """The quote behind a customer's one-time link, or None. Only the token's hash is stored."""
    from .services import token_hash

    return (
        Quote.objects.select_related("ticket__office", "ticket__item", "ticket__customer")
        .prefetch_related("lines")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )


def quote_url(request, token: str) -> str:
    """The customer's one-time link, on the address this server was reached at."""
    from django.urls import reverse

    return request.build_absolute_uri(reverse("public:quote", args=[token]))


# --- what a customer reads of their own requests (the portal and the customer API) --------------


def requests_of(customer, household, *, limit: int = 20) -> list[Ticket]:
    """The portal's front page: the customer's latest requests (complaints too), of one unit."""
    qs = Ticket.objects.filter(customer=customer).select_related("item", "complaint")
    if household is not None:
        qs = qs.filter(household=household)
    return list(qs.order_by("-created_at", "-pk")[:limit])


def own_requests(customer, *, household=None, statuses=()) -> QuerySet:
    """The customer's own requests, newest first (the ``ticket_customer`` index). Complaints are
    listed under /portal/complaints/."""
    qs = Ticket.objects.filter(customer=customer).exclude(kind=Kind.COMPLAINT)
    qs = qs.select_related("item", "household__unit__building__community")
    if household is not None:
        qs = qs.filter(household=household)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-created_at", "-pk")


def request_of(customer, pk) -> Ticket:
    """One of the customer's own requests, or NotFound: another's is not there at all."""
    try:
        return Ticket.objects.select_related(
            "item", "household__unit__building__community", "rework_of"
        ).get(pk=pk, customer=customer)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def customer_timeline(ticket, events_read=None) -> list:
    """What the customer may read of the request's history: internal events stay internal, and
    so do notes that were not said to or by the customer. ``events_read``: all the request's
    events, read already (a request just received has its one)."""
    if events_read is None:
        timeline = list(ticket.events.filter(customer_visible=True).order_by("at", "pk"))
    else:
        timeline = sorted(
            (e for e in events_read if e.customer_visible), key=lambda e: (e.at, e.pk)
        )
    for event in timeline:
        event.customer_note = events.customer_note(event)
    return timeline


def pending_quote(ticket):
    return ticket.quotes.filter(state="sent").prefetch_related("lines").first()


def pending_proposal(ticket, now):
    """A new deadline waiting for the customer's answer, while it can still be agreed to."""
    if now >= ticket.due_at:
        return None
    return ticket.extension_proposals.filter(state="waiting", old_due_at=ticket.due_at).first()
