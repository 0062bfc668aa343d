"""The customer API for how we reach the customer: their choices, their password, their inbox, and
the photos they filed; never another customer's."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.core.models import Notification
from propdesk.customers.models import Customer
from propdesk.tickets import services
from propdesk.tickets.models import Ticket
from tests.queries import max_queries

URL = "/api/v1/portal/"


def png():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, "PNG")
    return SimpleUploadedFile("crack.png", buf.getvalue(), content_type="image/png")


def test_the_customer_reads_and_changes_how_we_reach_them(customer_api, customer):
    assert customer_api.get(f"{URL}me/preferences/").json() == {
        "language": "",
        "email": "",
        "notify_by_sms": True,
        "notify_by_email": False,
    }
    answer = customer_api.patch(
        f"{URL}me/preferences/",
        {"notify_by_email": True, "email": "zw@example.com", "language": "en"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    customer.refresh_from_db()
    assert (customer.notify_by_email, customer.email, customer.language) == (
        True,
        "zw@example.com",
        "en",
    )
    assert customer.notify_by_sms  # left out: unchanged


def test_bad_choices_are_refused_naming_the_field_and_change_nothing(customer_api, customer):
    no_address = customer_api.patch(f"{URL}me/preferences/", {"notify_by_email": True})
    assert no_address.status_code == 400 and no_address.json()["field"] == "email"
    bad_language = customer_api.patch(f"{URL}me/preferences/", {"language": "fr"}, format="json")
    assert bad_language.status_code == 400 and "language" in bad_language.json()["errors"]
    bad_type = customer_api.patch(f"{URL}me/preferences/", {"notify_by_sms": "perhaps"})
    assert bad_type.status_code == 400 and "notify_by_sms" in bad_type.json()["errors"]
    fresh = Customer.objects.get(pk=customer.pk)
    assert (fresh.notify_by_sms, fresh.notify_by_email, fresh.language) == (True, False, "")


def test_the_customer_sets_a_password_and_signs_in_with_it(customer_api, client):
    short = customer_api.post(f"{URL}me/password/", {"password": "short"}, format="json")
    assert short.status_code == 400 and short.json()["field"] == "password"
    assert (
        customer_api.post(
            f"{URL}me/password/", {"password": "a-long-password"}, format="json"
        ).status_code
        == 204
    )
    signed_in = client.post(
        f"{URL}auth/token/",
        {"phone": "13912345678", "password": "a-long-password"},
        content_type="application/json",
    )
    assert signed_in.status_code == 200 and signed_in.json()["token"]


def test_m01_the_inbox_its_unread_count_and_marking_read(customer_api, customer, make_ticket):
    ticket = make_ticket()
    assert customer_api.get(f"{URL}messages/unread/").json() == {"unread": 1}
    body = customer_api.get(f"{URL}messages/").json()
    assert body["count"] == 1
    (message,) = body["results"]
    assert message["subject"] == f"Request {ticket.number} received" and not message["read"]
    assert customer_api.post(f"{URL}messages/unread/").json() == {"unread": 0}
    assert customer_api.get(f"{URL}messages/").json()["results"][0]["read"]
    assert not Notification.objects.filter(
        customer=customer, read_at__isnull=True, channel="in_app"
    ).exists()


def test_the_inbox_is_ones_own(customer_api, other_agent, other_customer, make_ticket):
    make_ticket(actor=other_agent, customer=other_customer)
    assert customer_api.get(f"{URL}messages/").json()["count"] == 0
    customer_api.post(f"{URL}messages/unread/")
    assert Notification.objects.filter(
        customer=other_customer, channel="in_app", read_at__isnull=True
    ).exists()


def test_the_inbox_lists_in_a_constant_number_of_queries(customer_api, make_ticket):
    for _ in range(6):
        make_ticket()
    with max_queries(4):  # the token, the count, the page
        assert customer_api.get(f"{URL}messages/").json()["count"] == 6


def test_the_customer_fetches_their_own_photos_only(customer_api, household, other_customer):
    created = customer_api.post(
        f"{URL}requests/", {"description": "外墙裂缝", "photos": [png()]}, format="multipart"
    )
    assert created.status_code == 201, created.content
    (photo_url,) = created.json()["photos"]
    answer = customer_api.get(photo_url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    ticket = Ticket.objects.get()
    photo = ticket.photos.get()
    assert customer_api.get(f"{URL}requests/{ticket.pk}/photos/{photo.pk + 1}/").status_code == 404
    Ticket.objects.filter(pk=ticket.pk).update(customer=other_customer)
    assert customer_api.get(photo_url).status_code == 404


def test_m09_the_customer_answers_a_proposed_deadline_through_the_api(
    customer_api, dispatched, agent
):
    dispatched.refresh_from_db()
    import datetime as dt

    proposal = services.extension_propose(
        actor=agent,
        ticket=dispatched,
        new_due_at=dispatched.due_at + dt.timedelta(days=1),
        reason="等配件",
    )
    body = customer_api.get(f"{URL}requests/{dispatched.pk}/").json()
    assert body["pending_proposal"]["id"] == proposal.pk
    answer = customer_api.post(
        f"{URL}requests/{dispatched.pk}/proposals/{proposal.pk}/answer/",
        {"agreed": True},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    dispatched.refresh_from_db()
    assert dispatched.due_at == proposal.new_due_at
