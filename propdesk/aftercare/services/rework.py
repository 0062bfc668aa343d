"""M15: rework's special follow-up, due 24 hours after the customer's complaint.

Opening the rework order itself is the request loop's (``tickets.services.rework_open``, and the
customer's own ``rework_open_by_customer``); this module adds what after service keeps: the special
follow-up call, opened when the request loop signals a rework, and its clock (the alerts job). The
reads of the rework board are in ``selectors.rework``.

A special follow-up is late when it was made after its due time, or is still open past it
(``FollowupCall.is_late``); the board, the alerts and the weekly measures all count it so.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import Notification
from propdesk.core.notify import default_channels, notify
from propdesk.org.models import Role, User

from ..models import FollowupCall
from ..selectors import specialists_by_workload

FOLLOWUP_WITHIN = dt.timedelta(hours=24)


@transaction.atomic
def followup_open(*, original, rework, source: str, complained_at, now) -> FollowupCall:
    """The special follow-up of ``rework``: due 24 hours after the complaint, given to the
    follow-up specialist with the fewest open calls."""
    return FollowupCall.objects.create(
        kind=FollowupCall.Kind.REWORK,
        office_id=rework.office_id,
        ticket=rework,
        customer_id=rework.customer_id,
        assignee=specialists_by_workload().first(),
        due_at=complained_at + FOLLOWUP_WITHIN,
        complained_at=complained_at,
        source=source,
    )


# --- the 24-hour clock: alerts --------------------------------------------------------------------

DUE_SOON = dt.timedelta(hours=2)
# Late alerts are news: a follow-up that fell due longer ago than this, while no scheduler ran,
# is on the rework board rather than announced late.
LATE_LOOKBACK = dt.timedelta(days=1)
CHUNK = 200

MESSAGES = {
    "due_soon": (
        _("Special follow-up of rework %(number)s is due by %(due)s"),
        _(
            "The special follow-up of rework %(number)s for %(customer)s (%(address)s) must be "
            "made by %(due)s, 24 hours after the complaint. Follow-up specialist: "
            "%(assignee)s."
        ),
    ),
    "late": (
        _("Special follow-up of rework %(number)s is late"),
        _(
            "The special follow-up of rework %(number)s for %(customer)s (%(address)s) was due "
            "by %(due)s, 24 hours after the complaint, and has not been made. Follow-up "
            "specialist: %(assignee)s."
        ),
    ),
}


def rework_followup_alerts(*, now: dt.datetime) -> dict[str, int]:
    """Alert of special follow-ups not yet made (a periodic job, every 5 minutes).

    Within two hours of the due time: the office's director and the assigned follow-up
    specialist. At the due time, still not made: the director again. Each person hears of each
    follow-up once per alert (dedupe keys carry the due time), so running again, or on two
    machines, sends nothing more. Returns how many people were told, per alert."""
    open_calls = FollowupCall.objects.filter(
        kind=FollowupCall.Kind.REWORK, state=FollowupCall.State.OPEN
    )
    windows = {
        "due_soon": open_calls.filter(due_at__gt=now, due_at__lte=now + DUE_SOON),
        "late": open_calls.filter(due_at__lte=now, due_at__gt=now - LATE_LOOKBACK),
    }
    told = dict.fromkeys(windows, 0)
    for event, calls in windows.items():
        # (state, assignee) is indexed, but the window is on due_at: the set of open rework
        # calls is small (each is done within a day), so this reads few rows.
        ids = list(calls.order_by("due_at", "pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            # The window again: a call made meanwhile drops out.
            chunk = calls.filter(pk__in=ids[start : start + CHUNK])
            with transaction.atomic():
                told[event] += _alert(event, chunk, now=now)
    return told


def _alert(event: str, calls, *, now) -> int:
    """One chunk in a bounded number of queries: the calls, the offices' directors and the
    alerts already written; then only the writes."""
    calls = list(
        calls.select_related(
            "assignee", "customer", "ticket__household__unit__building__community"
        ).order_by("due_at", "pk")
    )
    directors: dict[int, list[User]] = {}
    for user in User.objects.filter(
        office_id__in={c.office_id for c in calls}, role=Role.DIRECTOR, is_active=True
    ).order_by("pk"):
        directors.setdefault(user.office_id, []).append(user)

    plan = []
    for call in calls:
        recipients = list(directors.get(call.office_id, []))
        assignee = call.assignee
        if event == "due_soon" and assignee is not None and assignee.is_active:
            recipients.append(assignee)
        plan += [(call, user, _dedupe_key(event, call, user)) for user in recipients]
    written = set(
        Notification.objects.filter(
            dedupe_key__in=[
                f"{key}:{channel}"
                for _c, user, key in plan
                for channel in default_channels(user=user)
            ]
        ).values_list("dedupe_key", flat=True)
    )
    subject, body = MESSAGES[event]
    told = 0
    for call, user, key in plan:
        if all(f"{key}:{channel}" in written for channel in default_channels(user=user)):
            continue  # told already
        if notify(
            event=f"followup.rework_{event}",
            subject=subject,
            body=body,
            context=_context(call),
            user=user,
            link=reverse("console:ticket_detail", args=[call.ticket_id]),
            now=now,
            dedupe_key=key,
        ):
            told += 1
    return told


def _context(call: FollowupCall) -> dict:
    ticket = call.ticket
    return {
        "number": ticket.number,
        "customer": call.customer.name,
        "address": ticket.household.address if ticket.household_id else "",
        "due": timezone.localtime(call.due_at).strftime("%Y-%m-%d %H:%M"),
        # Lazy, so it is rendered in the recipient's language.
        "assignee": call.assignee.display_name if call.assignee_id else _("nobody yet"),
    }


def _dedupe_key(event: str, call: FollowupCall, user: User) -> str:
    return f"followup:{call.pk}:rework_{event}:{int(call.due_at.timestamp())}:user:{user.pk}"
