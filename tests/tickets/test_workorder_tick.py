"""A step ticked in place on the technician's work order (POST /console/workorders/<pk>/tick/):
the step alone comes back. Each bad input is answered with a clear message, in place for HTMX and
on the page without JavaScript, and changes nothing: no step done, no version raised, no
timeline line, no file kept. And the work order and "my orders" take as many queries with many
steps or orders as with few."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from propdesk.catalog.models import ProcedureStep
from propdesk.tickets import services
from propdesk.tickets.models import Status, Ticket
from tests import factories as f
from tests.queries import count_queries, same_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def tick_url(ticket) -> str:
    return reverse("console:workorder_tick", args=[ticket.pk])


def snapshot(ticket) -> dict:
    t = Ticket.objects.get(pk=ticket.pk)
    return {
        "status": t.status,
        "version": t.version,
        "events": t.events.count(),
        "steps": list(t.checklist.values_list("pk", "done_at", "note", "photo")),
    }


def no_files() -> bool:
    root = Path(settings.MEDIA_ROOT) / "checklist"
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


@pytest.fixture
def as_tech(client, technician):
    client.force_login(technician)
    return client


@pytest.fixture
def started(dispatched, technician):
    return services.ticket_start(actor=technician, ticket=dispatched)


def tick(client, ticket, *, htmx=True, **data):
    ticket.refresh_from_db()
    data.setdefault("version", ticket.version)
    data.setdefault("note", "ok")
    return client.post(tick_url(ticket), data, **(HTMX if htmx else {}))


def test_a_tick_comes_back_as_the_step_alone(as_tech, started):
    step = started.checklist.first()
    response = tick(as_tech, started, step=step.pk, photo=png())
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="step-{step.pk}" class="done"' in body
    assert "<html" not in body  # the step, not the page
    step.refresh_from_db()
    assert step.done_at is not None and step.photo


@pytest.mark.parametrize("htmx", [True, False])
def test_an_unknown_step_is_refused_and_changes_nothing(as_tech, started, htmx):
    before = snapshot(started)
    response = tick(as_tech, started, htmx=htmx, step=987654)
    assert response.status_code == 400
    assert "This step is not on this work order." in response.content.decode()
    if htmx:
        assert response["HX-Retarget"] == "#wo-messages"
    assert snapshot(started) == before


@pytest.mark.parametrize("htmx", [True, False])
def test_a_step_of_another_request_is_refused(
    as_tech, started, make_ticket, free_item, agent, technician, htmx
):
    other = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=free_item), confirmation="ok"
    )
    other = services.ticket_dispatch(actor=agent, ticket=other, technician=technician)
    foreign = other.checklist.first()
    before, before_other = snapshot(started), snapshot(other)
    response = tick(as_tech, started, htmx=htmx, step=foreign.pk)
    assert response.status_code == 400
    assert "This step is not on this work order." in response.content.decode()
    assert snapshot(started) == before and snapshot(other) == before_other


def test_a_missing_step_asks_which(as_tech, started):
    before = snapshot(started)
    response = tick(as_tech, started, step="")
    assert response.status_code == 400
    assert "Choose the step you have done." in response.content.decode()
    assert snapshot(started) == before


@pytest.mark.parametrize("htmx", [True, False])
def test_another_offices_work_order_is_not_found(client, other_technician, started, htmx):
    client.force_login(other_technician)
    before = snapshot(started)
    response = tick(client, started, htmx=htmx, step=started.checklist.first().pk)
    assert response.status_code == 404
    if htmx:
        assert "This work order is not found." in response.content.decode()
    assert snapshot(started) == before


def test_another_technicians_order_is_forbidden(client, technician2, started):
    client.force_login(technician2)
    before = snapshot(started)
    response = tick(client, started, step=started.checklist.first().pk)
    assert response.status_code == 403
    assert "Your role may not do this." in response.content.decode()
    assert snapshot(started) == before


def test_a_step_before_the_work_started_says_to_start_first(as_tech, dispatched):
    step = dispatched.checklist.first()
    before = snapshot(dispatched)
    response = tick(as_tech, dispatched, step=step.pk)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Start the work first" in body
    assert f'id="step-{step.pk}"' in body  # said next to the step
    assert snapshot(dispatched) == before
    assert dispatched.status == Status.DISPATCHED


@pytest.mark.parametrize("htmx", [True, False])
def test_a_file_that_is_not_a_photo_is_refused_next_to_the_step(as_tech, started, htmx):
    step = started.checklist.first()
    before = snapshot(started)
    text = SimpleUploadedFile("notes.jpg", b"hello", content_type="image/jpeg")
    response = tick(as_tech, started, htmx=htmx, step=step.pk, photo=text)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is not a photo (JPEG, PNG, WebP or GIF)." in body
    assert f'id="id_step{step.pk}_photo"' in body
    assert snapshot(started) == before and no_files()


def test_a_photo_too_large_is_refused(as_tech, started, settings):
    settings.PROPDESK_MAX_PHOTO_BYTES = 64
    step = started.checklist.first()
    before = snapshot(started)
    response = tick(as_tech, started, step=step.pk, photo=png())
    assert response.status_code == 400
    assert "The photo is too large" in response.content.decode()
    assert snapshot(started) == before and no_files()


def test_a_step_needing_a_photo_is_not_ticked_without_one(as_tech, started):
    step = started.checklist.first()
    type(step).objects.filter(pk=step.pk).update(needs_photo=True)
    before = snapshot(started)
    response = tick(as_tech, started, step=step.pk)
    assert response.status_code == 400
    assert "This step needs a photo." in response.content.decode()
    assert snapshot(started) == before


def test_a_stale_version_is_refused_and_the_form_gets_the_current_one(as_tech, started, technician):
    first, second = list(started.checklist.all())[:2]
    started.refresh_from_db()
    seen = started.version
    # Meanwhile the same order is ticked elsewhere (his other phone): the version moves on.
    services.checklist_tick(actor=technician, ticket=started, step_id=second.pk)
    before = snapshot(started)
    response = tick(as_tech, started, step=first.pk, version=seen)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this request meanwhile. Reload it and try again." in body
    assert f'name="version" value="{seen + 1}"' in body  # resubmitting now works
    assert snapshot(started) == before


def test_a_step_already_done_is_refused(as_tech, started, technician):
    step = started.checklist.first()
    services.checklist_tick(actor=technician, ticket=started, step_id=step.pk)
    before = snapshot(started)
    response = tick(as_tech, started, htmx=False, step=step.pk)
    assert response.status_code in (400, 409)
    assert snapshot(started) == before


# --- query counts ------------------------------------------------------------------------------


def _item_with_steps(office, n):
    item = f.ServiceItemFactory()
    item.steps.all().delete()
    for i in range(1, n + 1):
        ProcedureStep.objects.create(item=item, position=i, title=f"步骤{i}")
    return item


def _dispatched(make_ticket, agent, technician, item):
    ticket = services.ticket_confirm(actor=agent, ticket=make_ticket(item=item), confirmation="ok")
    return services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)


def test_the_work_order_takes_as_many_queries_with_many_steps(
    as_tech, make_ticket, agent, technician, office
):
    few = _dispatched(make_ticket, agent, technician, _item_with_steps(office, 2))
    many = _dispatched(make_ticket, agent, technician, _item_with_steps(office, 12))
    for ticket in (few, many):
        services.ticket_start(actor=technician, ticket=ticket)
        ticket.refresh_from_db()
        first = ticket.checklist.first()
        services.checklist_tick(actor=technician, ticket=ticket, step_id=first.pk, photo=png())
    url = "console:workorder"
    as_tech.get(reverse(url, args=[few.pk]))  # warm: sessions, content types
    with count_queries() as first:
        assert as_tech.get(reverse(url, args=[few.pk])).status_code == 200
    with count_queries() as then:
        response = as_tech.get(reverse(url, args=[many.pk]))
    assert response.content.decode().count("Mark this step done") == 11
    same_queries(first, then)


def test_my_orders_take_as_many_queries_with_many_orders(
    as_tech, make_ticket, agent, technician, office, free_item
):
    def orders(n):
        for _ in range(n):
            ticket = make_ticket(item=free_item, customer=f.CustomerFactory(office=office))
            ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="ok")
            services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)

    orders(2)
    as_tech.get(reverse("console:home"))
    with count_queries() as first:
        assert as_tech.get(reverse("console:home")).status_code == 200
    orders(10)
    with count_queries() as then:
        response = as_tech.get(reverse("console:home"))
    assert len(response.context["work"].assigned) == 12
    same_queries(first, then)
