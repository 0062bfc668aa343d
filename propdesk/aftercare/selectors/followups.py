"""M13 reads: the follow-up calls and the weekly samples, as the console and the API show them
(office-scoped: another office's call or sample is not found); and the specialists by workload,
which the services hand calls out by."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from propdesk.core.permissions import require
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.org.models import Office, Role, User
from propdesk.tickets.models import Contact, Ticket

from ..models import FollowupAttempt, FollowupBatch, FollowupCall
from ..weeks import week_bounds


def specialists_by_workload():
    """The company's active follow-up specialists, least open calls first (then by id, so that
    ties always break the same way)."""
    return (
        User.objects.filter(role=Role.FOLLOWUP, is_active=True)
        .annotate(
            open_calls=Count(
                "followup_calls", filter=Q(followup_calls__state=FollowupCall.State.OPEN)
            )
        )
        .order_by("open_calls", "pk")
    )


RECENT_HISTORY = 3  # requests and contacts shown beside each call


def _require_view(user) -> None:
    require(user, "followup.view")


CALL_RELATED = (
    "office",
    "customer",
    "ticket__item",
    "ticket__assignee",
    "assignee",
    "batch",
    "rework",
    "done_by",
)


def calls_for(user) -> QuerySet:
    _require_view(user)
    return scope_for(FollowupCall.objects.select_related(*CALL_RELATED), user)


@dataclass(frozen=True)
class CallFilters:
    office: int | None = None
    state: str = ""
    kind: str = ""
    week: dt.date | None = None  # the week the calls are due (a sample is called a week later)
    assignee: int | None = None


def call_list(user, filters: CallFilters = CallFilters()) -> QuerySet:
    qs = calls_for(user)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.week:
        start, end = week_bounds(filters.week)
        qs = qs.filter(due_at__gte=start, due_at__lt=end)
    if filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    return qs.order_by("due_at", "pk")


def worklist(user) -> QuerySet:
    """The specialist's open calls, soonest due first (the index followupcall_worklist)."""
    return (
        calls_for(user)
        .filter(assignee=user, state=FollowupCall.State.OPEN)
        .order_by("due_at", "pk")
    )


def call_get(user, pk) -> FollowupCall:
    _require_view(user)
    return get_scoped(FollowupCall.objects.select_related(*CALL_RELATED), user, pk=pk)


def with_context(calls: list[FollowupCall]) -> list[FollowupCall]:
    """Give each call what the specialist reads before dialling, in a fixed number of queries
    whatever the number of calls: the customer's phones, the last few requests and contacts,
    and the tries so far."""
    from propdesk.customers.models import CustomerPhone

    if not calls:
        return calls
    customer_ids = {c.customer_id for c in calls}
    phones: dict[int, list] = {}
    for phone in CustomerPhone.objects.filter(customer_id__in=customer_ids).order_by(
        "-is_primary", "pk"
    ):
        phones.setdefault(phone.customer_id, []).append(phone)
    recent_requests: dict[int, list] = {}
    newest = Window(RowNumber(), partition_by=F("customer_id"), order_by=F("created_at").desc())
    for ticket in (
        Ticket.objects.filter(customer_id__in=customer_ids)
        .select_related("item")
        .annotate(row=newest)
        .filter(row__lte=RECENT_HISTORY)
        .order_by("customer_id", "row")
    ):
        recent_requests.setdefault(ticket.customer_id, []).append(ticket)
    recent_contacts: dict[int, list] = {}
    newest = Window(
        RowNumber(), partition_by=F("customer_id"), order_by=[F("at").desc(), F("pk").desc()]
    )
    for contact in (
        Contact.objects.filter(customer_id__in=customer_ids)
        .select_related("staff", "ticket")
        .annotate(row=newest)
        .filter(row__lte=RECENT_HISTORY)
        .order_by("customer_id", "row")
    ):
        recent_contacts.setdefault(contact.customer_id, []).append(contact)
    tries: dict[int, list] = {}
    for attempt in FollowupAttempt.objects.filter(call__in=[c.pk for c in calls]).select_related(
        "by"
    ):
        tries.setdefault(attempt.call_id, []).append(attempt)
    for call in calls:
        call.phones = phones.get(call.customer_id, [])
        call.recent_requests = recent_requests.get(call.customer_id, [])
        call.recent_contacts = recent_contacts.get(call.customer_id, [])
        call.tries = tries.get(call.pk, [])
        call.next_unreached_try = sum(not t.reached for t in call.tries) + 1
    return calls


def batches_for(user) -> QuerySet:
    _require_view(user)
    done = Q(calls__state__in=(FollowupCall.State.DONE, FollowupCall.State.UNREACHED))
    return scope_for(
        FollowupBatch.objects.select_related("office").annotate(
            calls_made=Count("calls", filter=done)
        ),
        user,
    ).order_by("-week_start", "office__code", "pk")


def batch_list(user, *, office=None, week=None) -> QuerySet:
    qs = batches_for(user)
    if office:
        qs = qs.filter(office_id=office)
    if week:
        qs = qs.filter(week_start=week)
    return qs


def batch_get(user, pk) -> FollowupBatch:
    return get_scoped(batches_for(user), user, pk=pk)


def batch_orders(batch: FollowupBatch) -> list[dict]:
    """The batch's population as orders, ascending, each marked if it was sampled."""
    sampled = set(batch.sample)
    numbers = dict(Ticket.objects.filter(pk__in=batch.population).values_list("pk", "number"))
    return [
        {"id": pk, "number": numbers.get(pk, ""), "sampled": pk in sampled}
        for pk in batch.population
    ]


def batch_calls(batch: FollowupBatch) -> list[FollowupCall]:
    return list(batch.calls.select_related(*CALL_RELATED).order_by("ticket_id"))


def offices_for(user) -> QuerySet:
    return scope_for(Office.objects.all(), user, office_field="pk").order_by("code")
