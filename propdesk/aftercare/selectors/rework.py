"""M15 reads: the special follow-ups of rework orders and the rework board.

A special follow-up is late when it was made after its due time, or is still open past it
(``FollowupCall.is_late``); the board and the weekly measures count it so.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import scope_for

from ..models import FollowupCall
from ..weeks import week_bounds, week_start_of


def special_followups(ticket_ids) -> dict[int, FollowupCall]:
    """The special follow-up of each of these rework orders, by order id, in one query."""
    calls = FollowupCall.objects.filter(
        kind=FollowupCall.Kind.REWORK, ticket_id__in=list(ticket_ids)
    ).select_related("assignee")
    return {call.ticket_id: call for call in calls}


def late_q(now) -> Q:
    """``FollowupCall.is_late`` as a filter: made after its due time, or still open past it."""
    return Q(done_at__isnull=False, done_at__gt=F("due_at")) | Q(
        done_at__isnull=True, due_at__lt=now
    )


BOARD_STATES = {
    "open": (_("To call"), lambda now: Q(state=FollowupCall.State.OPEN)),
    "late": (_("Late"), late_q),
    "done": (_("Done"), lambda now: ~Q(state=FollowupCall.State.OPEN)),
}


@dataclass(frozen=True)
class BoardFilters:
    office: int | None = None
    state: str = ""  # a key of BOARD_STATES, or "" for all
    week: dt.date | None = None  # the Monday of the ISO week the follow-up falls due in


def rework_board(user, filters: BoardFilters, *, now) -> QuerySet:
    """Rework orders with their special follow-ups, newest due first: the user's office (company
    roles: every office, or the one filtered). The ``followupcall_office_kind`` index serves it."""
    qs = scope_for(FollowupCall.objects.filter(kind=FollowupCall.Kind.REWORK), user)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.state in BOARD_STATES:
        qs = qs.filter(BOARD_STATES[filters.state][1](now))
    if filters.week:
        first, following = week_bounds(filters.week)
        qs = qs.filter(due_at__gte=first, due_at__lt=following)
    return qs.select_related(
        "office", "customer", "assignee", "ticket__assignee", "ticket__rework_of"
    ).order_by("-due_at", "-pk")


def board_week_counts(user, *, office: int | None, now) -> dict[str, int]:
    """This week's special follow-ups (falling due Monday to Sunday) and how many are late."""
    qs = scope_for(FollowupCall.objects.filter(kind=FollowupCall.Kind.REWORK), user)
    if office:
        qs = qs.filter(office_id=office)
    first, following = week_bounds(week_start_of(now))
    return qs.filter(due_at__gte=first, due_at__lt=following).aggregate(
        due=Count("pk"), late=Count("pk", filter=late_q(now))
    )
