"""M09 "my work": what waits to be dispatched, by due time, whichever of its two statuses, and
the company's view in a fixed number of queries however many requests there are."""

import datetime as dt

from django.utils import timezone

from propdesk.tickets import selectors, services
from propdesk.tickets.models import Channel, Kind, Status, Ticket
from tests.queries import count_queries, same_queries


def _received(agent, customer, *, due_in_hours, status):
    ticket = services.ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="厨房水管漏水",
    )
    due = timezone.now() + dt.timedelta(hours=due_in_hours)
    # The read is under test: the states are set as they would be left by the services.
    Ticket.objects.filter(pk=ticket.pk).update(status=status, due_at=due)
    return ticket.pk


def test_m09_to_dispatch_merges_confirmed_and_accepted_by_due_time(agent, customer, quality):
    due = {
        _received(agent, customer, due_in_hours=hours, status=status): hours
        for hours, status in [
            (30, Status.CONFIRMED),
            (10, Status.ACCEPTED),
            (20, Status.CONFIRMED),
            (5, Status.ACCEPTED),
            (1, Status.NEW),  # not waiting to be dispatched
            (2, Status.DISPATCHED),
        ]
    }
    for user in (agent, quality):
        work = selectors.my_work(user, now=timezone.now(), limit=3)
        assert [due[t.pk] for t in work.to_dispatch] == [5, 10, 20]
        assert all(t.status in (Status.CONFIRMED, Status.ACCEPTED) for t in work.to_dispatch)


def test_m09_company_work_takes_the_same_queries_for_more_requests(agent, customer, quality):
    def read():
        with count_queries() as queries:
            work = selectors.my_work(quality, now=timezone.now())
        return queries, work

    first, _ = read()
    for hours, status in [(-5, Status.NEW), (1, Status.CONFIRMED), (3, Status.ACCEPTED)] * 2:
        _received(agent, customer, due_in_hours=hours, status=status)
    then, work = read()
    same_queries(first, then)
    assert len(work.overdue) == 2 and len(work.to_dispatch) == 4 and len(work.due_soon) == 2
