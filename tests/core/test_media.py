"""Photos of customers' homes are served only to staff who may see the work order."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.tickets import services


@pytest.fixture
def photo_url(dispatched, technician):
    buf = io.BytesIO()
    Image.new("RGB", (3, 3), "blue").save(buf, "PNG")
    step = dispatched.checklist.first()
    upload = SimpleUploadedFile("leak.png", buf.getvalue(), content_type="image/png")
    step = services.checklist_tick(
        actor=technician, ticket=dispatched, step_id=step.pk, photo=upload
    )
    return f"/media/{step.photo.name}"


def test_own_office_staff_see_the_photo(client, agent, photo_url):
    client.force_login(agent)
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_another_office_gets_404(client, other_agent, photo_url):
    client.force_login(other_agent)
    assert client.get(photo_url).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, photo_url):
    response = client.get(photo_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_file_is_404(client, agent, db):
    client.force_login(agent)
    assert client.get("/media/checklist/nothing.png").status_code == 404


def test_m18_a_photo_of_a_complaint_about_the_director_is_hidden_from_him(
    client, agent, director, customer
):
    from propdesk.complaints.services import intake

    buf = io.BytesIO()
    Image.new("RGB", (3, 3), "red").save(buf, "PNG")
    upload = SimpleUploadedFile("proof.png", buf.getvalue(), content_type="image/png")
    complaint = intake.complaint_file(
        actor=agent,
        customer=customer,
        channel="walk_in",
        account="主任推诿",
        category="attitude",
        listened=True,
        understanding="理解",
        explanation="说明",
        about_staff=[director],
    )
    photo = complaint.ticket.photos.create(image=upload, created_at=complaint.created_at)
    url = f"/media/{photo.image.name}"
    client.force_login(agent)
    assert client.get(url).status_code == 200
    client.force_login(director)
    assert client.get(url).status_code == 404
