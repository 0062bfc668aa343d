"""Reads for the resident portal's requests beyond one request: what waits for the customer's
answer (the portal's ``todos`` source), the request cards, and a request's work as the customer
may see it (who did it, the final charge, the work photos). Always the customer's own."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.portal.todos import Todo

from .lifecycle import TRANSITIONS
from .models import ChecklistStep, CompletionPhoto, ExtensionProposal, Kind, Quote, Status, Ticket

# The messages that ask the customer for each kind of to-do (``notifications.CUSTOMER_MESSAGES``).
TODO_EVENTS = ("ticket.quoted", "ticket.extension_proposed", "ticket.completed")

# What waits, in words, by the request's status: the status as the customer reads it on a card.
WAITING_FOR_US = {
    Status.NEW: _("Received: we will confirm it with you"),
    Status.CONFIRMED: _("Confirmed: a technician will be assigned"),
    Status.QUOTED: _("Waiting for your answer to the fee"),
    Status.ACCEPTED: _("Fee accepted: a technician will be assigned"),
    Status.DISPATCHED: _("A technician is on the way"),
    Status.IN_PROGRESS: _("Work under way"),
    Status.COMPLETED: _("Done: please confirm and rate"),
    Status.CLOSED: _("Closed"),
    Status.DECLINED: _("Not taken on"),
    Status.CANCELLED: _("Cancelled"),
    Status.REOPENED: _("Being done again"),
}


def request_title(ticket) -> str:
    """A request's name on the customer's pages: its service, else what it is about."""
    if ticket.item_id:
        return ticket.item.name
    return str(Kind(ticket.kind).label)


def status_words(ticket) -> str:
    return str(WAITING_FOR_US.get(ticket.status, ticket.get_status_display()))


def _request_path(ticket_id: int) -> str:
    return reverse("portal:request", args=[ticket_id])


def customer_todos(customer, *, now) -> list[Todo]:
    """The fees, new deadlines and finished work waiting for the customer's answer, in three
    queries (each on the ``ticket_customer`` index). A fee answered by phone, a deadline agreed
    or withdrawn, work confirmed: each is gone from here at once."""
    todos = []
    quotes = (
        Quote.objects.filter(ticket__customer=customer, state=Quote.State.SENT, expires_at__gt=now)
        .exclude(ticket__kind=Kind.COMPLAINT)
        .select_related("ticket__item")
    )
    for quote in quotes:
        todos.append(
            Todo(
                kind="fee",
                title=request_title(quote.ticket),
                prompt=str(_("Accept or decline the fee of ¥%(total)s")) % {"total": quote.total},
                url=_request_path(quote.ticket_id),
                action=str(_("Answer")),
                since=quote.created_at,
                events=("ticket.quoted",),
                links=frozenset({_request_path(quote.ticket_id)}),
            )
        )
    proposals = ExtensionProposal.objects.filter(
        ticket__customer=customer,
        state=ExtensionProposal.State.WAITING,
        old_due_at=F("ticket__due_at"),  # the deadline it would move is still the deadline
        ticket__due_at__gt=now,  # and has not passed
    ).select_related("ticket__item")
    for proposal in proposals:
        todos.append(
            Todo(
                kind="deadline",
                title=request_title(proposal.ticket),
                prompt=str(_("May we finish by %(due)s?")) % {"due": _local(proposal.new_due_at)},
                url=_request_path(proposal.ticket_id),
                action=str(_("Answer")),
                since=proposal.proposed_at,
                events=("ticket.extension_proposed",),
                links=frozenset({_request_path(proposal.ticket_id)}),
            )
        )
    done = (
        Ticket.objects.filter(customer=customer, status__in=TRANSITIONS["close"].sources)
        .exclude(kind=Kind.COMPLAINT)
        .select_related("item")
    )
    for ticket in done:
        todos.append(
            Todo(
                kind="confirm",
                title=request_title(ticket),
                prompt=str(_("The work is done: confirm it and rate it")),
                url=_request_path(ticket.pk) + "#rate",
                action=str(_("Rate")),
                since=ticket.completed_at or ticket.updated_at,
                events=("ticket.completed",),
                links=frozenset({_request_path(ticket.pk)}),
            )
        )
    return todos


def _local(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def request_cards(customer, household=None, *, limit: int = 20) -> list[Ticket]:
    """The customer's latest requests (complaints too) as cards: each with ``title`` and
    ``status_words``; of one unit when ``household`` is given. One query."""
    qs = Ticket.objects.filter(customer=customer).select_related("item", "complaint")
    if household is not None:
        qs = qs.filter(household=household)
    rows = list(qs.order_by("-created_at", "-pk")[:limit])
    for ticket in rows:
        ticket.title = request_title(ticket)
        ticket.status_words = status_words(ticket)
    return rows


def work_photos(ticket) -> list[ChecklistStep]:
    """The photos the technician took of the work, step by step."""
    return list(ticket.checklist.exclude(photo="").filter(done_at__isnull=False))


def completion_photos(ticket) -> list[CompletionPhoto]:
    """The photos of the finished work the technician sent with the completion."""
    if ticket.completed_at is None:
        return []
    return list(ticket.completion_photos.all())


def completion_photo(ticket, photo_pk) -> CompletionPhoto | None:
    """One photo of the finished work on the customer's own request, or None."""
    try:
        photo_pk = int(photo_pk)
    except (TypeError, ValueError):
        return None
    if ticket.completed_at is None:
        return None
    return ticket.completion_photos.filter(pk=photo_pk).first()


def work_photo(ticket, step_pk) -> ChecklistStep | None:
    """One work photo of the customer's own request, or None."""
    try:
        step_pk = int(step_pk)
    except (TypeError, ValueError):
        return None
    return ticket.checklist.exclude(photo="").filter(pk=step_pk, done_at__isnull=False).first()


def technician_name(ticket) -> str:
    """Who is doing or did the work, by name, once assigned."""
    if not ticket.assignee_id:
        return ""
    return ticket.assignee.display_name
