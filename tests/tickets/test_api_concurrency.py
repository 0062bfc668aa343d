"""Two people acting on the same request at the same moment, through the API, on PostgreSQL.

Each request runs in its own thread with its own database connection and commits for real, so
the row locks and the unique idempotency key are what keep the outcome straight.
"""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from propdesk.tickets.models import Assignment, Contact, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(*requests):
    """Run each ``(user, method, url, body, headers)`` in its own thread, released together."""
    barrier = threading.Barrier(len(requests))
    results, errors = [None] * len(requests), []

    def run(index, user, method, url, body, headers):
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait(timeout=10)
            response = getattr(client, method)(url, body, format="json", **headers)
            results[index] = (response.status_code, response.json())
        except Exception as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_two_retries_with_the_same_idempotency_key_at_once_make_one_request(agent, customer):
    body = {"customer": customer.pk, "kind": "repair", "channel": "hotline", "description": "漏水"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "cti-call-0042"}
    results = at_once(
        (agent, "post", "/api/v1/tickets/", body, headers),
        (agent, "post", "/api/v1/tickets/", body, headers),
    )
    assert [status for status, _ in results] == [201, 201]
    assert results[0][1]["id"] == results[1][1]["id"]
    assert Ticket.objects.count() == 1
    assert Contact.objects.count() == 1


def test_two_people_dispatching_the_same_request_at_once_one_gets_409(
    agent, director, confirmed, technician, technician2
):
    url = f"/api/v1/tickets/{confirmed.pk}/dispatch/"
    seen = confirmed.version  # both read the request before either dispatched it
    results = at_once(
        (agent, "post", url, {"technician": technician.pk, "version": seen}, {}),
        (director, "post", url, {"technician": technician2.pk, "version": seen}, {}),
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409]
    refused = next(body for status, body in results if status == 409)
    assert refused["code"] in {"transition_not_allowed", "stale_version"}
    assert refused["detail"]
    assert Assignment.objects.filter(ticket=confirmed).count() == 1
    confirmed.refresh_from_db()
    winner = next(body for status, body in results if status == 200)
    assert confirmed.assignee_id == winner["assignee"]["id"]
    assert confirmed.events.filter(kind="dispatched").count() == 1


def test_two_people_acting_on_the_same_version_the_second_gets_409(
    agent, director, confirmed, technician
):
    version = confirmed.version
    results = at_once(
        (
            agent,
            "post",
            f"/api/v1/tickets/{confirmed.pk}/dispatch/",
            {"technician": technician.pk, "version": version},
            {},
        ),
        (
            director,
            "post",
            f"/api/v1/tickets/{confirmed.pk}/cancel/",
            {"reason": "客户取消", "version": version},
            {},
        ),
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409]
    confirmed.refresh_from_db()
    assert confirmed.version == version + 1  # exactly one change went through
