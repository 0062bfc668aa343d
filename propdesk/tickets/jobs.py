"""Periodic jobs about requests (scheduled in ``propdesk/schedule.py``).

``ticket_deadline_alerts`` tells staff of open requests whose deadline is near or has passed
(M09), so that someone acts, or agrees an extension with the customer, before it is too late.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import Notification
from propdesk.core.notify import default_channels, notify
from propdesk.org.models import Role, User

from .models import Assignment, Kind, Ticket
from .notifications import _context

DUE_SOON = dt.timedelta(hours=2)
# Overdue alerts are news: a request that went overdue longer ago than this, while no scheduler
# ran (or before this job existed), is on the overdue lists rather than announced late.
OVERDUE_LOOKBACK = dt.timedelta(days=1)
CHUNK = 200

MESSAGES = {
    "due_soon": (
        _("Request %(number)s is due by %(due)s"),
        _(
            "Request %(number)s for %(customer)s (%(address)s) is due by %(due)s, within two "
            "hours: %(summary)s"
        ),
    ),
    "overdue": (
        _("Request %(number)s is overdue"),
        _(
            "Request %(number)s for %(customer)s (%(address)s) was due by %(due)s and is not "
            "done: %(summary)s"
        ),
    ),
}


def ticket_deadline_alerts(*, now: dt.datetime) -> dict[str, int]:
    """Alert staff of open requests due within two hours, and of those now overdue.

    Due soon: the technician who holds the work order, or, while nobody does, the office's
    agents and director. Overdue: the technician and the office's director. Each person hears
    of each deadline once (the dedupe key carries the due time), so running again sends nothing
    more, and a deadline moved by an agreed extension is a new deadline that alerts again.
    Returns how many people were told, per alert."""
    # Complaints run on their own clocks, with their own handlers (complaints.services.clocks).
    requests = Ticket.objects.exclude(kind=Kind.COMPLAINT)
    windows = {
        "due_soon": requests.due_within(now, DUE_SOON),
        "overdue": requests.overdue(now).filter(due_at__gte=now - OVERDUE_LOOKBACK),
    }
    told = dict.fromkeys(windows, 0)
    for event, tickets in windows.items():
        # (status, due_at) is indexed: ticket_status_due.
        ids = list(tickets.order_by("due_at", "pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            # The window is applied again: a request closed or extended meanwhile drops out.
            chunk = tickets.filter(pk__in=ids[start : start + CHUNK])
            with transaction.atomic():
                told[event] += _alert(event, chunk, now=now)
    return told


def _alert(event: str, tickets, *, now) -> int:
    """Alert for one chunk of requests, in a bounded number of queries: the requests, their
    current assignments, the offices' desks and the alerts already written, then only writes."""
    tickets = list(
        tickets.select_related("customer", "item", "household__unit__building__community")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(ended_at__isnull=True).select_related(
                    "technician"
                ),
                to_attr="current_assignments",
            )
        )
        .order_by("due_at", "pk")
    )
    desks: dict[int, list[User]] = {}
    for user in User.objects.filter(
        office_id__in={t.office_id for t in tickets},
        role__in=[Role.AGENT, Role.DIRECTOR],
        is_active=True,
    ).order_by("pk"):
        desks.setdefault(user.office_id, []).append(user)

    plan = [
        (ticket, user, _dedupe_key(event, ticket, user))
        for ticket in tickets
        for user in _recipients(event, ticket, desks.get(ticket.office_id, []))
    ]
    written = set(
        Notification.objects.filter(
            dedupe_key__in=[
                f"{key}:{channel}"
                for _t, user, key in plan
                for channel in default_channels(user=user)
            ]
        ).values_list("dedupe_key", flat=True)
    )
    subject, body = MESSAGES[event]
    contexts = {}
    told = 0
    for ticket, user, key in plan:
        if all(f"{key}:{channel}" in written for channel in default_channels(user=user)):
            continue  # told already
        if ticket.pk not in contexts:
            contexts[ticket.pk] = _context(ticket)
        if notify(
            event=f"ticket.{event}",
            subject=subject,
            body=body,
            context=contexts[ticket.pk],
            user=user,
            link=reverse("console:ticket_detail", args=[ticket.pk]),
            now=now,
            dedupe_key=key,
        ):
            told += 1
    return told


def _recipients(event: str, ticket: Ticket, desk: list[User]) -> list[User]:
    current = ticket.current_assignments[0] if ticket.current_assignments else None
    technician = current.technician if current and current.technician.is_active else None
    if event == "due_soon":
        return [technician] if technician else desk
    directors = [u for u in desk if u.role == Role.DIRECTOR]
    return ([technician] if technician else []) + directors


def _dedupe_key(event: str, ticket: Ticket, user: User) -> str:
    # The due time is part of the key: an extended deadline is a new one, and alerts again.
    return f"ticket:{ticket.pk}:{event}:{int(ticket.due_at.timestamp())}:user:{user.pk}"
