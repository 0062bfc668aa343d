"""Two people acting on one request at the same moment: one wins, the other gets a clear 409."""

import threading

import pytest
from django.db import connection

from propdesk.core.errors import Conflict
from propdesk.tickets import services
from propdesk.tickets.models import Assignment, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Run each call in its own thread, released at once; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_dispatchers_at_once_one_wins(confirmed, agent, director, technician, technician2):
    version = confirmed.version
    results = run_together(
        lambda: services.ticket_dispatch(
            actor=agent, ticket=confirmed, technician=technician, expected_version=version
        ),
        lambda: services.ticket_dispatch(
            actor=director, ticket=confirmed, technician=technician2, expected_version=version
        ),
    )
    wins = [r for r in results if isinstance(r, Ticket)]
    losses = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert Assignment.objects.filter(ticket=confirmed).count() == 1
    confirmed.refresh_from_db()
    assert confirmed.assignee == wins[0].assignee
    assert confirmed.version == version + 1


def test_the_same_idempotency_key_at_once_makes_one_request(agent, customer):
    def create():
        return services.ticket_create(
            actor=agent,
            customer=customer,
            kind="repair",
            channel="portal",
            description="卫生间漏水",
            idempotency_key="retry-42",
        )

    results = run_together(create, create, create)
    assert all(isinstance(r, Ticket) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Ticket.objects.count() == 1
