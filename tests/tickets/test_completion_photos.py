"""The work completed with photos of the finished work: taken on the phone's work order or sent
through the API, shown on the request in the console and in the resident's portal. A file that
is not a photo, too many or too large ones: refused next to the field, and nothing is kept."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from propdesk.tickets import services
from propdesk.tickets.models import CompletionPhoto, Status, Ticket


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def png(name="done.png", colour="green") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def not_an_image() -> SimpleUploadedFile:
    return SimpleUploadedFile("done.jpg", b"not an image at all", content_type="image/jpeg")


def stored_completion_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "completion"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def worked(dispatched, technician):
    """Started, every step ticked: ready to complete."""
    services.ticket_start(actor=technician, ticket=dispatched)
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    return dispatched


@pytest.fixture
def as_tech(client, technician):
    client.force_login(technician)
    return client


def complete_on_phone(client, ticket, **data):
    ticket.refresh_from_db()
    data.setdefault("version", ticket.version)
    data.setdefault("work_summary", "已更换接头")
    data["page"] = "workorder"
    return client.post(reverse("console:ticket_action", args=[ticket.pk, "complete"]), data)


def assert_not_completed(ticket):
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and ticket.completed_at is None
    assert not CompletionPhoto.objects.exists()
    assert stored_completion_files() == []


def test_the_completion_form_on_the_phone_takes_photos(as_tech, worked):
    body = as_tech.get(reverse("console:workorder", args=[worked.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'name="photos"' in body and "multiple" in body
    assert "Photos of the finished work" in body


def test_completed_on_the_phone_with_two_photos_shown_on_the_request(as_tech, worked):
    response = complete_on_phone(as_tech, worked, photos=[png("a.png"), png("b.png", "red")])
    assert response.status_code == 302
    worked.refresh_from_db()
    assert worked.status == Status.COMPLETED
    photos = list(worked.completion_photos.all())
    assert len(photos) == 2 and all(p.taken_by_id == worked.assignee_id for p in photos)
    assert len(stored_completion_files()) == 2
    for name in ("workorder", "ticket_detail"):
        body = as_tech.get(reverse(f"console:{name}", args=[worked.pk])).content.decode()
        for photo in photos:
            assert f'src="{photo.image.url}"' in body
    # The file itself is served to staff of the office.
    assert as_tech.get(photos[0].image.url).status_code == 200


def test_another_offices_staff_do_not_get_the_photo(client, technician, other_agent, worked):
    services.ticket_complete(actor=technician, ticket=worked, work_summary="好了", photos=[png()])
    client.force_login(other_agent)
    photo = CompletionPhoto.objects.get()
    assert client.get(photo.image.url).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_next_to_the_field(as_tech, worked):
    response = complete_on_phone(as_tech, worked, photos=[png(), not_an_image()])
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is not a photo (JPEG, PNG, WebP or GIF)." in body
    assert 'id="id_complete_photos"' in body and 'aria-invalid="true"' in body
    assert 'class="workorder"' in body  # shown again on the phone, with the panel open
    assert_not_completed(worked)


def test_more_than_five_photos_are_refused(as_tech, worked):
    response = complete_on_phone(as_tech, worked, photos=[png(f"{i}.png") for i in range(6)])
    assert response.status_code == 400
    assert "At most 5 photos." in response.content.decode()
    assert_not_completed(worked)


def test_a_photo_too_large_is_refused(as_tech, worked, settings):
    settings.PROPDESK_MAX_PHOTO_BYTES = 64
    response = complete_on_phone(as_tech, worked, photos=[png()])
    assert response.status_code == 400
    assert "The photo is too large" in response.content.decode()
    assert_not_completed(worked)


def test_a_refusal_for_another_reason_keeps_no_photo(as_tech, dispatched, technician):
    """Steps still open: the completion is refused, and the photos sent with it are not kept."""
    services.ticket_start(actor=technician, ticket=dispatched)
    response = complete_on_phone(as_tech, dispatched, photos=[png()])
    assert response.status_code == 409
    assert "Every procedure step must be done first" in response.content.decode()
    dispatched.refresh_from_db()
    assert dispatched.completed_at is None
    assert not CompletionPhoto.objects.exists() and stored_completion_files() == []


# --- the resident's portal ---------------------------------------------------------------------


def test_the_resident_sees_the_photos_of_the_finished_work(portal, technician, worked, customer):
    services.ticket_complete(
        actor=technician, ticket=worked, work_summary="已更换接头", photos=[png(), png("b.png")]
    )
    photos = list(worked.completion_photos.all())
    body = portal.get(reverse("portal:request", args=[worked.pk])).content.decode()
    assert "Photos of the work" in body
    for photo in photos:
        url = reverse("portal:request_completion_photo", args=[worked.pk, photo.pk])
        assert f'src="{url}"' in body
        response = portal.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_another_residents_photo_is_not_found(portal, technician, worked, other_customer):
    services.ticket_complete(actor=technician, ticket=worked, work_summary="好了", photos=[png()])
    photo = CompletionPhoto.objects.get()
    from propdesk.portal.auth import session_fields
    from propdesk.portal.models import PortalAccount

    account = PortalAccount.objects.create(customer=other_customer, phone="+8613900000009")
    stranger = Client()
    session = stranger.session
    session.update(session_fields(account))
    session.save()
    url = reverse("portal:request_completion_photo", args=[worked.pk, photo.pk])
    assert stranger.get(url).status_code == 404
    # Nor is a photo asked for under another of the resident's own requests.
    assert portal.get(url.replace(f"/{worked.pk}/", "/999999/")).status_code == 404


# --- the API -----------------------------------------------------------------------------------


@pytest.fixture
def as_technician(api, technician):
    api.force_authenticate(technician)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return api


def complete_by_api(api, ticket, **data):
    version = Ticket.objects.values_list("version", flat=True).get(pk=ticket.pk)
    body = {"version": version, "work_summary": "已疏通", **data}
    return api.post(f"/api/v1/tickets/{ticket.pk}/complete/", body, format="multipart")


def test_the_api_completes_with_photos(as_technician, worked):
    response = complete_by_api(as_technician, worked, photos=[png(), png("b.png")])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == Status.COMPLETED
    assert len(body["completion_photos"]) == 2
    assert all(
        u.startswith("http://testserver/media/completion/") for u in body["completion_photos"]
    )
    assert len(stored_completion_files()) == 2


def test_the_api_still_completes_with_json_and_no_photo(as_technician, worked):
    version = Ticket.objects.values_list("version", flat=True).get(pk=worked.pk)
    response = as_technician.post(
        f"/api/v1/tickets/{worked.pk}/complete/",
        {"version": version, "work_summary": "已疏通"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["completion_photos"] == []


def test_the_api_refuses_a_file_that_is_not_a_photo(as_technician, worked):
    response = complete_by_api(as_technician, worked, photos=[png(), not_an_image()])
    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert response.json()["detail"] == "The file is not a photo (JPEG, PNG, WebP or GIF)."
    assert_not_completed(worked)


def test_the_api_refuses_more_than_five_photos(as_technician, worked):
    response = complete_by_api(as_technician, worked, photos=[png(f"{i}.png") for i in range(6)])
    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert_not_completed(worked)
