"""What filing a request costs: the queries of every way in, its number, and that two intakes at
once do not wait for each other.

A new request is written once, with its number; the API answers it from what was written, not
by reading it back. The counts below run inside the test's transaction (so SAVEPOINT and RELEASE
stand where production has BEGIN and COMMIT) with one other member of the office's desk
(``director``), who is told of the new request.
"""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from propdesk.org.models import HotlineLine
from propdesk.org.tokens import token_issue
from propdesk.tickets import services
from propdesk.tickets.models import Channel, Kind, Ticket
from tests import factories as f
from tests.portal.test_api_new_request import png
from tests.queries import assert_queries

TICKETS = "/api/v1/tickets/"
PORTAL_REQUESTS = "/api/v1/portal/requests/"
CALLS = "/api/v1/hotline/calls/"


@pytest.fixture
def staff_api(agent):
    """The staff API as ``agent``, signed in with a token as an app is."""
    _token, raw = token_issue(user=agent)
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return app


@pytest.fixture
def body(customer, household, free_item):
    return {
        "customer": customer.pk,
        "household": household.pk,
        "kind": "repair",
        "channel": "hotline",
        "description": "厨房水管漏水",
        "item": free_item.pk,
    }


def create(agent, customer, **kwargs):
    return services.ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="厨房水管漏水",
        **kwargs,
    )


# --- the counts ---------------------------------------------------------------------------------


def test_ticket_create_takes_12_queries(agent, director, customer, free_item):
    # The customer's households (with their address); the id; the request and its history row;
    # the timeline event; the contact; the customer's acknowledgement (the phone, then in-app
    # and SMS in one insert: 2); the desk (1) and the director's message (1); the savepoint's 2.
    # Nothing is looked for of what was written already: nothing can be, for a new request.
    create(agent, customer)
    with assert_queries(12):
        ticket = create(agent, customer, item=free_item)
    assert ticket.number and ticket.history.count() == 1


def test_api_post_answers_in_16_queries_without_reading_the_request_back(staff_api, director, body):
    staff_api.post(TICKETS, body, format="json")
    # The token, the customer (with its office), the household and the item; then the
    # service's 12. Nothing is read back for the answer.
    with assert_queries(16):
        response = staff_api.post(TICKETS, body, format="json")
    assert response.status_code == 201, response.json()


def test_the_answer_to_a_new_request_is_what_reading_it_gives(staff_api, body):
    created = staff_api.post(TICKETS, body, format="json")
    assert created.status_code == 201, created.json()
    read = staff_api.get(f"{TICKETS}{created.json()['id']}/")
    assert created.json() == read.json()
    assert created["ETag"] == read["ETag"]
    assert created.json()["events"][0]["kind"] == "created"
    assert created.json()["household_address"]


def test_api_post_with_an_idempotency_key(staff_api, director, body):
    staff_api.post(TICKETS, body, format="json")
    # The key's lookup, the service's 16 in a savepoint (2), the key written in one statement.
    with assert_queries(20):
        first = staff_api.post(TICKETS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    # A replay: the key, then the request read as any request is.
    with assert_queries(14):
        again = staff_api.post(TICKETS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Ticket.objects.filter(pk=first.json()["id"]).count() == 1


def test_portal_api_post(customer_api, director, customer):
    customer_api.post(PORTAL_REQUESTS, {"description": "阳台漏水"})
    # The token (with the account and customer), then the service's, in a savepoint. Nothing is
    # read back for the answer.
    with assert_queries(13):
        response = customer_api.post(PORTAL_REQUESTS, {"description": "阳台漏水"})
    assert response.status_code == 201, response.json()


def test_the_portal_answer_to_a_new_request_is_what_reading_it_gives(customer_api):
    created = customer_api.post(
        PORTAL_REQUESTS, {"description": "阳台漏水", "photos": [png(), png()]}, format="multipart"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert len(body["photos"]) == 2 and body["timeline"]
    assert body == customer_api.get(f"{PORTAL_REQUESTS}{body['id']}/").json()


def test_ticket_create_by_customer(customer, director):
    services.ticket_create_by_customer(customer=customer, description="阳台漏水")
    # As ``ticket_create``, but the whole desk (agent and director) is told, in one insert.
    with assert_queries(12):
        ticket = services.ticket_create_by_customer(customer=customer, description="阳台漏水")
    assert ticket.channel == Channel.PORTAL


def test_a_hotline_call_and_the_request_it_becomes(staff_api, office, director, customer, body):
    f.HotlineLineFactory(office=office, kind=HotlineLine.Kind.SERVICE, number="+8675588100002")
    ringing = {
        "call_id": "pbx-1",
        "event": "ringing",
        "line_number": "0755-88100002",
        "caller_number": "13912345678",
        "at": timezone.now().isoformat(),
    }
    with assert_queries(12):
        call = staff_api.post(CALLS, ringing, format="json")
    assert call.status_code == 201, call.json()
    answered = {**ringing, "event": "answered", "agent": "agent"}
    staff_api.post(CALLS, answered, format="json")
    log = {**body, "action": "request"}
    del log["channel"]
    with assert_queries(23):
        logged = staff_api.post(f"{CALLS}{call.json()['id']}/log/", log, format="json")
    assert logged.status_code == 200, logged.json()
    assert logged.json()["ticket"]["number"]


# --- numbers ------------------------------------------------------------------------------------


def test_two_requests_of_one_office_on_one_day_get_consecutive_numbers(agent, customer):
    first = create(agent, customer)
    second = create(agent, customer)
    today = f"{timezone.localdate():%y%m%d}"
    assert first.number == f"{today}{first.pk:06d}"
    assert second.number == f"{today}{second.pk:06d}"
    assert int(second.number) == int(first.number) + 1
    first.refresh_from_db()
    assert first.number == f"{today}{first.pk:06d}"
    # Written once, with its number: its history starts with it.
    assert list(first.history.values_list("number", flat=True)) == [first.number]


def test_a_number_read_back_is_the_number_given(staff_api, body):
    created = staff_api.post(TICKETS, body, format="json").json()
    assert Ticket.objects.get(pk=created["id"]).number == created["number"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_intakes_at_once_do_not_wait_for_each_other(agent, customer):
    """One intake's transaction stays open after its request is written; a second intake in the
    same office still files its own at once, with another number."""
    written = threading.Event()
    release = threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = create(agent, customer)
                written.set()
                release.wait(30)  # the transaction stays open until the second is done
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results["first"] = exc
            written.set()
        finally:
            connection.close()

    def second():
        try:
            results["second"] = create(agent, customer)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results["second"] = exc
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert written.wait(30)
    two = threading.Thread(target=second)
    two.start()
    two.join(10)
    finished = not two.is_alive()
    release.set()
    one.join(30)
    two.join(30)
    assert finished, "the second intake waited for the first one's commit"
    assert isinstance(results["first"], Ticket), results
    assert isinstance(results["second"], Ticket), results
    numbers = {results["first"].number, results["second"].number}
    assert len(numbers) == 2 and "" not in numbers
    assert set(Ticket.objects.values_list("number", flat=True)) == numbers
