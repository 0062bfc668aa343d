"""The API's Idempotency-Key, for every endpoint that creates something: the same request again
is answered as the first was (with ``Idempotent-Replayed: true``) and creates nothing; the same
key with another request is refused with 422 naming the key; an expired key is free again."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.complaints.models import Complaint
from propdesk.core import idempotency
from propdesk.core.jobs import run_job
from propdesk.core.models import IdempotencyKey
from propdesk.tickets.models import Contact, Ticket

TICKETS = "/api/v1/tickets/"
COMPLAINTS = "/api/v1/complaints/"
PORTAL_REQUESTS = "/api/v1/portal/requests/"
PORTAL_COMPLAINTS = "/api/v1/portal/complaints/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def as_agent(api, agent):
    api.force_authenticate(agent)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return api


def request_body(customer, **extra):
    return {
        "customer": customer.pk,
        "kind": "repair",
        "channel": "hotline",
        "description": "卫生间下水慢",
        **extra,
    }


def complaint_body(customer, **extra):
    return {
        "customer": customer.pk,
        "channel": "hotline",
        "account": "楼道垃圾三天没人清理",
        "category": "environment",
        "listened": True,
        "understanding": "理解您的心情",
        "explanation": "已通知保洁主管",
        **extra,
    }


def refused_for_the_key(answer):
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert body["code"] == "idempotency_key_reused"
    assert body["field"] == "idempotency_key"
    assert "Idempotency-Key" in body["detail"] and "different request" in body["detail"]
    return body


# --- staff: a request ---------------------------------------------------------------------------


def test_the_same_request_again_is_answered_as_the_first_and_says_it_is_a_replay(
    as_agent, customer
):
    first = as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert Ticket.objects.count() == 1 and Contact.objects.count() == 1


def test_the_same_body_written_differently_is_the_same_request(as_agent, customer):
    first = as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    # Keys in another order, the text with spaces the serializer trims: the same request.
    body = dict(reversed(list(request_body(customer, description="  卫生间下水慢 ").items())))
    again = as_agent.post(TICKETS, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Ticket.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused_naming_the_key(as_agent, customer):
    first = as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = as_agent.post(
        TICKETS,
        request_body(customer, description="厨房水龙头坏了"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    refused_for_the_key(other)
    assert "Idempotent-Replayed" not in other.headers
    assert list(Ticket.objects.values_list("pk", "description")) == [
        (first.json()["id"], "卫生间下水慢")
    ]


def test_the_same_key_on_another_endpoint_is_refused(as_agent, customer):
    as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    answer = as_agent.post(
        COMPLAINTS, complaint_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    refused_for_the_key(answer)
    assert not Complaint.objects.exists()


def test_keys_are_each_clients_own(as_agent, customer, other_agent, other_customer, api):
    as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    api.force_authenticate(other_agent)
    theirs = api.post(
        TICKETS, request_body(other_customer), format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs.headers
    assert Ticket.objects.count() == 2


def test_a_refused_request_leaves_its_key_free(as_agent, customer):
    bad = as_agent.post(
        TICKETS, request_body(customer, kind="nonsense"), format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert bad.status_code == 400
    good = as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert good.status_code == 201 and "Idempotent-Replayed" not in good.headers
    assert Ticket.objects.count() == 1


def test_an_expired_key_works_as_new(as_agent, customer, settings):
    settings.PROPDESK_IDEMPOTENCY_KEY_HOURS = 24
    start = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        first = as_agent.post(
            TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k1"
        )
    with time_machine.travel(start + dt.timedelta(hours=23, minutes=59), tick=False):
        again = as_agent.post(
            TICKETS,
            request_body(customer, description="厨房水龙头坏了"),
            format="json",
            HTTP_IDEMPOTENCY_KEY="k1",
        )
        refused_for_the_key(again)  # still remembered
    with time_machine.travel(start + dt.timedelta(hours=24, minutes=1), tick=False):
        later = as_agent.post(
            TICKETS,
            request_body(customer, description="厨房水龙头坏了"),
            format="json",
            HTTP_IDEMPOTENCY_KEY="k1",
        )
    assert later.status_code == 201 and "Idempotent-Replayed" not in later.headers
    assert later.json()["id"] != first.json()["id"]
    assert Ticket.objects.count() == 2
    assert IdempotencyKey.objects.get().record == f"tickets.ticket:{later.json()['id']}"


def test_the_purge_job_frees_expired_keys_only_and_twice_is_the_same(as_agent, customer):
    start = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="old")
    with time_machine.travel(start + dt.timedelta(hours=20), tick=False):
        as_agent.post(TICKETS, request_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="new")
    later = start + dt.timedelta(hours=25)
    run_job("purge_idempotency_keys", now=later)
    run_job("purge_idempotency_keys", now=later)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert Ticket.objects.count() == 2  # the records stay; only the keys are freed


def test_the_fingerprint_is_of_the_meaning_not_the_spelling():
    a = idempotency.fingerprint("post", "/x/", {"b": [1, 2], "a": dt.date(2026, 6, 1)})
    b = idempotency.fingerprint("POST", "/x/", {"a": dt.date(2026, 6, 1), "b": [1, 2]})
    assert a == b
    assert a != idempotency.fingerprint("POST", "/x/", {"a": dt.date(2026, 6, 1), "b": [2, 1]})
    assert a != idempotency.fingerprint("POST", "/y/", {"a": dt.date(2026, 6, 1), "b": [1, 2]})
    shanghai = dt.timezone(dt.timedelta(hours=8))
    at = dt.datetime(2026, 6, 1, 10, 0, tzinfo=shanghai)
    assert idempotency.fingerprint("POST", "/x/", {"at": at}) == idempotency.fingerprint(
        "POST", "/x/", {"at": at.astimezone(dt.UTC)}
    )


# --- staff: a complaint -------------------------------------------------------------------------


def test_a_complaint_replayed_and_a_key_reused(as_agent, customer):
    first = as_agent.post(
        COMPLAINTS, complaint_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="c1"
    )
    again = as_agent.post(
        COMPLAINTS, complaint_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="c1"
    )
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = as_agent.post(
        COMPLAINTS,
        complaint_body(customer, category="security"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="c1",
    )
    refused_for_the_key(other)
    assert Complaint.objects.count() == 1


# --- the customer's -----------------------------------------------------------------------------


def png(colour) -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(data, "PNG")
    return SimpleUploadedFile("leak.png", data.getvalue(), content_type="image/png")


def test_a_portal_request_with_photos_replayed_and_a_key_reused(customer_api, household):
    def post(description, colour="red"):
        return customer_api.post(
            PORTAL_REQUESTS,
            {"description": description, "photos": [png(colour)]},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="app-1",
        )

    first, again = post("楼道灯不亮"), post("楼道灯不亮")
    assert first.status_code == again.status_code == 201, first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(first.json()["photos"]) == 1
    refused_for_the_key(post("电梯停了"))
    refused_for_the_key(post("楼道灯不亮", colour="blue"))  # another photo: another request
    assert Ticket.objects.count() == 1


def test_a_portal_complaint_replayed_and_a_key_reused(customer_api, household):
    body = {"account": "保安不让快递进门", "category": "security"}
    first = customer_api.post(PORTAL_COMPLAINTS, body, format="json", HTTP_IDEMPOTENCY_KEY="a")
    again = customer_api.post(PORTAL_COMPLAINTS, body, format="json", HTTP_IDEMPOTENCY_KEY="a")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = customer_api.post(
        PORTAL_COMPLAINTS,
        {**body, "account": "快递被拦"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="a",
    )
    refused_for_the_key(other)
    assert Complaint.objects.count() == 1
