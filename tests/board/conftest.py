"""The board's hand-built cases: records written straight to the tables, with exactly the
times a measure reads, so each figure can be worked out by hand. ``NOW`` is Wednesday 10 June
2026, 17:00 in Shanghai, in ISO week 2026-W24 (8–14 June)."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from propdesk.aftercare.models import DefectWatch, FollowupCall, Inspection
from propdesk.complaints.models import Complaint, PreventiveMeasure
from propdesk.core.measures import MONTH, WEEK, period_of
from propdesk.tickets.models import Channel, Charge, Kind, Status, Ticket

NOW = timezone.make_aware(dt.datetime(2026, 6, 10, 17, 0))
WEEK_NOW = period_of(WEEK, NOW)  # 2026-W24
MONTH_NOW = period_of(MONTH, NOW)  # 2026-06
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def at(day: int, hour: int = 12, month: int = 6) -> dt.datetime:
    """A local time in June 2026 (or ``month``)."""
    return timezone.make_aware(dt.datetime(2026, month, day, hour, 0))


def ticket(customer, *, due, kind=Kind.REPAIR, status=Status.CLOSED, completed=None, **fields):
    """A request of ``customer``'s office with its deadline ``due``, completed at ``completed``."""
    return Ticket.objects.create(
        number=f"T{next(_numbers):06d}",
        office=customer.office,
        customer=customer,
        kind=kind,
        channel=Channel.HOTLINE,
        status=status,
        description="厨房水管漏水",
        due_at=due,
        completed_at=completed,
        **fields,
    )


def charge(customer, *, amount, at_, by, is_special=False, item=None):
    t = ticket(customer, due=at_, completed=at_, kind=Kind.SERVICE)
    return Charge.objects.create(
        office=customer.office,
        ticket=t,
        customer=customer,
        item=item,
        is_special=is_special,
        amount=Decimal(amount),
        recorded_at=at_,
        recorded_by=by,
    )


def complaint(customer, *, received, response_due, responded=None, due, resolved=None, **fields):
    t = ticket(customer, due=due, kind=Kind.COMPLAINT, status=Status.IN_PROGRESS)
    c = Complaint.objects.create(
        ticket=t,
        office=customer.office,
        customer=customer,
        account="楼道垃圾三天没人清理",
        category=Complaint.Category.ENVIRONMENT,
        owner=Complaint.Owner.SERVICE_CENTER,
        state=fields.pop("state", Complaint.State.IN_PROGRESS),
        first_response_due_at=response_due,
        first_responded_at=responded,
        resolved_at=resolved,
        **fields,
    )
    Complaint.objects.filter(pk=c.pk).update(created_at=received)
    c.refresh_from_db()
    return c


def call(customer, *, kind, due, done=None, state=None, **fields):
    t = ticket(customer, due=due - dt.timedelta(days=3), completed=due - dt.timedelta(days=3))
    if state is None:
        state = FollowupCall.State.DONE if done else FollowupCall.State.OPEN
    return FollowupCall.objects.create(
        kind=kind,
        office=customer.office,
        ticket=t,
        customer=customer,
        due_at=due,
        done_at=done,
        state=state,
        **fields,
    )


def inspection(customer, *, watcher, due, done=None, number=1, watch=None):
    if watch is None:
        t = ticket(customer, due=due, completed=due - dt.timedelta(days=30))
        watch = DefectWatch.objects.create(
            office=customer.office,
            ticket=t,
            customer=customer,
            watcher=watcher,
            opened_at=due - dt.timedelta(days=30),
        )
    return Inspection.objects.create(watch=watch, number=number, due_at=due, done_at=done)


def preventive(c, *, owner, due_on, done=None):
    return PreventiveMeasure.objects.create(
        complaint=c,
        description="每日巡查",
        owner=owner,
        due_on=due_on,
        done_at=done,
        created_by=owner,
    )


def figure(measure_key, office, period=WEEK_NOW, now=NOW):
    """One office's figure of a measure in one period, through the registry."""
    from propdesk.core.measures import measure

    m = measure(measure_key)
    figures = m.compute([period], now=now, office_ids=[office.pk])
    return figures.get(office.pk, [None])[0]
