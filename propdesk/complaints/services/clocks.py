"""The periodic job of complaint deadlines (M19, M23): handlers are reminded while a quarter of
a clock is left; a missed first response or resolution passes the complaint up one level, once
(the escalation row is the claim, so a second run or a second machine changes nothing); at the
top, leadership is alerted instead."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Role, User

from .. import rules
from ..models import Complaint, Escalation
from .common import bump, handlers, locked, tell_staff
from .intake import escalate_to

Owner = Complaint.Owner
CHUNK = 500

CLOCKS = {
    # clock: (the deadline, is it met?, escalation cause, reminder, breach alert)
    "first_response": (
        lambda c: c.first_response_due_at,
        lambda c: c.first_responded_at is not None,
        Escalation.Cause.FIRST_RESPONSE_LATE,
        (
            _("Complaint %(number)s: first response due by %(first_due)s"),
            _("Respond to complaint %(number)s from %(customer)s by %(first_due)s: %(summary)s"),
        ),
        (
            _("Complaint %(number)s: first response overdue"),
            _("No one responded to complaint %(number)s from %(customer)s by %(first_due)s."),
        ),
    ),
    "resolution": (
        lambda c: c.ticket.due_at,
        lambda c: not c.is_open,
        Escalation.Cause.RESOLUTION_LATE,
        (
            _("Complaint %(number)s: to be resolved by %(due)s"),
            _("Complaint %(number)s from %(customer)s is to be resolved by %(due)s: %(summary)s"),
        ),
        (
            _("Complaint %(number)s: resolution overdue"),
            _("Complaint %(number)s from %(customer)s was not resolved by %(due)s."),
        ),
    ),
}


def _escalate(complaint: Complaint, clock: str, *, now) -> bool:
    due, met, cause, _remind, breach = CLOCKS[clock]
    with transaction.atomic():
        complaint = locked(complaint, change=False)
        if met(complaint):
            return False
        to_owner = rules.NEXT_OWNER[complaint.owner]
        try:
            with transaction.atomic():
                if to_owner is not None:
                    reason = str(breach[0]) % {"number": complaint.ticket.number}
                    escalate_to(
                        complaint, to_owner, cause=cause, reason=reason, actor=None, now=now
                    )
                    # Who handles it has changed: a handler's form rendered before is stale
                    # (their level may no longer act), so the job raises the version too.
                    bump(complaint)
                else:
                    # Already at the top: the claim is recorded as a note of the breach only.
                    Escalation.objects.create(
                        complaint=complaint,
                        at=now,
                        from_owner=complaint.owner,
                        to_owner=complaint.owner,
                        cause=cause,
                        reason=str(breach[0]) % {"number": complaint.ticket.number},
                    )
        except IntegrityError:
            return False  # escalated for this clock already (by an earlier run, or another)
        tell_staff(
            complaint,
            f"{clock}_late",
            *breach,
            users=handlers(complaint)
            | User.objects.filter(
                role=Role.DIRECTOR, office_id=complaint.office_id, is_active=True
            ).exclude(pk__in=complaint.ticket.recusals.values("user_id")),
            now=now,
            key=f"{clock}_late",
        )
        return True


def clock_alerts(*, now: dt.datetime) -> dict[str, int]:
    """Remind before, escalate after. Returns how many complaints were reminded and escalated."""
    done = {"reminded": 0, "escalated": 0}
    open_ = (
        Complaint.objects.filter(state__in=Complaint.OPEN_STATES)
        .select_related("ticket", "office", "customer")
        .order_by("pk")
    )
    for complaint in open_[:CHUNK]:
        for clock, (due, met, cause, remind, _breach) in CLOCKS.items():
            if met(complaint):
                continue
            deadline = due(complaint)
            if now >= deadline:
                if not complaint.escalations.filter(cause=cause).exists():
                    done["escalated"] += _escalate(complaint, clock, now=now)
                continue
            length = rules.CLOCKS[complaint.severity][0 if clock == "first_response" else 1]
            if deadline - now <= length * rules.REMIND_AT:
                with transaction.atomic():
                    tell_staff(
                        complaint,
                        f"{clock}_due",
                        *remind,
                        users=handlers(complaint),
                        now=now,
                        key=f"{clock}_due:{deadline.timestamp()}",
                    )
                done["reminded"] += 1
    return done
