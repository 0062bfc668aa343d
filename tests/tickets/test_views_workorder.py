"""The technician's work order on a phone: what to do, whom to call, steps ticked with photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from propdesk.tickets import services
from propdesk.tickets.models import Status


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def as_tech(client, technician):
    client.force_login(technician)
    return client


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def page(ticket) -> str:
    return reverse("console:workorder", args=[ticket.pk])


def post(client, ticket, action, **data):
    ticket.refresh_from_db()
    data.setdefault("version", ticket.version)
    data["page"] = "workorder"
    return client.post(reverse("console:ticket_action", args=[ticket.pk, action]), data)


def test_m11_work_order_shows_customer_task_and_steps(as_tech, dispatched, customer, household):
    body = as_tech.get(page(dispatched)).content.decode()
    assert customer.name in body
    assert household.address in body
    assert 'href="tel:+8613912345678"' in body
    assert "厨房水管漏水" in body
    assert timezone.localtime(dispatched.due_at).strftime("%m-%d %H:%M") in body
    for title in ["上门查看", "维修处理", "清理现场"]:
        assert title in body
    assert "Free of charge" in body
    # The steps are ticked once the work has started, each with a photo from the camera.
    assert 'capture="environment"' not in body
    assert post(as_tech, dispatched, "start").status_code == 302
    body = as_tech.get(page(dispatched)).content.decode()
    assert 'accept="image/*"' in body and 'capture="environment"' in body


def test_work_order_shows_the_accepted_fee(client, make_ticket, agent, technician, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="ok"
    )
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    services.quote_record_answer(
        actor=agent, quote=ticket.quotes.get(), accepted=True, via="phone", answered_by_name="张伟"
    )
    ticket.refresh_from_db()
    services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
    client.force_login(technician)
    body = client.get(page(ticket)).content.decode()
    assert "¥80.00" in body and "accepted by the customer" in body


def test_m11_tick_a_step_with_a_photo_from_the_phone(as_tech, dispatched):
    step = dispatched.checklist.first()
    response = post(as_tech, dispatched, "tick_step", step=step.pk, note="已关闭总阀", photo=png())
    assert response.status_code == 302 and response["Location"] == page(dispatched)
    step.refresh_from_db()
    assert step.done_at is not None and step.note == "已关闭总阀" and step.photo
    dispatched.refresh_from_db()
    assert dispatched.status == Status.IN_PROGRESS  # the first step starts the work
    body = as_tech.get(page(dispatched)).content.decode()
    assert f'id="step-{step.pk}" class="done"' in body


def test_m11_a_non_image_upload_is_refused_on_the_phone(as_tech, dispatched):
    step = dispatched.checklist.first()
    text = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = post(as_tech, dispatched, "tick_step", step=step.pk, note="x", photo=text)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is not a photo (JPEG, PNG, WebP or GIF)." in body
    assert 'class="workorder"' in body  # shown again on the phone page, not the desk page
    step.refresh_from_db()
    assert step.done_at is None and not step.photo


def test_start_then_complete_from_the_phone(as_tech, dispatched, technician):
    assert post(as_tech, dispatched, "start").status_code == 302
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    response = post(as_tech, dispatched, "complete", work_summary="已更换接头", final_charge="")
    assert response.status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.status == Status.COMPLETED


def test_hand_back_from_the_phone(as_tech, dispatched):
    assert post(as_tech, dispatched, "hand_back", reason="需要两人").status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.status == Status.CONFIRMED


def test_another_technicians_order_offers_him_no_buttons(client, technician2, dispatched):
    client.force_login(technician2)
    body = client.get(page(dispatched)).content.decode()
    assert "Mark this step done" not in body
    assert 'id="action-complete"' not in body


def test_another_offices_technician_does_not_find_it(client, other_technician, dispatched):
    client.force_login(other_technician)
    assert client.get(page(dispatched)).status_code == 404
