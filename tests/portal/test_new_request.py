"""A customer files a request in the portal, with photos; bad photos and past deadlines are refused."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.tickets.models import Ticket, TicketPhoto


def png(name="leak.png"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def local(when):
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_m03_a_request_from_the_portal_with_photos(
    portal, customer, household, free_item, agent, client
):
    deadline = timezone.now() + dt.timedelta(days=2)
    response = portal.post(
        "/portal/requests/new/",
        {
            "item": free_item.pk,
            "description": "卫生间漏水",
            "requested_deadline": local(deadline),
            "photos": [png("a.png"), png("b.png")],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/requests/{ticket.pk}/"
    assert (ticket.channel, ticket.kind, ticket.customer, ticket.household) == (
        "portal",
        "repair",
        customer,
        household,
    )
    assert ticket.created_by is None and ticket.photos.count() == 2
    # Staff see the photos on the request.
    client.force_login(agent)
    page = client.get(f"/console/requests/{ticket.pk}/").content.decode()
    photo = ticket.photos.first()
    assert f"/media/{photo.image.name}" in page
    assert client.get(f"/media/{photo.image.name}").status_code == 200


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_filed(portal, free_item):
    bogus = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = portal.post(
        "/portal/requests/new/",
        {"item": free_item.pk, "description": "漏水", "photos": [png(), bogus]},
    )
    assert response.status_code == 400
    assert "The file is not a photo" in response.content.decode()
    assert not Ticket.objects.exists() and not TicketPhoto.objects.exists()


def test_an_oversized_photo_is_refused(portal, free_item, settings):
    settings.PROPDESK_MAX_PHOTO_BYTES = 10
    response = portal.post(
        "/portal/requests/new/", {"item": free_item.pk, "description": "漏水", "photos": [png()]}
    )
    assert response.status_code == 400 and not Ticket.objects.exists()


def test_a_deadline_in_the_past_is_refused(portal, free_item):
    past = timezone.now() - dt.timedelta(hours=1)
    response = portal.post(
        "/portal/requests/new/",
        {"item": free_item.pk, "description": "漏水", "requested_deadline": local(past)},
    )
    assert response.status_code == 400
    assert "The deadline must be in the future." in response.content.decode()
    assert not Ticket.objects.exists()


def test_m03_a_question_without_a_service_item_is_filed_as_an_inquiry(portal, household):
    page = portal.get("/portal/requests/new/").content.decode()
    assert "A question" in page
    response = portal.post(
        "/portal/requests/new/", {"kind": "inquiry", "description": "物业费怎么交?"}
    )
    assert response.status_code == 302
    assert Ticket.objects.get().kind == "inquiry"


def test_m10_the_form_shows_each_services_fee_standard(portal, household, paid_item):
    page = portal.get("/portal/requests/new/").content.decode()
    assert f"{paid_item.name} · {paid_item.price_label}" in page


def test_the_customer_sees_their_own_photos_and_nobody_elses(
    portal, household, free_item, other_customer
):
    portal.post(
        "/portal/requests/new/",
        {"item": free_item.pk, "description": "卫生间漏水", "photos": [png("a.png")]},
    )
    ticket = Ticket.objects.get()
    photo = ticket.photos.get()
    url = f"/portal/requests/{ticket.pk}/photos/{photo.pk}/"
    assert url in portal.get(f"/portal/requests/{ticket.pk}/").content.decode()
    response = portal.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # Another customer's request, or a photo that is not this request's, is not there.
    Ticket.objects.filter(pk=ticket.pk).update(customer=other_customer)
    assert portal.get(url).status_code == 404
    assert portal.get(f"/portal/requests/{ticket.pk}/photos/{photo.pk + 1}/").status_code == 404
