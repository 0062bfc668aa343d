"""A customer files a request through the customer API, with photos; bad input is refused naming
the field, and then nothing at all is filed."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.catalog.models import ServiceCategory
from propdesk.tickets.models import Contact, Ticket, TicketPhoto
from tests import factories as f

URL = "/api/v1/portal/requests/"


def png(name="leak.png"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def later(**delta):
    return (timezone.now() + dt.timedelta(**delta)).isoformat()


def nothing_filed():
    return not Ticket.objects.exists() and not TicketPhoto.objects.exists()


def test_m03_a_request_from_an_app_with_photos_is_a_portal_request(
    customer_api, customer, household, free_item
):
    answer = customer_api.post(
        URL,
        {
            "household": household.pk,
            "item": free_item.pk,
            "description": "卫生间漏水",
            "photos": [png("a.png"), png("b.png")],
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.json()
    ticket = Ticket.objects.get()
    body = answer.json()
    assert body["id"] == ticket.pk and body["photo_count"] == 2
    assert [e["kind"] for e in body["timeline"]] == ["created"]
    assert (ticket.channel, ticket.kind, ticket.customer, ticket.household) == (
        "portal",
        "repair",
        customer,
        household,
    )
    assert ticket.created_by is None and ticket.photos.count() == 2
    # M01: the request is in the customer's contacts log too.
    assert Contact.objects.get(ticket=ticket).channel == "portal"


def test_m09_the_deadline_the_customer_asks_for_is_the_requests_deadline(customer_api, free_item):
    deadline = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    answer = customer_api.post(
        URL,
        {"item": free_item.pk, "description": "漏水", "requested_deadline": deadline.isoformat()},
        format="json",
    )
    assert answer.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.requested_deadline == deadline == ticket.due_at


def test_a_request_without_photos_or_item_may_come_as_json(customer_api, household):
    answer = customer_api.post(URL, {"description": "咨询停车费"}, format="json")
    assert answer.status_code == 201
    ticket = Ticket.objects.get()
    # One household: it is the request's. No item: a service request.
    assert (ticket.household, ticket.kind, ticket.item) == (household, "service", None)


@pytest.mark.parametrize("kind", ["inquiry", "suggestion", "praise", "repair"])
def test_without_an_item_the_customer_says_what_it_is_about(customer_api, kind):
    answer = customer_api.post(URL, {"kind": kind, "description": "停车费怎么交"}, format="json")
    assert answer.status_code == 201 and answer.json()["kind"] == kind
    assert Ticket.objects.get().kind == kind


def test_an_item_decides_the_kind(customer_api, free_item):
    customer_api.post(
        URL, {"kind": "praise", "item": free_item.pk, "description": "漏水"}, format="json"
    )
    assert Ticket.objects.get().kind == "repair"


def test_an_item_that_is_not_a_repair_makes_a_service_request(customer_api):
    cleaning = f.ServiceItemFactory(category__kind=ServiceCategory.Kind.HOUSEHOLD)
    customer_api.post(URL, {"item": cleaning.pk, "description": "保洁"}, format="json")
    assert Ticket.objects.get().kind == "service"


def test_m09_a_deadline_in_the_past_is_refused(customer_api, free_item):
    answer = customer_api.post(
        URL,
        {"item": free_item.pk, "description": "漏水", "requested_deadline": later(hours=-1)},
        format="multipart",
    )
    assert answer.status_code == 400
    assert (answer.json()["field"], answer.json()["code"]) == (
        "requested_deadline",
        "deadline_in_past",
    )
    assert answer.json()["detail"] == "The deadline must be in the future."
    assert nothing_filed()


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_filed(customer_api, free_item):
    bogus = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    answer = customer_api.post(
        URL, {"description": "漏水", "photos": [png(), bogus]}, format="multipart"
    )
    assert answer.status_code == 400
    assert (answer.json()["field"], answer.json()["code"]) == ("photos", "not_an_image")
    assert nothing_filed()


def test_an_oversized_photo_is_refused(customer_api, settings):
    settings.PROPDESK_MAX_PHOTO_BYTES = 10
    answer = customer_api.post(URL, {"description": "漏水", "photos": [png()]}, format="multipart")
    assert answer.status_code == 400
    assert (answer.json()["field"], answer.json()["code"]) == ("photos", "photo_too_large")
    assert nothing_filed()


def test_at_most_five_photos(customer_api):
    photos = [png(f"{n}.png") for n in range(6)]
    answer = customer_api.post(URL, {"description": "漏水", "photos": photos}, format="multipart")
    assert answer.status_code == 400
    assert (answer.json()["field"], answer.json()["code"]) == ("photos", "too_many_photos")
    assert nothing_filed()


def test_a_request_needs_a_description(customer_api, free_item):
    answer = customer_api.post(URL, {"item": free_item.pk}, format="multipart")
    assert answer.status_code == 400
    assert (answer.json()["field"], answer.json()["code"]) == ("description", "required")
    assert nothing_filed()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"household": "abc"}, "household"),
        ({"household": [1]}, "household"),
        ({"item": "x"}, "item"),
        ({"requested_deadline": "tomorrow"}, "requested_deadline"),
        ({"requested_deadline": 12}, "requested_deadline"),
        ({"photos": "leak.png"}, "photos"),
        ({"photos": ["leak.png"]}, "photos"),
        ({"description": ["漏水"]}, "description"),
        ({"kind": "complaint"}, "kind"),  # complaints go to the hotline, as on the portal
        ({"kind": "lost"}, "kind"),
    ],
)
def test_wrong_types_are_400_naming_the_field(customer_api, body, field):
    answer = customer_api.post(URL, {"description": "漏水", **body}, format="json")
    assert answer.status_code == 400, answer.json()
    assert answer.json()["field"] == field and answer.json()["code"] == "invalid"
    assert nothing_filed()


def test_another_customers_household_is_not_found(customer_api, other_customer):
    answer = customer_api.post(
        URL,
        {"household": other_customer.households.get().pk, "description": "漏水"},
        format="json",
    )
    assert answer.status_code == 404 and answer.json()["field"] == "household"
    assert nothing_filed()


def test_an_unknown_household_is_not_found(customer_api):
    answer = customer_api.post(URL, {"household": 987654, "description": "漏水"}, format="json")
    assert answer.status_code == 404 and answer.json()["field"] == "household"
    assert nothing_filed()


def test_a_former_household_is_not_found(customer_api, household):
    household.is_active = False
    household.save(update_fields=["is_active"])
    answer = customer_api.post(
        URL, {"household": household.pk, "description": "漏水"}, format="json"
    )
    assert answer.status_code == 404 and nothing_filed()


@pytest.mark.parametrize("where", ["other_office", "out_of_scope", "inactive"])
def test_an_item_the_office_does_not_offer_is_refused(customer_api, other_office, where):
    item = {
        "other_office": lambda: f.ServiceItemFactory(office=other_office),
        "out_of_scope": lambda: f.ServiceItemFactory(in_scope=False),
        "inactive": lambda: f.ServiceItemFactory(is_active=False),
    }[where]()
    answer = customer_api.post(URL, {"item": item.pk, "description": "漏水"}, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == "item"
    assert nothing_filed()


def test_an_apps_retry_with_the_same_idempotency_key_files_once(customer_api, household):
    first = customer_api.post(
        URL, {"description": "楼道灯不亮"}, format="json", HTTP_IDEMPOTENCY_KEY="app-7f3a"
    )
    again = customer_api.post(
        URL, {"description": "楼道灯不亮"}, format="json", HTTP_IDEMPOTENCY_KEY="app-7f3a"
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Ticket.objects.count() == 1
    too_long = customer_api.post(
        URL, {"description": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k" * 81
    )
    assert too_long.status_code == 400 and "idempotency_key" in too_long.json()["errors"]
    assert Ticket.objects.count() == 1
